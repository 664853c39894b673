"""Presence eco's parts that read states and plan writes, on plain Home Assistant states."""

from __future__ import annotations

from typing import Any

from homeassistant.components.climate import ClimateEntityFeature
from homeassistant.core import State
import pytest
import voluptuous as vol

from custom_components.venstar_local.presence.config import (
    PRESENCE_SCHEMA,
    PresenceConfig,
)
from custom_components.venstar_local.presence.facts import (
    distance_minutes,
    place_of,
    travel_minutes,
)
from custom_components.venstar_local.presence.model import Place, Setting
from custom_components.venstar_local.presence.store import Written
from custom_components.venstar_local.presence.thermostat import plan

RANGE = ClimateEntityFeature.TARGET_TEMPERATURE_RANGE
SINGLE = ClimateEntityFeature.TARGET_TEMPERATURE
PRESETS = {Setting.HOME: "home", Setting.AWAY: "away", Setting.VACATION: "away"}
NO_SETPOINTS: dict[Setting, tuple[float | None, float | None]] = {}


def climate(mode: str, **attributes: Any) -> State:
    return State("climate.x", mode, attributes)


def test_a_preset_is_used_when_offered_and_written_only_when_needed() -> None:
    state = climate("heat", preset_modes=["home", "away"], preset_mode="home")
    assert plan(state, Setting.HOME, PRESETS, NO_SETPOINTS, "°F").service is None
    away = plan(state, Setting.AWAY, PRESETS, NO_SETPOINTS, "°F")
    assert (away.service, away.data, away.summary) == (
        "set_preset_mode",
        {"preset_mode": "away"},
        "away (away)",
    )


@pytest.mark.parametrize(
    ("mode", "attributes", "expected"),
    [
        ("heat", {"temperature": 68}, {"temperature": 62.0}),
        ("cool", {"temperature": 75}, {"temperature": 82.0}),
        (
            "heat_cool",
            {"target_temp_low": 68, "target_temp_high": 75},
            {"target_temp_low": 62.0, "target_temp_high": 82.0},
        ),
    ],
)
def test_setpoints_follow_the_mode(
    mode: str, attributes: dict[str, Any], expected: dict[str, float]
) -> None:
    state = climate(mode, supported_features=SINGLE | RANGE, **attributes)
    assert plan(state, Setting.AWAY, PRESETS, NO_SETPOINTS, "°F").data == expected


def test_setpoints_are_kept_within_the_thermostats_limits() -> None:
    state = climate(
        "heat_cool",
        supported_features=RANGE,
        min_temp=58,
        max_temp=80,
        target_temp_low=60,
        target_temp_high=70,
    )
    vacation = plan(state, Setting.VACATION, PRESETS, NO_SETPOINTS, "°F")
    assert vacation.data == {"target_temp_low": 58, "target_temp_high": 80}
    already = climate(
        "heat_cool",
        supported_features=RANGE,
        target_temp_low=13.2,
        target_temp_high=29.5,
        target_temp_step=0.5,
    )
    assert plan(already, Setting.VACATION, PRESETS, NO_SETPOINTS, "°C").service is None


def test_nothing_is_written_where_there_is_nothing_to_set() -> None:
    off = plan(
        climate("off", supported_features=SINGLE), Setting.AWAY, PRESETS, {}, "°F"
    )
    assert off.service is None
    assert (
        off.note
        == "the thermostat has no 'away' preset and no setpoint to set in mode off"
    )
    unknown_value = climate("heat", supported_features=SINGLE, temperature="n/a")
    assert plan(unknown_value, Setting.HOME, PRESETS, {}, "°F").service is not None


def test_places_count_the_home_zone_its_name_and_unknown_trackers() -> None:
    zone = State("zone.cabin", "1", {"persons": ["person.a"], "friendly_name": "Cabin"})
    assert place_of(State("person.a", "Cabin"), zone, "zone.cabin") is Place.HOME
    assert place_of(State("person.b", "Cabin"), zone, "zone.cabin") is Place.HOME
    assert place_of(State("person.b", "home"), zone, "zone.cabin") is Place.AWAY
    assert place_of(State("person.b", "home"), None, "zone.home") is Place.HOME
    assert (
        place_of(State("person.b", "unavailable"), zone, "zone.cabin") is Place.UNKNOWN
    )
    assert place_of(None, zone, "zone.cabin") is Place.UNKNOWN


