"""Every climate action against the emulator: confirmed state at once, refusals change nothing."""

from __future__ import annotations

from typing import Any

from homeassistant.components.climate import (
    ATTR_FAN_MODE,
    ATTR_HUMIDITY,
    ATTR_HVAC_ACTION,
    ATTR_HVAC_MODE,
    ATTR_HVAC_MODES,
    ATTR_PRESET_MODE,
    ATTR_TARGET_TEMP_HIGH,
    ATTR_TARGET_TEMP_LOW,
    DOMAIN as CLIMATE_DOMAIN,
)
from homeassistant.config_entries import SOURCE_REAUTH
from homeassistant.const import (
    ATTR_ENTITY_ID,
    ATTR_TEMPERATURE,
    CONF_PASSWORD,
    CONF_USERNAME,
    Platform,
)
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.setup import async_setup_component
from homeassistant.util.unit_system import METRIC_SYSTEM, US_CUSTOMARY_SYSTEM
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.venstar_local.const import DOMAIN
from emulators.venstar import VenstarEmulator
from tests.venstar_fixtures import requested

from .conftest import PROFILES, SnapshotEntities

CLIMATE = "climate.colortouch"


@pytest.fixture(autouse=True)
async def fahrenheit(hass: HomeAssistant) -> None:
    """Show the thermostat's own °F numbers, without HA converting them."""
    hass.config.units = US_CUSTOMARY_SYSTEM


async def _call(hass: HomeAssistant, service: str, **data: Any) -> None:
    await hass.services.async_call(
        CLIMATE_DOMAIN, service, {ATTR_ENTITY_ID: CLIMATE, **data}, blocking=True
    )


def _attrs(hass: HomeAssistant) -> dict[str, Any]:
    state = hass.states.get(CLIMATE)
    assert state is not None
    return dict(state.attributes)


async def test_state_follows_device(
    hass: HomeAssistant, emulator: VenstarEmulator, init_integration: MockConfigEntry
) -> None:
    state = hass.states.get(CLIMATE)
    assert state is not None
    assert state.state == "heat"
    attrs = state.attributes
    assert attrs[ATTR_HVAC_MODES] == ["off", "heat", "cool", "heat_cool"]
    assert attrs[ATTR_TEMPERATURE] == 69
    assert attrs["current_temperature"] == 71
    assert attrs["min_temp"] == 35
    assert attrs["max_temp"] == 99
    assert attrs["target_temp_step"] == 1
    assert attrs[ATTR_HUMIDITY] == 30
    assert attrs["current_humidity"] == 41
    assert attrs[ATTR_PRESET_MODE] == "home"
    assert attrs[ATTR_HVAC_ACTION] == "idle"


async def test_set_temperature_heat_confirmed_at_once(
    hass: HomeAssistant, emulator: VenstarEmulator, init_integration: MockConfigEntry
) -> None:
    await _call(hass, "set_temperature", **{ATTR_TEMPERATURE: 72})
    assert emulator.state.heattemp == 72
    assert emulator.state.cooltemp == 74
    # No poll happened: the state is the device's read-back after the command.
    assert _attrs(hass)[ATTR_TEMPERATURE] == 72


async def test_set_temperature_with_mode(
    hass: HomeAssistant, emulator: VenstarEmulator, init_integration: MockConfigEntry
) -> None:
    await _call(
        hass, "set_temperature", **{ATTR_TEMPERATURE: 76, ATTR_HVAC_MODE: "cool"}
    )
    assert emulator.state.mode == 2
    assert emulator.state.cooltemp == 76
    assert hass.states.get(CLIMATE).state == "cool"
    assert _attrs(hass)[ATTR_TEMPERATURE] == 76
    assert _attrs(hass)["min_temp"] == 35

    await _call(hass, "set_temperature", **{ATTR_TEMPERATURE: 78})
    assert emulator.state.cooltemp == 78
    assert emulator.state.heattemp == 69


async def test_heat_cool_range(
    hass: HomeAssistant, emulator: VenstarEmulator, init_integration: MockConfigEntry
) -> None:
    with pytest.raises(ServiceValidationError) as err:
        await _call(
            hass,
            "set_temperature",
            **{ATTR_TEMPERATURE: 70, ATTR_HVAC_MODE: "heat_cool"},
        )
    assert err.value.translation_key == "single_setpoint_needs_heat_or_cool"
    assert emulator.state.mode == 1

    await _call(hass, "set_hvac_mode", **{ATTR_HVAC_MODE: "heat_cool"})
    assert emulator.state.mode == 3
    assert hass.states.get(CLIMATE).state == "heat_cool"

    await _call(
        hass,
        "set_temperature",
        **{ATTR_TARGET_TEMP_LOW: 66, ATTR_TARGET_TEMP_HIGH: 77},
    )
    assert (emulator.state.heattemp, emulator.state.cooltemp) == (66, 77)
    attrs = _attrs(hass)
    assert (attrs[ATTR_TARGET_TEMP_LOW], attrs[ATTR_TARGET_TEMP_HIGH]) == (66, 77)
    assert attrs.get(ATTR_TEMPERATURE) is None

    with pytest.raises(ServiceValidationError) as err:
        await _call(
            hass,
            "set_temperature",
            **{ATTR_TARGET_TEMP_LOW: 72, ATTR_TARGET_TEMP_HIGH: 73},
        )
    assert err.value.translation_key == "rejected_setpoint_delta"
    assert err.value.translation_placeholders["delta"] == "2"
    assert (emulator.state.heattemp, emulator.state.cooltemp) == (66, 77)


