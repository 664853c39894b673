"""The alarm response, scenario by scenario, on real detectors and real house entities.

Each test is named after the behaviour it proves. The detectors are First Alert devices on
HA's real zwave_js; the response is configured by an automation from the blueprint.
"""

from __future__ import annotations

from pathlib import Path

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.climate import HVACMode
from homeassistant.core import HomeAssistant
import pytest

from custom_components.firstalert_zwave.response.runner import BACKOFF
from tests.firstalert_zwave.harness import (
    CO_ALARM,
    CO_TEST,
    SMOKE_ALARM,
    SMOKE_SENSOR,
    ValueKey,
)

from .house import (
    ALICE,
    BACK,
    BEDROOM,
    BEDROOM_LIGHT,
    BOB,
    FRONT,
    GUEST,
    HALLWAY,
    HOUSEHOLD_CO,
    HOUSEHOLD_SMOKE,
    KITCHEN,
    KITCHEN_LIGHT,
    LIVING,
    PHONES,
    SCHEDULE,
    STAIRS,
    UPSTAIRS,
    House,
    advance,
    async_respond,
    default_inputs,
    settle,
)

DOORS = (FRONT, BACK)
LIGHTS = (HALLWAY, STAIRS, KITCHEN_LIGHT)
CLEAR_DELAY = 5 * 60
ARRIVAL_CONFIRMATION = 30


def assert_quiet(house: House) -> None:
    """Nothing was touched: doors locked, lights off, heating on, nothing said."""
    for door in DOORS:
        assert house.is_(door) == "locked"
    for light in LIGHTS:
        assert house.is_(light) == "off"
    assert house.thermostat(LIVING) == ("heat", "on")
    assert house.thermostat(UPSTAIRS) == ("heat", "on")
    assert house.messages() == []
    assert house.logged() == []


# -- the first response -------------------------------------------------------------------
async def test_smoke_with_someone_home_unlocks_doors_lights_the_way_and_stops_the_blower(
    hass: HomeAssistant, responding: House
) -> None:
    house = responding
    await house.smoke()

    for door in DOORS:
        assert house.is_(door) == "unlocked"
    for light in LIGHTS:
        assert house.is_(light) == "on"
    assert house.state(STAIRS).attributes["brightness"] == 255
    assert house.is_(BEDROOM_LIGHT) == "off"  # not the alarm's area
    assert house.thermostat(LIVING) == ("off", "auto")
    assert house.thermostat(UPSTAIRS) == ("off", "auto")
    for phone in PHONES:
        assert house.messages(phone) == [
            (
                "Smoke alarm: Smoke detected: smoke at Kitchen alarm (Kitchen). HVAC is "
                "being turned off (fan auto). Someone is home: unlocking the escape doors."
            ),
            "Doors: smoke alarm: Unlocked: Front door, Back door.",
        ]
    assert house.logged(FRONT) == [
        "unlocked for escape (smoke at Kitchen alarm (Kitchen))"
    ]
    assert house.logged(BACK) == [
        "unlocked for escape (smoke at Kitchen alarm (Kitchen))"
    ]
    assert (
        "Smoke alarm: Smoke detected"
        in house.notifications()["firstalert_zwave_response_alarm_smoke"]
    )


async def test_smoke_with_nobody_home_keeps_the_doors_locked(
    hass: HomeAssistant, responding: House
) -> None:
    house = responding
    await house.move(ALICE, "not_home")
    await house.smoke()

    for door in DOORS:
        assert house.is_(door) == "locked"
    assert house.back.unlock_calls == 0
    assert house.is_(HALLWAY) == "on"
    assert house.thermostat(LIVING) == ("off", "auto")
    assert house.messages() == [
        (
            "Smoke alarm: Smoke detected: smoke at Kitchen alarm (Kitchen). HVAC is being "
            "turned off (fan auto). Nobody is home: doors stay locked."
        )
    ]
    assert house.logged() == []


async def test_resident_arriving_during_the_alarm_gets_the_doors_unlocked(
    hass: HomeAssistant, responding: House, freezer: FrozenDateTimeFactory
) -> None:
    house = responding
    await house.move(ALICE, "not_home")
    await house.smoke()
    await advance(hass, freezer, 60)
    assert house.is_(FRONT) == "locked"

    await house.move(BOB, "home")
    assert house.is_(FRONT) == "locked"  # until Bob has been home for the confirmation
    await advance(hass, freezer, ARRIVAL_CONFIRMATION + 1)

    for door in DOORS:
        assert house.is_(door) == "unlocked"
    assert house.messages()[1:] == [
        "Doors: smoke alarm: Someone is home during the alarm: unlocking the escape doors.",
        "Doors: smoke alarm: Unlocked: Front door, Back door.",
    ]
    assert len(house.logged(FRONT)) == 1


