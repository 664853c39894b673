"""Setup, polling policy, faults and recovery, identity protection, unload, dynamic sensors."""

from __future__ import annotations

import asyncio
from datetime import timedelta
import logging
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.climate import DOMAIN as CLIMATE_DOMAIN
from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntryState
from homeassistant.const import (
    ATTR_ENTITY_ID,
    CONF_HOST,
    CONF_PASSWORD,
    CONF_PORT,
    CONF_USERNAME,
    STATE_UNAVAILABLE,
)
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import (
    device_registry as dr,
    entity_registry as er,
    issue_registry as ir,
)
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.venstar_local import async_remove_config_entry_device
from custom_components.venstar_local.api import FanMode
from custom_components.venstar_local.const import (
    CONF_CERT_FINGERPRINT,
    CONF_HTTPS,
    DOMAIN,
)
from emulators.venstar import VenstarEmulator

from .conftest import ENTRY_ID

CLIMATE = "climate.colortouch"
SPACE = "sensor.colortouch_space_temperature"
ISSUE_ID = f"wrong_device_{ENTRY_ID}"


async def _poll(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, seconds: float = 60
) -> None:
    """Let the coordinator's next tick run."""
    freezer.tick(timedelta(seconds=seconds))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)


def _paths(emulator: VenstarEmulator, since: int = 0) -> list[str]:
    return [f"{r.method} {r.path}" for r in emulator.requests[since:]]


async def test_setup_reads_each_document_once(
    hass: HomeAssistant, emulator: VenstarEmulator, init_integration: MockConfigEntry
) -> None:
    assert init_integration.state is ConfigEntryState.LOADED
    assert _paths(emulator) == [
        "GET /",
        "GET /query/info",
        "GET /query/sensors",
        "GET /query/runtimes",
        "GET /query/alerts",
    ]
    assert emulator.max_concurrent_requests == 1


