"""A two-resident house for the presence eco tests: real person, zone and helper entities.

The thermostat is a real climate entity (presets home/away, or setpoints only) going through
HA's climate service layer; presence eco runs as the blueprint instance a user creates,
started the way Home Assistant starts it.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from homeassistant.const import EVENT_HOMEASSISTANT_STARTED
from homeassistant.core import CoreState, HomeAssistant, ServiceCall
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
from homeassistant.util.unit_system import METRIC_SYSTEM, US_CUSTOMARY_SYSTEM
import pytest
from pytest_homeassistant_custom_component.common import setup_test_component_platform

# Importing the package first makes HA's loader find this repository's custom integrations.
from custom_components.venstar_local.const import DOMAIN as VENSTAR_LOCAL

from .conftest import SetupBlueprint
from .entities import FakeThermostat
from .helpers import settle

CLIMATE = "climate.living_room"
PEOPLE = ("alice", "bob")
AUTOMATION = "automation.under_test"
ALICE_ETA = "sensor.alice_travel_time"
ALICE_DIRECTION = "sensor.home_alice_direction_of_travel"
ALICE_DISTANCE = "sensor.home_alice_distance"
BOB_ETA = "sensor.bob_travel_time"
BOB_DIRECTION = "sensor.home_bob_direction_of_travel"


async def move(hass: HomeAssistant, who: str, where: str) -> None:
    """Move a resident's phone (a GPS tracker) and let person and zone follow."""
    hass.states.async_set(f"device_tracker.{who}_phone", where, {"source_type": "gps"})
    await settle(hass)


def preset(hass: HomeAssistant) -> str:
    state = hass.states.get(CLIMATE)
    assert state is not None
    return str(state.attributes["preset_mode"])


def attribute(hass: HomeAssistant, name: str) -> Any:
    state = hass.states.get(CLIMATE)
    assert state is not None
    return state.attributes[name]


def messages(calls: list[ServiceCall]) -> list[str]:
    return [str(call.data["message"]) for call in calls]


def writes(thermostat: FakeThermostat) -> list[tuple[str, Any]]:
    """Presets and setpoints sent to the thermostat (by anyone), in order."""
    sent: list[tuple[str, Any]] = []
    for kind, value in thermostat.calls:
        if kind == "temperature":
            keys = ("temperature", "target_temp_low", "target_temp_high")
            sent.append((kind, {key: value[key] for key in keys if key in value}))
        elif kind != "hvac_mode":
            sent.append((kind, value))
    return sent


def clock_in(minutes: float) -> str:
    """Local wall-clock time `minutes` from now, as presence eco writes it."""
    later = dt_util.utcnow() + timedelta(minutes=minutes)
    return dt_util.as_local(later).strftime("%H:%M")


def travel(hass: HomeAssistant, entity_id: str, minutes: float | str) -> None:
    hass.states.async_set(entity_id, str(minutes), {"unit_of_measurement": "min"})


def inputs(**extra: Any) -> dict[str, Any]:
    return {
        "climate_entity": CLIMATE,
        "people": [f"person.{who}" for who in PEOPLE],
        "away_delay": 30,
        "guest_entities": ["input_boolean.guests"],
        "vacation_entities": ["input_boolean.vacation"],
        **extra,
    }


def alice_travels(**extra: Any) -> dict[str, Any]:
    """Inputs with Alice as traveller 1 (travel time + direction) and preheat figures."""
    return inputs(
        **{
            "traveller_1_person": "person.alice",
            "traveller_1_travel_time": ALICE_ETA,
            "traveller_1_direction": ALICE_DIRECTION,
            "time_to_temperature_sensor": "sensor.living_room_time_to_temperature",
            "preheat_margin": 10,
            "heading_confirm": 60,
            "drive_by_window": 30,
            **extra,
        }
    )


async def start_presence(
    hass: HomeAssistant, setup_blueprint: SetupBlueprint, config: dict[str, Any]
) -> str:
    """Create the automation while Home Assistant starts, then finish starting.

    Its start trigger hands the inputs to the controller, as on a real start-up.
    """
    hass.set_state(CoreState.not_running)
    entity_id = await setup_blueprint("presence_eco.yaml", config)
    hass.bus.async_fire(EVENT_HOMEASSISTANT_STARTED)
    hass.set_state(CoreState.running)
    await settle(hass)
    return entity_id


async def make_thermostat(
    hass: HomeAssistant, *, presets: bool = True, hvac_mode: str = "heat"
) -> FakeThermostat:
    entity = FakeThermostat(
        "Living room",
        presets=["home", "away"] if presets else None,
        hvac_mode=hvac_mode,  # type: ignore[arg-type]
    )
    setup_test_component_platform(hass, "climate", [entity])
    assert await async_setup_component(
        hass, "climate", {"climate": {"platform": "test"}}
    )
    await hass.async_block_till_done()
    return entity


async def make_household(
    hass: HomeAssistant,
    *,
    metric: bool = False,
    venstar_local: bool = True,
    untracked: tuple[str, ...] = (),
) -> None:
    """Both residents home, guest/vacation helpers, and Venstar Local loaded for its action.

    `untracked` adds persons without a device tracker (a wall tablet's account).
    """
    hass.config.units = METRIC_SYSTEM if metric else US_CUSTOMARY_SYSTEM
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
            + [{"id": who, "name": who.title()} for who in untracked]
        },
    )
    assert await async_setup_component(
        hass, "input_boolean", {"input_boolean": {"guests": {}, "vacation": {}}}
    )
    if venstar_local:
        assert await async_setup_component(hass, VENSTAR_LOCAL, {VENSTAR_LOCAL: {}})
    await settle(hass)


@pytest.fixture
async def thermostat(hass: HomeAssistant) -> FakeThermostat:
    """A thermostat with home/away presets, heating."""
    return await make_thermostat(hass)


@pytest.fixture
async def household(hass: HomeAssistant, thermostat: FakeThermostat) -> None:
    await make_household(hass)
    assert hass.states.get("zone.home").state == "2"


async def switch(hass: HomeAssistant, entity_id: str, on: bool) -> None:
    await hass.services.async_call(
        "input_boolean",
        "turn_on" if on else "turn_off",
        {"entity_id": entity_id},
        blocking=True,
    )
    await settle(hass)
