"""Presence eco on a real Home Assistant: the blueprint hands over, the controller steers.

The residents are real person entities on GPS trackers, the home is a real zone, the thermostat
a climate entity behind HA's service layer. Time moves with the frozen clock.
"""

from __future__ import annotations

import asyncio
from typing import Any
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import Context, HomeAssistant, ServiceCall
from homeassistant.setup import async_setup_component
import pytest

from custom_components.venstar_local.presence import controller

from .conftest import SetupBlueprint
from .entities import FakeThermostat
from .helpers import settle, tick
from .presence_house import (
    ALICE_DIRECTION,
    ALICE_DISTANCE,
    ALICE_ETA,
    AUTOMATION,
    BOB_DIRECTION,
    BOB_ETA,
    CLIMATE,
    alice_travels,
    attribute,
    clock_in,
    household,
    inputs,
    make_household,
    make_thermostat,
    messages,
    move,
    preset,
    start_presence,
    switch,
    thermostat,
    travel,
    writes,
)

__all__ = ["household", "thermostat"]

TTT = "sensor.living_room_time_to_temperature"


async def everyone_away_and_settled(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    for who in ("alice", "bob"):
        await move(hass, who, "not_home")
    await tick(hass, freezer, minutes=31)
    assert preset(hass) == "away"


async def by_hand(hass: HomeAssistant, user: Any, **data: Any) -> None:
    """A person changes the thermostat from the dashboard."""
    service = "set_preset_mode" if "preset_mode" in data else "set_temperature"
    await hass.services.async_call(
        "climate",
        service,
        {"entity_id": CLIMATE, **data},
        blocking=True,
        context=Context(user_id=user.id),
    )
    await settle(hass)


# ----- the everyday cases --------------------------------------------------------------------
@pytest.mark.usefixtures("household")
@pytest.mark.parametrize("people", [["person.alice", "person.bob"], []])
async def test_everyone_leaves_sets_away_after_the_delay(
    hass: HomeAssistant,
    setup_blueprint: SetupBlueprint,
    freezer: FrozenDateTimeFactory,
    *,
    logbook_calls: list[ServiceCall],
    thermostat: FakeThermostat,
    people: list[str],
) -> None:
    # No residents chosen = every person.
    await start_presence(hass, setup_blueprint, inputs(people=people))
    await move(hass, "alice", "not_home")
    await tick(hass, freezer, minutes=40)
    assert preset(hass) == "home"  # bob is still home

    await move(hass, "bob", "Work")
    await tick(hass, freezer, minutes=29)
    assert preset(hass) == "home"
    await tick(hass, freezer, minutes=2)
    assert preset(hass) == "away"
    assert messages(logbook_calls) == [
        "set away (away): everyone has been away for 30 min"
    ]
    assert writes(thermostat) == [("preset_mode", "away")]


@pytest.mark.usefixtures("household")
async def test_gps_flapping_at_the_home_zone_edge_restarts_the_delay(
    hass: HomeAssistant,
    setup_blueprint: SetupBlueprint,
    freezer: FrozenDateTimeFactory,
) -> None:
    await start_presence(hass, setup_blueprint, inputs())
    for who in ("alice", "bob"):
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
async def test_phone_going_quiet_overnight_keeps_the_current_setting(
    hass: HomeAssistant,
    setup_blueprint: SetupBlueprint,
    freezer: FrozenDateTimeFactory,
    thermostat: FakeThermostat,
) -> None:
    await start_presence(hass, setup_blueprint, inputs())
    await move(hass, "bob", "not_home")
    await move(hass, "alice", "unavailable")  # phone asleep: person becomes unknown
    assert hass.states.get("person.alice").state == "unknown"
    await tick(hass, freezer, hours=8)
    assert preset(hass) == "home"
    assert writes(thermostat) == []


@pytest.mark.usefixtures("household")
async def test_first_arrival_sets_home_and_the_second_writes_nothing(
    hass: HomeAssistant,
    setup_blueprint: SetupBlueprint,
    freezer: FrozenDateTimeFactory,
    logbook_calls: list[ServiceCall],
    thermostat: FakeThermostat,
) -> None:
    await start_presence(hass, setup_blueprint, inputs())
    await everyone_away_and_settled(hass, freezer)
    await move(hass, "bob", "home")
    assert preset(hass) == "home"
    assert messages(logbook_calls)[-1] == "set home (home): Bob is home"
    await move(hass, "alice", "home")
    await tick(hass, freezer, minutes=10)
    assert writes(thermostat) == [("preset_mode", "away"), ("preset_mode", "home")]


@pytest.mark.usefixtures("household")
async def test_arrival_confirmation_waits_before_home(
    hass: HomeAssistant,
    setup_blueprint: SetupBlueprint,
    freezer: FrozenDateTimeFactory,
) -> None:
    await start_presence(hass, setup_blueprint, inputs(arrival_delay=120))
    await everyone_away_and_settled(hass, freezer)
    await move(hass, "bob", "home")
    await tick(hass, freezer, seconds=100)
    assert preset(hass) == "away"
    await tick(hass, freezer, seconds=21)
    assert preset(hass) == "home"


@pytest.mark.usefixtures("household")
async def test_expected_arrival_preheats_and_the_person_arrives(
    hass: HomeAssistant,
    setup_blueprint: SetupBlueprint,
    freezer: FrozenDateTimeFactory,
    logbook_calls: list[ServiceCall],
    thermostat: FakeThermostat,
) -> None:
    hass.states.async_set(TTT, "40", {"unit_of_measurement": "min"})
    travel(hass, ALICE_ETA, 120)
    hass.states.async_set(ALICE_DIRECTION, "stationary")
    await start_presence(hass, setup_blueprint, alice_travels())
    await everyone_away_and_settled(hass, freezer)

    hass.states.async_set(ALICE_DIRECTION, "towards")
    travel(hass, ALICE_ETA, 70)
    await tick(hass, freezer, minutes=5)
    assert preset(hass) == "away"  # 70 min away, 40 + 10 needed

    travel(hass, ALICE_ETA, 48)
    await tick(hass, freezer, seconds=30)
    assert preset(hass) == "away"  # confirmation time not over
    await tick(hass, freezer, seconds=31)
    assert preset(hass) == "home"
    assert messages(logbook_calls)[-1] == (
        "set home (home): Alice is expected home in 48 min, within the time to "
        "temperature (40 min) + 10 min"
    )

    await tick(hass, freezer, minutes=25)
    await move(hass, "alice", "home")
    await tick(hass, freezer, minutes=40)
    assert preset(hass) == "home"
    assert writes(thermostat) == [("preset_mode", "away"), ("preset_mode", "home")]


@pytest.mark.usefixtures("household")
async def test_drive_by_goes_back_to_away(
    hass: HomeAssistant,
    setup_blueprint: SetupBlueprint,
    freezer: FrozenDateTimeFactory,
    logbook_calls: list[ServiceCall],
) -> None:
    travel(hass, ALICE_ETA, 120)
    hass.states.async_set(ALICE_DIRECTION, "away_from")
    await start_presence(hass, setup_blueprint, alice_travels())
    await everyone_away_and_settled(hass, freezer)

    # No time-to-temperature value: the 30 min fallback applies (30 + 10 >= 35).
    hass.states.async_set(ALICE_DIRECTION, "towards")
    travel(hass, ALICE_ETA, 35)
    await tick(hass, freezer, seconds=61)
    assert preset(hass) == "home"

    hass.states.async_set(ALICE_DIRECTION, "away_from")
    await tick(hass, freezer, minutes=29)
    assert preset(hass) == "home"
    await tick(hass, freezer, minutes=2)
    assert preset(hass) == "away"
    assert messages(logbook_calls)[-1] == (
        "set away (away): nobody arrived within the drive-by window of 30 min"
    )


@pytest.mark.usefixtures("household")
async def test_close_but_heading_away_does_not_preheat(
    hass: HomeAssistant,
    setup_blueprint: SetupBlueprint,
    freezer: FrozenDateTimeFactory,
) -> None:
    hass.states.async_set(TTT, "20", {"unit_of_measurement": "min"})
    hass.states.async_set(ALICE_DIRECTION, "away_from")
    hass.states.async_set(ALICE_DISTANCE, "2000", {"unit_of_measurement": "m"})
    config = alice_travels(
        traveller_1_travel_time="", traveller_1_distance=ALICE_DISTANCE
    )
    await start_presence(hass, setup_blueprint, config)
    await everyone_away_and_settled(hass, freezer)
    hass.states.async_set(ALICE_DISTANCE, "1500", {"unit_of_measurement": "m"})
    await tick(hass, freezer, minutes=5)
    assert preset(hass) == "away"

    # 1.5 km at 40 km/h is ~2 min: heading home now preheats.
    hass.states.async_set(ALICE_DIRECTION, "towards")
    await tick(hass, freezer, minutes=2)
    assert preset(hass) == "home"


@pytest.mark.usefixtures("household")
async def test_guest_mode_keeps_home_and_releases_to_away(
    hass: HomeAssistant,
    setup_blueprint: SetupBlueprint,
    freezer: FrozenDateTimeFactory,
    logbook_calls: list[ServiceCall],
) -> None:
    await start_presence(hass, setup_blueprint, inputs())
    await switch(hass, "input_boolean.guests", True)
    for who in ("alice", "bob"):
        await move(hass, who, "not_home")
    await tick(hass, freezer, hours=3)
    assert preset(hass) == "home"

    await switch(hass, "input_boolean.guests", False)
    assert preset(hass) == "away"
    assert messages(logbook_calls) == [
        "set away (away): everyone has been away for 30 min"
    ]


@pytest.mark.usefixtures("household")
async def test_vacation_mode_blocks_preheat_and_arrival(
    hass: HomeAssistant,
    setup_blueprint: SetupBlueprint,
    freezer: FrozenDateTimeFactory,
) -> None:
    travel(hass, ALICE_ETA, 120)
    hass.states.async_set(ALICE_DIRECTION, "away_from")
    await start_presence(hass, setup_blueprint, alice_travels())
    await everyone_away_and_settled(hass, freezer)
    await switch(hass, "input_boolean.vacation", True)

    travel(hass, ALICE_ETA, 5)
    hass.states.async_set(ALICE_DIRECTION, "towards")
    await tick(hass, freezer, minutes=2)
    await move(hass, "alice", "home")  # the house sitter's phone
    await tick(hass, freezer, minutes=2)
    assert preset(hass) == "away"

    await switch(hass, "input_boolean.vacation", False)
    assert preset(hass) == "home"


@pytest.mark.usefixtures("household")
async def test_a_persons_change_is_left_alone_for_the_grace_period(
    hass: HomeAssistant,
    setup_blueprint: SetupBlueprint,
    freezer: FrozenDateTimeFactory,
    logbook_calls: list[ServiceCall],
    hass_admin_user: Any,
) -> None:
    await start_presence(hass, setup_blueprint, inputs(manual_grace=60))
    # A person switches to away from the app although people are home.
    await by_hand(hass, hass_admin_user, preset_mode="away")
    assert messages(logbook_calls) == [
        f"a person changed the thermostat; leaving it alone until {clock_in(60)}"
    ]
    await switch(hass, "input_boolean.guests", True)
    await tick(hass, freezer, minutes=59)
    assert preset(hass) == "away"
    await tick(hass, freezer, minutes=2)
    assert preset(hass) == "home"  # the grace is over: the facts (guests) rule again


@pytest.mark.usefixtures("household")
async def test_change_by_another_automation_is_respected(
    hass: HomeAssistant,
    setup_blueprint: SetupBlueprint,
    freezer: FrozenDateTimeFactory,
    logbook_calls: list[ServiceCall],
) -> None:
    await start_presence(hass, setup_blueprint, inputs(manual_grace=15))
    await hass.services.async_call(
        "climate",
        "set_temperature",
        {"entity_id": CLIMATE, "temperature": 71},
        blocking=True,
        context=Context(parent_id="someone-elses-trigger"),
    )
    await settle(hass)
    assert messages(logbook_calls) == [
        f"another automation changed the thermostat; leaving it alone until {clock_in(15)}"
    ]


@pytest.mark.usefixtures("household")
async def test_own_changes_and_polls_do_not_start_a_hold(
    hass: HomeAssistant,
    setup_blueprint: SetupBlueprint,
    freezer: FrozenDateTimeFactory,
    thermostat: FakeThermostat,
    logbook_calls: list[ServiceCall],
) -> None:
    await start_presence(hass, setup_blueprint, inputs())
    await everyone_away_and_settled(hass, freezer)
    thermostat._attr_current_temperature = 63  # a poll: no person, no automation
    thermostat._attr_target_temperature = (
        62  # the device's own schedule moved a setpoint
    )
    thermostat.async_write_ha_state()
    await move(hass, "alice", "home")
    assert preset(hass) == "home"  # not held by its own away switch
    assert not any("changed the thermostat" in m for m in messages(logbook_calls))


@pytest.mark.usefixtures("household")
async def test_a_preset_changed_at_the_thermostat_itself_starts_a_hold(
    hass: HomeAssistant,
    setup_blueprint: SetupBlueprint,
    freezer: FrozenDateTimeFactory,
    thermostat: FakeThermostat,
    logbook_calls: list[ServiceCall],
) -> None:
    await start_presence(hass, setup_blueprint, inputs(manual_grace=60))
    await everyone_away_and_settled(hass, freezer)
    await tick(hass, freezer, minutes=1)
    thermostat._attr_preset_mode = (
        "home"  # someone pressed Home on its screen (seen by a poll)
    )
    thermostat.async_write_ha_state()
    await settle(hass)
    assert messages(logbook_calls)[-1] == (
        "someone at the thermostat changed the thermostat; leaving it alone until "
        f"{clock_in(60)}"
    )
    await tick(hass, freezer, minutes=59)
    assert preset(hass) == "home"
    await tick(hass, freezer, minutes=2)
    assert preset(hass) == "away"


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
    await start_presence(
        hass,
        setup_blueprint,
        inputs(eco_heat_temperature=60, home_heat_temperature=69),
    )
    assert attribute(hass, "temperature") == 69  # at start-up: home, as the facts say
    for who in ("alice", "bob"):
        await move(hass, who, "not_home")
    await tick(hass, freezer, minutes=31)
    assert attribute(hass, "temperature") == 60

    await hass.services.async_call(
        "climate",
        "set_hvac_mode",
        {"entity_id": CLIMATE, "hvac_mode": "heat_cool"},
        blocking=True,
    )
    await tick(hass, freezer, minutes=1)
    await move(hass, "bob", "home")
    assert (
        attribute(hass, "target_temp_low"),
        attribute(hass, "target_temp_high"),
    ) == (
        69,
        75,
    )


@pytest.mark.usefixtures("household")
async def test_started_with_everyone_away_sets_away_once_the_delay_is_over(
    hass: HomeAssistant,
    setup_blueprint: SetupBlueprint,
    freezer: FrozenDateTimeFactory,
) -> None:
    for who in ("alice", "bob"):
        await move(hass, who, "not_home")
    await tick(hass, freezer, minutes=10)
    await start_presence(hass, setup_blueprint, inputs())
    await tick(hass, freezer, minutes=19)
    assert preset(hass) == "home"
    await tick(hass, freezer, minutes=2)
    assert preset(hass) == "away"


# ----- what the review found -----------------------------------------------------------------
@pytest.mark.usefixtures("household")
async def test_everyone_away_is_not_lost_during_a_hold_while_travel_times_update(
    hass: HomeAssistant,
    setup_blueprint: SetupBlueprint,
    freezer: FrozenDateTimeFactory,
    thermostat: FakeThermostat,
    hass_admin_user: Any,
) -> None:
    travel(hass, ALICE_ETA, 15)
    travel(hass, BOB_ETA, 20)
    config = inputs(
        traveller_1_person="person.alice",
        traveller_1_travel_time=ALICE_ETA,
        traveller_2_person="person.bob",
        traveller_2_travel_time=BOB_ETA,
        manual_grace=60,
    )
    await start_presence(hass, setup_blueprint, config)
    await by_hand(hass, hass_admin_user, temperature=70)
    for who in ("alice", "bob"):
        await move(hass, who, "not_home")
    # Both drive further away; their travel times update every 5 minutes for 4 hours.
    for step in range(48):
        travel(hass, ALICE_ETA, 60 + step)
        travel(hass, BOB_ETA, 80 + step)
        await tick(hass, freezer, minutes=5)
        if step == 10:  # 55 min: the hold still runs
            assert preset(hass) == "home"
        if step == 12:  # 65 min: the hold ended at 60, everyone away since 0
            assert preset(hass) == "away"
    assert preset(hass) == "away"
    assert writes(thermostat) == [
        ("temperature", {"temperature": 70}),
        ("preset_mode", "away"),
    ]


@pytest.mark.usefixtures("household")
async def test_a_hundred_travel_time_updates_during_a_hold_lose_nothing(
    hass: HomeAssistant,
    setup_blueprint: SetupBlueprint,
    freezer: FrozenDateTimeFactory,
    thermostat: FakeThermostat,
    hass_admin_user: Any,
) -> None:
    travel(hass, ALICE_ETA, 200)
    hass.states.async_set(TTT, "30", {"unit_of_measurement": "min"})
    await start_presence(
        hass, setup_blueprint, alice_travels(manual_grace=60, heading_confirm=0)
    )
    await everyone_away_and_settled(hass, freezer)
    await by_hand(hass, hass_admin_user, temperature=66)
    hass.states.async_set(ALICE_DIRECTION, "towards")
    for update in range(100):  # every 30 s for 50 min, coming closer
        travel(hass, ALICE_ETA, 200 - 2 * update)
        await tick(hass, freezer, seconds=30)
    assert writes(thermostat)[-1] == ("temperature", {"temperature": 66})
    travel(hass, ALICE_ETA, 35)  # within 30 + 10 now, during the hold
    await tick(hass, freezer, minutes=9)
    assert preset(hass) == "away"
    await tick(hass, freezer, minutes=2)  # the hold ends at 60 min
    assert preset(hass) == "home"
    assert writes(thermostat)[-1] == ("preset_mode", "home")


@pytest.mark.usefixtures("household")
async def test_a_switch_due_while_the_thermostat_is_unavailable_lands_when_it_returns(
    hass: HomeAssistant,
    setup_blueprint: SetupBlueprint,
    freezer: FrozenDateTimeFactory,
    thermostat: FakeThermostat,
    logbook_calls: list[ServiceCall],
) -> None:
    await start_presence(hass, setup_blueprint, inputs())
    await everyone_away_and_settled(hass, freezer)
    thermostat.set_available(False)
    await move(hass, "alice", "home")
    await tick(hass, freezer, minutes=30)
    assert hass.states.get(CLIMATE).state == "unavailable"
    thermostat.set_available(True)  # back, still showing away: not anyone's change
    await settle(hass)
    assert preset(hass) == "home"
    assert messages(logbook_calls)[-1] == "set home (home): Alice is home"


@pytest.mark.usefixtures("household")
async def test_a_failed_write_is_retried_with_backoff_until_it_lands(
    hass: HomeAssistant,
    setup_blueprint: SetupBlueprint,
    freezer: FrozenDateTimeFactory,
    thermostat: FakeThermostat,
    logbook_calls: list[ServiceCall],
) -> None:
    await start_presence(hass, setup_blueprint, inputs())
    thermostat.failures = 3
    for who in ("alice", "bob"):
        await move(hass, who, "not_home")
    await tick(hass, freezer, minutes=30, seconds=1)
    assert len(writes(thermostat)) == 1  # failed
    assert messages(logbook_calls) == [
        "could not set away (away) (Living room did not answer); retrying"
    ]
    await tick(hass, freezer, seconds=11)  # 2nd attempt after 10 s
    assert len(writes(thermostat)) == 2
    await tick(hass, freezer, seconds=20)
    assert len(writes(thermostat)) == 2  # the 3rd waits 30 s
    await tick(hass, freezer, seconds=11)
    assert len(writes(thermostat)) == 3
    await tick(hass, freezer, seconds=61)
    assert preset(hass) == "away"
    assert writes(thermostat) == [("preset_mode", "away")] * 4
    assert messages(logbook_calls)[-1] == (
        "set away (away): everyone has been away for 30 min (after 4 attempts)"
    )


@pytest.mark.usefixtures("household")
async def test_a_failing_write_is_dropped_when_the_house_needs_something_else(
    hass: HomeAssistant,
    setup_blueprint: SetupBlueprint,
    freezer: FrozenDateTimeFactory,
    thermostat: FakeThermostat,
) -> None:
    await start_presence(hass, setup_blueprint, inputs())
    thermostat.failures = 2
    for who in ("alice", "bob"):
        await move(hass, who, "not_home")
    await tick(hass, freezer, minutes=30, seconds=1)
    await tick(hass, freezer, seconds=11)
    await move(
        hass, "bob", "home"
    )  # now home is due, and already there: nothing to write
    await tick(hass, freezer, minutes=30)
    assert writes(thermostat) == [("preset_mode", "away")] * 2
    assert preset(hass) == "home"


@pytest.mark.usefixtures("household")
async def test_distance_sensors_updating_faster_than_the_confirmation_still_preheat(
    hass: HomeAssistant,
    setup_blueprint: SetupBlueprint,
    freezer: FrozenDateTimeFactory,
) -> None:
    hass.states.async_set(TTT, "20", {"unit_of_measurement": "min"})
    hass.states.async_set(ALICE_DIRECTION, "towards")
    hass.states.async_set(ALICE_DISTANCE, "50000", {"unit_of_measurement": "m"})
    config = alice_travels(
        traveller_1_travel_time="", traveller_1_distance=ALICE_DISTANCE
    )
    await start_presence(hass, setup_blueprint, config)
    await everyone_away_and_settled(hass, freezer)
    # Proximity updates every 30 s while Alice drives in at ~40 km/h (20 m per ... 333 m/30 s).
    distance = 19000.0  # 28.5 min: within 20 + 10 from the first reading
    for _ in range(3):
        hass.states.async_set(
            ALICE_DISTANCE, str(distance), {"unit_of_measurement": "m"}
        )
        distance -= 333
        await tick(hass, freezer, seconds=30)
    assert preset(hass) == "home"  # confirmed after 60 s although no reading held still


@pytest.mark.usefixtures("household")
async def test_quick_hand_changes_do_not_stack_grace_periods(
    hass: HomeAssistant,
    setup_blueprint: SetupBlueprint,
    freezer: FrozenDateTimeFactory,
    hass_admin_user: Any,
) -> None:
    await start_presence(hass, setup_blueprint, inputs(manual_grace=60))
    for who in ("alice", "bob"):
        await move(hass, who, "not_home")
    for temperature in (70, 71, 72):  # three changes within 2 minutes
        await by_hand(hass, hass_admin_user, temperature=temperature)
        await tick(hass, freezer, minutes=1)
    await tick(hass, freezer, minutes=58)  # 61 min: the last change was at 2
    assert preset(hass) == "home"
    await tick(hass, freezer, minutes=2)  # 63 min
    assert preset(hass) == "away"


@pytest.mark.usefixtures("household")
async def test_travel_time_and_direction_are_judged_per_person(
    hass: HomeAssistant,
    setup_blueprint: SetupBlueprint,
    freezer: FrozenDateTimeFactory,
    thermostat: FakeThermostat,
) -> None:
    hass.states.async_set(TTT, "30", {"unit_of_measurement": "min"})
    travel(hass, ALICE_ETA, 200)
    travel(hass, BOB_ETA, 200)
    hass.states.async_set(ALICE_DIRECTION, "away_from")
    hass.states.async_set(BOB_DIRECTION, "towards")
    config = alice_travels(
        traveller_2_person="person.bob",
        traveller_2_travel_time=BOB_ETA,
        traveller_2_direction=BOB_DIRECTION,
    )
    await start_presence(hass, setup_blueprint, config)
    await everyone_away_and_settled(hass, freezer)
    # Alice is 8 min out heading away, Bob 120 min out heading home: nobody is coming soon.
    for _ in range(12):
        travel(hass, ALICE_ETA, 8)
        travel(hass, BOB_ETA, 120)
        await tick(hass, freezer, minutes=5)
    assert preset(hass) == "away"
    assert writes(thermostat) == [("preset_mode", "away")]


@pytest.mark.usefixtures("household")
@pytest.mark.parametrize("presets", [True, False], ids=["presets", "setpoints"])
async def test_the_drive_by_revert_never_overwrites_a_hand_change(
    hass: HomeAssistant,
    setup_blueprint: SetupBlueprint,
    freezer: FrozenDateTimeFactory,
    *,
    thermostat: FakeThermostat,
    hass_admin_user: Any,
    presets: bool,
) -> None:
    if not presets:
        thermostat._attr_preset_modes = None
        thermostat._attr_preset_mode = None
        thermostat.async_write_ha_state()
    travel(hass, ALICE_ETA, 120)
    hass.states.async_set(ALICE_DIRECTION, "towards")
    await start_presence(hass, setup_blueprint, alice_travels(manual_grace=60))
    for who in ("alice", "bob"):
        await move(hass, who, "not_home")
    await tick(hass, freezer, minutes=31)
    travel(hass, ALICE_ETA, 20)
    await tick(hass, freezer, seconds=61)  # preheat
    hass.states.async_set(ALICE_DIRECTION, "away_from")  # a drive-by
    await tick(hass, freezer, minutes=10)
    await by_hand(hass, hass_admin_user, temperature=71)  # ... and a hand setpoint
    await tick(hass, freezer, minutes=25)  # the drive-by window is over
    assert attribute(hass, "temperature") == 71
    await tick(hass, freezer, minutes=34)
    assert attribute(hass, "temperature") == 71  # still within the person's grace
    await tick(hass, freezer, minutes=2)
    if presets:
        assert preset(hass) == "away"
    else:
        assert attribute(hass, "temperature") == 62


@pytest.mark.usefixtures("household")
async def test_moving_between_away_places_keeps_the_away_delay(
    hass: HomeAssistant,
    setup_blueprint: SetupBlueprint,
    freezer: FrozenDateTimeFactory,
) -> None:
    await start_presence(hass, setup_blueprint, inputs())
    await move(hass, "bob", "Work")
    for who in ("alice",):
        await move(hass, who, "not_home")
    await tick(hass, freezer, minutes=20)
    await move(hass, "alice", "Work")  # arrives at work: still away since minute 0
    for _ in range(9):  # and Bob's phone flaps at the Work zone edge
        await move(hass, "bob", "not_home")
        await tick(hass, freezer, seconds=30)
        await move(hass, "bob", "Work")
        await tick(hass, freezer, seconds=30)
    assert preset(hass) == "home"  # minute 29
    await tick(hass, freezer, minutes=2)
    assert preset(hass) == "away"


@pytest.mark.usefixtures("household")
async def test_another_automation_setting_one_of_our_presets_starts_a_hold(
    hass: HomeAssistant,
    setup_blueprint: SetupBlueprint,
    freezer: FrozenDateTimeFactory,
    logbook_calls: list[ServiceCall],
) -> None:
    await start_presence(hass, setup_blueprint, inputs(manual_grace=30))
    await hass.services.async_call(
        "climate",
        "set_preset_mode",
        {"entity_id": CLIMATE, "preset_mode": "away"},
        blocking=True,
        context=Context(parent_id="a-bedtime-automation"),
    )
    await settle(hass)
    assert messages(logbook_calls)[-1].startswith("another automation changed")
    await tick(hass, freezer, minutes=29)
    assert preset(hass) == "away"  # not taken for our own, not overridden
    await tick(hass, freezer, minutes=2)
    assert preset(hass) == "home"


@pytest.mark.usefixtures("household")
async def test_time_to_temperature_rising_past_a_steady_travel_time_preheats(
    hass: HomeAssistant,
    setup_blueprint: SetupBlueprint,
    freezer: FrozenDateTimeFactory,
) -> None:
    hass.states.async_set(TTT, "20", {"unit_of_measurement": "min"})
    travel(hass, ALICE_ETA, 40)
    hass.states.async_set(ALICE_DIRECTION, "towards")
    await start_presence(hass, setup_blueprint, alice_travels())
    await everyone_away_and_settled(hass, freezer)
    await tick(hass, freezer, minutes=5)
    assert preset(hass) == "away"  # 40 > 20 + 10
    hass.states.async_set(TTT, "35", {"unit_of_measurement": "min"})  # it got colder
    await tick(hass, freezer, seconds=61)
    assert preset(hass) == "home"


@pytest.mark.usefixtures("household")
async def test_a_late_but_coming_resident_is_not_sent_away_and_back_at_the_window_end(
    hass: HomeAssistant,
    setup_blueprint: SetupBlueprint,
    freezer: FrozenDateTimeFactory,
    thermostat: FakeThermostat,
) -> None:
    hass.states.async_set(TTT, "20", {"unit_of_measurement": "min"})
    travel(hass, ALICE_ETA, 120)
    hass.states.async_set(ALICE_DIRECTION, "towards")
    await start_presence(hass, setup_blueprint, alice_travels())
    await everyone_away_and_settled(hass, freezer)
    travel(hass, ALICE_ETA, 25)
    await tick(hass, freezer, seconds=61)
    assert preset(hass) == "home"
    for _ in range(10):  # stuck in traffic, still coming, estimates every 5 min
        await tick(hass, freezer, minutes=5)
        travel(hass, ALICE_ETA, 24)
    await move(hass, "alice", "home")
    await tick(hass, freezer, minutes=5)
    assert writes(thermostat) == [("preset_mode", "away"), ("preset_mode", "home")]


@pytest.mark.usefixtures("household")
async def test_a_negative_travel_time_never_preheats(
    hass: HomeAssistant,
    setup_blueprint: SetupBlueprint,
    freezer: FrozenDateTimeFactory,
) -> None:
    travel(hass, ALICE_ETA, 120)
    hass.states.async_set(ALICE_DIRECTION, "towards")
    await start_presence(hass, setup_blueprint, alice_travels())
    await everyone_away_and_settled(hass, freezer)
    travel(hass, ALICE_ETA, -3)
    await tick(hass, freezer, minutes=10)
    assert preset(hass) == "away"


@pytest.mark.usefixtures("household")
async def test_a_non_numeric_travel_time_does_not_hide_another_residents_estimate(
    hass: HomeAssistant,
    setup_blueprint: SetupBlueprint,
    freezer: FrozenDateTimeFactory,
) -> None:
    travel(hass, ALICE_ETA, 120)
    travel(hass, BOB_ETA, 120)
    config = inputs(
        traveller_1_person="person.alice",
        traveller_1_travel_time=ALICE_ETA,
        traveller_2_person="person.bob",
        traveller_2_travel_time=BOB_ETA,
    )
    await start_presence(hass, setup_blueprint, config)
    await everyone_away_and_settled(hass, freezer)
    travel(hass, ALICE_ETA, "unknown")
    travel(hass, BOB_ETA, 12)
    await tick(hass, freezer, seconds=61)
    assert preset(hass) == "home"


async def test_default_setpoints_follow_the_house_unit(
    hass: HomeAssistant,
    setup_blueprint: SetupBlueprint,
    freezer: FrozenDateTimeFactory,
) -> None:
    thermostat = await make_thermostat(hass, presets=False)
    thermostat._attr_temperature_unit = "°C"
    thermostat._attr_min_temp, thermostat._attr_max_temp = 5, 35
    thermostat._attr_target_temperature = 21
    thermostat.async_write_ha_state()
    await make_household(hass, metric=True)
    await start_presence(hass, setup_blueprint, inputs())
    assert attribute(hass, "temperature") == 20
    for who in ("alice", "bob"):
        await move(hass, who, "not_home")
    await tick(hass, freezer, minutes=31)
    assert attribute(hass, "temperature") == 17
    await switch(hass, "input_boolean.vacation", True)
    assert attribute(hass, "temperature") == 13


# ----- standing down -------------------------------------------------------------------------
@pytest.mark.usefixtures("household")
async def test_turning_the_automation_off_stands_down_and_on_takes_over_again(
    hass: HomeAssistant,
    setup_blueprint: SetupBlueprint,
    freezer: FrozenDateTimeFactory,
    thermostat: FakeThermostat,
) -> None:
    await start_presence(hass, setup_blueprint, inputs())
    await hass.services.async_call(
        "automation", "turn_off", {"entity_id": AUTOMATION}, blocking=True
    )
    for who in ("alice", "bob"):
        await move(hass, who, "not_home")
    await tick(hass, freezer, hours=2)
    assert preset(hass) == "home"
    assert writes(thermostat) == []

    await hass.services.async_call(
        "automation", "turn_on", {"entity_id": AUTOMATION}, blocking=True
    )
    await settle(hass)
    assert preset(hass) == "away"  # away since 2 h: the delay is long over


@pytest.mark.usefixtures("household")
async def test_deleting_the_automation_stands_down_for_good(
    hass: HomeAssistant,
    setup_blueprint: SetupBlueprint,
    freezer: FrozenDateTimeFactory,
    thermostat: FakeThermostat,
) -> None:
    await start_presence(hass, setup_blueprint, inputs())
    hass.states.async_remove(AUTOMATION)  # what removing the entity does to its state
    await settle(hass)
    for who in ("alice", "bob"):
        await move(hass, who, "not_home")
    await tick(hass, freezer, hours=2)
    assert writes(thermostat) == []


@pytest.mark.usefixtures("household")
async def test_the_action_answers_with_the_decision_and_refuses_strangers(
    hass: HomeAssistant,
    setup_blueprint: SetupBlueprint,
) -> None:
    await start_presence(hass, setup_blueprint, inputs())
    answer = await hass.services.async_call(
        "venstar_local",
        "presence_eco",
        {"automation": AUTOMATION, **inputs()},
        blocking=True,
        return_response=True,
    )
    assert answer is not None
    assert (answer["setting"], answer["reason"], answer["held"]) == (
        "home",
        "Alice and Bob are home",
        False,
    )
    from homeassistant.exceptions import ServiceValidationError

    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            "venstar_local",
            "presence_eco",
            {"automation": "automation.nobody", **inputs()},
            blocking=True,
        )
    assert err.value.translation_key == "presence_unknown_automation"


