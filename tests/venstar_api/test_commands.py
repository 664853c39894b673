"""The command rules on their own: rounding, pushing, refusing (no device needed)."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from custom_components.venstar_local.api import (
    REJECTION_PLACEHOLDERS,
    FanMode,
    HvacMode,
    TemperatureUnit,
    ThermostatInfo,
    VenstarCommandRejectedError,
    format_setpoint,
    round_setpoint,
)
from custom_components.venstar_local.api.commands import (
    Step,
    Write,
    plan_away,
    plan_fan,
    plan_humidity_setpoints,
    plan_hvac_mode,
    plan_schedule,
    plan_setpoints,
    resolve_setpoints,
)
from custom_components.venstar_local.api.parsers import parse_info

from .conftest import load_fixture

F = TemperatureUnit.FAHRENHEIT
C = TemperatureUnit.CELSIUS


def info(**changes: Any) -> ThermostatInfo:
    return dataclasses.replace(
        parse_info(load_fixture("colortouch_info.json")), **changes
    )


def rejected(key: str, call: Any, *args: Any) -> VenstarCommandRejectedError:
    with pytest.raises(VenstarCommandRejectedError) as err:
        call(*args)
    assert err.value.key == key
    assert tuple(err.value.placeholders) == REJECTION_PLACEHOLDERS[key]
    return err.value


@pytest.mark.parametrize(
    ("value", "unit", "expected", "text"),
    [
        (72.4, F, 72.0, "72"),
        (72.5, F, 73.0, "73"),
        (71.99999999999, F, 72.0, "72"),
        (21.24, C, 21.0, "21.0"),
        (21.25, C, 21.5, "21.5"),
        (21.7, C, 21.5, "21.5"),
        (0.1 + 0.2, C, 0.5, "0.5"),
        (-3.3, C, -3.5, "-3.5"),
    ],
)
def test_rounding_and_formatting(
    value: float, unit: TemperatureUnit, expected: float, text: str
) -> None:
    assert round_setpoint(value, unit) == expected
    assert format_setpoint(value, unit) == text


@pytest.mark.parametrize("value", [float("nan"), float("inf"), True, "72"])
def test_non_numbers_are_refused(value: Any) -> None:
    rejected("invalid_value", plan_setpoints, info(), value, None)


def test_nothing_to_change() -> None:
    rejected("nothing_to_change", plan_setpoints, info(), None, None)
    rejected("nothing_to_change", plan_humidity_setpoints, info(), None, None)


def test_cool_out_of_range_in_celsius() -> None:
    state = info(temperature_unit=C, cool_setpoint_min=10.0, cool_setpoint_max=32.0)
    err = rejected("setpoint_out_of_range", plan_setpoints, state, None, 32.5)
    assert dict(err.placeholders) == {
        "setpoint": "cool",
        "value": "32.5",
        "min": "10",
        "max": "32",
        "unit": "°C",
    }


def test_auto_push_in_celsius_keeps_the_delta_on_the_step() -> None:
    state = info(
        mode=HvacMode.AUTO,
        temperature_unit=C,
        heat_setpoint=20.0,
        cool_setpoint=22.0,
        setpoint_delta=1.5,
        heat_setpoint_min=5.0,
        heat_setpoint_max=30.0,
        cool_setpoint_min=5.0,
        cool_setpoint_max=32.0,
    )
    assert resolve_setpoints(state, HvacMode.AUTO, 21.0, None) == (21.0, 22.5)
    assert resolve_setpoints(state, HvacMode.AUTO, None, 21.0) == (19.5, 21.0)


def test_auto_push_beyond_the_other_range_is_refused() -> None:
    state = info(mode=HvacMode.AUTO, cool_setpoint_max=75.0, heat_setpoint_min=60.0)
    rejected("setpoint_delta", plan_setpoints, state, 74, None)
    rejected("setpoint_delta", plan_setpoints, state, None, 61)


def test_mode_change_to_auto_pushes_heat_when_cool_cannot_move() -> None:
    state = info(heat_setpoint=74.0, cool_setpoint=75.0, cool_setpoint_max=75.0)
    (step,) = plan_hvac_mode(state, HvacMode.AUTO, None, None)
    assert step.write.form == (("mode", "3"), ("heattemp", "73"), ("cooltemp", "75"))


def test_heat_above_cool_is_fine_outside_auto() -> None:
    assert resolve_setpoints(info(), HvacMode.HEAT, 80, None) == (80.0, 74.0)


def test_unknown_mode_and_fan_values() -> None:
    rejected("invalid_value", plan_hvac_mode, info(), 9, None, None)
    rejected("invalid_value", plan_fan, info(), 5)


def test_plans() -> None:
    assert plan_fan(info(), FanMode.ON) == (Step(Write("/control", (("fan", "1"),))),)
    assert plan_away(info(), True) == (Step(Write("/settings", (("away", "1"),))),)
    assert plan_schedule(info(), False) == (
        Step(Write("/settings", (("schedule", "0"),))),
    )
    two_step = plan_hvac_mode(info(schedule_enabled=True), HvacMode.COOL, 68, None)
    assert [step.write.path for step in two_step] == ["/settings", "/control"]
    assert two_step[0].undo == Write("/settings", (("schedule", "1"),))
    assert two_step[1].undo is None


def test_humidity_defaults_when_one_side_is_unknown() -> None:
    state = info(humidify_setpoint=None, dehumidify_setpoint=50)
    (step,) = plan_humidity_setpoints(state, None, 45)
    assert step.write.form == (("hum_setpoint", "0"), ("dehum_setpoint", "45"))
    state = info(humidify_setpoint=30, dehumidify_setpoint=None)
    (step,) = plan_humidity_setpoints(state, 20, None)
    assert step.write.form == (("hum_setpoint", "20"), ("dehum_setpoint", "99"))


@pytest.mark.parametrize("value", [float("nan"), False])
def test_humidity_non_numbers(value: Any) -> None:
    rejected("invalid_value", plan_humidity_setpoints, info(), value, None)


def test_every_rejection_key_is_documented() -> None:
    assert set(REJECTION_PLACEHOLDERS) == {
        "invalid_value",
        "nothing_to_change",
        "setpoint_out_of_range",
        "setpoint_delta",
        "mode_not_available",
        "mode_change_schedule_away",
        "schedule_while_away",
        "not_supported",
        "humidity_out_of_range",
        "humidity_separation",
        "value_unknown",
    }
    err = VenstarCommandRejectedError("not_supported", "no", {"feature": "away"})
    with pytest.raises(TypeError):
        err.placeholders["feature"] = "x"  # type: ignore[index]
