"""presence_eco.yaml driven by real person/zone entities and a validating thermostat."""

from __future__ import annotations

from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import EVENT_HOMEASSISTANT_STARTED
from homeassistant.core import Context, CoreState, HomeAssistant, ServiceCall
from homeassistant.setup import async_setup_component
from homeassistant.util.unit_system import US_CUSTOMARY_SYSTEM
import pytest
from pytest_homeassistant_custom_component.common import setup_test_component_platform

from .conftest import SetupBlueprint
from .entities import FakeThermostat
from .helpers import settle, tick

CLIMATE = "climate.living_room"
PEOPLE = ("alice", "bob")


async def move(hass: HomeAssistant, who: str, where: str) -> None:
    hass.states.async_set(f"device_tracker.{who}_phone", where, {"source_type": "gps"})
    await settle(hass)


def preset(hass: HomeAssistant) -> str:
    state = hass.states.get(CLIMATE)
    assert state is not None
    return str(state.attributes["preset_mode"])


def messages(calls: list[ServiceCall]) -> list[str]:
    return [str(call.data["message"]) for call in calls]


@pytest.fixture
async def thermostat(hass: HomeAssistant) -> FakeThermostat:
    entity = FakeThermostat("Living room")
    setup_test_component_platform(hass, "climate", [entity])
    assert await async_setup_component(
        hass, "climate", {"climate": {"platform": "test"}}
    )
    await hass.async_block_till_done()
    return entity


@pytest.fixture
async def household(hass: HomeAssistant, thermostat: FakeThermostat) -> None:
    hass.config.units = US_CUSTOMARY_SYSTEM
    for who in PEOPLE:
        hass.states.async_set(
            f"device_tracker.{who}_phone", "home", {"source_type": "gps"}
        )
    assert await async_setup_component(hass, "zone", {})
    assert await async_setup_component(
        hass,
        "person",
        {
            "person": [
                {
                    "id": who,
                    "name": who.title(),
                    "device_trackers": [f"device_tracker.{who}_phone"],
                }
                for who in PEOPLE
            ]
        },
    )
    assert await async_setup_component(
        hass, "input_boolean", {"input_boolean": {"guests": {}, "vacation": {}}}
    )
    await settle(hass)
    assert hass.states.get("zone.home").state == "2"


def inputs(**extra: Any) -> dict[str, Any]:
    return {
        "climate_entity": CLIMATE,
        "people": [f"person.{who}" for who in PEOPLE],
        "away_delay": 30,
        "guest_entities": ["input_boolean.guests"],
        "vacation_entities": ["input_boolean.vacation"],
        **extra,
    }


PREHEAT = {
    "eta_sensors": ["sensor.alice_travel_time"],
    "direction_sensors": ["sensor.home_alice_direction_of_travel"],
    "time_to_temperature_sensor": "sensor.living_room_time_to_temperature",
    "preheat_margin": 10,
    "heading_confirm": 60,
    "drive_by_window": 30,
}