async def test_guest_mode_turned_on_during_the_alarm_gets_the_doors_unlocked(
    hass: HomeAssistant, responding: House
) -> None:
    house = responding
    await house.move(ALICE, "not_home")
    await house.co()
    assert house.is_(FRONT) == "locked"

    await house.toggle(GUEST, True)

    for door in DOORS:
        assert house.is_(door) == "unlocked"


async def test_occupancy_seen_during_the_alarm_gets_the_doors_unlocked(
    hass: HomeAssistant, house: House, tmp_path: Path
) -> None:
    hass.states.async_set(
        "binary_sensor.hall_motion", "off", {"device_class": "motion"}
    )
    await async_respond(
        hass,
        tmp_path,
        default_inputs(people=[], occupancy_entities=["binary_sensor.hall_motion"]),
    )
    await house.move(ALICE, "not_home")
    await house.smoke()
    assert house.is_(FRONT) == "locked"

    hass.states.async_set("binary_sensor.hall_motion", "on", {"device_class": "motion"})
    await settle(hass)

    for door in DOORS:
        assert house.is_(door) == "unlocked"


async def test_everyone_leaving_during_the_alarm_never_locks_a_door_again(
    hass: HomeAssistant, responding: House, freezer: FrozenDateTimeFactory
) -> None:
    house = responding
    await house.smoke()
    await house.move(ALICE, "not_home")
    # Someone (or an auto-relock) locks the front door while the alarm lasts: it is
    # unlocked again (after a short pause, since the response unlocked it moments ago).
    await house.toggle("input_boolean.front_door_locked", True)
    await advance(hass, freezer, BACKOFF[0] + 1)

    assert house.is_(FRONT) == "unlocked"
    assert house.is_(BACK) == "unlocked"


# -- carbon monoxide ------------------------------------------------------------------------
async def test_co_turns_heating_off_keeps_the_fan_and_leaves_cooling_alone(
    hass: HomeAssistant, responding: House
) -> None:
    house = responding
    house.upstairs.set_by_hand(HVACMode.COOL)
    await settle(hass)
    await house.co()

    assert house.thermostat(LIVING) == ("off", "on")
    assert house.thermostat(UPSTAIRS) == ("cool", "on")
    assert house.upstairs.calls == []
    assert house.messages()[0] == (
        "Carbon monoxide alarm: Carbon monoxide detected: carbon monoxide at Kitchen "
        "alarm (Kitchen). Heating is being turned off; a person must turn it back on "
        "after the CO is cleared. Someone is home: unlocking the escape doors."
    )
    for door in DOORS:
        assert house.is_(door) == "unlocked"


async def test_co_never_turns_heating_back_on_and_tells_a_person_to(
    hass: HomeAssistant, responding: House, freezer: FrozenDateTimeFactory
) -> None:
    house = responding
    await house.co()
    await house.co(False)
    await advance(hass, freezer, CLEAR_DELAY + 60, step=10)

    assert house.thermostat(LIVING) == ("off", "on")
    assert house.is_(SCHEDULE) == "on"  # untouched: a generic thermostat keeps it
    assert house.messages()[-1] == (
        "Carbon monoxide cleared: The detectors are clear. Heating stays OFF after a "
        "carbon monoxide alarm: have fuel-burning appliances checked, then a person "
        "must turn heating back on."
    )
    assert house.controller.memory.episode is None
    assert ("hvac_mode", HVACMode.HEAT) not in house.living.calls


async def test_smoke_and_co_together_never_restore(
    hass: HomeAssistant, responding: House, freezer: FrozenDateTimeFactory
) -> None:
    house = responding
    await house.smoke()
    await house.co(node=BEDROOM)
    assert house.said(
        "Carbon monoxide detected: carbon monoxide at Bedroom alarm (Bedroom)"
    )
    assert house.is_(BEDROOM_LIGHT) == "on"  # the CO detector's area too
    await house.co(False, node=BEDROOM)
    await house.smoke(False)
    await advance(hass, freezer, CLEAR_DELAY + 60, step=10)

    assert house.thermostat(LIVING) == ("off", "auto")
    assert house.said("Heating stays OFF") == 1


