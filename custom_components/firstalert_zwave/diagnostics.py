"""Diagnostics: the model's view of every detector and the household, redacted."""

from __future__ import annotations

from typing import Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.core import HomeAssistant

from .coordinator import FirstAlertConfigEntry
from .response.diagnostics import response_diagnostics

TO_REDACT = {"name", "area", "device_id", "key", "involved"}


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: FirstAlertConfigEntry
) -> dict[str, Any]:
    """Return the alarm model state; names, areas and home ids are redacted."""
    coordinator = entry.runtime_data
    model = coordinator.model
    household = model.household()
    detectors = []
    for key in model.keys:
        record = model.record(key)
        identity = record.identity
        view = record.view()
        detectors.append(
            {
                "key": key,
                "name": identity.name,
                "area": identity.area,
                "device_id": identity.device_id,
                "node_id": identity.node_id,
                "product": f"{identity.manufacturer_id}:{identity.product_type}:{identity.product_id}",
                "state": view.state.value,
                "flags": {
                    flag: getattr(view, flag)
                    for flag in (
                        "smoke",
                        "co",
                        "smoke_test",
                        "co_test",
                        "smoke_silenced",
                        "co_silenced",
                        "end_of_life",
                        "battery_low",
                        "hardware_failure",
                        "offline",
                    )
                },
                "variables": {
                    var.value: value for var, value in record.variables.items()
                },
                "listening": record.listening,
                "dead": record.dead,
                "wake_up_interval": record.wake_up_interval,
                "last_check_in": record.last_check_in.isoformat()
                if record.last_check_in
                else None,
            }
        )
    adapter = coordinator.adapter
    return async_redact_data(
        {
            "options": dict(entry.options),
            "synced": model.synced,
            "holding": model.holding,
            "household": {
                "state": household.state.value,
                "since": household.since.isoformat() if household.since else None,
                "involved": list(household.involved),
            },
            "adapter": adapter.diagnostics() if adapter else None,
            "detectors": detectors,
        },
        TO_REDACT,
    ) | {"response": response_diagnostics(hass, entry.entry_id)}
