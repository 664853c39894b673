"""The alarm response blueprint driving the real venstar_local integration on the emulator.

Presence eco on the emulator: test_presence_venstar.py.
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
SNAPSHOT = "input_text.alarm_hvac_snapshot"
HEAT, COOL = 1, 2


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


async def smoke_house(hass: HomeAssistant) -> None:
    assert await async_setup_component(hass, "persistent_notification", {})
    assert await async_setup_component(
        hass, "input_boolean", {"input_boolean": {"smoke_raw": {}, "co_raw": {}}}
    )
    assert await async_setup_component(
        hass,
        "input_text",
        {"input_text": {"alarm_hvac_snapshot": {"max": 255}}},
    )
    assert await async_setup_component(
        hass,
        "template",
        {
            "template": [
                {
                    "binary_sensor": [
                        {
                            "name": "Kitchen smoke",
                            "device_class": "smoke",
                            "state": "{{ is_state('input_boolean.smoke_raw', 'on') }}",
                        },
                        {
                            "name": "Hall carbon monoxide",
                            "device_class": "carbon_monoxide",
                            "state": "{{ is_state('input_boolean.co_raw', 'on') }}",
                        },
                    ]
                }
            ]
        },
    )
    async_mock_service(hass, "notify", "family")
    await hass.async_block_till_done()


def alarm_inputs() -> dict[str, object]:
    return {
        "alarm_sensors": [
            "binary_sensor.kitchen_smoke",
            "binary_sensor.hall_carbon_monoxide",
        ],
        "climates": [CLIMATE],
        "schedule_switches": [SCHEDULE],
        "snapshot_helper": SNAPSHOT,
        "clear_delay": 0,
        "notify_actions": ["notify.family"],
    }


async def until(predicate: Callable[[], bool]) -> None:
    """Wait (real time, at most 5 s) until `predicate` holds.

    These tests run on the real clock: the thermostat is a real HTTP server whose client has
    real timeouts, so a frozen clock would either stall it or time it out.
    """
    for _ in range(500):
        if predicate():
            return
        await asyncio.sleep(0.01)


async def flip(hass: HomeAssistant, raw: str, on: bool) -> None:
    await hass.services.async_call(
        "input_boolean",
        "turn_on" if on else "turn_off",
        {"entity_id": f"input_boolean.{raw}"},
        blocking=True,
    )


async def test_smoke_turns_the_venstar_off_and_restores_it_with_its_schedule(
    hass: HomeAssistant,
    thermostat: VenstarEmulator,
    setup_blueprint: SetupBlueprint,
) -> None:
    await smoke_house(hass)
    await setup_blueprint("alarm_response.yaml", alarm_inputs())
    await flip(hass, "smoke_raw", True)
    await until(lambda: thermostat.state.fan == 0)
    assert thermostat.state.mode == 0
    assert thermostat.state.fan == 0  # auto: the blower stops
    assert (
        thermostat.state.schedule == 0
    )  # the device stops its schedule on a mode change
    assert hass.states.get(SNAPSHOT).state == (
        "v1|co=0|climate.colortouch,heat,on|switch.colortouch_schedule,on"
    )

    await flip(hass, "smoke_raw", False)
    await until(lambda: hass.states.get(SNAPSHOT).state == "")
    assert thermostat.state.mode == HEAT
    assert thermostat.state.fan == 1
    assert thermostat.state.schedule == 1
    assert thermostat.state.away == 0
    assert hass.states.get(SNAPSHOT).state == ""


async def test_co_turns_venstar_heating_off_for_good(
    hass: HomeAssistant,
    thermostat: VenstarEmulator,
    setup_blueprint: SetupBlueprint,
) -> None:
    await smoke_house(hass)
    await setup_blueprint("alarm_response.yaml", alarm_inputs())
    await flip(hass, "co_raw", True)
    await until(lambda: thermostat.state.mode == 0)
    assert thermostat.state.mode == 0
    assert thermostat.state.fan == 1  # CO only stops the heat

    await flip(hass, "co_raw", False)
    await until(lambda: hass.states.get(SNAPSHOT).state == "")
    assert thermostat.state.mode == 0