# -- all clear -----------------------------------------------------------------------------
async def test_smoke_only_restores_mode_fan_and_schedule_after_the_clear_delay(
    hass: HomeAssistant, responding: House, freezer: FrozenDateTimeFactory
) -> None:
    house = responding
    await house.smoke()
    house.schedule._attr_is_on = False  # a Venstar stops its schedule on a mode change
    house.schedule.async_write_ha_state()
    await house.smoke(False)

    await advance(hass, freezer, CLEAR_DELAY - 30, step=10)
    assert house.thermostat(LIVING) == ("off", "auto")  # not clear long enough
    await advance(hass, freezer, 60, step=5)

    assert house.thermostat(LIVING) == ("heat", "on")
    assert house.thermostat(UPSTAIRS) == ("heat", "on")
    assert house.is_(SCHEDULE) == "on"
    assert house.messages()[-1] == (
        "Smoke cleared: The detectors are clear. HVAC restored: Living room → heat, "
        "fan on; Upstairs → heat, fan on; Living room schedule on."
    )
    assert house.controller.memory.episode is None
    # Doors and lights are never switched back: people decide.
    assert house.is_(FRONT) == "unlocked"
    assert house.is_(HALLWAY) == "on"


async def test_smoke_returning_during_the_clear_delay_starts_the_delay_again(
    hass: HomeAssistant, responding: House, freezer: FrozenDateTimeFactory
) -> None:
    house = responding
    await house.smoke()
    await house.smoke(False)
    await advance(hass, freezer, CLEAR_DELAY - 60, step=10)
    await house.smoke()
    await house.smoke(False)
    await advance(hass, freezer, CLEAR_DELAY - 60, step=10)
    assert house.thermostat(LIVING) == ("off", "auto")
    assert house.said("Smoke detected") == 1  # one alarm, one notice

    await advance(hass, freezer, 120, step=10)
    assert house.thermostat(LIVING) == ("heat", "on")


async def test_co_during_the_restore_turns_heating_off_again_and_is_remembered(
    hass: HomeAssistant, responding: House, freezer: FrozenDateTimeFactory
) -> None:
    house = responding
    await house.smoke()
    await house.smoke(False)
    # The upstairs thermostat takes long to answer, so the restore is mid-way.
    house.upstairs.fail_mode = "hang"
    await advance(hass, freezer, CLEAR_DELAY + 1, step=10)
    assert house.thermostat(LIVING) == ("heat", "on")
    assert house.controller.diagnostics()["restoring"] is True

    await house.co()

    assert house.controller.diagnostics()["restoring"] is False
    assert house.thermostat(LIVING) == ("off", "on")
    assert house.controller.memory.episode is not None
    assert house.controller.memory.episode.co_seen
    house.upstairs.release()
    await house.co(False)
    await advance(hass, freezer, CLEAR_DELAY + 60, step=10)
    assert house.thermostat(LIVING)[0] == "off"
    assert house.said("Heating stays OFF") == 1
    assert not house.said("HVAC restored")


async def test_smoke_during_the_restore_cancels_it(
    hass: HomeAssistant, responding: House, freezer: FrozenDateTimeFactory
) -> None:
    house = responding
    await house.smoke()
    await house.smoke(False)
    house.upstairs.fail_mode = "hang"
    await advance(hass, freezer, CLEAR_DELAY + 1, step=10)
    assert house.thermostat(LIVING) == ("heat", "on")

    await house.smoke(node=BEDROOM)
    house.upstairs.release()
    await settle(hass)

    assert house.thermostat(LIVING) == ("off", "auto")
    assert house.controller.memory.episode is not None
    assert house.controller.memory.episode.snapshot[LIVING].mode == "heat"
    assert not house.said("HVAC restored")


# -- holding the state ---------------------------------------------------------------------
async def test_heating_turned_back_on_during_smoke_is_switched_off_again(
    hass: HomeAssistant, responding: House
) -> None:
    house = responding
    await house.smoke()
    house.living.set_by_hand(HVACMode.HEAT)
    await settle(hass)
    assert house.thermostat(LIVING) == ("off", "auto")


async def test_a_light_switched_off_during_the_alarm_comes_back_on(
    hass: HomeAssistant, responding: House
) -> None:
    house = responding
    await house.smoke()
    await hass.services.async_call(
        "light", "turn_off", {"entity_id": STAIRS}, blocking=True
    )
    await settle(hass)
    assert house.is_(STAIRS) == "on"


async def test_the_snapshot_is_taken_before_anything_is_switched_off(
    hass: HomeAssistant, responding: House
) -> None:
    house = responding
    await house.smoke()
    episode = house.controller.memory.episode
    assert episode is not None
    assert {c: (s.mode, s.fan) for c, s in episode.snapshot.items()} == {
        LIVING: ("heat", "on"),
        UPSTAIRS: ("heat", "on"),
    }
    assert episode.switches == {SCHEDULE: "on"}
    assert house.living.calls == [("hvac_mode", "off"), ("fan_mode", "auto")]


