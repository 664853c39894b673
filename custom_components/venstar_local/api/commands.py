"""Check a command against the thermostat's rules and turn it into form posts.

Pure functions over the latest `ThermostatInfo`: nothing here does I/O. A command the device
would refuse, or one that could only be half-applied, is refused here with a
`VenstarCommandRejectedError` before anything is sent. Policy:

* Setpoints are rounded to the device step (1 °F, 0.5 °C) and sent without long decimals.
* A setpoint outside the device's min/max is **rejected** (not clamped): silently moving a
  target is worse than telling the user the allowed range.
* In Auto, heat <= cool - setpointdelta. When only one setpoint is given, the other is pushed
  away by the delta (as the thermostat's own UI does); when both are given and too close, or
  the pushed setpoint would leave its range, the command is rejected.
* A mode change always carries both setpoints, must be allowed by ``availablemodes``, and
  stops a running schedule first (``schedule=0``); if the mode change then fails, the schedule
  is switched back on. While away the schedule cannot be touched, so such a mode change is
  rejected. Asking for the mode the thermostat is already in sends only the setpoints.
* No schedule change while away; away exists only on residential units; humidity setpoints
  only where the device reports them (humidify 0-60 %, dehumidify 25-99 %, dehumidify at least
  3 % above humidify).
* A value a command needs but the device last reported unreadable (a setpoint it must send
  back, a limit to check against) refuses the command (``value_unknown``): nothing is sent
  on a guess. A schedule whose state is unknown is stopped before a mode change, and not
  switched back on if the change fails.
* The emergency shutoff (`plan_emergency_shutoff`) is one ``/control`` post with mode off, the
  current setpoints and the fan; a running schedule is stopped first, after leaving away when
  the thermostat is away (the only way the device accepts the mode change then). It has no
  undo: every step brings the device closer to off. It is never refused for an unreadable
  value: an unreadable setpoint is sent as the least active one (heat at its minimum, cool
  at its maximum), and a schedule or away whose state is unreadable is handled as running.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
import math

from .enums import FanMode, HvacMode, TemperatureUnit
from .errors import VenstarCommandRejectedError
from .models import ThermostatInfo

CONTROL = "/control"
SETTINGS = "/settings"
HUMIDIFY_RANGE = (0, 60)
DEHUMIDIFY_RANGE = (25, 99)
HUMIDITY_SEPARATION = 3

type Form = tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class Write:
    """One form post: the path and its parameters, in the order they are sent."""

    path: str
    form: Form


@dataclass(frozen=True, slots=True)
class Step:
    """A write and the write that undoes it if a later step of the same command fails."""

    write: Write
    undo: Write | None = None


def known[T](value: T | None, what: str) -> T:
    """`value`, or a refusal when the device's last report of it was unreadable."""
    if value is None:
        raise VenstarCommandRejectedError(
            "value_unknown",
            f"The thermostat's {what} could not be read; nothing was sent",
            {"field": what},
        )
    return value


def _decimal(value: float, what: str) -> Decimal:
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not math.isfinite(value)
    ):
        raise VenstarCommandRejectedError(
            "invalid_value", f"{what} must be a finite number", {"setpoint": what}
        )
    return Decimal(repr(float(value)))


def round_setpoint(
    value: float, unit: TemperatureUnit, rounding: str = ROUND_HALF_UP
) -> float:
    """Round a temperature to the device step (whole °F, half °C)."""
    step = Decimal(repr(unit.step))
    return float(
        (_decimal(value, "temperature") / step).quantize(Decimal(1), rounding) * step
    )


def format_setpoint(value: float, unit: TemperatureUnit) -> str:
    """Render a setpoint the way the device parses it: ``72`` or ``21.5``."""
    rounded = Decimal(repr(round_setpoint(value, unit)))
    if unit is TemperatureUnit.FAHRENHEIT:
        return str(int(rounded))
    return f"{rounded:.1f}"


def _fmt(value: float) -> str:
    return f"{value:g}"


def _check_range(
    info: ThermostatInfo,
    which: str,
    value: float,
    low: float | None,
    high: float | None,
) -> None:
    low = known(low, f"{which} setpoint limits")
    high = known(high, f"{which} setpoint limits")
    if low <= value <= high:
        return
    unit = info.temperature_unit.symbol
    raise VenstarCommandRejectedError(
        "setpoint_out_of_range",
        f"{which.capitalize()} setpoint {_fmt(value)}{unit} is outside the thermostat's "
        f"range {_fmt(low)}-{_fmt(high)}{unit}",
        {
            "setpoint": which,
            "value": _fmt(value),
            "min": _fmt(low),
            "max": _fmt(high),
            "unit": unit,
        },
    )


