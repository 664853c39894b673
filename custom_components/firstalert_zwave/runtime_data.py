"""The parts a loaded entry holds: household alarm, zwave_js adapter, alarm response."""

from __future__ import annotations

from dataclasses import dataclass

from homeassistant.config_entries import ConfigEntry

from .adapter import ZwaveAdapter
from .household_alarm import HouseholdAlarm
from .response.controller import ResponseController


@dataclass(kw_only=True, slots=True)
class FirstAlertRuntimeData:
    """The parts of a loaded entry (platforms and diagnostics read them from here)."""

    household: HouseholdAlarm
    adapter: ZwaveAdapter
    response: ResponseController


type FirstAlertConfigEntry = ConfigEntry[FirstAlertRuntimeData]