async def test_polling_staggers_slow_documents(
    hass: HomeAssistant,
    emulator: VenstarEmulator,
    init_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Info every 60 s; runtimes, alerts and the bare sensors list every 30 min."""
    start = len(emulator.requests)
    await _poll(hass, freezer, seconds=60)
    assert _paths(emulator, start) == ["GET /query/info"]

    emulator.state.spacetemp = 75.0
    start = len(emulator.requests)
    await _poll(hass, freezer, seconds=60)
    assert _paths(emulator, start) == ["GET /query/info"]
    assert hass.states.get(SPACE).state == "23.9"

    start = len(emulator.requests)
    await _poll(hass, freezer, seconds=27 * 60)
    assert _paths(emulator, start) == ["GET /query/info"]
    start = len(emulator.requests)
    await _poll(hass, freezer, seconds=60)
    assert sorted(_paths(emulator, start)) == [
        "GET /query/alerts",
        "GET /query/info",
        "GET /query/runtimes",
        "GET /query/sensors",
    ]


async def test_other_sensors_are_read_every_five_minutes(
    hass: HomeAssistant,
    emulator: VenstarEmulator,
    init_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    emulator.add_remote_sensor(3, "Bedroom", 68.0)
    await _poll(hass, freezer, seconds=30 * 60)
    start = len(emulator.requests)
    await _poll(hass, freezer, seconds=5 * 60)
    assert _paths(emulator, start) == ["GET /query/info", "GET /query/sensors"]


async def test_commands_are_followed_by_quick_polls(
    hass: HomeAssistant, emulator: VenstarEmulator, init_integration: MockConfigEntry
) -> None:
    """The equipment reacts to a mode change: that shows within 15 s, not a minute later."""
    coordinator = init_integration.runtime_data.coordinator
    assert coordinator.update_interval == timedelta(seconds=60)
    await hass.services.async_call(
        CLIMATE_DOMAIN,
        "set_hvac_mode",
        {ATTR_ENTITY_ID: CLIMATE, "hvac_mode": "heat_cool"},
        blocking=True,
    )
    intervals = [coordinator.update_interval]
    for _ in range(4):
        await coordinator.async_refresh()
        intervals.append(coordinator.update_interval)
    assert [i.total_seconds() for i in intervals if i] == [15, 15, 15, 60, 60]


async def test_poll_interval_option_applies_between_follow_ups(
    hass: HomeAssistant, emulator: VenstarEmulator, init_integration: MockConfigEntry
) -> None:
    coordinator = init_integration.runtime_data.coordinator
    hass.config_entries.async_update_entry(
        init_integration, options={"poll_interval": 20}
    )
    await hass.async_block_till_done()
    assert coordinator.update_interval == timedelta(seconds=20)
    await coordinator.async_command(lambda: coordinator.client.set_fan(FanMode.ON))
    assert coordinator.update_interval == timedelta(seconds=15)
    hass.config_entries.async_update_entry(
        init_integration, options={"poll_interval": 15}
    )
    await hass.async_block_till_done()
    for _ in range(3):
        await coordinator.async_refresh()
        assert coordinator.update_interval == timedelta(seconds=15)


async def test_thermostat_temperature_shown_reads_sensors_every_five_minutes(
    hass: HomeAssistant,
    emulator: VenstarEmulator,
    config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    entity_registry: er.EntityRegistry,
) -> None:
    config_entry.add_to_hass(hass)
    entity_registry.async_get_or_create(
        "sensor",
        DOMAIN,
        f"{ENTRY_ID}_thermostat_temperature",
        config_entry=config_entry,
        suggested_object_id="colortouch_thermostat_temperature",
    )
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    start = len(emulator.requests)
    await _poll(hass, freezer, seconds=5 * 60)
    assert _paths(emulator, start) == ["GET /query/info", "GET /query/sensors"]


async def test_setup_retries_when_unreachable(
    hass: HomeAssistant, emulator: VenstarEmulator, config_entry: MockConfigEntry
) -> None:
    emulator.faults.reset()
    config_entry.add_to_hass(hass)
    assert not await hass.config_entries.async_setup(config_entry.entry_id)
    assert config_entry.state is ConfigEntryState.SETUP_RETRY


FAULTS = ["timeout", "reset", "http_500", "malformed_json", "truncated_json"]


@pytest.mark.parametrize("fault", FAULTS)
async def test_fault_makes_entities_unavailable_then_recovers(
    hass: HomeAssistant,
    emulator: VenstarEmulator,
    init_integration: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
    fault: str,
) -> None:
    """Real time here (no freezer): the timeout fault needs the client's timer to run."""
    coordinator = init_integration.runtime_data.coordinator
    emulator.faults.add(fault)
    await coordinator.async_refresh()
    await hass.async_block_till_done()
    assert hass.states.get(CLIMATE).state == STATE_UNAVAILABLE
    assert hass.states.get(SPACE).state == STATE_UNAVAILABLE
    await coordinator.async_refresh()
    await hass.async_block_till_done()
    assert hass.states.get(CLIMATE).state == STATE_UNAVAILABLE

    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1, "unavailability is logged once"

    emulator.faults.clear()
    caplog.clear()
    await coordinator.async_refresh()
    await hass.async_block_till_done()
    assert hass.states.get(CLIMATE).state == "heat"
    assert hass.states.get(SPACE).state == "21.7"
    assert [r.getMessage() for r in caplog.records if "recovered" in r.getMessage()]


async def test_auth_failure_starts_reauth(
    hass: HomeAssistant,
    emulator: VenstarEmulator,
    init_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    emulator.faults.unauthorized()
    await _poll(hass, freezer)
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["source"] for flow in flows] == [SOURCE_REAUTH]
    assert hass.states.get(CLIMATE).state == STATE_UNAVAILABLE


async def test_wrong_device_blocks_commands_and_raises_issue(
    hass: HomeAssistant,
    emulator: VenstarEmulator,
    init_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    issue_registry: ir.IssueRegistry,
) -> None:
    emulator.faults.identity(name="Garage", model="T2000")
    await _poll(hass, freezer)
    assert hass.states.get(CLIMATE).state == STATE_UNAVAILABLE
    issue = issue_registry.async_get_issue(DOMAIN, ISSUE_ID)
    assert issue is not None
    assert issue.translation_placeholders == {
        "title": "COLORTOUCH",
        "host": "127.0.0.1",
    }

    # Once the right thermostat answers again, the issue clears itself.
    emulator.faults.clear()
    await _poll(hass, freezer)
    assert hass.states.get(CLIMATE).state == "heat"
    assert issue_registry.async_get_issue(DOMAIN, ISSUE_ID) is None


async def _shutoff_refused_writing_nothing(
    hass: HomeAssistant, emulator: VenstarEmulator, start: int
) -> None:
    """The emergency shutoff refuses the wrong device; since `start` nothing was written."""
    with pytest.raises(HomeAssistantError) as err:
        await hass.services.async_call(
            DOMAIN, "emergency_shutoff", {ATTR_ENTITY_ID: CLIMATE}, blocking=True
        )
    assert err.value.translation_key == "wrong_device"
    assert all(r.method == "GET" for r in emulator.requests[start:])
    assert emulator.state.mode == 1


async def test_wrong_device_seen_by_a_poll_blocks_commands(
    hass: HomeAssistant,
    emulator: VenstarEmulator,
    init_integration: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
) -> None:
    emulator.faults.identity(name="Garage")
    await init_integration.runtime_data.coordinator.async_refresh()
    await hass.async_block_till_done()
    assert hass.states.get(CLIMATE).state == STATE_UNAVAILABLE
    assert issue_registry.async_get_issue(DOMAIN, ISSUE_ID) is not None
    start = len(emulator.requests)
    await hass.services.async_call(
        CLIMATE_DOMAIN,
        "set_hvac_mode",
        {ATTR_ENTITY_ID: CLIMATE, "hvac_mode": "cool"},
        blocking=True,
    )
    # The emergency shutoff is tried even on an unavailable thermostat: it reads first.
    await _shutoff_refused_writing_nothing(hass, emulator, start)


async def test_wrong_device_right_after_a_poll_gets_nothing(
    hass: HomeAssistant,
    emulator: VenstarEmulator,
    init_integration: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
) -> None:
    """The address changed hands just after a poll: the command reads first, writes nothing."""
    emulator.identity = {"name": "Garage"}
    await hass.async_block_till_done()  # the network ends the connections kept alive
    start = len(emulator.requests)
    with pytest.raises(HomeAssistantError) as err:
        await hass.services.async_call(
            CLIMATE_DOMAIN,
            "set_hvac_mode",
            {ATTR_ENTITY_ID: CLIMATE, "hvac_mode": "cool"},
            blocking=True,
        )
    assert err.value.translation_key == "wrong_device"
    assert hass.states.get(CLIMATE).state == STATE_UNAVAILABLE
    assert issue_registry.async_get_issue(DOMAIN, ISSUE_ID) is not None
    await _shutoff_refused_writing_nothing(hass, emulator, start)


async def test_other_device_answering_over_a_kept_connection_gets_nothing(
    hass: HomeAssistant,
    emulator: VenstarEmulator,
    init_integration: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
) -> None:
    """A write over the poll's connection can only reach the device that answered it."""
    emulator.faults.identity(name="Garage")
    with pytest.raises(HomeAssistantError):
        await hass.services.async_call(
            CLIMATE_DOMAIN,
            "set_hvac_mode",
            {ATTR_ENTITY_ID: CLIMATE, "hvac_mode": "cool"},
            blocking=True,
        )
    await hass.async_block_till_done()
    assert all(r.method == "GET" for r in emulator.requests)
    assert emulator.state.mode == 1
    # The state read after the failed command shows who answers now.
    assert hass.states.get(CLIMATE).state == STATE_UNAVAILABLE
    assert issue_registry.async_get_issue(DOMAIN, ISSUE_ID) is not None


@pytest.mark.parametrize(
    "emulator_kwargs", [{"https": True, "username": "admin", "password": "secret"}]
)
async def test_changed_certificate_blocks_and_reconfigure_trusts_new_one(
    hass: HomeAssistant,
    emulator: VenstarEmulator,
    config_entry: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
) -> None:
    config_entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(
        config_entry,
        data={
            **config_entry.data,
            CONF_USERNAME: "admin",
            CONF_PASSWORD: "secret",
            CONF_CERT_FINGERPRINT: "ab" * 32,
        },
    )
    assert not await hass.config_entries.async_setup(config_entry.entry_id)
    assert config_entry.state is ConfigEntryState.SETUP_RETRY
    issue_id = f"certificate_changed_{ENTRY_ID}"
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is not None
    assert not any(r.headers.get("Authorization") for r in emulator.requests)

    result = await config_entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {
            CONF_HOST: "127.0.0.1",
            CONF_PORT: emulator.port,
            CONF_HTTPS: True,
            CONF_USERNAME: "admin",
            CONF_PASSWORD: "secret",
        },
    )
    assert result["reason"] == "reconfigure_successful"
    await hass.async_block_till_done()
    assert config_entry.data[CONF_CERT_FINGERPRINT] == emulator.certificate_fingerprint
    assert config_entry.state is ConfigEntryState.LOADED
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is None


