"""What the client lets through, the emulated firmware accepts - checked on random states.

The command planner and the emulator's write rules were written separately from the same
reference; this property test feeds random thermostat states and random commands to both.
A command is either refused by the client before sending, or every one of its writes is
accepted by the firmware rules and leaves the device where the command said.
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, Phase, event, given, settings, strategies as st

from custom_components.venstar_local.api import (
    FanMode,
    HvacMode,
    TemperatureUnit,
    VenstarCommandRejectedError,
)
from custom_components.venstar_local.api.commands import (
    SETTINGS,
    Step,
    plan_away,
    plan_fan,
    plan_humidity_setpoints,
    plan_hvac_mode,
    plan_schedule,
    plan_setpoints,
)
from custom_components.venstar_local.api.parsers import parse_info
from emulators.venstar.device import Device
from emulators.venstar.profiles import CAPTURE_EPOCH, get_profile
from emulators.venstar.rules import apply_control, apply_settings


@st.composite
def devices(draw: st.DrawFn) -> Device:
    celsius = draw(st.booleans())
    step = 0.5 if celsius else 1.0
    low, high = (5.0, 32.0) if celsius else (40.0, 90.0)

    def temperature(lo: float, hi: float) -> float:
        return draw(st.integers(int(lo / step), int(hi / step))) * step

    device = Device(get_profile("colortouch"), now=float(CAPTURE_EPOCH))
    state = device.state
    state.tempunits = 1 if celsius else 0
    state.heattempmin = temperature(low, low + 10)
    state.heattempmax = temperature(state.heattempmin + 4, high)
    state.cooltempmin = temperature(low, low + 10)
    state.cooltempmax = temperature(max(state.cooltempmin, state.heattempmin) + 4, high)
    state.setpointdelta = draw(
        st.sampled_from([1.0, 2.0, 4.0] if not celsius else [0.5, 1.0, 2.0])
    )
    state.heattemp = temperature(state.heattempmin, state.heattempmax)
    state.cooltemp = temperature(state.cooltempmin, state.cooltempmax)
    state.mode = draw(st.integers(0, 3))
    state.availablemodes = draw(st.integers(0, 3))
    state.schedule = draw(st.integers(0, 1))
    state.away = draw(st.integers(0, 1))
    state.hum_setpoint = draw(st.integers(0, 60))
    state.dehum_setpoint = draw(st.integers(max(25, state.hum_setpoint + 3), 99))
    return device


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[Device, tuple[Any, ...]]:
    """A device state and a command aimed near its limits (inside, on, or just outside)."""
    device = draw(devices())
    state = device.state

    def setpoint(low: float, high: float) -> float | None:
        if draw(st.integers(0, 4)) == 0:
            return None
        return draw(st.floats(min_value=low - 2, max_value=high + 2, allow_nan=False))

    heat = setpoint(state.heattempmin, state.heattempmax)
    cool = setpoint(state.cooltempmin, state.cooltempmax)
    # Setpoint rules are the intricate ones: draw them three times as often.
    kind = draw(st.sampled_from([*sorted(PLANNERS), *(["mode", "setpoints"] * 2)]))
    arguments: tuple[Any, ...] = {
        "mode": (draw(st.sampled_from(list(HvacMode))), heat, cool),
        "setpoints": (heat, cool),
        "fan": (draw(st.sampled_from(list(FanMode))),),
        "away": (draw(st.booleans()),),
        "schedule": (draw(st.booleans()),),
        "humidity": (
            draw(st.none() | st.integers(-5, 70)),
            draw(st.none() | st.integers(20, 105)),
        ),
    }[kind]
    return device, (kind, *arguments)


PLANNERS: dict[str, Any] = {
    "mode": plan_hvac_mode,
    "setpoints": plan_setpoints,
    "fan": plan_fan,
    "away": plan_away,
    "schedule": plan_schedule,
    "humidity": plan_humidity_setpoints,
}


def _apply(device: Device, step: Step) -> dict[str, Any]:
    form = dict(step.write.form)
    if step.write.path == SETTINGS:
        return apply_settings(device, form)
    return apply_control(device, form)


@settings(
    max_examples=1500,
    derandomize=True,
    deadline=None,
    database=None,
    phases=(Phase.generate, Phase.shrink),
    suppress_health_check=[HealthCheck.too_slow],
)
@given(scenarios())
def test_client_validation_agrees_with_the_firmware_rules(
    scenario: tuple[Device, tuple[Any, ...]],
) -> None:
    device, command = scenario
    info = parse_info(device.info_body())
    kind, *arguments = command
    try:
        steps = PLANNERS[kind](info, *arguments)
    except VenstarCommandRejectedError as err:
        event(f"refused: {err.key}")
        return
    event(f"sent: {kind}")
    for step in steps:
        assert _apply(device, step) == {"success": True}, (step, device.state)
    after = parse_info(device.info_body())
    unit = after.temperature_unit
    if kind == "mode":
        assert after.mode is arguments[0]
    if kind in ("mode", "setpoints"):
        heat, cool = (arguments[1], arguments[2]) if kind == "mode" else arguments
        tolerance = 0.5 * (1.0 if unit is TemperatureUnit.FAHRENHEIT else 0.5)
        if heat is not None:
            assert abs(after.heat_setpoint - heat) <= tolerance
        if cool is not None:
            assert abs(after.cool_setpoint - cool) <= tolerance
        if after.mode is HvacMode.AUTO:
            assert after.cool_setpoint - after.heat_setpoint >= after.setpoint_delta
    if kind == "fan":
        assert after.fan is arguments[0]
    if kind == "away":
        assert after.away is arguments[0]
    if kind == "schedule":
        assert after.schedule_enabled is arguments[0]
