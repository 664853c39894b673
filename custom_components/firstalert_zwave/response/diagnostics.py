"""The response's part of the integration diagnostics: configuration, memory, last checkup."""

from __future__ import annotations

from typing import Any

from homeassistant.components.diagnostics import async_redact_data

from .controller import ResponseController

# People and phones name the residents; step names, sensor labels and the texts of
# notifications name rooms.
TO_REDACT = {
    "people",
    "notify_actions",
    "notify_data",
    "name",
    "label",
    "target",
    "message",
    "shown",
}


def response_diagnostics(controller: ResponseController) -> dict[str, Any]:
    """Return what the household's response holds and does now (redacted)."""
    return async_redact_data(controller.diagnostics(), TO_REDACT)
