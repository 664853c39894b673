"""`venstar_local.emergency_shutoff` against emulated thermostats, as an alarm would call it."""

from __future__ import annotations

from typing import Any

from homeassistant.components.climate import ATTR_FAN_MODE
from homeassistant.const import ATTR_ENTITY_ID, STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import entity_registry as er
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
import voluptuous as vol

from custom_components.venstar_local.const import DOMAIN
from emulators.venstar import VenstarEmulator

CLIMATE = "climate.colortouch"
SCHEDULE = "switch.colortouch_schedule"


async def _shutoff(hass: HomeAssistant, **data: Any) -> None:
    await hass.services.async_call(
        DOMAIN, "emergency_shutoff", {ATTR_ENTITY_ID: CLIMATE, **data}, blocking=True
    )


def _paths(emulator: VenstarEmulator, since: int) -> list[str]:
    return [f"{r.method} {r.path}" for r in emulator.requests[since:]]


async def test_action_exists_before_any_thermostat(hass: HomeAssistant) -> None:
    assert await async_setup_component(hass, DOMAIN, {})
    assert hass.services.has_service(DOMAIN, "emergency_shutoff")
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            DOMAIN, "emergency_shutoff", {"area_id": "garage"}, blocking=True
        )
    assert err.value.translation_key == "no_thermostat_targeted"
    with pytest.raises(ServiceValidationError) as err:
        await _shutoff(hass)
    assert err.value.translation_key == "not_a_thermostat"


async def test_off_and_fan_auto_in_one_request(
    hass: HomeAssistant, emulator: VenstarEmulator, init_integration: MockConfigEntry
) -> None:
    emulator.state.fan = 1
    await init_integration.runtime_data.coordinator.async_refresh()
    start = len(emulator.requests)
    await _shutoff(hass, **{ATTR_FAN_MODE: "auto"})
    assert (emulator.state.mode, emulator.state.fan) == (0, 0)
    assert _paths(emulator, start) == ["POST /control", "GET /query/info"]
    assert emulator.requests[start].form == {
        "mode": "0",
        "heattemp": "69",
        "cooltemp": "74",
        "fan": "0",
    }
    state = hass.states.get(CLIMATE)
    assert state is not None
    assert state.state == "off"
    assert state.attributes[ATTR_FAN_MODE] == "auto"


async def test_running_schedule_is_stopped_first(
    hass: HomeAssistant, emulator: VenstarEmulator, init_integration: MockConfigEntry
) -> None:
    emulator.state.schedule = 1
    await init_integration.runtime_data.coordinator.async_refresh()
    start = len(emulator.requests)
    await _shutoff(hass, **{ATTR_FAN_MODE: "auto"})
    assert _paths(emulator, start) == [
        "POST /settings",
        "POST /control",
        "GET /query/info",
    ]
    assert emulator.state.mode == 0
    assert hass.states.get(CLIMATE).state == "off"
    assert hass.states.get(SCHEDULE).state == "off"


async def test_repeated_shutoff_only_reads(
    hass: HomeAssistant, emulator: VenstarEmulator, init_integration: MockConfigEntry
) -> None:
    await _shutoff(hass, **{ATTR_FAN_MODE: "auto"})
    start = len(emulator.requests)
    await _shutoff(hass, **{ATTR_FAN_MODE: "auto"})
    assert _paths(emulator, start) == ["GET /query/info"]
    assert hass.states.get(CLIMATE).state == "off"


async def test_tried_while_the_entity_shows_unavailable(
    hass: HomeAssistant, emulator: VenstarEmulator, init_integration: MockConfigEntry
) -> None:
    """One missed poll must not keep the heat on: the thermostat answers again."""
    coordinator = init_integration.runtime_data.coordinator
    emulator.faults.reset()
    await coordinator.async_refresh()
    await hass.async_block_till_done()
    assert hass.states.get(CLIMATE).state == STATE_UNAVAILABLE
    emulator.faults.clear()
    await _shutoff(hass)
    assert emulator.state.mode == 0
    assert hass.states.get(CLIMATE).state == "off"


async def test_unreachable_thermostat_fails_with_a_translated_error(
    hass: HomeAssistant, emulator: VenstarEmulator, init_integration: MockConfigEntry
) -> None:
    emulator.faults.reset()
    with pytest.raises(HomeAssistantError) as err:
        await _shutoff(hass, **{ATTR_FAN_MODE: "auto"})
    assert err.value.translation_key == "communication_error"
    await hass.async_block_till_done(wait_background_tasks=True)


async def test_unconfirmed_shutoff_fails_with_a_translated_error(
    hass: HomeAssistant, emulator: VenstarEmulator, init_integration: MockConfigEntry
) -> None:
    """The device says success, but its state read back is not off."""
    original = emulator.device.refresh

    def heat_again() -> None:
        original()
        emulator.state.mode = 1

    emulator.device.refresh = heat_again  # type: ignore[method-assign]
    with pytest.raises(HomeAssistantError) as err:
        await _shutoff(hass)
    assert err.value.translation_key == "not_confirmed"
    emulator.device.refresh = original  # type: ignore[method-assign]
    await hass.async_block_till_done(wait_background_tasks=True)


async def test_several_thermostats_one_down(
    hass: HomeAssistant, emulator: VenstarEmulator, upstairs: VenstarEmulator
) -> None:
    emulator.faults.reset()
    with pytest.raises(HomeAssistantError) as err:
        await hass.services.async_call(
            DOMAIN,
            "emergency_shutoff",
            {ATTR_ENTITY_ID: [CLIMATE, "climate.upstairs"], ATTR_FAN_MODE: "auto"},
            blocking=True,
        )
    assert err.value.translation_key == "emergency_shutoff_failed"
    assert err.value.translation_placeholders == {"entities": CLIMATE, "count": "2"}
    assert upstairs.state.mode == 0
    assert hass.states.get("climate.upstairs").state == "off"
    await hass.async_block_till_done(wait_background_tasks=True)


async def test_other_entities_are_refused(
    hass: HomeAssistant, emulator: VenstarEmulator, init_integration: MockConfigEntry
) -> None:
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            DOMAIN,
            "emergency_shutoff",
            {ATTR_ENTITY_ID: "switch.colortouch_schedule"},
            blocking=True,
        )
    assert err.value.translation_key == "not_a_thermostat"
    with pytest.raises(vol.Invalid):
        await _shutoff(hass, **{ATTR_FAN_MODE: "circulate"})
    assert emulator.state.mode == 1


async def test_device_target_picks_its_thermostat(
    hass: HomeAssistant, emulator: VenstarEmulator, init_integration: MockConfigEntry
) -> None:
    entity = er.async_get(hass).async_get(CLIMATE)
    assert entity is not None
    await hass.services.async_call(
        DOMAIN, "emergency_shutoff", {"device_id": entity.device_id}, blocking=True
    )
    assert emulator.state.mode == 0


async def test_unloaded_thermostat_is_reported(
    hass: HomeAssistant, emulator: VenstarEmulator, init_integration: MockConfigEntry
) -> None:
    await hass.config_entries.async_unload(init_integration.entry_id)
    with pytest.raises(ServiceValidationError) as err:
        await _shutoff(hass)
    assert err.value.translation_key == "thermostat_not_loaded"
    assert emulator.state.mode == 1
