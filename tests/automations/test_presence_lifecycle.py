"""Presence eco lived with for weeks: grace periods, clocks, failures after a hold, and two
automations on one thermostat.

Real person, zone and helper entities, a real climate entity behind Home Assistant's service
layer, the automation a user creates from the blueprint; the clock is frozen and moved.
"""

from __future__ import annotations

from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import EVENT_HOMEASSISTANT_STARTED
from homeassistant.core import Context, CoreState, HomeAssistant, ServiceCall
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import issue_registry as ir
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import async_fire_time_changed

from .conftest import SetupBlueprint
from .entities import FakeThermostat
from .helpers import settle, tick
from .presence_house import (
    ALICE_DIRECTION,
    ALICE_ETA,
    AUTOMATION,
    BOB_ETA,
    CLIMATE,
    alice_travels,
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
SECOND = "automation.second"


async def by_hand(hass: HomeAssistant, user: Any, preset_mode: str) -> None:
    await hass.services.async_call(
        "climate",
        "set_preset_mode",
        {"entity_id": CLIMATE, "preset_mode": preset_mode},
        blocking=True,
        context=Context(user_id=user.id),
    )
    await settle(hass)


async def everyone_leaves(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    for who in ("alice", "bob"):
        await move(hass, who, "not_home")
    await tick(hass, freezer, minutes=31)
    assert preset(hass) == "away"


@pytest.mark.usefixtures("household")
async def test_with_no_grace_period_a_hand_change_is_undone_at_once(
    hass: HomeAssistant,
    setup_blueprint: SetupBlueprint,
    freezer: FrozenDateTimeFactory,
    thermostat: FakeThermostat,
    hass_admin_user: Any,
) -> None:
    """Grace 0 means "do not leave it alone": the facts rule again at once."""
    await start_presence(hass, setup_blueprint, inputs(manual_grace=0))
    await everyone_leaves(hass, freezer)
    await by_hand(hass, hass_admin_user, "home")
    assert preset(hass) == "away"
    assert writes(thermostat) == [
        ("preset_mode", "away"),
        ("preset_mode", "home"),
        ("preset_mode", "away"),
    ]


@pytest.mark.usefixtures("household")
async def test_a_clock_set_back_does_not_stretch_a_hold(
    hass: HomeAssistant,
    setup_blueprint: SetupBlueprint,
    freezer: FrozenDateTimeFactory,
    hass_admin_user: Any,
) -> None:
    """The wall clock jumps back two hours (NTP correcting a wrong clock) during a hold."""
    await start_presence(hass, setup_blueprint, inputs(manual_grace=60))
    await everyone_leaves(hass, freezer)
    await by_hand(hass, hass_admin_user, "home")
    freezer.tick(-7200)
    # The loop's own clock does not go back: the minute tick comes as usual.
    async_fire_time_changed(hass, fire_all=True)
    await settle(hass)
    await tick(hass, freezer, minutes=59)
    assert preset(hass) == "home"
    await tick(hass, freezer, minutes=2)
    assert preset(hass) == "away"  # 61 min after the change, not 3 h


@pytest.mark.usefixtures("household")
async def test_the_away_delay_ending_while_someone_is_on_the_way_back_keeps_home(
    hass: HomeAssistant,
    setup_blueprint: SetupBlueprint,
    freezer: FrozenDateTimeFactory,
    thermostat: FakeThermostat,
) -> None:
    """Bob left first; Alice is already driving back when the away delay runs out."""
    hass.states.async_set(TTT, "20", {"unit_of_measurement": "min"})
    travel(hass, ALICE_ETA, 15)
    hass.states.async_set(ALICE_DIRECTION, "away_from")
    await start_presence(hass, setup_blueprint, alice_travels())
    for who in ("alice", "bob"):
        await move(hass, who, "not_home")
    await tick(hass, freezer, minutes=10)
    hass.states.async_set(ALICE_DIRECTION, "towards")  # she turns back, 15 min out
    await tick(hass, freezer, minutes=25)  # the away delay ended at 30
    assert preset(hass) == "home"
    await move(hass, "alice", "home")
    await tick(hass, freezer, minutes=5)
    assert writes(thermostat) == []  # never away and back


@pytest.mark.usefixtures("household")
async def test_a_rewrite_that_fails_after_a_hold_is_reported_and_retried_from_the_start(
    hass: HomeAssistant,
    setup_blueprint: SetupBlueprint,
    freezer: FrozenDateTimeFactory,
    *,
    thermostat: FakeThermostat,
    hass_admin_user: Any,
    logbook_calls: list[ServiceCall],
) -> None:
    """After a landed write, a new write that fails is a first failure again."""
    await start_presence(hass, setup_blueprint, inputs(manual_grace=30))
    await everyone_leaves(hass, freezer)
    await by_hand(hass, hass_admin_user, "home")
    thermostat.failures = 1
    await tick(hass, freezer, minutes=30, seconds=1)  # the hold ends: away again
    assert messages(logbook_calls)[-1] == (
        "could not set away (away) (Living room did not answer); retrying"
    )
    await tick(hass, freezer, seconds=11)  # the first retry comes after 10 s
    assert preset(hass) == "away"
    assert messages(logbook_calls)[-1] == (
        "set away (away): everyone has been away for 30 min (after 2 attempts)"
    )


async def test_every_person_leaves_out_persons_without_a_device_tracker(
    hass: HomeAssistant,
    setup_blueprint: SetupBlueprint,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A wall tablet's account is a person without a tracker: `unknown` for ever.

    Following every person, it is left out (it would keep the house at home for good);
    chosen as a resident, it is followed, and the log says why away never comes.
    """
    await make_thermostat(hass)
    await make_household(hass, untracked=("tablet",))
    assert hass.states.get("person.tablet").state == "unknown"
    await start_presence(hass, setup_blueprint, inputs(people=[]))
    await everyone_leaves(hass, freezer)
    assert "no device tracker" not in caplog.text

    config = inputs(people=["person.alice", "person.bob", "person.tablet"])
    await hass.services.async_call(
        "venstar_local",
        "presence_eco",
        {"automation": AUTOMATION, **config},
        blocking=True,
    )
    await settle(hass)
    assert (
        "automation.under_test: person.tablet has no device tracker, so is never known "
        "to be away"
    ) in caplog.text


@pytest.mark.usefixtures("household")
async def test_a_traveller_section_without_a_person_is_reported(
    hass: HomeAssistant,
    setup_blueprint: SetupBlueprint,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Sensors chosen in a traveller section whose person was forgotten are not guessed."""
    await start_presence(
        hass,
        setup_blueprint,
        inputs(
            traveller_2_travel_time=ALICE_ETA, traveller_2_direction=ALICE_DIRECTION
        ),
    )
    assert (
        "automation.under_test: traveller section 2 has sensors but no person"
        in caplog.text
    )


@pytest.mark.usefixtures("household")
async def test_turned_on_while_someone_is_on_the_way_back_no_away_comes_first(
    hass: HomeAssistant,
    setup_blueprint: SetupBlueprint,
    freezer: FrozenDateTimeFactory,
    thermostat: FakeThermostat,
) -> None:
    """Taking over (turned on, started) while Bob drives back: no away a minute before home.

    The confirmation of his heading starts when the controller first sees it; until it
    completes, the away that is long due waits.
    """
    hass.states.async_set(TTT, "20", {"unit_of_measurement": "min"})
    await start_presence(
        hass,
        setup_blueprint,
        inputs(traveller_1_person="person.bob", traveller_1_travel_time=BOB_ETA),
    )
    await hass.services.async_call(
        "automation", "turn_off", {"entity_id": AUTOMATION}, blocking=True
    )
    for who in ("alice", "bob"):
        await move(hass, who, "not_home")
    travel(hass, BOB_ETA, 25)  # no direction sensor: close enough counts
    await tick(hass, freezer, hours=1)
    await hass.services.async_call(
        "automation", "turn_on", {"entity_id": AUTOMATION}, blocking=True
    )
    await settle(hass)
    await tick(hass, freezer, seconds=61)
    assert preset(hass) == "home"  # preheat
    assert writes(thermostat) == []  # never away and back
    travel(hass, BOB_ETA, 200)  # he turned away after all
    await tick(hass, freezer, minutes=31)  # the drive-by window
    assert preset(hass) == "away"


@pytest.mark.usefixtures("household")
async def test_vacation_ending_while_a_phone_is_quiet_gets_home_not_vacation_kept(
    hass: HomeAssistant,
    setup_blueprint: SetupBlueprint,
    freezer: FrozenDateTimeFactory,
    thermostat: FakeThermostat,
    logbook_calls: list[ServiceCall],
) -> None:
    """Back from holiday, Bob's phone still off: he may be home, so vacation is not kept."""
    thermostat._attr_preset_modes = ["home", "away", "vacation"]
    thermostat.async_write_ha_state()
    await start_presence(hass, setup_blueprint, inputs(vacation_preset="vacation"))
    await everyone_leaves(hass, freezer)
    await switch(hass, "input_boolean.vacation", True)
    assert preset(hass) == "vacation"
    await move(hass, "bob", "unknown")
    await tick(hass, freezer, days=7)
    assert preset(hass) == "vacation"
    await switch(hass, "input_boolean.vacation", False)
    assert preset(hass) == "home"
    assert messages(logbook_calls)[-1] == (
        "set home (home): vacation mode is off; Bob is not known to be away "
        "(possibly home)"
    )


@pytest.mark.usefixtures("household")
async def test_vacation_ending_while_everyone_is_away_goes_to_away(
    hass: HomeAssistant,
    setup_blueprint: SetupBlueprint,
    freezer: FrozenDateTimeFactory,
    thermostat: FakeThermostat,
) -> None:
    thermostat._attr_preset_modes = ["home", "away", "vacation"]
    thermostat.async_write_ha_state()
    await start_presence(hass, setup_blueprint, inputs(vacation_preset="vacation"))
    await switch(hass, "input_boolean.vacation", True)
    for who in ("alice", "bob"):
        await move(hass, who, "not_home")
    await tick(hass, freezer, days=3)
    assert preset(hass) == "vacation"
    await switch(hass, "input_boolean.vacation", False)
    assert preset(hass) == "away"
    assert writes(thermostat) == [
        ("preset_mode", "vacation"),
        ("preset_mode", "away"),
    ]


# ----- two automations on one thermostat -----------------------------------------------------
def blueprint_automation(object_id: str, config: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": object_id,
        "alias": object_id.replace("_", " ").capitalize(),
        "use_blueprint": {
            "path": "local_home_bridge/presence_eco.yaml",
            "input": config,
        },
    }


@pytest.mark.usefixtures("household", "config_dir")
async def test_a_second_automation_for_the_same_thermostat_is_refused_until_the_first_is_off(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    thermostat: FakeThermostat,
    hass_admin_user: Any,
) -> None:
    """Each would take the other's switches for a person's change and hold off for the grace.

    The first to hand over keeps the thermostat; the second is refused with a repair issue
    naming both, and takes over as soon as the first is turned off.
    """
    hass.set_state(CoreState.not_running)
    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": [
                blueprint_automation("under_test", inputs()),
                blueprint_automation("second", inputs(people=["person.bob"])),
            ]
        },
    )
    await settle(hass)
    hass.bus.async_fire(EVENT_HOMEASSISTANT_STARTED)
    hass.set_state(CoreState.running)
    await settle(hass)
    issues = ir.async_get(hass)
    issue = issues.async_get_issue("venstar_local", f"presence_duplicate_{SECOND}")
    assert issue is not None
    assert issue.translation_placeholders == {
        "owner": AUTOMATION,
        "other": SECOND,
        "climate": CLIMATE,
    }
    with pytest.raises(ServiceValidationError) as refused:
        await hass.services.async_call(
            "venstar_local",
            "presence_eco",
            {"automation": SECOND, **inputs(people=["person.bob"])},
            blocking=True,
        )
    assert refused.value.translation_key == "presence_duplicate"

    # Only the first steers: Bob leaving is not enough while Alice is home.
    await move(hass, "bob", "not_home")
    await tick(hass, freezer, minutes=31)
    assert preset(hass) == "home"
    assert writes(thermostat) == []

    await hass.services.async_call(
        "automation", "turn_off", {"entity_id": AUTOMATION}, blocking=True
    )
    await settle(hass)
    assert preset(hass) == "away"  # the second took over: Bob is away since 31 min
    assert (
        issues.async_get_issue("venstar_local", f"presence_duplicate_{SECOND}") is None
    )

    # Turned on again, the first is now the one refused.
    await hass.services.async_call(
        "automation", "turn_on", {"entity_id": AUTOMATION}, blocking=True
    )
    await settle(hass)
    assert issues.async_get_issue("venstar_local", f"presence_duplicate_{AUTOMATION}")
    await hass.services.async_call(
        "automation", "turn_off", {"entity_id": SECOND}, blocking=True
    )
    await hass.services.async_call(
        "automation", "turn_off", {"entity_id": AUTOMATION}, blocking=True
    )
    await settle(hass)
    assert not [
        issue for issue in issues.issues.values() if issue.domain == "venstar_local"
    ]
