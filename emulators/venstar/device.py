"""The emulated thermostat: state, sensors, alerts, runtimes and a deterministic thermal model.

Time only moves through `advance_to` (virtual epoch seconds), so tests control it exactly. The
thermal model is deliberately simple and documented in the README: while heating or cooling the
space temperature moves toward the active setpoint at a fixed rate (degrees per hour); when idle
it drifts toward the outdoor temperature at a slower fixed rate.
"""

from __future__ import annotations

import copy
import math
from typing import Any

from .profiles import Profile
from .state import TEMPERATURE_KEYS, Alert, DeviceState, RuntimeDay, Sensor
from .units import CELSIUS, FAHRENHEIT, convert, convert_delta, round_to_display

DAY = 86400
RUNTIME_DAYS = 7
SIMULATION_STEP = 30.0  # seconds of virtual time per model step

IDLE, HEATING, COOLING, LOCKOUT, ERROR = 0, 1, 2, 3, 4
MODE_OFF, MODE_HEAT, MODE_COOL, MODE_AUTO = 0, 1, 2, 3

# Default model parameters, in °F (converted when the device shows °C).
HEAT_RATE_F = 4.0  # degrees per hour while heating
COOL_RATE_F = 3.0  # degrees per hour while cooling
DRIFT_RATE_F = 1.0  # degrees per hour toward the outdoor temperature while idle
OUTDOOR_TEMP_F = 50.0
HYSTERESIS_F = 1.0  # a call starts this far past the setpoint and ends at the setpoint
STAGE2_GAP_F = (
    3.0  # second stage runs while the space is more than this far from the setpoint
)
OVERRIDE_MINUTES = 60  # commercial override length
# Setpoints a residential unit holds while away (its "away settings"), in °F. The factory values
# of a real unit were not found in public sources; these are the common energy-saving ones.
AWAY_HEAT_F = 62.0
AWAY_COOL_F = 85.0
_EPSILON = 1e-6  # float slack of many small model steps

# Schedule periods by hour of day (device time = UTC): (first hour, schedulepart).
_SCHEDULE_PERIODS = ((0, 3), (6, 0), (8, 1), (18, 2), (22, 3))


