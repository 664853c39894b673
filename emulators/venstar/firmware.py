"""Firmware defects of real units, reproduced from the root the device currently reports.

A test switches firmware by changing the identity (`emu.identity` or an identity fault), as
a firmware update would:

* T2xxx/T3xxx firmware below 5.28 reports every temperature in °C whatever ``tempunits``
  says, and reads setpoints written to it in °C as well (fixed in 5.28);
* T2000 firmware 5.28 exchanges ``fan`` and ``fanstate``.
"""

from __future__ import annotations

from collections.abc import Mapping
import re
from typing import Any

_T2_T3_MODEL = re.compile(r"^(?:T|VYG-)[23]\d{3}", re.IGNORECASE)
UNIT_FIX_FIRMWARE = (5, 28)


def _firmware(root: Mapping[str, Any]) -> tuple[int, ...] | None:
    text = root.get("firmware")
    if not isinstance(text, str):
        return None
    try:
        return tuple(int(part) for part in text.split("."))
    except ValueError:
        return None


def api_celsius(root: Mapping[str, Any]) -> bool:
    """Whether this firmware reports (and reads) temperatures in °C regardless of units."""
    firmware = _firmware(root)
    return (
        bool(_T2_T3_MODEL.match(str(root.get("model", ""))))
        and firmware is not None
        and len(firmware) == 2
        and firmware < UNIT_FIX_FIRMWARE
    )


def fan_swapped(root: Mapping[str, Any]) -> bool:
    """Whether this firmware exchanges ``fan`` and ``fanstate``."""
    return str(root.get("model", "")).upper() == "T2000" and _firmware(root) == (5, 28)
