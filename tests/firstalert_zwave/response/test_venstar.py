"""The HVAC steps on a real Venstar: venstar_local on the emulator over loopback HTTP.

What the thermostat itself reports (its mode, fan and schedule) is read from the emulator.
These tests run on the real clock: the thermostat is a real HTTP server.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

from homeassistant.const import CONF_HOST, CONF_PORT
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.venstar_local.const import (
    CONF_HTTPS,
    CONF_IDENTITY,
    CONF_MAC,
    DOMAIN as VENSTAR,
)
from emulators.venstar import VenstarEmulator
from tests.venstar_fixtures import VenstarEmulatorFactory
from tests.venstar_local.conftest import IDENTITIES, MAC, fast_client

from .house import House, async_respond, default_inputs

__all__ = ["fast_client"]

CLIMATE = "climate.colortouch"
SCHEDULE = "switch.colortouch_schedule"
OFF, HEAT, COOL = 0, 1, 2
FAN_AUTO, FAN_ON = 0, 1


async def until(predicate: Callable[[], bool], seconds: float = 10) -> None:
    """Wait on the real clock until ``predicate`` holds (at most ``seconds``)."""
    for _ in range(int(seconds * 100)):
        if predicate():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("not reached in time")


@pytest.fixture
async def thermostat(
    hass: HomeAssistant, venstar_emulator_factory: VenstarEmulatorFactory
) -> VenstarEmulator:
    """A ColorTouch heating on its schedule with the fan on, through venstar_local."""
    emulator = await venstar_emulator_factory(service_time=0)
    emulator.state.mode = HEAT
    emulator.state.fan = FAN_ON
    emulator.state.schedule = 1
    entry = MockConfigEntry(
        domain=VENSTAR,
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
    state = hass.states.get(CLIMATE)
    assert state is not None
    assert state.state == "heat"
    return emulator


@pytest.fixture
async def venstar_house(
    hass: HomeAssistant, house: House, thermostat: VenstarEmulator, tmp_path: Path
) -> House:
    """The house, with the Venstar as its only thermostat; handed back at once."""
    await async_respond(
        hass,
        tmp_path,
        default_inputs(climates=[CLIMATE], schedule_switches=[SCHEDULE], clear_delay=0),
    )
    return house


async def test_smoke_switches_the_venstar_off_with_the_blower_stopped_and_restores_it(
    hass: HomeAssistant, venstar_house: House, thermostat: VenstarEmulator
) -> None:
    house = venstar_house
    start = len(thermostat.requests)
    await house.smoke()
    await until(
        lambda: (thermostat.state.mode, thermostat.state.fan) == (OFF, FAN_AUTO)
    )
    # venstar_local.emergency_shutoff: the schedule stopped, then mode and fan in one.
    writes = [r for r in thermostat.requests[start:] if r.method == "POST"]
    assert [r.path for r in writes] == ["/settings", "/control"]
    assert (writes[1].form["mode"], writes[1].form["fan"]) == ("0", "0")
    episode = house.controller.memory.episode
    assert episode is not None
    assert episode.switches == {SCHEDULE: "on"}
    assert (episode.snapshot[CLIMATE].mode, episode.snapshot[CLIMATE].fan) == (
        "heat",
        "on",
    )

    await house.smoke(False)
    await until(lambda: house.controller.memory.episode is None)
    assert (thermostat.state.mode, thermostat.state.fan) == (HEAT, FAN_ON)
    assert thermostat.state.schedule == 1
    assert thermostat.state.away == 0
    assert house.said(
        "HVAC restored: COLORTOUCH → heat, fan on; COLORTOUCH Schedule on."
    )


async def test_co_turns_the_venstar_heating_off_and_never_back_on(
    hass: HomeAssistant, venstar_house: House, thermostat: VenstarEmulator
) -> None:
    house = venstar_house
    await house.co()
    await until(lambda: thermostat.state.mode == OFF)
    assert thermostat.state.fan == FAN_ON  # CO only stops the heat

    await house.co(False)
    await until(lambda: house.controller.memory.episode is None)
    await asyncio.sleep(0.2)
    assert thermostat.state.mode == OFF
    assert house.said("Heating stays OFF") == 1


async def test_co_leaves_a_cooling_venstar_alone(
    hass: HomeAssistant, venstar_house: House, thermostat: VenstarEmulator
) -> None:
    await hass.services.async_call(
        "climate",
        "set_hvac_mode",
        {"entity_id": CLIMATE, "hvac_mode": "cool"},
        blocking=True,
    )
    await until(lambda: thermostat.state.mode == COOL)
    requests = len(thermostat.requests)
    await venstar_house.co()
    await asyncio.sleep(0.3)
    assert thermostat.state.mode == COOL
    assert not [r for r in thermostat.requests[requests:] if r.path == "/control"]


async def test_a_venstar_that_fails_a_command_is_switched_off_on_the_next_attempt(
    hass: HomeAssistant, venstar_house: House, thermostat: VenstarEmulator
) -> None:
    house = venstar_house
    thermostat.faults.add("http_500", count=1, path="/control")
    await house.smoke()
    await until(lambda: thermostat.state.mode == OFF, seconds=15)
    assert any(
        "alarm response could not turn off COLORTOUCH (attempt 1" in message
        for message in house.logged(CLIMATE)
    )


async def test_a_venstar_shown_unavailable_is_still_switched_off_and_left_to_a_person(
    hass: HomeAssistant, venstar_house: House, thermostat: VenstarEmulator
) -> None:
    house = venstar_house
    entry = hass.config_entries.async_entries(VENSTAR)[0]
    thermostat.faults.reset()
    await entry.runtime_data.coordinator.async_refresh()
    await until(lambda: house.is_(CLIMATE) == "unavailable")

    await house.smoke()
    await until(lambda: bool(house.logged(CLIMATE)))  # the first attempt failed
    thermostat.faults.clear()
    await until(
        lambda: (thermostat.state.mode, thermostat.state.fan) == (OFF, FAN_AUTO)
    )
    episode = house.controller.memory.episode
    assert episode is not None
    assert CLIMATE not in episode.snapshot  # what it was before is not known

    await house.smoke(False)
    await until(lambda: house.controller.memory.episode is None)
    assert thermostat.state.mode == OFF
    assert house.said(
        "Could NOT restore: COLORTOUCH: its state before the alarm is not known"
    )
