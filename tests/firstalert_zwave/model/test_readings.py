"""Reading raw values: only what a detector can mean is readable."""

from __future__ import annotations

from typing import Any

import pytest

from custom_components.firstalert_zwave.model import Variable
from custom_components.firstalert_zwave.model.codes import NOTIFICATION_STATES
from custom_components.firstalert_zwave.model.readings import describe, read

GARBAGE: list[Any] = [
    None,
    True,
    False,
    2.0,
    0.0,
    2.5,
    float("nan"),
    float("inf"),
    "2",
    "",
    b"\x02",
    [2],
    {"value": 2},
    (2,),
    -1,
    256,
    10**30,
    -(10**30),
    object(),
]


@pytest.mark.parametrize("variable", list(NOTIFICATION_STATES))
def test_notification_states_are_readable_and_nothing_else(variable: Variable) -> None:
    for state in NOTIFICATION_STATES[variable]:
        assert read(variable, state) == state
    for value in [*GARBAGE, *range(300)]:
        if (
            isinstance(value, int)
            and not isinstance(value, bool)
            and value in NOTIFICATION_STATES[variable]
        ):
            continue
        assert read(variable, value) is None, (variable, value)


def test_a_boolean_is_never_a_state_number() -> None:
    assert read(Variable.SMOKE_SENSOR, True) is None
    assert read(Variable.CO_SENSOR, True) is None
    assert read(Variable.ALARM_TYPE, True) is None
    assert read(Variable.ALARM_LEVEL, True) is None
    assert read(Variable.WAKE_UP_INTERVAL, True) is None


def test_battery_low_is_only_a_real_boolean() -> None:
    assert read(Variable.BATTERY_LOW, True) is True
    assert read(Variable.BATTERY_LOW, False) is False
    for value in (1, 0, "true", None, 1.0):
        assert read(Variable.BATTERY_LOW, value) is None


@pytest.mark.parametrize(
    ("variable", "low", "high"),
    [
        (Variable.BATTERY_LEVEL, 0, 100),
        (Variable.ALARM_TYPE, 0, 255),
        (Variable.ALARM_LEVEL, 0, 255),
        (Variable.WAKE_UP_INTERVAL, 0, 0xFFFFFF),
    ],
)
def test_numbers_are_readable_only_in_their_range(
    variable: Variable, low: int, high: int
) -> None:
    assert read(variable, low) == low
    assert read(variable, high) == high
    for value in (low - 1, high + 1, 10**15, 10**30, 4200.0, None, "42"):
        assert read(variable, value) is None


def test_describe_is_short_and_survives_a_hostile_value() -> None:
    class Hostile:
        def __repr__(self) -> str:
            raise RuntimeError("no")

    assert describe(None) == "None"
    assert describe(10**30) == repr(10**30)
    assert len(describe("x" * 1000)) == 80
    assert describe(Hostile()) == "<Hostile>"
