"""Presence eco steering the real venstar_local integration on the Venstar emulator.

The thermostat is the emulator over loopback HTTP, set up through venstar_local as a user
would; the clock is frozen and moved by the tests (the emulator answers at once, so nothing
waits on real time).
"""

from __future__ import annotations

from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import CONF_HOST, CONF_PORT
from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.setup import async_setup_component
from homeassistant.util.unit_system import US_CUSTOMARY_SYSTEM
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.venstar_local.const import (
    CONF_HTTPS,
    CONF_IDENTITY,
    CONF_MAC,
    DOMAIN,
)
from emulators.venstar import VenstarEmulator
from tests.venstar_fixtures import VenstarEmulatorFactory
from tests.venstar_local.conftest import IDENTITIES, MAC, fast_client

from .conftest import SetupBlueprint
from .helpers import tick
from .presence_house import ALICE_ETA, make_household, messages, move, start_presence

__all__ = ["fast_client"]

CLIMATE = "climate.colortouch"
HEAT = 1


@pytest.fixture
async def colortouch(
    hass: HomeAssistant, venstar_emulator_factory: VenstarEmulatorFactory
) -> VenstarEmulator:
    """A ColorTouch heating to 70 °F at 70 °F, not on its schedule, set up through venstar_local."""
    hass.config.units = US_CUSTOMARY_SYSTEM
    emulator = await venstar_emulator_factory(service_time=0)
    emulator.state.mode = HEAT
    emulator.state.heattemp = 70.0
    emulator.state.spacetemp = 70.0
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="COLORTOUCH",
        unique_id=MAC,
        data={
            CONF_HOST: "127.0.0.1",
            CONF_PORT: emulator.port,
            CONF_HTTPS: False,
            CONF_IDENTITY: IDENTITIES["colortouch"],
            CONF_MAC: MAC,
        },
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    await make_household(hass)
    assert await async_setup_component(hass, "homeassistant", {})
    return emulator


def config(**extra: Any) -> dict[str, Any]:
    return {
        "climate_entity": CLIMATE,
        "people": ["person.alice", "person.bob"],
        "away_delay": 10,
        **extra,
    }


async def run(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, **delta: float
) -> None:
    """Move the clock (polls, timers, retries fire), then let every request finish."""
    await tick(hass, freezer, **delta)
    await hass.async_block_till_done(wait_background_tasks=True)


async def everyone_leaves(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, emulator: VenstarEmulator
) -> None:
    for who in ("alice", "bob"):
        await move(hass, who, "not_home")
    await run(hass, freezer, minutes=11)
    assert emulator.state.away == 1


async def test_presence_sets_the_venstar_away_and_preheats_from_its_learned_time_to_temperature(
    hass: HomeAssistant,
    colortouch: VenstarEmulator,
    setup_blueprint: SetupBlueprint,
    freezer: FrozenDateTimeFactory,
) -> None:
    hass.states.async_set(ALICE_ETA, "200", {"unit_of_measurement": "min"})
    await start_presence(
        hass,
        setup_blueprint,
        config(
            traveller_1_person="person.alice",
            traveller_1_travel_time=ALICE_ETA,
            preheat_margin=10,
        ),
    )
    await everyone_leaves(hass, freezer, colortouch)
    # The device now reports its away setpoints; what matters is the way back to 70 °F.
    assert hass.states.get(CLIMATE).attributes["temperature"] == 62
    colortouch.state.spacetemp = 64.0  # the house cooled down while away
    await run(hass, freezer, seconds=30)  # a poll
    minutes = float(hass.states.get("sensor.colortouch_time_to_home_temperature").state)
    assert minutes == pytest.approx(90, abs=1)  # 6 °F at the default 4 °F/h

    hass.states.async_set(ALICE_ETA, "105", {"unit_of_measurement": "min"})
    await run(hass, freezer, minutes=2)
    assert colortouch.state.away == 1  # 105 > 90 + 10
    hass.states.async_set(ALICE_ETA, "95", {"unit_of_measurement": "min"})
    await run(hass, freezer, seconds=61)
    assert colortouch.state.away == 0
    assert colortouch.state.heattemp == 70.0  # back to the home setpoint