async def test_setpoint_outside_device_limits_rejected(
    hass: HomeAssistant, emulator: VenstarEmulator, init_integration: MockConfigEntry
) -> None:
    """Installer-restricted limits: refused before sending, device unchanged."""
    emulator.state.mode = 3
    emulator.state.heattempmax = 74
    await init_integration.runtime_data.coordinator.async_refresh()
    start = len(emulator.requests)
    with pytest.raises(ServiceValidationError) as err:
        await _call(
            hass,
            "set_temperature",
            **{ATTR_TARGET_TEMP_LOW: 80, ATTR_TARGET_TEMP_HIGH: 90},
        )
    assert err.value.translation_key == "rejected_setpoint_out_of_range"
    assert err.value.translation_placeholders["max"] == "74"
    assert all(r.method == "GET" for r in emulator.requests[start:])
    assert emulator.state.heattemp == 69


async def test_mode_change_stops_running_schedule(
    hass: HomeAssistant, emulator: VenstarEmulator, init_integration: MockConfigEntry
) -> None:
    emulator.state.schedule = 1
    await _call(hass, "set_hvac_mode", **{ATTR_HVAC_MODE: "cool"})
    assert emulator.state.mode == 2
    assert emulator.state.schedule == 0
    assert hass.states.get("switch.colortouch_schedule").state == "off"


async def test_mode_change_refused_while_away_with_schedule(
    hass: HomeAssistant, emulator: VenstarEmulator, init_integration: MockConfigEntry
) -> None:
    emulator.state.schedule = 1
    emulator.state.away = 1
    with pytest.raises(ServiceValidationError) as err:
        await _call(hass, "set_hvac_mode", **{ATTR_HVAC_MODE: "cool"})
    assert err.value.translation_key == "rejected_mode_change_schedule_away"
    assert (emulator.state.mode, emulator.state.schedule) == (1, 1)


async def test_available_modes_limit_hvac_modes(
    hass: HomeAssistant, emulator: VenstarEmulator, init_integration: MockConfigEntry
) -> None:
    emulator.state.availablemodes = 2
    await init_integration.runtime_data.coordinator.async_refresh()
    await hass.async_block_till_done()
    assert _attrs(hass)[ATTR_HVAC_MODES] == ["off", "heat"]


async def test_fan_mode(
    hass: HomeAssistant, emulator: VenstarEmulator, init_integration: MockConfigEntry
) -> None:
    await _call(hass, "set_fan_mode", **{ATTR_FAN_MODE: "on"})
    assert emulator.state.fan == 1
    assert _attrs(hass)[ATTR_FAN_MODE] == "on"
    await _call(hass, "set_fan_mode", **{ATTR_FAN_MODE: "auto"})
    assert emulator.state.fan == 0


async def test_presets_home_and_away(
    hass: HomeAssistant, emulator: VenstarEmulator, init_integration: MockConfigEntry
) -> None:
    await _call(hass, "set_preset_mode", **{ATTR_PRESET_MODE: "away"})
    assert emulator.state.away == 1
    assert _attrs(hass)[ATTR_PRESET_MODE] == "away"
    await _call(hass, "set_preset_mode", **{ATTR_PRESET_MODE: "home"})
    assert emulator.state.away == 0
    assert _attrs(hass)[ATTR_PRESET_MODE] == "home"


async def test_humidity(
    hass: HomeAssistant, emulator: VenstarEmulator, init_integration: MockConfigEntry
) -> None:
    await _call(hass, "set_humidity", **{ATTR_HUMIDITY: 40})
    assert emulator.state.hum_setpoint == 40
    assert emulator.state.dehum_setpoint == 99
    assert _attrs(hass)[ATTR_HUMIDITY] == 40

    emulator.state.dehum_setpoint = 50
    await init_integration.runtime_data.coordinator.async_refresh()
    with pytest.raises(ServiceValidationError) as err:
        await _call(hass, "set_humidity", **{ATTR_HUMIDITY: 49})
    assert err.value.translation_key == "rejected_humidity_separation"
    assert emulator.state.hum_setpoint == 40


