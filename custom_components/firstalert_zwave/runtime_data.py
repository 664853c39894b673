"""What a loaded entry holds: the household alarm and the zwave_js adapter feeding it."""

from __future__ import annotations

from dataclasses import dataclass

from homeassistant.config_entries import ConfigEntry

from .adapter import ZwaveAdapter
from .household_alarm import HouseholdAlarm


@dataclass(kw_only=True, slots=True)
class FirstAlertRuntimeData:
    """The parts of a loaded entry (platforms and diagnostics read them from here)."""

    household: HouseholdAlarm
    adapter: ZwaveAdapter


type FirstAlertConfigEntry = ConfigEntry[FirstAlertRuntimeData]