# ----- robustness ----------------------------------------------------------------------------
@pytest.mark.usefixtures("household")
async def test_a_write_that_hangs_times_out_and_is_retried(
    hass: HomeAssistant,
    setup_blueprint: SetupBlueprint,
    thermostat: FakeThermostat,
    logbook_calls: list[ServiceCall],
) -> None:
    thermostat.stall = asyncio.Event()
    with patch.object(controller, "WRITE_TIMEOUT", 0.01):
        await start_presence(hass, setup_blueprint, inputs(away_delay=0))
        for who in ("alice", "bob"):
            await move(hass, who, "not_home")
        await asyncio.sleep(0.1)  # real time: the write gives up
        await settle(hass)
    assert messages(logbook_calls) == [
        "could not set away (away) (TimeoutError); retrying"
    ]
    thermostat.stall.set()
    await hass.async_block_till_done()


@pytest.mark.usefixtures("household")
async def test_stopping_mid_write_saves_what_it_knows(
    hass: HomeAssistant,
    setup_blueprint: SetupBlueprint,
    thermostat: FakeThermostat,
    hass_storage: dict[str, Any],
) -> None:
    thermostat.stall = asyncio.Event()
    await start_presence(hass, setup_blueprint, inputs(away_delay=0))
    for who in ("alice", "bob"):
        await move(hass, who, "not_home")
    assert writes(thermostat) == [("preset_mode", "away")]  # sent, no answer yet
    await hass.async_stop()
    record = hass_storage["venstar_local.presence"]["data"]["controllers"][AUTOMATION]
    assert record["memory"]["setting"] == "away"
    assert record["memory"]["stays"]["person.alice"]["place"] == "away"