def test_a_chosen_home_zone_that_is_gone_makes_everyone_possibly_home() -> None:
    """Deleted or renamed, it tells nothing: the setting is kept, the house not emptied."""
    for where in ("Cabin", "not_home", "home"):
        assert place_of(State("person.b", where), None, "zone.cabin") is Place.UNKNOWN


@pytest.mark.parametrize(
    ("value", "unit", "minutes"),
    [
        ("12", "min", 12.0),
        ("12", None, 12.0),
        ("1800", "s", 30.0),
        ("0.5", "h", 30.0),
        ("12", "minutes", 12.0),
        ("12", "Mins", 12.0),
        ("0.5", "hours", 30.0),
        ("90", "sec", 1.5),
        ("12", "", 12.0),
        ("-3", "min", None),
        ("nan", "min", None),
        ("soon", "min", None),
        ("12", "km", None),
    ],
)
def test_travel_times_are_minutes_of_their_own_unit(
    value: str, unit: str | None, minutes: float | None
) -> None:
    attributes = {"unit_of_measurement": unit} if unit else {}
    assert travel_minutes(State("sensor.eta", value, attributes)) == minutes


@pytest.mark.parametrize(
    ("value", "unit", "minutes"),
    [
        ("20", "km", 30.0),
        ("20000", None, 30.0),
        ("12.4274", "mi", pytest.approx(30.0, abs=0.01)),
        ("20", "parsecs", None),
        ("-1", "km", None),
    ],
)
def test_distances_become_minutes_at_the_assumed_speed(
    value: str, unit: str | None, minutes: float | None
) -> None:
    attributes = {"unit_of_measurement": unit} if unit else {}
    assert distance_minutes(State("sensor.d", value, attributes), 40) == minutes


def test_the_action_schema_takes_a_blueprints_inputs_as_they_come() -> None:
    data = PRESENCE_SCHEMA(
        {
            "automation": "automation.presence",
            "climate_entity": "climate.x",
            "home_heat_temperature": "",
            "eco_heat_temperature": "61",
            "people": "person.a",
            "time_to_temperature_sensor": "",
            "travellers": [
                {"person": "person.b", "travel_time": "sensor.eta", "direction": ""},
                {"person": "", "travel_time": "", "distance": "", "direction": ""},
            ],
        }
    )
    config = PresenceConfig.from_data(data)
    assert config.people == ("person.a", "person.b")  # a traveller is a resident too
    assert len(config.travellers) == 1
    assert config.setpoints[Setting.HOME] == (None, None)
    assert config.setpoints[Setting.AWAY] == (61.0, None)
    assert config.time_to_temperature is None
    assert config.fact_entities() == {
        "zone.home",
        "climate.x",
        "person.a",
        "person.b",
        "sensor.eta",
    }
    assert config.orphan_travellers == ()
    with pytest.raises(vol.Invalid):
        PRESENCE_SCHEMA({"automation": "script.x", "climate_entity": "climate.x"})


def test_inputs_cleared_in_the_ui_or_left_empty_in_yaml_take_their_defaults() -> None:
    data = PRESENCE_SCHEMA(
        {
            "automation": "automation.presence",
            "climate_entity": "climate.x",
            "presence_zone": "",
            "away_delay": None,
            "manual_grace": "",
            "guest_entities": None,
            "vacation_entities": "input_boolean.a, input_boolean.b",
            "log_to_logbook": None,
            "travellers": [{"person": "", "travel_time": "sensor.eta"}, {}],
        }
    )
    config = PresenceConfig.from_data(data)
    assert config.zone == "zone.home"
    assert (config.timing.away_delay, config.timing.manual_grace) == (1800, 3600)
    assert config.guests == ()
    assert config.vacation == ("input_boolean.a", "input_boolean.b")
    assert config.logbook is True
    assert config.travellers == ()
    assert config.orphan_travellers == (1,)


def test_a_stored_write_that_makes_no_sense_is_dropped() -> None:
    written = Written(Setting.AWAY, "why", 1.0, landed=False, attempts=2, error="x")
    assert Written.from_dict(written.as_dict()) == written
    assert Written.from_dict("away") is None
    assert (
        Written.from_dict({"setting": "attic", "reason": "", "at": 1, "landed": 1})
        is None
    )
