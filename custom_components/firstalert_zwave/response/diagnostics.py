"""The response's part of the integration diagnostics: configuration, memory, last checkup."""

from __future__ import annotations

from typing import Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.core import HomeAssistant

from .const import DATA_CONTROLLERS

# People and phones name the residents; step names and sensor labels name rooms.
TO_REDACT = {"people", "notify_actions", "notify_data", "name", "label", "target"}


def response_diagnostics(hass: HomeAssistant, entry_id: str) -> dict[str, Any] | None:
    """Return what the household's response holds and does now (redacted)."""
    controller = hass.data.get(DATA_CONTROLLERS, {}).get(entry_id)
    if controller is None:
        return None
    return async_redact_data(controller.diagnostics(), TO_REDACT)