async def test_unload_waits_for_request_in_flight(
    hass: HomeAssistant,
    emulator: VenstarEmulator,
    init_integration: MockConfigEntry,
    hass_storage: dict[str, Any],
) -> None:
    emulator.faults.latency(0.2, path="/query/info", count=1)
    coordinator = init_integration.runtime_data.coordinator
    refresh = hass.async_create_task(coordinator.async_refresh())
    while emulator.requests[-1].path != "/query/info" or emulator.requests[-1].end:
        await asyncio.sleep(0.01)
    assert await hass.config_entries.async_unload(init_integration.entry_id)
    # The slow request had completed before unload returned.
    assert emulator.requests[-1].end is not None
    await refresh
    assert init_integration.state is ConfigEntryState.NOT_LOADED
    assert f"{DOMAIN}.{ENTRY_ID}.recovery" in hass_storage


async def test_remote_sensors_come_and_go(
    hass: HomeAssistant,
    emulator: VenstarEmulator,
    init_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    device_registry: dr.DeviceRegistry,
) -> None:
    emulator.add_remote_sensor(3, "Bedroom", 68.0, battery=80)
    await _poll(hass, freezer, seconds=30 * 60)  # a bare sensors list: every 30 min
    assert hass.states.get("sensor.bedroom_temperature").state == "20.0"
    assert hass.states.get("sensor.bedroom_battery").state == "80"
    device = device_registry.async_get_device(
        identifiers={(DOMAIN, f"{ENTRY_ID}_sensor_3")}
    )
    assert device is not None
    parent = device_registry.async_get(device.via_device_id or "")
    assert parent is not None
    assert parent.identifiers == {(DOMAIN, ENTRY_ID)}

    # The thermostat itself and a sensor it still reports cannot be removed by hand.
    assert not await async_remove_config_entry_device(hass, init_integration, parent)
    assert not await async_remove_config_entry_device(hass, init_integration, device)

    emulator.remove_sensor("Bedroom")
    await _poll(hass, freezer, seconds=5 * 60)  # with a remote sensor: every 5 min
    assert (
        device_registry.async_get_device(identifiers={(DOMAIN, f"{ENTRY_ID}_sensor_3")})
        is None
    )
    assert hass.states.get("sensor.bedroom_temperature") is None
    # A vanished sensor's device (if it were still there) may be removed.
    assert await async_remove_config_entry_device(hass, init_integration, device)

    # It comes back: entities and device are created again.
    emulator.add_remote_sensor(3, "Bedroom", 69.0)
    await _poll(hass, freezer, seconds=30 * 60)
    assert hass.states.get("sensor.bedroom_temperature").state == "20.6"