# -- real alarms only ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "state"),
    [(SMOKE_ALARM, 3), (CO_TEST, 1), (CO_ALARM, 6)],
    ids=["smoke test press", "co self-test", "silenced"],
)
async def test_tests_and_silencing_do_nothing(
    hass: HomeAssistant, responding: House, value: ValueKey, state: int
) -> None:
    house = responding
    house.network.update(3, value, state)
    await settle(hass)
    assert house.is_(HOUSEHOLD_SMOKE) == "off"
    assert house.is_(HOUSEHOLD_CO) == "off"
    assert_quiet(house)


async def test_a_test_press_during_real_smoke_keeps_the_response(
    hass: HomeAssistant, responding: House
) -> None:
    house = responding
    await house.smoke()
    house.network.update(BEDROOM, SMOKE_ALARM, 3)  # the bedroom alarm is tested
    house.network.update(3, SMOKE_ALARM, 3)  # and the kitchen one, in smoke
    house.network.update(3, SMOKE_ALARM, 0)
    await settle(hass)

    assert house.is_(HOUSEHOLD_SMOKE) == "on"
    assert house.thermostat(LIVING) == ("off", "auto")
    assert house.is_(FRONT) == "unlocked"
    assert house.said("Smoke detected") == 1
    assert house.controller.memory.episode is not None
    assert house.controller.memory.episode.clear_since is None


async def test_silencing_a_real_alarm_keeps_the_response(
    hass: HomeAssistant, responding: House, freezer: FrozenDateTimeFactory
) -> None:
    house = responding
    await house.smoke()
    house.network.update(3, SMOKE_ALARM, 6)
    await settle(hass)
    await advance(hass, freezer, CLEAR_DELAY + 60, step=30)

    assert house.is_(HOUSEHOLD_SMOKE) == "on"
    assert house.thermostat(LIVING) == ("off", "auto")
    assert not house.said("HVAC restored")


async def test_an_unavailable_sensor_keeps_its_alarm(
    hass: HomeAssistant, responding: House, freezer: FrozenDateTimeFactory
) -> None:
    house = responding
    await house.smoke()
    hass.states.async_set(HOUSEHOLD_SMOKE, "unavailable", {"device_class": "smoke"})
    await settle(hass)
    await advance(hass, freezer, CLEAR_DELAY + 60, step=30)

    assert house.thermostat(LIVING) == ("off", "auto")
    assert not house.said("HVAC restored")
    assert house.controller.memory.active([HOUSEHOLD_SMOKE])


async def test_an_unavailable_or_unreadable_sensor_never_raises_an_alarm(
    hass: HomeAssistant, house: House, tmp_path: Path
) -> None:
    hass.states.async_set("binary_sensor.attic_smoke", "off", {"device_class": "smoke"})
    await async_respond(
        hass, tmp_path, default_inputs(alarm_sensors=["binary_sensor.attic_smoke"])
    )
    for garbage in ("unavailable", "unknown", "smoke!", "1", "true", "ON"):
        hass.states.async_set(
            "binary_sensor.attic_smoke", garbage, {"device_class": "smoke"}
        )
        await settle(hass)
    assert_quiet(house)
    assert house.controller.memory.episode is None


async def test_a_sensor_that_is_not_smoke_or_co_never_acts(
    hass: HomeAssistant, house: House, tmp_path: Path
) -> None:
    hass.states.async_set(
        "binary_sensor.smoke_test", "off", {"device_class": "problem"}
    )
    hass.states.async_set("binary_sensor.heat", "off", {"device_class": "heat"})
    await async_respond(
        hass,
        tmp_path,
        default_inputs(
            alarm_sensors=["binary_sensor.smoke_test", "binary_sensor.heat"]
        ),
    )
    hass.states.async_set("binary_sensor.smoke_test", "on", {"device_class": "problem"})
    hass.states.async_set("binary_sensor.heat", "on", {"device_class": "heat"})
    await settle(hass)
    assert_quiet(house)


async def test_any_brands_smoke_sensor_raises_the_response(
    hass: HomeAssistant, house: House, tmp_path: Path
) -> None:
    hass.states.async_set(
        "binary_sensor.attic_smoke",
        "off",
        {"device_class": "smoke", "friendly_name": "Attic smoke"},
    )
    await async_respond(
        hass, tmp_path, default_inputs(alarm_sensors=["binary_sensor.attic_smoke"])
    )
    hass.states.async_set(
        "binary_sensor.attic_smoke",
        "on",
        {"device_class": "smoke", "friendly_name": "Attic smoke"},
    )
    await settle(hass)
    assert house.is_(FRONT) == "unlocked"
    assert house.thermostat(UPSTAIRS) == ("off", "auto")
    assert house.said("Smoke detected: smoke at Attic smoke (an unknown room).")