async def test_turn_off_and_on_restores_mode(
    hass: HomeAssistant, emulator: VenstarEmulator, init_integration: MockConfigEntry
) -> None:
    await _call(hass, "set_hvac_mode", **{ATTR_HVAC_MODE: "cool"})
    await _call(hass, "turn_off")
    assert emulator.state.mode == 0
    assert hass.states.get(CLIMATE).state == "off"
    assert _attrs(hass)[ATTR_HVAC_ACTION] == "off"
    await _call(hass, "turn_on")
    assert emulator.state.mode == 2


async def test_turn_on_picks_best_mode_when_started_off(
    hass: HomeAssistant, emulator: VenstarEmulator, config_entry: MockConfigEntry
) -> None:
    emulator.state.mode = 0
    emulator.state.availablemodes = 1
    config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await _call(hass, "turn_on")
    assert emulator.state.mode == 1


@pytest.mark.parametrize(
    ("settings", "action"),
    [
        ({"heattemp": 75.0}, "heating"),
        ({"mode": 2, "cooltemp": 68.0}, "cooling"),
        ({"fan": 1}, "fan"),
        ({}, "idle"),
    ],
)
async def test_hvac_action(
    hass: HomeAssistant,
    emulator: VenstarEmulator,
    init_integration: MockConfigEntry,
    settings: dict[str, Any],
    action: str,
) -> None:
    """What the equipment does follows the emulated thermostat's own decision."""
    for key, value in settings.items():
        setattr(emulator.state, key, value)
    await init_integration.runtime_data.coordinator.async_refresh()
    await hass.async_block_till_done()
    assert _attrs(hass)[ATTR_HVAC_ACTION] == action


@pytest.mark.parametrize("emulator_kwargs", [{"pin": "0042"}])
async def test_device_rejection_keeps_device_state(
    hass: HomeAssistant, emulator: VenstarEmulator, init_integration: MockConfigEntry
) -> None:
    """Without the screen-lock PIN the thermostat refuses; its reason is shown."""
    with pytest.raises(HomeAssistantError) as err:
        await _call(hass, "set_temperature", **{ATTR_TEMPERATURE: 72})
    assert err.value.translation_key == "device_rejected"
    assert err.value.translation_placeholders == {"reason": "Invalid PIN"}
    assert emulator.state.heattemp == 69
    assert _attrs(hass)[ATTR_TEMPERATURE] == 69


async def test_connection_lost_during_command(
    hass: HomeAssistant, emulator: VenstarEmulator, init_integration: MockConfigEntry
) -> None:
    emulator.faults.reset(path="/control")
    start = len(emulator.requests)
    with pytest.raises(HomeAssistantError) as err:
        await _call(hass, "set_fan_mode", **{ATTR_FAN_MODE: "on"})
    assert err.value.translation_key == "communication_error"
    assert emulator.state.fan == 0
    assert _attrs(hass)[ATTR_FAN_MODE] == "auto"
    # After the lost write the device is re-read at once to show what really happened,
    # its identity (``GET /``) included since an exchange failed (it may be a restart).
    await hass.async_block_till_done(wait_background_tasks=True)
    assert [r.path for r in emulator.requests[start:]] == [
        "/control",
        "/",
        "/query/info",
    ]


@pytest.mark.parametrize(
    "emulator_kwargs", [{"https": True, "username": "admin", "password": "secret"}]
)
async def test_auth_failure_during_command_starts_reauth(
    hass: HomeAssistant, emulator: VenstarEmulator, config_entry: MockConfigEntry
) -> None:
    config_entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(
        config_entry,
        data={**config_entry.data, CONF_USERNAME: "admin", CONF_PASSWORD: "secret"},
    )
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    emulator.faults.unauthorized(path="/control")
    with pytest.raises(HomeAssistantError) as err:
        await _call(hass, "set_fan_mode", **{ATTR_FAN_MODE: "on"})
    assert err.value.translation_key == "authentication_failed"
    await hass.async_block_till_done()
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["source"] for flow in flows] == [SOURCE_REAUTH]
    assert emulator.state.fan == 0


@pytest.mark.parametrize("profile", ["t5900"])
async def test_legacy_humidity_shows_the_room_humidity(
    hass: HomeAssistant, emulator: VenstarEmulator, init_integration: MockConfigEntry
) -> None:
    """API 5 units with mislabelled fields: room humidity is in hum_setpoint, not 0 %."""
    state = hass.states.get("climate.t5900")
    assert state.attributes["current_humidity"] == 44
    assert state.attributes["humidity"] == 35
    assert hass.states.get("sensor.t5900_humidity").state == "44"
    assert hass.states.get("number.t5900_dehumidify_setpoint").state == "55"