def resolve_setpoints(
    info: ThermostatInfo, mode: HvacMode | None, heat: float | None, cool: float | None
) -> tuple[float, float]:
    """Return the (heat, cool) pair to send for `mode`, following the policy above."""
    unit = info.temperature_unit
    if heat is not None:
        heat = round_setpoint(heat, unit)
        _check_range(info, "heat", heat, info.heat_setpoint_min, info.heat_setpoint_max)
    if cool is not None:
        cool = round_setpoint(cool, unit)
        _check_range(info, "cool", cool, info.cool_setpoint_min, info.cool_setpoint_max)
    new_heat = known(info.heat_setpoint, "heat setpoint") if heat is None else heat
    new_cool = known(info.cool_setpoint, "cool setpoint") if cool is None else cool
    if mode is not HvacMode.AUTO:
        return new_heat, new_cool
    delta = known(info.setpoint_delta, "setpoint difference")
    if new_cool - new_heat >= delta:
        return new_heat, new_cool
    if heat is not None and cool is not None:
        raise VenstarCommandRejectedError(
            "setpoint_delta",
            f"In Auto the cool setpoint must be at least {_fmt(delta)}{unit.symbol} above "
            f"the heat setpoint (got heat {_fmt(heat)}, cool {_fmt(cool)})",
            {
                "heat": _fmt(heat),
                "cool": _fmt(cool),
                "delta": _fmt(delta),
                "unit": unit.symbol,
            },
        )
    pushed_cool = round_setpoint(new_heat + delta, unit, ROUND_CEILING)
    if cool is None and pushed_cool <= known(
        info.cool_setpoint_max, "cool setpoint limits"
    ):
        return new_heat, pushed_cool
    pushed_heat = round_setpoint(new_cool - delta, unit, ROUND_FLOOR)
    if heat is None and pushed_heat >= known(
        info.heat_setpoint_min, "heat setpoint limits"
    ):
        return pushed_heat, new_cool
    raise VenstarCommandRejectedError(
        "setpoint_delta",
        f"In Auto the setpoints must be {_fmt(delta)}{unit.symbol} apart, and the other "
        "setpoint cannot move that far within its range",
        {
            "heat": _fmt(new_heat),
            "cool": _fmt(new_cool),
            "delta": _fmt(delta),
            "unit": unit.symbol,
        },
    )


def _setpoint_form(info: ThermostatInfo, heat: float, cool: float) -> Form:
    unit = info.temperature_unit
    return (
        ("heattemp", format_setpoint(heat, unit)),
        ("cooltemp", format_setpoint(cool, unit)),
    )


def plan_hvac_mode(
    info: ThermostatInfo, mode: HvacMode, heat: float | None, cool: float | None
) -> tuple[Step, ...]:
    """Plan a mode change (with both setpoints; schedule stopped first when it runs)."""
    try:
        mode = HvacMode(mode)
    except ValueError:
        raise VenstarCommandRejectedError(
            "invalid_value", f"Unknown mode {mode!r}", {"setpoint": "mode"}
        ) from None
    if mode not in info.hvac_modes:
        raise VenstarCommandRejectedError(
            "mode_not_available",
            f"Mode {mode.name.lower()} is not available on this thermostat",
            {"mode": mode.name.lower()},
        )
    new_heat, new_cool = resolve_setpoints(info, mode, heat, cool)
    setpoints = _setpoint_form(info, new_heat, new_cool)
    if mode is info.mode:
        # No mode parameter unless the mode changes: a running schedule refuses ``mode``.
        return (Step(Write(CONTROL, setpoints)),)
    control = Write(CONTROL, (("mode", str(int(mode))), *setpoints))
    if info.schedule_enabled is False:
        return (Step(control),)
    if info.away:
        raise VenstarCommandRejectedError(
            "mode_change_schedule_away",
            "The mode cannot change while the schedule runs, and the schedule cannot be "
            "stopped while away",
            {"mode": mode.name.lower()},
        )
    # Running (or unknown: stopping a stopped schedule is harmless, restarting it is not).
    return (
        Step(
            Write(SETTINGS, (("schedule", "0"),)),
            undo=Write(SETTINGS, (("schedule", "1"),))
            if info.schedule_enabled
            else None,
        ),
        Step(control),
    )


def is_shut_off(info: ThermostatInfo, fan: FanMode | None) -> bool:
    """Whether `info` shows the result of an emergency shutoff (mode off, the fan asked for)."""
    return info.mode is HvacMode.OFF and (fan is None or info.fan is fan)


def _least_active(value: float | None, limit: float | None, fallback: float) -> float:
    """Pick a shutoff setpoint: the device's own, else its limit, else a default."""
    if value is not None:
        return value
    return fallback if limit is None else limit