async def test_stale_sensors_kept_while_unreachable(
    hass: HomeAssistant,
    emulator: VenstarEmulator,
    init_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    device_registry: dr.DeviceRegistry,
) -> None:
    emulator.add_remote_sensor(4, "Porch", 40.0, type="Outdoor")
    await _poll(hass, freezer, seconds=30 * 60)
    emulator.faults.reset()
    await _poll(hass, freezer, seconds=120)
    assert hass.states.get("sensor.porch_temperature").state == STATE_UNAVAILABLE
    assert device_registry.async_get_device(
        identifiers={(DOMAIN, f"{ENTRY_ID}_sensor_4")}
    )


async def test_remove_entry_forgets_learning(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    hass_storage: dict[str, Any],
) -> None:
    assert await hass.config_entries.async_unload(init_integration.entry_id)
    assert f"{DOMAIN}.{ENTRY_ID}.recovery" in hass_storage
    await hass.config_entries.async_remove(init_integration.entry_id)
    await hass.async_block_till_done()
    assert f"{DOMAIN}.{ENTRY_ID}.recovery" not in hass_storage


async def test_device_info(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
) -> None:
    device = device_registry.async_get_device(identifiers={(DOMAIN, ENTRY_ID)})
    assert device is not None
    assert device.manufacturer == "Venstar"
    assert device.model == "COLORTOUCH (residential)"
    assert device.model_id == "COLORTOUCH"
    assert device.sw_version == "5.1"
    assert device.name == "COLORTOUCH"
    assert device.connections == {(dr.CONNECTION_NETWORK_MAC, "00:23:a7:3a:b2:72")}


