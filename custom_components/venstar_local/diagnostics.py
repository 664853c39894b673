"""Diagnostics: what the thermostat reports and what was learned, secrets redacted."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields, is_dataclass
from datetime import datetime
from enum import Enum
from typing import Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.const import CONF_HOST, CONF_PASSWORD, CONF_USERNAME
from homeassistant.core import HomeAssistant

from .const import CONF_CERT_FINGERPRINT, CONF_MAC, CONF_PIN
from .coordinator import VenstarConfigEntry

TO_REDACT = {
    CONF_USERNAME,
    CONF_PASSWORD,
    CONF_PIN,
    CONF_MAC,
    CONF_HOST,
    CONF_CERT_FINGERPRINT,
    "unique_id",
}


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: VenstarConfigEntry
) -> dict[str, Any]:
    """Return the entry, the last confirmed data and the learner state."""
    runtime = entry.runtime_data
    coordinator = runtime.coordinator
    return {
        "entry": async_redact_data(
            {
                "title": entry.title,
                "unique_id": entry.unique_id,
                "data": dict(entry.data),
                "options": dict(entry.options),
            },
            TO_REDACT,
        ),
        "client": {
            "https": runtime.client.https,
            "port": runtime.client.port,
            "quirks": _plain(runtime.client.quirks),
        },
        "last_update_success": coordinator.last_update_success,
        "data": _plain(coordinator.data),
        "recovery": runtime.time_to_temperature.as_dict(),
    }


def _plain(value: Any) -> Any:
    """Turn the client's frozen models (enums, read-only mappings) into plain JSON data."""
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, Enum):
        return value.name.lower()
    if isinstance(value, datetime):
        return value.isoformat()
    return value
