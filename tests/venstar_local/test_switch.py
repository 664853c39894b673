"""The schedule switch against the emulator."""

from __future__ import annotations

from homeassistant.components.switch import DOMAIN as SWITCH_DOMAIN
from homeassistant.const import (
    ATTR_ENTITY_ID,
    SERVICE_TURN_OFF,
    SERVICE_TURN_ON,
    Platform,
)
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from emulators.venstar import VenstarEmulator

from .conftest import PROFILES, SnapshotEntities

SCHEDULE = "switch.colortouch_schedule"


async def _switch(hass: HomeAssistant, service: str) -> None:
    await hass.services.async_call(
        SWITCH_DOMAIN, service, {ATTR_ENTITY_ID: SCHEDULE}, blocking=True
    )


async def test_schedule_on_and_off(
    hass: HomeAssistant, emulator: VenstarEmulator, init_integration: MockConfigEntry
) -> None:
    await _switch(hass, SERVICE_TURN_ON)
    assert emulator.state.schedule == 1
    assert hass.states.get(SCHEDULE).state == "on"
    assert hass.states.get("sensor.colortouch_schedule_period").state != "inactive"

    await _switch(hass, SERVICE_TURN_OFF)
    assert emulator.state.schedule == 0
    assert hass.states.get(SCHEDULE).state == "off"


async def test_away_pressed_on_the_thermostat_since_the_poll(
    hass: HomeAssistant, emulator: VenstarEmulator, init_integration: MockConfigEntry
) -> None:
    """The device refuses; the state is read and the client's own rule explains why."""
    emulator.state.away = 1
    with pytest.raises(ServiceValidationError) as err:
        await _switch(hass, SERVICE_TURN_ON)
    assert err.value.translation_key == "rejected_schedule_while_away"
    assert emulator.state.schedule == 0
    assert hass.states.get(SCHEDULE).state == "off"
    assert hass.states.get("sensor.colortouch_schedule_period").state == "inactive"


async def test_schedule_refused_while_away(
    hass: HomeAssistant, emulator: VenstarEmulator, init_integration: MockConfigEntry
) -> None:
    emulator.state.away = 1
    await init_integration.runtime_data.coordinator.async_refresh()
    start = len(emulator.requests)
    with pytest.raises(ServiceValidationError) as err:
        await _switch(hass, SERVICE_TURN_ON)
    assert err.value.translation_key == "rejected_schedule_while_away"
    assert emulator.state.schedule == 0
    assert all(r.method == "GET" for r in emulator.requests[start:])
    assert hass.states.get(SCHEDULE).state == "off"


@pytest.mark.usefixtures("enable_all_entities")
@pytest.mark.parametrize("profile", PROFILES)
async def test_entities(snapshot_entities: SnapshotEntities) -> None:
    await snapshot_entities(Platform.SWITCH)
