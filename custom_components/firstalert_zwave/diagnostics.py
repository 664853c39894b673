"""Diagnostics: the model's view of every detector and the household, redacted.

Besides states and flags, each detector shows the values behind them, the raw text of every
value that could not be read (kept at its last known value), and the alarms kept although
Z-Wave JS shows them clear, with the reason.
"""

from __future__ import annotations

from typing import Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.core import HomeAssistant

from .model import DetectorView
from .response.diagnostics import response_diagnostics
from .runtime_data import FirstAlertConfigEntry

TO_REDACT = {"name", "area", "device_id", "key", "involved"}
FLAGS = (
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
    "smoke_kept",
    "co_kept",
    "unknown",
)


def _flags(view: DetectorView) -> dict[str, bool]:
    return {flag: getattr(view, flag) for flag in FLAGS}


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: FirstAlertConfigEntry
) -> dict[str, Any]:
    """Return the alarm model state; names, areas and home ids are redacted."""
    runtime = entry.runtime_data
    model = runtime.household.model
    household = model.household()
    detectors = []
    for key in model.keys:
        record = model.record(key)
        identity = record.identity
        view = record.view()
        known = identity.product
        detectors.append(
            {
                "key": key,
                "name": identity.name,
                "area": identity.area,
                "device_id": identity.device_id,
                "node_id": identity.node_id,
                "product": f"{identity.manufacturer_id}:{identity.product_type}:{identity.product_id}",
                "model": known.model if known else None,
                "legacy_frames": record.legacy,
                "firmware": identity.firmware,
                "live": record.live,
                "state": view.state.value if view.state else None,
                "flags": _flags(view),
                "values": {
                    variable.value: value
                    for variable, value in sorted(record.known.items())
                },
                "unreadable": {
                    variable.value: raw
                    for variable, raw in sorted(record.unreadable.items())
                },
                "kept": {
                    kind.value: reason.value
                    for kind, reason in sorted(record.kept.items())
                },
                "tests": {
                    variable.value: {
                        "since": since.isoformat(),
                        "expired": variable in record.expired_tests,
                    }
                    for variable, since in sorted(record.test_since.items())
                },
                "listening": record.listening,
                "dead": record.dead,
                "wake_up_interval": record.wake_up_interval,
                "last_check_in": record.last_check_in.isoformat()
                if record.last_check_in
                else None,
            }
        )
    return async_redact_data(
        {
            "options": dict(entry.options),
            "synced": model.synced,
            "held": model.held,
            "household": {
                "state": household.state.value,
                "since": household.since.isoformat() if household.since else None,
                "involved": list(household.involved),
            },
            "adapter": runtime.adapter.diagnostics(),
            "detectors": detectors,
        },
        TO_REDACT,
    ) | {"response": response_diagnostics(runtime.response)}