async def test_a_resident_arriving_while_the_venstar_is_down_gets_home_when_it_returns(
    hass: HomeAssistant,
    colortouch: VenstarEmulator,
    setup_blueprint: SetupBlueprint,
    freezer: FrozenDateTimeFactory,
    logbook_calls: list[ServiceCall],
) -> None:
    await start_presence(hass, setup_blueprint, config())
    await everyone_leaves(hass, freezer, colortouch)
    colortouch.faults.reset(count=None)  # off the network
    await run(hass, freezer, seconds=30)
    assert hass.states.get(CLIMATE).state == "unavailable"
    await move(hass, "alice", "home")
    await run(hass, freezer, minutes=5)
    assert colortouch.state.away == 1

    colortouch.faults.clear()
    await run(hass, freezer, seconds=30)  # the next poll finds it again
    assert colortouch.state.away == 0
    assert hass.states.get(CLIMATE).attributes["preset_mode"] == "home"
    assert messages(logbook_calls)[-1] == "set home (home): Alice is home"


async def test_a_venstar_write_failing_twice_then_succeeding_lands(
    hass: HomeAssistant,
    colortouch: VenstarEmulator,
    setup_blueprint: SetupBlueprint,
    freezer: FrozenDateTimeFactory,
    logbook_calls: list[ServiceCall],
) -> None:
    await start_presence(hass, setup_blueprint, config())
    colortouch.faults.http_500(count=2, path="/settings")
    for who in ("alice", "bob"):
        await move(hass, who, "not_home")
    await run(hass, freezer, minutes=10, seconds=1)
    assert colortouch.state.away == 0  # the first attempt failed
    await run(hass, freezer, seconds=11)
    assert colortouch.state.away == 0  # so did the second
    await run(hass, freezer, seconds=31)
    assert colortouch.state.away == 1
    settings = [r for r in colortouch.requests if r.path == "/settings"]
    assert [r.status for r in settings] == [500, 500, 200]
    assert messages(logbook_calls)[-1] == (
        "set away (away): everyone has been away for 10 min (after 3 attempts)"
    )


async def test_home_pressed_on_the_venstar_screen_is_left_alone_for_the_grace(
    hass: HomeAssistant,
    colortouch: VenstarEmulator,
    setup_blueprint: SetupBlueprint,
    freezer: FrozenDateTimeFactory,
    logbook_calls: list[ServiceCall],
) -> None:
    await start_presence(hass, setup_blueprint, config(manual_grace=30))
    await everyone_leaves(hass, freezer, colortouch)
    colortouch.device.set_away(0)  # someone at the thermostat presses Home
    await run(hass, freezer, seconds=30)  # seen by the next poll
    assert messages(logbook_calls)[-1].startswith(
        "someone at the thermostat changed the thermostat"
    )
    await run(hass, freezer, minutes=29)
    assert colortouch.state.away == 0
    await run(hass, freezer, minutes=1)
    assert colortouch.state.away == 1


async def test_a_switch_due_while_venstar_local_is_reloaded_lands_when_it_is_back(
    hass: HomeAssistant,
    colortouch: VenstarEmulator,
    setup_blueprint: SetupBlueprint,
    freezer: FrozenDateTimeFactory,
) -> None:
    await start_presence(hass, setup_blueprint, config())
    entry = hass.config_entries.async_entries(DOMAIN)[0]
    assert await hass.config_entries.async_unload(entry.entry_id)
    for who in ("alice", "bob"):
        await move(hass, who, "not_home")
    await run(hass, freezer, minutes=11)
    assert hass.states.get(CLIMATE).state == "unavailable"
    assert colortouch.state.away == 0
    assert await hass.config_entries.async_setup(entry.entry_id)
    await run(hass, freezer, seconds=1)
    assert colortouch.state.away == 1


