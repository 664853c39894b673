"""Time to reach the home setpoint, learned from the thermostat's own heating and cooling.

The presence blueprint preheats (or precools) the house before people arrive; it needs to
know how long the house takes to get back to the temperature used when someone is home.
That home setpoint is remembered from every poll while the thermostat is not away, because
while away the device only reports the eco setpoints. The recovery rates come from
`RecoveryRateLearner` and are stored (debounced) so a restart does not forget them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.storage import Store

from .api import HvacMode, OperatingState, TemperatureUnit, ThermostatInfo
from .const import DOMAIN, LEARNER_SAVE_DELAY
from .thermal_learning import Action, RecoveryRateLearner, UnitLetter

STORE_VERSION = 1  # of the stored learner and home setpoints

# Typical residential recovery rates used until the house has taught us its own, in degrees
# per hour of the thermostat's unit (a furnace ~4 °F/h, a heat pump or AC ~3 °F/h).
DEFAULT_RATES: dict[TemperatureUnit, tuple[float, float]] = {
    TemperatureUnit.FAHRENHEIT: (4.0, 3.0),
    TemperatureUnit.CELSIUS: (2.2, 1.7),
}
_UNIT_LETTERS: dict[TemperatureUnit, UnitLetter] = {
    TemperatureUnit.FAHRENHEIT: "F",
    TemperatureUnit.CELSIUS: "C",
}
_ACTIONS: dict[OperatingState, Action] = {
    OperatingState.HEATING: "heating",
    OperatingState.COOLING: "cooling",
}


class TimeToTemperature:
    """Feed the learner from polls, remember the home setpoints and persist both."""

    def __init__(self, hass: HomeAssistant, entry_id: str) -> None:
        """Prepare the store; call `async_load` before use."""
        self._store = _store(hass, entry_id)
        self._save_pending = False
        # What storage holds (or a pending write will hold): polls that teach nothing new
        # (most of them; only a finished run or new home setpoints do) write nothing.
        self._stored: dict[str, Any] | None = None
        self.learner = self._new_learner(None)
        self.home_heat: float | None = None
        self.home_cool: float | None = None

    @staticmethod
    def _new_learner(
        unit: TemperatureUnit | None, stored: Any = None
    ) -> RecoveryRateLearner:
        """Build a learner with the default rates of `unit` (°F when not known yet)."""
        heat, cool = DEFAULT_RATES[unit or TemperatureUnit.FAHRENHEIT]
        return RecoveryRateLearner.from_dict(
            stored,
            default_heat_rate=heat,
            default_cool_rate=cool,
            unit=_UNIT_LETTERS[unit] if unit else None,
        )

    async def async_load(self) -> None:
        """Restore what was learned before the last restart."""
        stored = await self._store.async_load() or {}
        self.learner = self._new_learner(None, stored.get("learner"))
        home = stored.get("home", {})
        self.home_heat = _number(home.get("heat"))
        self.home_cool = _number(home.get("cool"))
        self._stored = self._snapshot()

    def _snapshot_to_write(self) -> dict[str, Any]:
        """Return what the pending delayed write stores; later changes schedule the next one."""
        self._save_pending = False
        self._stored = self._snapshot()
        return self._stored

    def _snapshot(self) -> dict[str, Any]:
        """Return what goes into storage."""
        return {
            "learner": self.learner.to_dict(),
            "home": {"heat": self.home_heat, "cool": self.home_cool},
        }

    @callback
    def observe(self, info: ThermostatInfo, when: datetime) -> None:
        """Feed one confirmed state of the thermostat to the learner."""
        unit = _UNIT_LETTERS[info.temperature_unit]
        if self.learner.unit is None:
            self.learner = self._new_learner(info.temperature_unit)
        elif self.learner.unit != unit:
            # Remembered setpoints are in the old unit: convert them to the device's new step.
            # Forgetting them while away would leave only the away setpoints to aim for, and
            # the time to temperature would drop to zero.
            self.home_heat = _converted(self.home_heat, info.temperature_unit)
            self.home_cool = _converted(self.home_cool, info.temperature_unit)
        # An unreadable temperature or state teaches nothing (a gap, not an idle reading).
        if info.space_temperature is not None and info.state is not None:
            self.learner.observe(
                when.timestamp(),
                info.space_temperature,
                _ACTIONS.get(info.state, "idle"),
                unit=unit,
            )
        if not info.away and "away" not in info.invalid:
            if info.heat_setpoint is not None:
                self.home_heat = info.heat_setpoint
            if info.cool_setpoint is not None:
                self.home_cool = info.cool_setpoint
        # Store's delayed save waits for a quiet period, which never comes while polling: so
        # at most one write is scheduled per LEARNER_SAVE_DELAY, and only for a change.
        if not self._save_pending and self._snapshot() != self._stored:
            self._save_pending = True
            self._store.async_delay_save(self._snapshot_to_write, LEARNER_SAVE_DELAY)

    def home_target(self, info: ThermostatInfo) -> float | None:
        """Return the setpoint the house has to reach for "home", given the current mode."""
        heat = self.home_heat if self.home_heat is not None else info.heat_setpoint
        cool = self.home_cool if self.home_cool is not None else info.cool_setpoint
        current = info.space_temperature
        if heat is None or cool is None or current is None:
            return None
        if info.mode is HvacMode.HEAT:
            return heat
        if info.mode is HvacMode.COOL:
            return cool
        if info.mode is HvacMode.AUTO:
            if current < heat:
                return heat
            if current > cool:
                return cool
            return current
        return None

    def minutes_to_home(self, info: ThermostatInfo) -> float | None:
        """Estimated minutes until the home setpoint is reached (0 when already there).

        None while the thermostat is off: nothing will move the temperature then.
        """
        target = self.home_target(info)
        current = info.space_temperature
        if target is None or current is None:
            return None
        heating = info.mode is HvacMode.HEAT or (
            info.mode is HvacMode.AUTO and target > current
        )
        # Past the target in the direction the mode drives, the house is already there.
        if (heating and current >= target) or (not heating and current <= target):
            return 0.0
        return self.learner.minutes_to_reach(current, target)

    def as_dict(self) -> dict[str, Any]:
        """Learned state for diagnostics."""
        return self._snapshot()

    async def async_flush(self) -> None:
        """Write the learned state now (on unload), cancelling the pending delayed write."""
        self._save_pending = False
        self._stored = self._snapshot()
        await self._store.async_save(self._stored)


def _store(hass: HomeAssistant, entry_id: str) -> Store[dict[str, Any]]:
    """Return the store holding one thermostat's learned state."""
    return Store(hass, STORE_VERSION, f"{DOMAIN}.{entry_id}.recovery")


async def async_remove_learned(hass: HomeAssistant, entry_id: str) -> None:
    """Delete what was learned for a thermostat whose entry is removed."""
    await _store(hass, entry_id).async_remove()


def _converted(value: float | None, unit: TemperatureUnit) -> float | None:
    """Return a setpoint remembered in the other unit in `unit`, at the device's step."""
    if value is None:
        return None
    if unit is TemperatureUnit.CELSIUS:
        converted = (value - 32.0) * 5.0 / 9.0
    else:
        converted = value * 9.0 / 5.0 + 32.0
    return round(converted / unit.step) * unit.step


def _number(value: Any) -> float | None:
    """Return a stored number, or None when storage holds anything else."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return None