async def test_busy_device_never_sees_overlapping_requests(
    hass: HomeAssistant, emulator: VenstarEmulator, init_integration: MockConfigEntry
) -> None:
    """A thermostat that refuses overlapping requests: polls and commands queue up."""
    emulator.faults.busy()
    coordinator = init_integration.runtime_data.coordinator
    await asyncio.gather(
        coordinator.async_refresh(),
        hass.services.async_call(
            CLIMATE_DOMAIN,
            "set_fan_mode",
            {ATTR_ENTITY_ID: CLIMATE, "fan_mode": "on"},
            blocking=True,
        ),
        coordinator.async_refresh(),
    )
    assert emulator.max_concurrent_requests == 1
    assert all(r.status == 200 for r in emulator.requests)
    assert emulator.state.fan == 1
    assert hass.states.get(CLIMATE).attributes["fan_mode"] == "on"


async def test_unknown_alert_gets_its_own_problem_sensor(
    hass: HomeAssistant, emulator: VenstarEmulator, config_entry: MockConfigEntry
) -> None:
    emulator.set_alert("Humidifier Pad", True)
    config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    state = hass.states.get("binary_sensor.colortouch_humidifier_pad")
    assert state is not None
    assert state.state == "on"
    assert state.attributes["device_class"] == "problem"


async def test_everything_reread_after_outage(
    hass: HomeAssistant, emulator: VenstarEmulator, init_integration: MockConfigEntry
) -> None:
    coordinator = init_integration.runtime_data.coordinator
    emulator.faults.reset()
    await coordinator.async_refresh()
    emulator.faults.clear()
    emulator.set_alert("Service", True)
    start = len(emulator.requests)
    await coordinator.async_refresh()
    await hass.async_block_till_done()
    assert _paths(emulator, start) == [
        "GET /",
        "GET /query/info",
        "GET /query/sensors",
        "GET /query/runtimes",
        "GET /query/alerts",
    ]
    assert hass.states.get("binary_sensor.colortouch_service").state == "on"


