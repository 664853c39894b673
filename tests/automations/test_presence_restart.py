"""Presence eco across a Home Assistant restart: delays, preheat and holds are not stretched.

The first Home Assistant runs the house until the restart, then stops (saving what it must
remember); a second one starts on the same storage and configuration a few minutes later,
with the devices where they were.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant import loader
from homeassistant.const import EVENT_HOMEASSISTANT_STARTED
from homeassistant.core import Context, CoreState, HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import async_test_home_assistant

from .conftest import SetupBlueprint, async_setup_blueprint
from .entities import FakeThermostat
from .helpers import settle, tick
from .presence_house import (
    ALICE_DIRECTION,
    ALICE_ETA,
    AUTOMATION,
    CLIMATE,
    alice_travels,
    household,
    inputs,
    make_household,
    make_thermostat,
    move,
    preset,
    start_presence,
    thermostat,
    travel,
    writes,
)

__all__ = ["household", "thermostat"]

TTT = "sensor.living_room_time_to_temperature"

type Restart = Callable[[dict[str, Any], dict[str, str]], Awaitable[HomeAssistant]]


@pytest.fixture
async def restart(
    hass: HomeAssistant, config_dir: Path, freezer: FrozenDateTimeFactory
) -> AsyncIterator[Restart]:
    """Stop this Home Assistant, wait 5 minutes, start another on the same storage.

    `states` are the sensor values the new instance sees at start (the phones and the
    thermostat keep theirs). The old instance's automation is switched off first: in a test
    the stopped instance stays in memory, and its triggers must not fire any more.
    """
    started: list[HomeAssistant] = []

    async def _restart(config: dict[str, Any], states: dict[str, str]) -> HomeAssistant:
        phones = {
            who: hass.states.get(f"device_tracker.{who}_phone").state
            for who in ("alice", "bob")
        }
        old = hass.states.get(CLIMATE)
        await hass.services.async_call(
            "automation", "turn_off", {"entity_id": AUTOMATION}, blocking=True
        )
        await hass.async_stop()
        freezer.tick(300)
        new = await async_test_home_assistant(config_dir=str(config_dir)).__aenter__()
        started.append(new)
        new.data.pop(loader.DATA_CUSTOM_COMPONENTS)
        thermostat = await make_thermostat(new)
        thermostat._attr_preset_mode = old.attributes["preset_mode"]
        thermostat._attr_target_temperature = old.attributes["temperature"]
        thermostat.async_write_ha_state()
        await make_household(new)
        for who, where in phones.items():
            await move(new, who, where)
        for entity_id, value in states.items():
            new.states.async_set(entity_id, value, {"unit_of_measurement": "min"})
        # Automations start last, as on a real start-up (their start trigger fires then).
        new.set_state(CoreState.not_running)
        await async_setup_blueprint(new, "presence_eco.yaml", config)
        new.bus.async_fire(EVENT_HOMEASSISTANT_STARTED)
        new.set_state(CoreState.running)
        await settle(new)
        new.data["thermostat"] = thermostat
        return new

    yield _restart
    for instance in started:
        await instance.services.async_call(
            "automation", "turn_off", {"entity_id": AUTOMATION}, blocking=True
        )
        await instance.async_stop(force=True)


async def by_hand(hass: HomeAssistant, user: Any, temperature: float) -> None:
    await hass.services.async_call(
        "climate",
        "set_temperature",
        {"entity_id": CLIMATE, "temperature": temperature},
        blocking=True,
        context=Context(user_id=user.id),
    )
    await settle(hass)


@pytest.mark.usefixtures("household")
async def test_a_restart_during_the_away_delay_does_not_stretch_it(
    hass: HomeAssistant,
    setup_blueprint: SetupBlueprint,
    freezer: FrozenDateTimeFactory,
    restart: Restart,
) -> None:
    await start_presence(hass, setup_blueprint, inputs())
    for who in ("alice", "bob"):
        await move(hass, who, "not_home")
    await tick(hass, freezer, minutes=20)
    new = await restart(inputs(), {})  # back at minute 25
    await tick(new, freezer, minutes=4)
    assert preset(new) == "home"  # minute 29
    await tick(new, freezer, minutes=2)
    assert preset(new) == "away"  # minute 31, not 25 + 30


@pytest.mark.usefixtures("household")
async def test_a_restart_during_preheat_keeps_the_drive_by_window(
    hass: HomeAssistant,
    setup_blueprint: SetupBlueprint,
    freezer: FrozenDateTimeFactory,
    restart: Restart,
) -> None:
    hass.states.async_set(TTT, "20", {"unit_of_measurement": "min"})
    travel(hass, ALICE_ETA, 120)
    hass.states.async_set(ALICE_DIRECTION, "towards")
    await start_presence(hass, setup_blueprint, alice_travels())
    for who in ("alice", "bob"):
        await move(hass, who, "not_home")
    await tick(hass, freezer, minutes=31)
    assert preset(hass) == "away"
    travel(hass, ALICE_ETA, 25)
    await tick(hass, freezer, seconds=61)
    assert preset(hass) == "home"  # preheat
    hass.states.async_set(ALICE_DIRECTION, "away_from")  # she drives past
    await tick(hass, freezer, minutes=5)
    # Back at minute 42; the drive-by window runs 30 min from the last moment she looked
    # like coming (minute 32), so it ends at 62 — not 30 min after the restart.
    new = await restart(alice_travels(), {TTT: "20", ALICE_ETA: "25"})
    new.states.async_set(ALICE_DIRECTION, "away_from")
    await tick(new, freezer, minutes=19)
    assert preset(new) == "home"
    await tick(new, freezer, minutes=2)
    assert preset(new) == "away"


@pytest.mark.usefixtures("household")
async def test_a_restart_during_a_hold_keeps_its_end(
    hass: HomeAssistant,
    setup_blueprint: SetupBlueprint,
    freezer: FrozenDateTimeFactory,
    hass_admin_user: Any,
    restart: Restart,
) -> None:
    await start_presence(hass, setup_blueprint, inputs(manual_grace=60))
    await by_hand(hass, hass_admin_user, 71)
    for who in ("alice", "bob"):
        await move(hass, who, "not_home")
    await tick(hass, freezer, minutes=20)
    new = await restart(inputs(manual_grace=60), {})  # back at minute 25
    thermostat: FakeThermostat = new.data["thermostat"]
    await tick(new, freezer, minutes=34)
    assert preset(new) == "home"  # minute 59: the person's change still stands
    assert writes(thermostat) == []
    await tick(new, freezer, minutes=2)
    assert preset(new) == "away"  # minute 61
    assert writes(thermostat) == [("preset_mode", "away")]


async def test_what_a_deleted_automation_left_behind_is_dropped_after_start_up(
    hass: HomeAssistant,
    setup_blueprint: SetupBlueprint,
    freezer: FrozenDateTimeFactory,
    hass_storage: dict[str, Any],
) -> None:
    remembered = {"memory": {"version": 1, "setting": "away"}, "written": None}
    hass_storage["venstar_local.presence"] = {
        "version": 1,
        "minor_version": 1,
        "key": "venstar_local.presence",
        "data": {
            "controllers": {
                "automation.gone": remembered,
                "automation.broken": "not a record",
            }
        },
    }
    await make_thermostat(hass)
    await make_household(hass)
    await start_presence(hass, setup_blueprint, inputs())

    def stored() -> set[str]:
        return set(hass_storage["venstar_local.presence"]["data"]["controllers"])

    await move(hass, "alice", "not_home")
    await tick(hass, freezer, seconds=10)
    assert stored() == {AUTOMATION, "automation.gone"}  # it may still start
    await tick(hass, freezer, minutes=16)
    await move(hass, "alice", "home")
    await tick(hass, freezer, seconds=10)
    assert stored() == {AUTOMATION}