async def venstar(
    hass: HomeAssistant,
    factory: VenstarEmulatorFactory,
    profile: str,
    **state: float,
) -> VenstarEmulator:
    """Another Venstar set up through venstar_local (the fixture's is a residential one)."""
    hass.config.units = US_CUSTOMARY_SYSTEM
    emulator = await factory(service_time=0, profile=profile)
    for key, value in state.items():
        setattr(emulator.state, key, value)
    entry = MockConfigEntry(
        domain=DOMAIN,
        title=emulator.state.name,
        unique_id=MAC,
        data={
            CONF_HOST: "127.0.0.1",
            CONF_PORT: emulator.port,
            CONF_HTTPS: False,
            CONF_IDENTITY: IDENTITIES[profile],
            CONF_MAC: MAC,
        },
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    await make_household(hass)
    return emulator


async def test_a_commercial_venstar_without_away_gets_the_away_setpoints_and_back(
    hass: HomeAssistant,
    venstar_emulator_factory: VenstarEmulatorFactory,
    setup_blueprint: SetupBlueprint,
    freezer: FrozenDateTimeFactory,
    logbook_calls: list[ServiceCall],
) -> None:
    """A commercial unit has no away: presence eco sets its setpoints in its own mode."""
    office = await venstar(
        hass,
        venstar_emulator_factory,
        "commercial",
        mode=HEAT,
        heattemp=68.0,
        cooltemp=75.0,
    )
    climate = "climate.office"
    assert hass.states.get(climate).attributes.get("preset_modes") is None
    await start_presence(hass, setup_blueprint, config(climate_entity=climate))
    for who in ("alice", "bob"):
        await move(hass, who, "not_home")
    await run(hass, freezer, minutes=11)
    assert (office.state.heattemp, office.state.cooltemp) == (62.0, 75.0)
    await move(hass, "alice", "home")
    await run(hass, freezer, seconds=1)
    assert (office.state.heattemp, office.state.cooltemp) == (68.0, 75.0)
    assert messages(logbook_calls)[-2:] == [
        "set away (62 °F): everyone has been away for 10 min",
        "set home (68 °F): Alice is home",
    ]
    settings = [r for r in office.requests if r.path == "/control"]
    assert len(settings) == 2  # one write per switch, nothing redundant


async def test_a_venstar_on_its_schedule_goes_away_and_back_to_its_schedule(
    hass: HomeAssistant,
    colortouch: VenstarEmulator,
    setup_blueprint: SetupBlueprint,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Away suspends a running schedule on a residential unit; home resumes it."""
    colortouch.state.schedule = 1
    await run(hass, freezer, seconds=30)
    await start_presence(hass, setup_blueprint, config())
    await everyone_leaves(hass, freezer, colortouch)
    assert colortouch.state.schedule == 1  # left running: away only suspends it
    assert colortouch.state.heattemp == 62.0
    await move(hass, "bob", "home")
    await run(hass, freezer, seconds=1)
    assert (colortouch.state.away, colortouch.state.schedule) == (0, 1)
    assert colortouch.state.heattemp == 70.0
    assert hass.states.get("switch.colortouch_schedule").state == "on"
    writes = [r.path for r in colortouch.requests if r.method == "POST"]
    assert writes == ["/settings", "/settings"]  # away on, away off: nothing else


async def test_a_venstar_in_auto_keeps_both_setpoints_through_away_and_home(
    hass: HomeAssistant,
    colortouch: VenstarEmulator,
    setup_blueprint: SetupBlueprint,
    freezer: FrozenDateTimeFactory,
) -> None:
    colortouch.state.mode = 3  # auto: heat_cool in Home Assistant
    colortouch.state.cooltemp = 76.0
    await run(hass, freezer, seconds=30)
    await start_presence(hass, setup_blueprint, config())
    await everyone_leaves(hass, freezer, colortouch)
    assert (colortouch.state.heattemp, colortouch.state.cooltemp) == (62.0, 85.0)
    await move(hass, "alice", "home")
    await run(hass, freezer, seconds=1)
    assert (colortouch.state.heattemp, colortouch.state.cooltemp) == (70.0, 76.0)