async def test_firmware_update_shows_on_device(
    hass: HomeAssistant,
    emulator: VenstarEmulator,
    init_integration: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
) -> None:
    coordinator = init_integration.runtime_data.coordinator
    emulator.faults.reset()
    await coordinator.async_refresh()
    emulator.faults.clear()
    emulator.faults.identity(name="COLORTOUCH", model="COLORTOUCH", firmware="5.2")
    await coordinator.async_refresh()
    await hass.async_block_till_done()
    assert hass.states.get(CLIMATE).state == "heat"
    device = device_registry.async_get_device(identifiers={(DOMAIN, ENTRY_ID)})
    assert device is not None
    assert device.sw_version == "5.2"


async def test_alert_appearing_later_gets_a_sensor(
    hass: HomeAssistant,
    emulator: VenstarEmulator,
    init_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    emulator.set_alert("Humidifier Pad", True)
    await _poll(hass, freezer, seconds=30 * 60)
    assert hass.states.get("binary_sensor.colortouch_humidifier_pad").state == "on"


async def test_unreachable_thermostat_is_retried_at_the_short_interval(
    hass: HomeAssistant, emulator: VenstarEmulator, init_integration: MockConfigEntry
) -> None:
    """Back within seconds of answering again; another device is not polled faster."""
    coordinator = init_integration.runtime_data.coordinator
    emulator.faults.reset()
    await coordinator.async_refresh()
    assert coordinator.update_interval == timedelta(seconds=15)
    emulator.faults.clear()
    await coordinator.async_refresh()
    assert coordinator.last_update_success
    assert coordinator.update_interval == timedelta(seconds=60)
    emulator.faults.identity(name="Garage")
    await coordinator.async_refresh()
    assert not coordinator.last_update_success
    assert coordinator.update_interval == timedelta(seconds=60)


async def test_a_poll_writes_only_the_states_that_changed(
    hass: HomeAssistant,
    emulator: VenstarEmulator,
    init_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    alert = "binary_sensor.colortouch_air_filter"
    before = {entity: hass.states.get(entity) for entity in (CLIMATE, SPACE, alert)}
    emulator.state.spacetemp = 75.0
    await _poll(hass, freezer)
    after = {entity: hass.states.get(entity) for entity in (CLIMATE, SPACE, alert)}
    assert after[SPACE].state == "23.9"
    assert after[CLIMATE].attributes["current_temperature"] == 23.9
    for entity in (CLIMATE, SPACE):
        assert after[entity].last_reported > before[entity].last_reported
    # Nothing the alert shows changed: its state was not written again.
    assert after[alert].last_reported == before[alert].last_reported
    emulator.faults.reset()
    await _poll(hass, freezer)
    assert hass.states.get(alert).state == STATE_UNAVAILABLE


@pytest.mark.parametrize("profile", ["t2000"])
async def test_firmware_update_between_polls_redetects_the_unit(
    hass: HomeAssistant,
    emulator: VenstarEmulator,
    config_entry: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
) -> None:
    """T2000 4.38 → 5.65 within one poll interval: no °F value is ever shown as °C."""
    emulator.identity = {"firmware": "4.38"}
    config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    climate = "climate.explorer_mini"
    assert hass.states.get(climate).attributes["current_temperature"] == 22.0
    emulator.identity = {}
    await config_entry.runtime_data.coordinator.async_refresh()
    await hass.async_block_till_done()
    state = hass.states.get(climate)
    assert state.attributes["current_temperature"] == 22.2  # 72 °F, now sent in °F
    assert state.attributes["temperature"] == 24.4  # cooling to 76 °F
    device = device_registry.async_get_device(identifiers={(DOMAIN, ENTRY_ID)})
    assert device is not None
    assert device.sw_version == "5.65"
