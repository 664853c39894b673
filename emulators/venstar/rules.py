"""Write rules of `POST /control` and `POST /settings`, as the real firmware applies them.

Each function validates the whole form first and changes the device only when every check
passes, so a refused write never leaves a half-applied state.
"""

from __future__ import annotations

from collections.abc import Mapping
import re
from typing import Any

from . import errors
from .device import MODE_AUTO, MODE_COOL, MODE_HEAT, MODE_OFF, Device
from .units import round_to_display

SUCCESS: dict[str, Any] = {"success": True}

_NUMBER = re.compile(r"^-?\d+(?:\.(\d+))?$")
_ALLOWED_MODES = {
    0: {MODE_OFF, MODE_HEAT, MODE_COOL, MODE_AUTO},
    1: {MODE_OFF, MODE_HEAT, MODE_COOL},
    2: {MODE_OFF, MODE_HEAT},
    3: {MODE_OFF, MODE_COOL},
}
_HUMIDITY_SEPARATION = 3
_EPSILON = 1e-9


class RuleError(Exception):
    """A write the device refuses; `reason` is what it answers."""

    def __init__(self, reason: str) -> None:
        """Keep the reason for the JSON answer."""
        super().__init__(reason)
        self.reason = reason


def failure(reason: str) -> dict[str, Any]:
    """JSON body of a refused write (sent with HTTP 200, like the device)."""
    return {"error": True, "reason": reason}


def _choice(form: Mapping[str, str], key: str, allowed: range) -> int | None:
    if key not in form:
        return None
    raw = form[key].strip()
    if not raw.isdigit() or int(raw) not in allowed:
        raise RuleError(errors.invalid_value(key))
    return int(raw)


def _setpoint(raw: str, key: str) -> float:
    match = _NUMBER.match(raw.strip())
    if match is None:
        raise RuleError(errors.invalid_value(key))
    decimals = match.group(1)
    if decimals is not None and len(decimals) > 2:
        # A T8900 answers this for over-precise floats (hpeyerl PR #49).
        raise RuleError(errors.BOTH_SETPOINTS_REQUIRED)
    return float(raw)


def _reject_unknown(form: Mapping[str, str], known: set[str]) -> None:
    for key in form:
        if key not in known:
            raise RuleError(errors.unknown_parameter(key))


def apply_control(device: Device, form: Mapping[str, str]) -> dict[str, Any]:
    """Handle a `POST /control` form: mode, fan, heattemp, cooltemp (pin already checked)."""
    try:
        _control(device, form)
    except RuleError as err:
        return failure(err.reason)
    return SUCCESS


def _control(device: Device, form: Mapping[str, str]) -> None:
    state = device.state
    _reject_unknown(form, {"mode", "fan", "heattemp", "cooltemp", "pin"})
    mode = _choice(form, "mode", range(4))
    fan = _choice(form, "fan", range(2))
    has_heat, has_cool = "heattemp" in form, "cooltemp" in form
    if mode is None and fan is None and not has_heat and not has_cool:
        raise RuleError(errors.NOTHING_TO_CHANGE)
    if (mode is not None or has_heat or has_cool) and not (has_heat and has_cool):
        raise RuleError(errors.BOTH_SETPOINTS_REQUIRED)
    heat = cool = None
    if has_heat and has_cool:
        units = state.tempunits
        heat = round_to_display(_setpoint(form["heattemp"], "heattemp"), units)
        cool = round_to_display(_setpoint(form["cooltemp"], "cooltemp"), units)
    if mode is not None:
        if mode not in _ALLOWED_MODES.get(state.availablemodes, _ALLOWED_MODES[0]):
            raise RuleError(errors.MODE_NOT_AVAILABLE)
        if mode != state.mode and state.schedule == 1:
            raise RuleError(errors.MODE_CHANGE_WHILE_SCHEDULE)
    if heat is not None and cool is not None:
        if heat < state.heattempmin - _EPSILON or cool < state.cooltempmin - _EPSILON:
            raise RuleError(errors.BELOW_MIN)
        if heat > state.heattempmax + _EPSILON or cool > state.cooltempmax + _EPSILON:
            raise RuleError(errors.WRONG_SETPOINTS)
        new_mode = state.mode if mode is None else mode
        if new_mode == MODE_AUTO and cool - heat < state.setpointdelta - _EPSILON:
            raise RuleError(errors.WRONG_SETPOINTS)
        state.heattemp = heat
        state.cooltemp = cool
    if mode is not None:
        state.mode = mode
    if fan is not None:
        state.fan = fan
    device.refresh()


def apply_settings(device: Device, form: Mapping[str, str]) -> dict[str, Any]:
    """Handle a `POST /settings` form: units, away/commercial flags, schedule, humidity."""
    try:
        _settings(device, form)
    except RuleError as err:
        return failure(err.reason)
    return SUCCESS


def _settings(device: Device, form: Mapping[str, str]) -> None:
    profile = device.profile
    state = device.state
    known = {"tempunits", "schedule", "pin"}
    known |= {"holiday", "override", "forceunocc"} if profile.commercial else {"away"}
    if profile.humidity:
        known |= {"hum_setpoint", "dehum_setpoint"}
    _reject_unknown(form, known)
    if not any(key != "pin" for key in form):
        raise RuleError(errors.NOTHING_TO_CHANGE)
    values = {
        key: _choice(form, key, range(2))
        for key in (
            "tempunits",
            "schedule",
            "away",
            "holiday",
            "override",
            "forceunocc",
        )
    }
    hum = _choice(form, "hum_setpoint", range(61))
    dehum = _choice(form, "dehum_setpoint", range(25, 100))
    if values["schedule"] is not None and (state.away == 1 or values["away"] == 1):
        raise RuleError(errors.SCHEDULE_WHILE_AWAY)
    if hum is not None or dehum is not None:
        new_hum = state.hum_setpoint if hum is None else hum
        new_dehum = state.dehum_setpoint if dehum is None else dehum
        if new_dehum - new_hum < _HUMIDITY_SEPARATION:
            raise RuleError(errors.HUMIDITY_SEPARATION)
        state.hum_setpoint = new_hum
        state.dehum_setpoint = new_dehum
    if values["tempunits"] is not None:
        device.set_units(values["tempunits"])
    for key in ("schedule", "holiday", "forceunocc"):
        value = values[key]
        if value is not None:
            setattr(state, key, value)
    if values["away"] is not None:
        device.set_away(values["away"])
    if values["override"] is not None:
        device.set_override(values["override"] == 1)
    device.refresh()