@pytest.mark.usefixtures("household")
async def test_a_pass_that_fails_is_logged_and_the_next_one_runs(
    hass: HomeAssistant,
    setup_blueprint: SetupBlueprint,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    await start_presence(hass, setup_blueprint, inputs())
    real = controller.read_facts
    with patch.object(
        controller, "read_facts", side_effect=[RuntimeError("bad state"), real, real]
    ):
        for who in ("alice", "bob"):
            await move(hass, who, "not_home")
    assert "Presence eco for automation.under_test failed a pass" in caplog.text
    await tick(hass, freezer, minutes=31)
    assert preset(hass) == "away"


async def test_presence_takes_over_as_soon_as_venstar_local_is_set_up_after_start(
    hass: HomeAssistant,
    setup_blueprint: SetupBlueprint,
    freezer: FrozenDateTimeFactory,
) -> None:
    await make_thermostat(hass)
    await make_household(hass, venstar_local=False)
    for who in ("alice", "bob"):
        await move(hass, who, "not_home")
    await tick(hass, freezer, hours=1)
    # Started without Venstar Local: the hand-over at start-up finds no action ...
    await start_presence(hass, setup_blueprint, inputs())
    assert preset(hass) == "home"
    # ... until the integration is added.
    assert await async_setup_component(hass, "venstar_local", {"venstar_local": {}})
    await tick(hass, freezer, seconds=1)
    assert preset(hass) == "away"  # the trackers are away since an hour


@pytest.mark.usefixtures("household")
async def test_its_writes_are_changes_made_by_an_automation_to_everyone_else(
    hass: HomeAssistant,
    setup_blueprint: SetupBlueprint,
    freezer: FrozenDateTimeFactory,
) -> None:
    await start_presence(hass, setup_blueprint, inputs())
    await everyone_away_and_settled(hass, freezer)
    context = hass.states.get(CLIMATE).context
    assert context.user_id is None
    assert (
        context.parent_id is not None
    )  # the automation run that handed over the inputs