def plan_emergency_shutoff(
    info: ThermostatInfo, fan: FanMode | None
) -> tuple[Step, ...]:
    """Plan mode off (and `fan`) in as few posts as the device accepts."""
    low, high = (35.0, 99.0) if info.temperature_unit.step == 1.0 else (2.0, 37.0)
    heat = _least_active(info.heat_setpoint, info.heat_setpoint_min, low)
    cool = _least_active(info.cool_setpoint, info.cool_setpoint_max, high)
    control: Form = (
        ("mode", str(int(HvacMode.OFF))),
        *_setpoint_form(info, heat, cool),
    )
    if fan is not None:
        control = (*control, ("fan", str(int(fan))))
    steps: list[Step] = []
    if info.mode is not HvacMode.OFF and info.schedule_enabled is not False:
        if info.away or (info.away is None and "away" in info.invalid):
            steps.append(Step(Write(SETTINGS, (("away", "0"),))))
        steps.append(Step(Write(SETTINGS, (("schedule", "0"),))))
    steps.append(Step(Write(CONTROL, control)))
    return tuple(steps)


def plan_setpoints(
    info: ThermostatInfo, heat: float | None, cool: float | None
) -> tuple[Step, ...]:
    """Plan a setpoint change in the current mode (always both setpoints)."""
    if heat is None and cool is None:
        raise VenstarCommandRejectedError(
            "nothing_to_change", "Give a heat or a cool setpoint", {}
        )
    new_heat, new_cool = resolve_setpoints(info, info.mode, heat, cool)
    return (Step(Write(CONTROL, _setpoint_form(info, new_heat, new_cool))),)


def plan_fan(info: ThermostatInfo, fan: FanMode) -> tuple[Step, ...]:
    """Plan a fan setting change (the only control parameter that may be sent alone)."""
    del info  # every thermostat has a fan setting
    try:
        fan = FanMode(fan)
    except ValueError:
        raise VenstarCommandRejectedError(
            "invalid_value", f"Unknown fan mode {fan!r}", {"setpoint": "fan"}
        ) from None
    return (Step(Write(CONTROL, (("fan", str(int(fan))),))),)


def plan_away(info: ThermostatInfo, away: bool) -> tuple[Step, ...]:
    """Plan entering or leaving away (residential units only)."""
    if info.away is None:
        raise VenstarCommandRejectedError(
            "not_supported", "This thermostat has no away mode", {"feature": "away"}
        )
    return (Step(Write(SETTINGS, (("away", "1" if away else "0"),))),)


def plan_schedule(info: ThermostatInfo, enabled: bool) -> tuple[Step, ...]:
    """Plan switching the schedule on or off (refused while away, as the device does)."""
    if info.away:
        raise VenstarCommandRejectedError(
            "schedule_while_away",
            "The schedule cannot be changed while the thermostat is away",
            {},
        )
    return (Step(Write(SETTINGS, (("schedule", "1" if enabled else "0"),))),)


def _humidity(value: float, which: str, limits: tuple[int, int]) -> int:
    rounded = int(_decimal(value, which).quantize(Decimal(1), ROUND_HALF_UP))
    low, high = limits
    if not low <= rounded <= high:
        raise VenstarCommandRejectedError(
            "humidity_out_of_range",
            f"{which.capitalize()} setpoint {rounded}% is outside {low}-{high}%",
            {
                "setpoint": which,
                "value": str(rounded),
                "min": str(low),
                "max": str(high),
            },
        )
    return rounded


def plan_humidity_setpoints(
    info: ThermostatInfo, humidify: float | None, dehumidify: float | None
) -> tuple[Step, ...]:
    """Plan humidify/dehumidify setpoints (sent together, humidify first)."""
    if not info.supports_humidity_setpoints:
        raise VenstarCommandRejectedError(
            "not_supported",
            "This thermostat has no humidity setpoints",
            {"feature": "humidity"},
        )
    if humidify is None and dehumidify is None:
        raise VenstarCommandRejectedError(
            "nothing_to_change", "Give a humidify or a dehumidify setpoint", {}
        )
    new_hum = (
        info.humidify_setpoint
        if humidify is None
        else _humidity(humidify, "humidify", HUMIDIFY_RANGE)
    )
    new_dehum = (
        info.dehumidify_setpoint
        if dehumidify is None
        else _humidity(dehumidify, "dehumidify", DEHUMIDIFY_RANGE)
    )
    new_hum = HUMIDIFY_RANGE[0] if new_hum is None else new_hum
    new_dehum = DEHUMIDIFY_RANGE[1] if new_dehum is None else new_dehum
    if new_dehum - new_hum < HUMIDITY_SEPARATION:
        raise VenstarCommandRejectedError(
            "humidity_separation",
            f"The dehumidify setpoint must be at least {HUMIDITY_SEPARATION}% above the "
            f"humidify setpoint (got {new_hum}% and {new_dehum}%)",
            {
                "humidify": str(new_hum),
                "dehumidify": str(new_dehum),
                "separation": str(HUMIDITY_SEPARATION),
            },
        )
    return (
        Step(
            Write(
                SETTINGS,
                (("hum_setpoint", str(new_hum)), ("dehum_setpoint", str(new_dehum))),
            )
        ),
    )