def midnight_before(epoch: float) -> int:
    """Start of the (UTC) day containing `epoch`."""
    return int(epoch // DAY) * DAY


def schedule_part_at(epoch: float) -> int:
    """Schedule period (0 morning, 1 day, 2 evening, 3 night) at a time of day."""
    hour = int(epoch % DAY) // 3600
    part = 3
    for first_hour, period in _SCHEDULE_PERIODS:
        if hour >= first_hour:
            part = period
    return part


class Device:
    """One thermostat with its mutable state and the model that moves it through time."""

    def __init__(
        self, profile: Profile, *, now: float, name: str | None = None
    ) -> None:
        """Start from the profile's captured state at virtual time `now`."""
        self.profile = profile
        self.state: DeviceState = copy.deepcopy(profile.initial_state)
        if name is not None:
            self.state.name = name
        self.sensors: list[Sensor] = [copy.copy(sensor) for sensor in profile.sensors]
        self._sync_room_sensors()
        self.alerts: list[Alert] = [copy.copy(alert) for alert in profile.alerts]
        self.runtimes: list[RuntimeDay] = _initial_runtimes(profile, now)
        self.now = now
        self.heat_rate = HEAT_RATE_F
        self.cool_rate = COOL_RATE_F
        self.drift_rate = DRIFT_RATE_F
        self.outdoor_temp = OUTDOOR_TEMP_F
        self.hysteresis = HYSTERESIS_F
        self.stage2_gap = STAGE2_GAP_F
        self._true_temp = float(self.state.spacetemp)
        self._shown_temp = float(self.state.spacetemp)
        self._override_seconds = 0.0
        # The away settings, and the setpoints in force before away (restored on leaving it).
        self.away_heat = AWAY_HEAT_F
        self.away_cool = AWAY_COOL_F
        self._home_setpoints: tuple[float, float] | None = None

    # ----- units -------------------------------------------------------------------------
    def set_units(self, tempunits: int) -> None:
        """Switch display units, converting every temperature, limit and model rate."""
        old = self.state.tempunits
        if tempunits == old:
            return
        self._sync_edited_temperature()
        for key in TEMPERATURE_KEYS:
            value = float(getattr(self.state, key))
            if key == "setpointdelta":
                converted = round_to_display(
                    convert_delta(value, old, tempunits), tempunits
                )
            else:
                converted = round_to_display(convert(value, old, tempunits), tempunits)
            setattr(self.state, key, converted)
        for sensor in self.sensors:
            sensor.temp = round_to_display(
                convert(sensor.temp, old, tempunits), tempunits
            )
        self._true_temp = convert(self._true_temp, old, tempunits)
        self.outdoor_temp = convert(self.outdoor_temp, old, tempunits)
        self.heat_rate = convert_delta(self.heat_rate, old, tempunits)
        self.cool_rate = convert_delta(self.cool_rate, old, tempunits)
        self.drift_rate = convert_delta(self.drift_rate, old, tempunits)
        self.hysteresis = convert_delta(self.hysteresis, old, tempunits)
        self.stage2_gap = convert_delta(self.stage2_gap, old, tempunits)
        self.away_heat = round_to_display(
            convert(self.away_heat, old, tempunits), tempunits
        )
        self.away_cool = round_to_display(
            convert(self.away_cool, old, tempunits), tempunits
        )
        if self._home_setpoints is not None:
            heat, cool = self._home_setpoints
            self._home_setpoints = (
                round_to_display(convert(heat, old, tempunits), tempunits),
                round_to_display(convert(cool, old, tempunits), tempunits),
            )
        self.state.tempunits = tempunits
        self.state.spacetemp = round_to_display(self._true_temp, tempunits)
        self._shown_temp = float(self.state.spacetemp)
        self._sync_room_sensors()

    # ----- sensors and alerts ------------------------------------------------------------
    def add_remote_sensor(
        self,
        id: int,  # noqa: A002 - the API calls the field `id`
        name: str,
        temp: float,
        battery: int = 100,
        type: str = "Remote",  # noqa: A002 - the API calls the field `type`
    ) -> Sensor:
        """Add a wireless sensor (ids 0-19, as on the device); one of the same name is replaced."""
        if not 0 <= id <= 19:
            raise ValueError("remote sensor ids are 0-19")
        if type not in ("Outdoor", "Return", "Remote", "Supply"):
            raise ValueError("type is one of Outdoor, Return, Remote, Supply")
        self.remove_sensor(name)
        sensor = Sensor(name=name, temp=temp, id=id, battery=battery, type=type)
        self.sensors.append(sensor)
        return sensor

    def remove_sensor(self, name: str) -> bool:
        """Remove a sensor by name; True when one was removed."""
        before = len(self.sensors)
        self.sensors[:] = [s for s in self.sensors if s.name != name]
        return len(self.sensors) != before

    def set_alert(self, name: str, active: bool) -> Alert:
        """Raise or clear an alert (a new name adds an alert)."""
        for alert in self.alerts:
            if alert.name == name:
                alert.active = active
                return alert
        alert = Alert(name=name, active=active)
        self.alerts.append(alert)
        return alert

    # ----- away --------------------------------------------------------------------------
    def set_away(self, away: int) -> None:
        """Enter or leave away as a residential unit does.

        Entering away puts the away settings in force: `heattemp`/`cooltemp` then report them
        (kept within the limits). Leaving away restores the setpoints from before, so a
        setpoint written while away only lasts until home.
        """
        state = self.state
        if away == state.away:
            return
        if away:
            self._home_setpoints = (float(state.heattemp), float(state.cooltemp))
            state.heattemp = min(
                max(self.away_heat, state.heattempmin), state.heattempmax
            )
            state.cooltemp = min(
                max(self.away_cool, state.cooltempmin), state.cooltempmax
            )
        elif self._home_setpoints is not None:
            state.heattemp, state.cooltemp = self._home_setpoints
            self._home_setpoints = None
        state.away = away

    # ----- time --------------------------------------------------------------------------
    def advance_to(self, epoch: float) -> None:
        """Run the model until virtual time `epoch` (never backwards)."""
        # Beyond the runtime window nothing older than a week is visible, and the model has
        # long settled: skip ahead so a jump of months costs no more than a week of steps.
        horizon = float(midnight_before(epoch - (RUNTIME_DAYS + 1) * DAY))
        if self.now < horizon:
            self.now = horizon
            self.runtimes[:] = [RuntimeDay(ts=int(horizon))]
        while self.now < epoch:
            next_midnight = midnight_before(self.now) + DAY
            step = min(SIMULATION_STEP, epoch - self.now, next_midnight - self.now)
            self._step(step)
            self.now += step
            if self.now >= next_midnight:
                self._roll_over(next_midnight)
        self.runtimes[-1].ts = int(self.now)
        self.refresh()

    def refresh(self) -> None:
        """Recompute the operating state after a write (no time passes)."""
        self._sync_edited_temperature()
        self._decide()

    def set_override(self, on: bool) -> None:
        """Commercial override: occupied for OVERRIDE_MINUTES, counted down by the model."""
        self.state.override = 1 if on else 0
        self.state.overridetime = OVERRIDE_MINUTES if on else 0
        self._override_seconds = 0.0

    # ----- model -------------------------------------------------------------------------
    def _sync_edited_temperature(self) -> None:
        # A test (or the control endpoint) may set spacetemp directly; the model follows it.
        if float(self.state.spacetemp) != self._shown_temp:
            self._true_temp = float(self.state.spacetemp)
            self._shown_temp = float(self.state.spacetemp)
        self._sync_room_sensors()

    def _sync_room_sensors(self) -> None:
        """Give the built-in room sensors what info reports as the space temperature."""
        for sensor in self.sensors:
            if sensor.measures_room:
                sensor.temp = float(self.state.spacetemp)

    def _decide(self) -> None:
        state = self.state
        temp = self._true_temp
        # Lockout and error are set from outside (tests, control endpoint) and hold the
        # equipment off until cleared by setting state back to 0.
        held = state.state in (LOCKOUT, ERROR)
        heating_allowed = state.mode in (MODE_HEAT, MODE_AUTO) and not held
        cooling_allowed = state.mode in (MODE_COOL, MODE_AUTO) and not held
        if (
            state.state == HEATING
            and heating_allowed
            and temp < state.heattemp - _EPSILON
        ):
            new_state = HEATING
        elif (
            state.state == COOLING
            and cooling_allowed
            and temp > state.cooltemp + _EPSILON
        ):
            new_state = COOLING
        elif heating_allowed and temp <= state.heattemp - self.hysteresis + _EPSILON:
            new_state = HEATING
        elif cooling_allowed and temp >= state.cooltemp + self.hysteresis - _EPSILON:
            new_state = COOLING
        else:
            new_state = state.state if held else IDLE
        state.state = new_state
        if new_state == HEATING:
            gap = state.heattemp - temp
            state.activestage = 2 if gap > self.stage2_gap else 1
        elif new_state == COOLING:
            gap = temp - state.cooltemp
            state.activestage = 2 if gap > self.stage2_gap else 1
        else:
            state.activestage = 0
        running = new_state in (HEATING, COOLING)
        state.fanstate = 1 if state.fan == 1 or running else 0
        schedule_active = state.schedule == 1 and not self._schedule_suspended()
        state.schedulepart = schedule_part_at(self.now) if schedule_active else 255

    def _schedule_suspended(self) -> bool:
        if self.profile.commercial:
            return self.state.holiday == 1 or self.state.override == 1
        return self.state.away == 1

    def _step(self, seconds: float) -> None:
        self._sync_edited_temperature()
        self._decide()
        state = self.state
        hours = seconds / 3600.0
        temp = self._true_temp
        if state.state == HEATING:
            temp = min(float(state.heattemp), temp + self.heat_rate * hours)
        elif state.state == COOLING:
            temp = max(float(state.cooltemp), temp - self.cool_rate * hours)
        elif temp < self.outdoor_temp:
            temp = min(self.outdoor_temp, temp + self.drift_rate * hours)
        else:
            temp = max(self.outdoor_temp, temp - self.drift_rate * hours)
        self._accumulate(seconds)
        self._count_down_override(seconds)
        self._set_true_temp(temp)

    def _accumulate(self, seconds: float) -> None:
        state = self.state
        if state.state == IDLE:
            return
        prefix = "heat" if state.state == HEATING else "cool"
        today = self.runtimes[-1].seconds
        today[f"{prefix}1"] = today.get(f"{prefix}1", 0.0) + seconds
        if state.activestage == 2:
            today[f"{prefix}2"] = today.get(f"{prefix}2", 0.0) + seconds

    def _count_down_override(self, seconds: float) -> None:
        if not self.profile.commercial or self.state.override != 1:
            return
        today = self.runtimes[-1].seconds
        today["ov"] = today.get("ov", 0.0) + seconds
        self._override_seconds += seconds
        while self._override_seconds >= 60.0 and self.state.overridetime > 0:
            self._override_seconds -= 60.0
            self.state.overridetime -= 1
        if self.state.overridetime <= 0:
            self.state.override = 0
            self.state.overridetime = 0
            self._override_seconds = 0.0

    def _set_true_temp(self, temp: float) -> None:
        shown = round_to_display(temp, self.state.tempunits)
        self._true_temp = temp
        self.state.spacetemp = shown
        self._shown_temp = shown
        self._sync_room_sensors()

    def _roll_over(self, midnight: int) -> None:
        self.runtimes[-1].ts = midnight
        self.runtimes.append(RuntimeDay(ts=midnight, seconds={}))
        del self.runtimes[:-RUNTIME_DAYS]

    # ----- JSON bodies -------------------------------------------------------------------
    def _api_temperature(self, value: float, api_celsius: bool, delta: bool) -> float:
        """Return a display-unit temperature as the API reports it (°C on buggy firmware)."""
        if not api_celsius or self.state.tempunits == CELSIUS:
            return float(value)
        converted = (
            convert_delta(value, FAHRENHEIT, CELSIUS)
            if delta
            else convert(value, FAHRENHEIT, CELSIUS)
        )
        return round_to_display(converted, CELSIUS)

    def info_body(
        self, *, api_celsius: bool = False, fan_swapped: bool = False
    ) -> dict[str, Any]:
        """Body of `GET /query/info` in the profile's key order and number types.

        `api_celsius` and `fan_swapped` reproduce firmware defects (see `firmware`).
        """
        body: dict[str, Any] = {}
        for key in self.profile.info_keys:
            value = self.state.get(key)
            if key in TEMPERATURE_KEYS:
                number = self._api_temperature(
                    value, api_celsius, delta=key == "setpointdelta"
                )
                body[key] = (
                    math.floor(number + 0.5)
                    if key in self.profile.int_info_keys
                    else number
                )
            elif key == "name":
                body[key] = str(value)
            else:
                body[key] = int(value)
        if fan_swapped and "fan" in body and "fanstate" in body:
            body["fan"], body["fanstate"] = body["fanstate"], body["fan"]
        if self.profile.mislabelled_humidity:
            state = self.state
            body.update(
                hum=0,
                hum_setpoint=state.hum,
                dehum_setpoint=state.hum_setpoint,
                hum_active=state.dehum_setpoint,
            )
        return body

    def sensors_body(self, *, api_celsius: bool = False) -> dict[str, Any]:
        """Body of `GET /query/sensors` (remote sensors carry id, battery and type).

        The built-in room sensors report the space temperature of the info, as on a real
        unit (both are the same reading).
        """
        entries = []
        for sensor in self.sensors:
            entry: dict[str, Any] = {}
            if sensor.id is not None:
                entry["id"] = sensor.id
            entry["name"] = sensor.name
            temp = self.state.spacetemp if sensor.measures_room else sensor.temp
            number = self._api_temperature(temp, api_celsius, delta=False)
            entry["temp"] = (
                math.floor(number) if self.profile.int_sensor_temps else number
            )
            for key in ("hum", "battery", "type", "co2", "iaq"):
                if (value := getattr(sensor, key)) is not None:
                    entry[key] = value
            entries.append(entry)
        return {"sensors": entries}

    def alerts_body(self) -> dict[str, Any]:
        """Body of `GET /query/alerts`."""
        return {
            "alerts": [{"name": a.name, "active": bool(a.active)} for a in self.alerts]
        }

    def runtimes_body(self) -> dict[str, Any]:
        """Body of `GET /query/runtimes`: seven days, the last one is today so far."""
        entries = []
        for day in self.runtimes:
            entry: dict[str, Any] = {"ts": day.ts}
            entry.update({key: day.minutes(key) for key in self.profile.runtime_keys})
            entries.append(entry)
        return {"runtimes": entries}


def _initial_runtimes(profile: Profile, now: float) -> list[RuntimeDay]:
    """Return the captured runtime minutes, re-dated so the last entry is `now`."""
    captured = profile.initial_runtimes()
    today = midnight_before(now)
    for index, day in enumerate(captured[:-1]):
        day.ts = today - (RUNTIME_DAYS - 2 - index) * DAY
    captured[-1].ts = int(now)
    return captured
