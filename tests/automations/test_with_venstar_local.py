"""The presence blueprint driving the real venstar_local integration on the Venstar emulator.

(The alarm response's HVAC steps on the emulator are in tests/response/test_venstar.py.)
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from homeassistant.const import CONF_HOST, CONF_PORT
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
from homeassistant.util.unit_system import US_CUSTOMARY_SYSTEM
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_mock_service,
)

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

__all__ = ["fast_client"]

CLIMATE = "climate.colortouch"
SCHEDULE = "switch.colortouch_schedule"
TTT = "sensor.colortouch_time_to_home_temperature"
HEAT = 1


@pytest.fixture
async def thermostat(
    hass: HomeAssistant, venstar_emulator_factory: VenstarEmulatorFactory
) -> VenstarEmulator:
    """A ColorTouch heating on its schedule, fan on, set up through venstar_local."""
    hass.config.units = US_CUSTOMARY_SYSTEM
    emulator = await venstar_emulator_factory(service_time=0)
    emulator.state.mode = HEAT
    emulator.state.fan = 1
    emulator.state.schedule = 1
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
    assert hass.states.get(CLIMATE).state == "heat"
    assert hass.states.get(SCHEDULE).state == "on"
    return emulator


async def until(predicate: Callable[[], bool]) -> None:
    """Wait (real time, at most 5 s) until `predicate` holds.

    These tests run on the real clock: the thermostat is a real HTTP server whose client has
    real timeouts, so a frozen clock would either stall it or time it out.
    """
    for _ in range(500):
        if predicate():
            return
        await asyncio.sleep(0.01)


async def test_presence_sets_venstar_away_and_preheats_from_its_time_to_temperature(
    hass: HomeAssistant,
    thermostat: VenstarEmulator,
    setup_blueprint: SetupBlueprint,
) -> None:
    hass.states.async_set("device_tracker.alice_phone", "home", {"source_type": "gps"})
    assert await async_setup_component(hass, "zone", {})
    assert await async_setup_component(
        hass,
        "person",
        {
            "person": [
                {
                    "id": "alice",
                    "name": "Alice",
                    "device_trackers": ["device_tracker.alice_phone"],
                }
            ]
        },
    )
    async_mock_service(hass, "logbook", "log")
    hass.states.async_set("sensor.alice_travel_time", "200")
    await hass.async_block_till_done()
    await setup_blueprint(
        "presence_eco.yaml",
        {
            "climate_entity": CLIMATE,
            "people": ["person.alice"],
            "away_delay": 0,
            "eta_sensors": ["sensor.alice_travel_time"],
            "time_to_temperature_sensor": TTT,
            "preheat_margin": 10,
            "heading_confirm": 0,
        },
    )
    hass.states.async_set(
        "device_tracker.alice_phone", "not_home", {"source_type": "gps"}
    )
    await until(lambda: thermostat.state.away == 1)
    assert thermostat.state.away == 1
    await until(lambda: hass.states.get(CLIMATE).attributes["preset_mode"] == "away")
    assert hass.states.get(CLIMATE).attributes["preset_mode"] == "away"

    # The house cooled down while away; the integration estimates the time back to home.
    thermostat.state.spacetemp = 64.0
    assert await async_setup_component(hass, "homeassistant", {})
    await hass.services.async_call(
        "homeassistant", "update_entity", {"entity_id": TTT}, blocking=True
    )
    minutes = float(hass.states.get(TTT).state)
    assert minutes > 0
    hass.states.async_set("sensor.alice_travel_time", str(round(minutes + 30)))
    await asyncio.sleep(
        0.3
    )  # a command, if any, would reach the emulator well within this
    assert (
        thermostat.state.away == 1
    )  # too early: ETA beyond time to temperature + margin
    hass.states.async_set("sensor.alice_travel_time", str(round(minutes + 5)))
    await until(lambda: thermostat.state.away == 0)
    assert thermostat.state.away == 0