async def everyone_away_and_settled(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    for who in PEOPLE:
        await move(hass, who, "not_home")
    await tick(hass, freezer, minutes=31)
    assert preset(hass) == "away"


@pytest.mark.usefixtures("household")
@pytest.mark.parametrize("people", [["person.alice", "person.bob"], []])
async def test_everyone_leaves_sets_away_after_the_delay(
    hass: HomeAssistant,
    setup_blueprint: SetupBlueprint,
    freezer: FrozenDateTimeFactory,
    logbook_calls: list[ServiceCall],
    people: list[str],
) -> None:
    # No residents chosen = every person; HA then re-renders at most once a second.
    await setup_blueprint("presence_eco.yaml", inputs(people=people))
    await move(hass, "alice", "not_home")
    await tick(hass, freezer, minutes=40)
    assert preset(hass) == "home"  # bob is still home

    await move(hass, "bob", "Work")
    await tick(hass, freezer, seconds=1)
    await tick(hass, freezer, minutes=29)
    assert preset(hass) == "home"
    await tick(hass, freezer, minutes=2)
    assert preset(hass) == "away"
    assert messages(logbook_calls) == ["set away (away): everyone is away"]


@pytest.mark.usefixtures("household")
async def test_gps_flapping_restarts_the_delay(
    hass: HomeAssistant,
    setup_blueprint: SetupBlueprint,
    freezer: FrozenDateTimeFactory,
) -> None:
    await setup_blueprint("presence_eco.yaml", inputs())
    for who in PEOPLE:
        await move(hass, who, "not_home")
    await tick(hass, freezer, minutes=20)
    await move(hass, "alice", "home")  # GPS jitter at the zone edge
    await tick(hass, freezer, seconds=30)
    await move(hass, "alice", "not_home")
    await tick(hass, freezer, minutes=20)
    assert preset(hass) == "home"
    await tick(hass, freezer, minutes=11)
    assert preset(hass) == "away"


@pytest.mark.usefixtures("household")
async def test_phone_going_quiet_overnight_keeps_home(
    hass: HomeAssistant,
    setup_blueprint: SetupBlueprint,
    freezer: FrozenDateTimeFactory,
) -> None:
    await setup_blueprint("presence_eco.yaml", inputs())
    await move(hass, "bob", "not_home")
    await move(hass, "alice", "unavailable")  # phone asleep: person becomes unknown
    assert hass.states.get("person.alice").state == "unknown"
    await tick(hass, freezer, hours=8)
    assert preset(hass) == "home"


@pytest.mark.usefixtures("household")
async def test_first_arrival_sets_home(
    hass: HomeAssistant,
    setup_blueprint: SetupBlueprint,
    freezer: FrozenDateTimeFactory,
    logbook_calls: list[ServiceCall],
) -> None:
    await setup_blueprint("presence_eco.yaml", inputs())
    await everyone_away_and_settled(hass, freezer)
    await move(hass, "bob", "home")
    assert preset(hass) == "home"
    assert messages(logbook_calls)[-1] == "set home (home): someone is home"
    await move(hass, "alice", "home")
    assert len(logbook_calls) == 2  # the second arrival changes nothing


@pytest.mark.usefixtures("household")
async def test_expected_arrival_preheats_and_person_arrives(
    hass: HomeAssistant,
    setup_blueprint: SetupBlueprint,
    freezer: FrozenDateTimeFactory,
    logbook_calls: list[ServiceCall],
) -> None:
    hass.states.async_set(
        "sensor.living_room_time_to_temperature", "40", {"unit_of_measurement": "min"}
    )
    hass.states.async_set(
        "sensor.alice_travel_time", "120", {"unit_of_measurement": "min"}
    )
    hass.states.async_set("sensor.home_alice_direction_of_travel", "stationary")
    await setup_blueprint("presence_eco.yaml", inputs(**PREHEAT))
    await everyone_away_and_settled(hass, freezer)

    hass.states.async_set("sensor.home_alice_direction_of_travel", "towards")
    hass.states.async_set(
        "sensor.alice_travel_time", "70", {"unit_of_measurement": "min"}
    )
    await tick(hass, freezer, minutes=5)
    assert preset(hass) == "away"  # 70 min away, 40 + 10 needed

    hass.states.async_set(
        "sensor.alice_travel_time", "48", {"unit_of_measurement": "min"}
    )
    await settle(hass)
    assert preset(hass) == "away"  # confirmation time not over
    await tick(hass, freezer, seconds=61)
    assert preset(hass) == "home"
    assert "expected home soon" in messages(logbook_calls)[-1]

    await tick(hass, freezer, minutes=25)
    await move(hass, "alice", "home")
    await tick(hass, freezer, minutes=30)
    assert preset(hass) == "home"


@pytest.mark.usefixtures("household")
async def test_drive_by_goes_back_to_away(
    hass: HomeAssistant,
    setup_blueprint: SetupBlueprint,
    freezer: FrozenDateTimeFactory,
    logbook_calls: list[ServiceCall],
) -> None:
    hass.states.async_set("sensor.alice_travel_time", "120")
    hass.states.async_set("sensor.home_alice_direction_of_travel", "away_from")
    await setup_blueprint("presence_eco.yaml", inputs(**PREHEAT))
    await everyone_away_and_settled(hass, freezer)

    # No time-to-temperature value yet: the 30 min default applies (30 + 10 >= 35).
    hass.states.async_set("sensor.home_alice_direction_of_travel", "towards")
    await settle(hass)
    hass.states.async_set("sensor.alice_travel_time", "35")
    await tick(hass, freezer, seconds=61)
    assert preset(hass) == "home"

    hass.states.async_set("sensor.home_alice_direction_of_travel", "away_from")
    await tick(hass, freezer, minutes=29)
    assert preset(hass) == "home"
    await tick(hass, freezer, minutes=2)
    assert preset(hass) == "away"
    assert "drive-by" in messages(logbook_calls)[-1]


@pytest.mark.usefixtures("household")
async def test_close_but_heading_away_does_not_preheat(
    hass: HomeAssistant,
    setup_blueprint: SetupBlueprint,
    freezer: FrozenDateTimeFactory,
) -> None:
    hass.states.async_set("sensor.living_room_time_to_temperature", "20")
    hass.states.async_set("sensor.home_alice_direction_of_travel", "away_from")
    hass.states.async_set("sensor.alice_distance", "2000", {"unit_of_measurement": "m"})
    extra = {
        **PREHEAT,
        "eta_sensors": [],
        "distance_sensors": ["sensor.alice_distance"],
    }
    await setup_blueprint("presence_eco.yaml", inputs(**extra))
    await everyone_away_and_settled(hass, freezer)
    hass.states.async_set("sensor.alice_distance", "1500", {"unit_of_measurement": "m"})
    await tick(hass, freezer, minutes=5)
    assert preset(hass) == "away"

    # 1.5 km at 40 km/h is ~2 min: heading home now preheats.
    hass.states.async_set("sensor.home_alice_direction_of_travel", "towards")
    await tick(hass, freezer, minutes=2)
    assert preset(hass) == "home"


@pytest.mark.usefixtures("household")
async def test_guest_mode_keeps_home_and_releases_to_away(
    hass: HomeAssistant,
    setup_blueprint: SetupBlueprint,
    freezer: FrozenDateTimeFactory,
    logbook_calls: list[ServiceCall],
) -> None:
    await setup_blueprint("presence_eco.yaml", inputs())
    await hass.services.async_call(
        "input_boolean", "turn_on", {"entity_id": "input_boolean.guests"}, blocking=True
    )
    for who in PEOPLE:
        await move(hass, who, "not_home")
    await tick(hass, freezer, hours=3)
    assert preset(hass) == "home"

    await hass.services.async_call(
        "input_boolean",
        "turn_off",
        {"entity_id": "input_boolean.guests"},
        blocking=True,
    )
    await settle(hass)
    assert preset(hass) == "away"
    assert messages(logbook_calls) == ["set away (away): everyone is away"]


@pytest.mark.usefixtures("household")
async def test_vacation_mode_blocks_preheat_and_arrival(
    hass: HomeAssistant,
    setup_blueprint: SetupBlueprint,
    freezer: FrozenDateTimeFactory,
) -> None:
    hass.states.async_set("sensor.alice_travel_time", "120")
    hass.states.async_set("sensor.home_alice_direction_of_travel", "away_from")
    await setup_blueprint("presence_eco.yaml", inputs(**PREHEAT))
    await everyone_away_and_settled(hass, freezer)
    await hass.services.async_call(
        "input_boolean",
        "turn_on",
        {"entity_id": "input_boolean.vacation"},
        blocking=True,
    )

    hass.states.async_set("sensor.alice_travel_time", "5")
    hass.states.async_set("sensor.home_alice_direction_of_travel", "towards")
    await tick(hass, freezer, minutes=2)
    await move(hass, "alice", "home")  # the house sitter's phone
    assert preset(hass) == "away"

    await hass.services.async_call(
        "input_boolean",
        "turn_off",
        {"entity_id": "input_boolean.vacation"},
        blocking=True,
    )
    await settle(hass)
    assert preset(hass) == "home"


@pytest.mark.usefixtures("household")
async def test_manual_change_is_not_fought_within_grace(
    hass: HomeAssistant,
    setup_blueprint: SetupBlueprint,
    freezer: FrozenDateTimeFactory,
    logbook_calls: list[ServiceCall],
    hass_admin_user: Any,
) -> None:
    await setup_blueprint("presence_eco.yaml", inputs(manual_grace=60))
    # A person switches to away from the app although people are home.
    await hass.services.async_call(
        "climate",
        "set_preset_mode",
        {"entity_id": CLIMATE, "preset_mode": "away"},
        blocking=True,
        context=Context(user_id=hass_admin_user.id),
    )
    await settle(hass)
    assert messages(logbook_calls) == [
        "changed by a person; not changing it for 60 min"
    ]

    await hass.services.async_call(
        "input_boolean", "turn_on", {"entity_id": "input_boolean.guests"}, blocking=True
    )
    await tick(hass, freezer, minutes=59)
    assert preset(hass) == "away"
    await tick(hass, freezer, minutes=2)
    assert preset(hass) == "home"  # the queued event is applied after the grace period


@pytest.mark.usefixtures("household")
async def test_change_by_another_automation_is_respected(
    hass: HomeAssistant,
    setup_blueprint: SetupBlueprint,
    freezer: FrozenDateTimeFactory,
    logbook_calls: list[ServiceCall],
) -> None:
    await setup_blueprint("presence_eco.yaml", inputs(manual_grace=15))
    await hass.services.async_call(
        "climate",
        "set_temperature",
        {"entity_id": CLIMATE, "temperature": 71},
        blocking=True,
        context=Context(parent_id="someone-elses-trigger"),
    )
    await settle(hass)
    assert messages(logbook_calls) == [
        "changed by another automation; not changing it for 15 min"
    ]


@pytest.mark.usefixtures("household")
async def test_own_changes_and_polls_do_not_start_a_hold(
    hass: HomeAssistant,
    setup_blueprint: SetupBlueprint,
    freezer: FrozenDateTimeFactory,
    thermostat: FakeThermostat,
    logbook_calls: list[ServiceCall],
) -> None:
    await setup_blueprint("presence_eco.yaml", inputs())
    await everyone_away_and_settled(hass, freezer)
    thermostat._attr_current_temperature = 63  # a poll: no person, no automation
    thermostat.async_write_ha_state()
    await move(hass, "alice", "home")
    assert preset(hass) == "home"  # not held by its own away switch
    assert not any("not changing" in m for m in messages(logbook_calls))


@pytest.mark.usefixtures("household")
async def test_thermostat_without_presets_gets_setpoints(
    hass: HomeAssistant,
    setup_blueprint: SetupBlueprint,
    freezer: FrozenDateTimeFactory,
    thermostat: FakeThermostat,
) -> None:
    thermostat._attr_preset_modes = None
    thermostat._attr_preset_mode = None
    thermostat.async_write_ha_state()
    await setup_blueprint(
        "presence_eco.yaml", inputs(eco_heat_temperature=60, home_heat_temperature=69)
    )
    for who in PEOPLE:
        await move(hass, who, "not_home")
    await tick(hass, freezer, minutes=31)
    assert hass.states.get(CLIMATE).attributes["temperature"] == 60

    await hass.services.async_call(
        "climate",
        "set_hvac_mode",
        {"entity_id": CLIMATE, "hvac_mode": "heat_cool"},
        blocking=True,
    )
    await tick(hass, freezer, minutes=1)
    await move(hass, "bob", "home")
    attributes = hass.states.get(CLIMATE).attributes
    assert (attributes["target_temp_low"], attributes["target_temp_high"]) == (69, 75)


@pytest.mark.usefixtures("household")
async def test_started_with_everyone_away_confirms_then_sets_away(
    hass: HomeAssistant,
    setup_blueprint: SetupBlueprint,
    freezer: FrozenDateTimeFactory,
) -> None:
    for who in PEOPLE:
        await move(hass, who, "not_home")
    hass.set_state(CoreState.not_running)
    await setup_blueprint("presence_eco.yaml", inputs())
    hass.bus.async_fire(EVENT_HOMEASSISTANT_STARTED)
    hass.set_state(CoreState.running)
    await settle(hass)
    await tick(hass, freezer, minutes=29)
    assert preset(hass) == "home"
    await tick(hass, freezer, minutes=2)
    assert preset(hass) == "away"


@pytest.mark.usefixtures("household")
async def test_events_queued_during_a_hold_are_judged_when_they_run(
    hass: HomeAssistant,
    setup_blueprint: SetupBlueprint,
    freezer: FrozenDateTimeFactory,
    logbook_calls: list[ServiceCall],
    hass_admin_user: Any,
) -> None:
    await setup_blueprint("presence_eco.yaml", inputs(manual_grace=60))
    await hass.services.async_call(
        "climate",
        "set_temperature",
        {"entity_id": CLIMATE, "temperature": 70},
        blocking=True,
        context=Context(user_id=hass_admin_user.id),
    )
    await settle(hass)
    for who in PEOPLE:
        await move(hass, who, "not_home")
    await tick(
        hass, freezer, minutes=31
    )  # "everyone away" fires and waits behind the hold
    await move(hass, "alice", "home")  # ... and alice is back before the hold ends
    await tick(hass, freezer, minutes=30)

    assert preset(hass) == "home"
    assert not any(m.startswith("set away") for m in messages(logbook_calls))