async def test_a_thermostat_unavailable_at_the_alarm_is_saved_and_switched_off_when_back(
    hass: HomeAssistant, responding: House, freezer: FrozenDateTimeFactory
) -> None:
    house = responding
    house.upstairs.set_available(False)
    await house.smoke()
    assert house.is_(UPSTAIRS) == "unavailable"
    assert house.thermostat(LIVING) == ("off", "auto")

    house.upstairs.set_available(True)
    await settle(hass)
    assert house.thermostat(UPSTAIRS) == ("off", "auto")

    await house.smoke(False)
    await advance(hass, freezer, CLEAR_DELAY + 30, step=10)
    assert house.thermostat(UPSTAIRS) == ("heat", "on")


# -- what is said ----------------------------------------------------------------------------
async def test_one_notice_per_alarm_kind_however_often_detectors_toggle(
    hass: HomeAssistant, responding: House
) -> None:
    house = responding
    for _ in range(5):
        await house.smoke()
        await house.smoke(False)
    await house.smoke()
    await house.co()
    await house.co(node=BEDROOM)

    assert house.said("Smoke detected") == 1
    assert house.said("Carbon monoxide detected") == 1
    assert house.said("Unlocked: Front door, Back door.") == 1
    assert len(house.logged(FRONT)) == 1


async def test_a_hundred_detector_toggles_with_a_jammed_lock_never_drop_the_co_alarm(
    hass: HomeAssistant, responding: House, freezer: FrozenDateTimeFactory
) -> None:
    """Nothing is queued, so nothing can overflow: the CO alarm is handled at once."""
    house = responding
    house.back.jam()
    for _ in range(100):
        house.network.update(KITCHEN, SMOKE_SENSOR, 2)
        house.network.update(KITCHEN, SMOKE_SENSOR, 0)
    house.network.update(KITCHEN, SMOKE_SENSOR, 2)
    await settle(hass)
    running = house.controller.diagnostics()["running"]
    assert running == [f"unlock:{BACK}"]  # one task per action, however many changes

    await house.co(node=BEDROOM)

    assert house.thermostat(LIVING) == ("off", "auto")
    assert house.said("Carbon monoxide detected: carbon monoxide at Bedroom alarm") == 1
    assert house.said("Smoke detected") == 1
    episode = house.controller.memory.episode
    assert episode is not None
    assert episode.co_seen
    await house.co(False, node=BEDROOM)
    await house.smoke(False)
    await advance(hass, freezer, CLEAR_DELAY + 60, step=10)
    assert house.thermostat(LIVING)[0] == "off"
    assert house.said("Heating stays OFF") == 1
    assert not house.said("HVAC restored")
    assert house.controller.diagnostics()["running"] == []  # the house was handed back
    house.back.free()


async def test_the_house_is_held_during_the_clear_delay(
    hass: HomeAssistant, responding: House, freezer: FrozenDateTimeFactory
) -> None:
    """Between the last clear and the hand-back nothing a person changes sticks."""
    house = responding
    house.back.jam()
    await house.smoke()
    await house.smoke(False)
    calls = house.back.unlock_calls
    house.living.set_by_hand(HVACMode.HEAT)
    await settle(hass)
    assert house.thermostat(LIVING) == ("off", "auto")
    await advance(hass, freezer, 60, step=5)
    assert house.back.unlock_calls > calls  # still trying during the delay
    house.back.free()
    await advance(hass, freezer, CLEAR_DELAY, step=10)
    assert house.thermostat(LIVING) == ("heat", "on")
    assert house.controller.diagnostics()["running"] == []


async def test_with_restore_off_smoke_leaves_the_hvac_off_and_says_so(
    hass: HomeAssistant, house: House, tmp_path: Path, freezer: FrozenDateTimeFactory
) -> None:
    await async_respond(hass, tmp_path, default_inputs(restore_after_smoke=False))
    await house.smoke()
    await house.smoke(False)
    await advance(hass, freezer, CLEAR_DELAY + 30, step=10)

    assert house.thermostat(LIVING) == ("off", "auto")
    assert house.messages()[-1] == (
        "Smoke cleared: The detectors are clear. HVAC was left as it is: restore is off."
    )
    assert house.controller.memory.episode is None