async def test_set_temperature_while_off_sets_the_setpoint_it_will_use(
    hass: HomeAssistant, emulator: VenstarEmulator, init_integration: MockConfigEntry
) -> None:
    """The device keeps its setpoints while off: a target is applied, the mode stays off."""
    await _call(hass, "turn_off")
    assert emulator.state.mode == 0
    await _call(hass, "set_temperature", **{ATTR_TEMPERATURE: 66})
    assert (emulator.state.mode, emulator.state.heattemp) == (0, 66)
    assert emulator.state.cooltemp == 74
    await _call(
        hass, "set_temperature", **{ATTR_TARGET_TEMP_LOW: 64, ATTR_TARGET_TEMP_HIGH: 78}
    )
    assert (emulator.state.heattemp, emulator.state.cooltemp) == (64, 78)
    assert hass.states.get(CLIMATE).state == "off"
    await _call(hass, "turn_on")
    assert (emulator.state.mode, emulator.state.heattemp) == (1, 64)


async def test_single_target_while_off_after_auto_is_a_translated_refusal(
    hass: HomeAssistant, emulator: VenstarEmulator, init_integration: MockConfigEntry
) -> None:
    await _call(hass, "set_hvac_mode", **{ATTR_HVAC_MODE: "heat_cool"})
    await _call(hass, "turn_off")
    with pytest.raises(ServiceValidationError) as err:
        await _call(hass, "set_temperature", **{ATTR_TEMPERATURE: 66})
    assert err.value.translation_key == "single_setpoint_needs_heat_or_cool"
    assert (emulator.state.mode, emulator.state.heattemp) == (0, 69)


async def test_unreadable_values_show_unknown_and_commands_needing_them_refuse(
    hass: HomeAssistant, emulator: VenstarEmulator, init_integration: MockConfigEntry
) -> None:
    """A setpoint the device sent unreadable is unknown; a change that must send it back
    is refused with a translated message, and one that does not still works."""
    emulator.faults.corrupt_field("/query/info", "cooltemp", '"hot"')
    emulator.faults.corrupt_field("/query/info", "mode", "9")
    await init_integration.runtime_data.coordinator.async_refresh()
    await hass.async_block_till_done()
    state = hass.states.get(CLIMATE)
    assert state.state == "unknown"
    assert state.attributes["current_temperature"] == 71
    with pytest.raises(ServiceValidationError) as err:
        await _call(hass, "set_hvac_mode", **{ATTR_HVAC_MODE: "cool"})
    assert err.value.translation_key == "rejected_value_unknown"
    assert err.value.translation_placeholders == {"field": "cool setpoint"}
    assert emulator.state.mode == 1
    await _call(hass, "set_fan_mode", **{ATTR_FAN_MODE: "on"})
    assert emulator.state.fan == 1


async def test_set_temperature_while_off_over_the_rest_api_is_not_an_error(
    hass: HomeAssistant,
    emulator: VenstarEmulator,
    init_integration: MockConfigEntry,
    hass_client: ClientSessionGenerator,
) -> None:
    """HA core's integration sets setpoints while off; the REST API answers 200, not 500."""
    assert await async_setup_component(hass, "api", {})
    await _call(hass, "turn_off")
    client = await hass_client()
    response = await client.post(
        "/api/services/climate/set_temperature",
        json={ATTR_ENTITY_ID: CLIMATE, ATTR_TEMPERATURE: 67},
    )
    assert response.status == 200
    assert (emulator.state.mode, emulator.state.heattemp) == (0, 67)


async def test_a_slow_thermostat_does_not_hold_back_another(
    hass: HomeAssistant, emulator: VenstarEmulator, upstairs: VenstarEmulator
) -> None:
    emulator.faults.latency(0.3, path="/control", count=1)  # within the 0.5 s timeout
    slow = hass.async_create_task(_call(hass, "set_hvac_mode", hvac_mode="off"))
    await requested(emulator, "/control")
    await hass.services.async_call(
        CLIMATE_DOMAIN,
        "set_hvac_mode",
        {ATTR_ENTITY_ID: "climate.upstairs", ATTR_HVAC_MODE: "off"},
        blocking=True,
    )
    assert upstairs.state.mode == 0
    assert not slow.done()
    await slow
    assert emulator.state.mode == 0


@pytest.mark.usefixtures("enable_all_entities")
@pytest.mark.parametrize("profile", PROFILES)
async def test_entities(
    hass: HomeAssistant, snapshot_entities: SnapshotEntities
) -> None:
    # As every platform's snapshot: Home Assistant's default (metric) units.
    hass.config.units = METRIC_SYSTEM
    await snapshot_entities(Platform.CLIMATE)
