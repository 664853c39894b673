"""Startup recovery, zwave_js reloads, dynamic and stale detectors, node-id reuse."""

from __future__ import annotations

from typing import Any
from unittest.mock import patch

from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import Event, HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er
import pytest
from zwave_js_server.const import RemoveNodeReason

from custom_components.firstalert_zwave.const import DOMAIN
from custom_components.firstalert_zwave.household_alarm import HouseholdAlarm
from tests.firstalert_zwave.common import (
    HOUSEHOLD_ALARM,
    HOUSEHOLD_CO,
    HOUSEHOLD_EVENTS,
    HOUSEHOLD_SMOKE,
    attrs,
    detector_entity,
    household,
    state,
    summary,
)
from tests.firstalert_zwave.harness import (
    CO_SENSOR,
    HOME_ID,
    SMOKE_SENSOR,
    ZwaveNetwork,
    async_restart,
    async_setup_firstalert,
    async_setup_zwave_js,
    facts_key,
    firstalert_entry,
    foreign_state,
    zcombo_g_state,
    zsmoke_state,
    zwave_entry,
)

KITCHEN = "kitchen_alarm"
KEY = f"{HOME_ID}-3-312:1:3"


def _record_states(hass: HomeAssistant, *entity_ids: str) -> list[tuple[str, str]]:
    seen: list[tuple[str, str]] = []

    def listener(event: Event[Any]) -> None:
        if event.data["entity_id"] in entity_ids and event.data["new_state"]:
            seen.append((event.data["entity_id"], event.data["new_state"].state))

    hass.bus.async_listen("state_changed", listener)
    return seen


async def test_started_with_smoke_already_active(
    hass: HomeAssistant, zwave_network: ZwaveNetwork, alarm_events: list[Event]
) -> None:
    zwave_network.add(zcombo_g_state(3, name="Kitchen alarm", values={SMOKE_SENSOR: 2}))
    zwave_entry(hass)
    # Only our entry is set up: zwave_js comes up first as our dependency.
    await async_setup_firstalert(hass)
    assert household(hass) == ("on", "off", "smoke")
    assert state(hass, detector_entity(KITCHEN, "alarm_state")) == "smoke"
    assert summary(alarm_events) == [("started", "smoke", "Kitchen alarm", "sync")]


async def test_loaded_before_zwave_js_is_ready(
    hass: HomeAssistant, zwave_network: ZwaveNetwork, alarm_events: list[Event]
) -> None:
    zwave_network.add(zcombo_g_state(3, name="Kitchen alarm", values={CO_SENSOR: 2}))
    zwave_network.reachable = False
    zw_entry = zwave_entry(hass)
    await async_setup_firstalert(hass)
    assert zw_entry.state is ConfigEntryState.SETUP_RETRY
    # Nothing is known yet: unavailable, never a false "clear".
    assert household(hass) == (STATE_UNAVAILABLE,) * 3
    zwave_network.reachable = True
    # What zwave_js's own retry does once the server answers.
    assert await hass.config_entries.async_reload(zw_entry.entry_id)
    await hass.async_block_till_done()
    assert zw_entry.state is ConfigEntryState.LOADED
    assert household(hass) == ("off", "on", "co")
    assert summary(alarm_events) == [("started", "co", "Kitchen alarm", "sync")]


async def test_zwave_js_reload_mid_alarm_holds_without_flapping(
    hass: HomeAssistant, zwave_network: ZwaveNetwork, alarm_events: list[Event]
) -> None:
    zwave_network.add(zcombo_g_state(3, name="Kitchen alarm"))
    zw_entry = await async_setup_zwave_js(hass, zwave_network)
    await async_setup_firstalert(hass)
    zwave_network.update(3, SMOKE_SENSOR, 2)
    await hass.async_block_till_done()
    seen = _record_states(
        hass, HOUSEHOLD_SMOKE, HOUSEHOLD_ALARM, detector_entity(KITCHEN, "alarm_state")
    )

    assert await hass.config_entries.async_unload(zw_entry.entry_id)
    await hass.async_block_till_done()
    # zwave_js is gone: the last known alarm is held, flagged as such.
    assert household(hass) == ("on", "off", "smoke")
    assert attrs(hass, HOUSEHOLD_ALARM)["held"] is True
    assert state(hass, detector_entity(KITCHEN, "alarm_state")) == "smoke"

    assert await hass.config_entries.async_setup(zw_entry.entry_id)
    await hass.async_block_till_done()
    assert len(zwave_network.clients) == 2
    assert household(hass) == ("on", "off", "smoke")
    assert attrs(hass, HOUSEHOLD_ALARM)["held"] is False
    assert all(new_state in ("on", "smoke") for _, new_state in seen)
    assert summary(alarm_events) == [("started", "smoke", "Kitchen alarm", "report")]

    # The new node objects are followed: the clear arrives.
    zwave_network.update(3, SMOKE_SENSOR, 0)
    await hass.async_block_till_done()
    assert household(hass) == ("off", "off", "clear")


async def test_clear_while_zwave_js_was_away_comes_out_as_sync(
    hass: HomeAssistant, zwave_network: ZwaveNetwork, alarm_events: list[Event]
) -> None:
    zwave_network.add(zcombo_g_state(3, name="Kitchen alarm", values={SMOKE_SENSOR: 2}))
    zw_entry = await async_setup_zwave_js(hass, zwave_network)
    await async_setup_firstalert(hass)
    assert await hass.config_entries.async_unload(zw_entry.entry_id)
    zwave_network.states[3] = zcombo_g_state(3, name="Kitchen alarm")
    assert await hass.config_entries.async_setup(zw_entry.entry_id)
    await hass.async_block_till_done()
    assert household(hass) == ("off", "off", "clear")
    assert summary(alarm_events) == [
        ("started", "smoke", "Kitchen alarm", "sync"),
        ("cleared", "smoke", "Kitchen alarm", "sync"),
    ]


async def test_lost_connection_reloads_and_keeps_following(
    hass: HomeAssistant, zwave_network: ZwaveNetwork, alarm_events: list[Event]
) -> None:
    zwave_network.add(zcombo_g_state(3, name="Kitchen alarm"))
    await async_setup_zwave_js(hass, zwave_network)
    await async_setup_firstalert(hass)
    zwave_network.update(3, CO_SENSOR, 2)
    await hass.async_block_till_done()
    seen = _record_states(hass, HOUSEHOLD_CO)
    zwave_network.drop_connection()
    await hass.async_block_till_done()
    assert len(zwave_network.clients) == 2
    assert household(hass) == ("off", "on", "co")
    assert [new_state for _, new_state in seen] == ["on"] * len(seen)
    zwave_network.update(3, CO_SENSOR, 0)
    await hass.async_block_till_done()
    assert household(hass) == ("off", "off", "clear")
    assert [e[0] for e in summary(alarm_events)] == ["started", "cleared"]


async def test_detector_included_later_gets_entities(
    hass: HomeAssistant, zwave_network: ZwaveNetwork, alarm_events: list[Event]
) -> None:
    await async_setup_zwave_js(hass, zwave_network)
    await async_setup_firstalert(hass)
    assert household(hass) == ("off", "off", "clear")
    zwave_network.node_added(
        zsmoke_state(7, name="Attic alarm", values={SMOKE_SENSOR: 2})
    )
    await hass.async_block_till_done()
    assert state(hass, detector_entity("attic_alarm", "alarm_state")) == "smoke"
    assert household(hass) == ("on", "off", "smoke")
    assert summary(alarm_events) == [("started", "smoke", "Attic alarm", "sync")]
    zwave_network.update(7, SMOKE_SENSOR, 0)
    await hass.async_block_till_done()
    assert household(hass) == ("off", "off", "clear")


async def test_other_devices_are_not_detectors(
    hass: HomeAssistant, zwave_network: ZwaveNetwork
) -> None:
    zwave_network.add(foreign_state(8, name="Front door"))
    await async_setup_zwave_js(hass, zwave_network)
    entry = await async_setup_firstalert(hass)
    zwave_network.node_added(foreign_state(9, name="Back door"))
    await hass.async_block_till_done()
    entities = er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
    assert {entity.unique_id for entity in entities} == {
        f"{entry.entry_id}_smoke",
        f"{entry.entry_id}_co",
        f"{entry.entry_id}_alarm",
        f"{entry.entry_id}_alarm_events",
        f"{entry.entry_id}_safety_checkup",
    }


async def test_excluded_detector_is_removed_with_its_alarm(
    hass: HomeAssistant, zwave_network: ZwaveNetwork, alarm_events: list[Event]
) -> None:
    zwave_network.add(zcombo_g_state(3, name="Kitchen alarm", values={SMOKE_SENSOR: 2}))
    await async_setup_zwave_js(hass, zwave_network)
    await async_setup_firstalert(hass)
    zwave_network.node_removed(3)
    await hass.async_block_till_done()
    assert household(hass) == ("off", "off", "clear")
    assert hass.states.get(detector_entity(KITCHEN, "alarm_state")) is None
    assert summary(alarm_events)[-1] == ("cleared", "smoke", "Kitchen alarm", "removed")


async def test_node_id_reused_by_another_device(
    hass: HomeAssistant, zwave_network: ZwaveNetwork, alarm_events: list[Event]
) -> None:
    zwave_network.add(zcombo_g_state(3, name="Kitchen alarm", values={SMOKE_SENSOR: 2}))
    await async_setup_zwave_js(hass, zwave_network)
    entry = await async_setup_firstalert(hass)
    zwave_network.node_removed(3)
    zwave_network.node_added(foreign_state(3, name="Front door"))
    await hass.async_block_till_done()
    assert household(hass) == ("off", "off", "clear")
    device = dr.async_get(hass).async_get_device(
        identifiers={("zwave_js", f"{HOME_ID}-3")}
    )
    assert device is not None
    assert device.name == "Front door"
    assert entry.entry_id not in device.config_entries
    assert er.async_entries_for_device(er.async_get(hass), device.id) == [
        entity
        for entity in er.async_entries_for_device(er.async_get(hass), device.id)
        if entity.platform == "zwave_js"
    ]


async def test_node_id_reused_by_another_detector_while_zwave_js_was_away(
    hass: HomeAssistant, zwave_network: ZwaveNetwork, alarm_events: list[Event]
) -> None:
    zwave_network.add(zcombo_g_state(3, name="Kitchen alarm", values={SMOKE_SENSOR: 2}))
    zw_entry = await async_setup_zwave_js(hass, zwave_network)
    entry = await async_setup_firstalert(hass)
    assert await hass.config_entries.async_unload(zw_entry.entry_id)
    # Excluded and a ZSMOKE included under the same node id while zwave_js was down.
    zwave_network.states[3] = zsmoke_state(3, name="Hall smoke")
    assert await hass.config_entries.async_setup(zw_entry.entry_id)
    await hass.async_block_till_done()
    assert household(hass) == ("off", "off", "clear")
    assert state(hass, detector_entity("hall_smoke", "alarm_state")) == "idle"
    assert summary(alarm_events) == [
        ("started", "smoke", "Kitchen alarm", "sync"),
        ("cleared", "smoke", "Kitchen alarm", "removed"),
    ]
    old = dr.async_get(hass).async_get_device(identifiers={("zwave_js", KEY)})
    assert old is not None  # zwave_js leaves the orphan to the user
    assert entry.entry_id not in old.config_entries


async def test_replaced_node_starts_from_its_own_values(
    hass: HomeAssistant, zwave_network: ZwaveNetwork, alarm_events: list[Event]
) -> None:
    zwave_network.add(zcombo_g_state(3, name="Kitchen alarm", values={CO_SENSOR: 2}))
    await async_setup_zwave_js(hass, zwave_network)
    await async_setup_firstalert(hass)
    zwave_network.node_removed(3, RemoveNodeReason.REPLACED)
    await hass.async_block_till_done()
    assert household(hass) == ("off", "off", "clear")
    zwave_network.node_added(zcombo_g_state(3, name="Kitchen alarm"))
    await hass.async_block_till_done()
    assert state(hass, detector_entity(KITCHEN, "alarm_state")) == "idle"
    assert household(hass) == ("off", "off", "clear")
    assert [e[0] for e in summary(alarm_events)] == ["started", "cleared"]


async def test_renamed_device_and_area_follow(
    hass: HomeAssistant, zwave_network: ZwaveNetwork
) -> None:
    zwave_network.add(zcombo_g_state(3, name="Kitchen alarm", values={SMOKE_SENSOR: 2}))
    await async_setup_zwave_js(hass, zwave_network)
    await async_setup_firstalert(hass)
    registry = dr.async_get(hass)
    device = registry.async_get_device(identifiers={("zwave_js", KEY)})
    assert device is not None
    registry.async_update_device(device.id, name_by_user="Upstairs alarm")
    await hass.async_block_till_done()
    assert attrs(hass, HOUSEHOLD_SMOKE)["detectors"] == ["Upstairs alarm"]


async def test_zwave_js_entry_removed_forgets_its_detectors(
    hass: HomeAssistant, zwave_network: ZwaveNetwork
) -> None:
    zwave_network.add(zcombo_g_state(3, name="Kitchen alarm", values={SMOKE_SENSOR: 2}))
    zw_entry = await async_setup_zwave_js(hass, zwave_network)
    await async_setup_firstalert(hass)
    await hass.config_entries.async_remove(zw_entry.entry_id)
    await hass.async_block_till_done()
    # The zwave_js devices are gone with their entry, and so are our detectors.
    assert dr.async_get(hass).async_get_device(identifiers={("zwave_js", KEY)}) is None
    assert hass.states.get(detector_entity(KITCHEN, "alarm_state")) is None
    assert household(hass) == ("off", "off", "clear")


async def test_unload_and_reload_our_entry(
    hass: HomeAssistant, zwave_network: ZwaveNetwork, alarm_events: list[Event]
) -> None:
    zwave_network.add(zcombo_g_state(3, name="Kitchen alarm", values={SMOKE_SENSOR: 2}))
    await async_setup_zwave_js(hass, zwave_network)
    entry = await async_setup_firstalert(hass)
    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.NOT_LOADED
    # zwave_js keeps working without us.
    zwave_network.update(3, SMOKE_SENSOR, 0)
    await hass.async_block_till_done()
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert household(hass) == ("off", "off", "clear")


async def test_remove_config_entry_device(
    hass: HomeAssistant, zwave_network: ZwaveNetwork
) -> None:
    zwave_network.add(zcombo_g_state(3, name="Kitchen alarm"))
    await async_setup_zwave_js(hass, zwave_network)
    entry = await async_setup_firstalert(hass)
    registry = dr.async_get(hass)
    device = registry.async_get_device(identifiers={("zwave_js", KEY)})
    assert device is not None
    household_device = registry.async_get_device(identifiers={(DOMAIN, entry.entry_id)})
    assert household_device is not None
    from custom_components.firstalert_zwave import async_remove_config_entry_device

    assert not await async_remove_config_entry_device(hass, entry, device)
    assert not await async_remove_config_entry_device(hass, entry, household_device)
    stale = registry.async_get_or_create(
        config_entry_id=entry.entry_id,
        identifiers={("zwave_js", f"{HOME_ID}-99-312:1:3")},
    )
    assert await async_remove_config_entry_device(hass, entry, stale)


async def test_our_entry_added_before_zwave_js_entry_exists(
    hass: HomeAssistant, zwave_network: ZwaveNetwork
) -> None:
    zwave_network.add(zcombo_g_state(3, name="Kitchen alarm", values={SMOKE_SENSOR: 2}))
    entry = firstalert_entry(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert household(hass) == (STATE_UNAVAILABLE,) * 3
    assert state(hass, HOUSEHOLD_EVENTS) == STATE_UNAVAILABLE
    await async_setup_zwave_js(hass, zwave_network)
    assert household(hass) == ("on", "off", "smoke")
    events_state = hass.states.get(HOUSEHOLD_EVENTS)
    assert events_state is not None
    assert events_state.attributes["event_type"] == "started"
    assert events_state.attributes["reason"] == "sync"


async def test_reloading_our_entry_mid_alarm_announces_nothing_again(
    hass: HomeAssistant, zwave_network: ZwaveNetwork, alarm_events: list[Event]
) -> None:
    """Issue item 6: a reload during an alarm fired a second ``started``."""
    zwave_network.add(zcombo_g_state(3, name="Kitchen alarm"))
    await async_setup_zwave_js(hass, zwave_network)
    entry = await async_setup_firstalert(hass)
    zwave_network.update(3, SMOKE_SENSOR, 2)
    await hass.async_block_till_done()
    since = attrs(hass, HOUSEHOLD_SMOKE)["since"]
    for _ in range(3):
        assert await hass.config_entries.async_reload(entry.entry_id)
        await hass.async_block_till_done()
    assert household(hass) == ("on", "off", "smoke")
    assert attrs(hass, HOUSEHOLD_SMOKE)["since"] == since
    assert summary(alarm_events) == [("started", "smoke", "Kitchen alarm", "report")]


@pytest.mark.parametrize(
    "zwave_first", [True, False], ids=["zwave_first", "ours_first"]
)
async def test_a_restart_mid_alarm_announces_nothing_again(
    hass: HomeAssistant,
    zwave_network: ZwaveNetwork,
    alarm_events: list[Event],
    hass_storage: dict[str, Any],
    zwave_first: bool,
) -> None:
    zwave_network.add(zcombo_g_state(3, name="Kitchen alarm"))
    await async_setup_zwave_js(hass, zwave_network)
    await async_setup_firstalert(hass)
    zwave_network.update(3, CO_SENSOR, 2)
    await hass.async_block_till_done()
    since = attrs(hass, HOUSEHOLD_CO)["since"]
    await async_restart(hass, hass_storage, zwave_first=zwave_first)
    assert household(hass) == ("off", "on", "co")
    assert attrs(hass, HOUSEHOLD_CO)["since"] == since
    assert attrs(hass, HOUSEHOLD_CO)["held"] is False
    assert summary(alarm_events) == [("started", "co", "Kitchen alarm", "report")]


async def test_a_restart_after_the_alarm_cleared_while_down_announces_the_clear(
    hass: HomeAssistant,
    zwave_network: ZwaveNetwork,
    alarm_events: list[Event],
    hass_storage: dict[str, Any],
) -> None:
    zwave_network.add(zcombo_g_state(3, name="Kitchen alarm", values={SMOKE_SENSOR: 2}))
    zw_entry = await async_setup_zwave_js(hass, zwave_network)
    entry = await async_setup_firstalert(hass)
    assert await hass.config_entries.async_unload(entry.entry_id)
    assert await hass.config_entries.async_unload(zw_entry.entry_id)
    zwave_network.states[3] = zcombo_g_state(3, name="Kitchen alarm")
    # HA comes back with Z-Wave JS unreachable at first: the alarm is held, not cleared.
    zwave_network.reachable = False
    await hass.config_entries.async_setup(zw_entry.entry_id)
    assert zw_entry.state is ConfigEntryState.SETUP_RETRY
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert household(hass) == (STATE_UNAVAILABLE,) * 3
    assert [e[0] for e in summary(alarm_events)] == ["started"]
    zwave_network.reachable = True
    assert await hass.config_entries.async_reload(zw_entry.entry_id)
    await hass.async_block_till_done()
    assert household(hass) == ("off", "off", "clear")
    assert summary(alarm_events) == [
        ("started", "smoke", "Kitchen alarm", "sync"),
        ("cleared", "smoke", "Kitchen alarm", "sync"),
    ]


async def test_a_detector_removed_while_ha_was_down_is_cleared_once(
    hass: HomeAssistant,
    zwave_network: ZwaveNetwork,
    alarm_events: list[Event],
    hass_storage: dict[str, Any],
) -> None:
    zwave_network.add(
        zcombo_g_state(3, name="Kitchen alarm", values={SMOKE_SENSOR: 2}),
        zcombo_g_state(6, name="Garage alarm"),
    )
    zw_entry = await async_setup_zwave_js(hass, zwave_network)
    entry = await async_setup_firstalert(hass)
    assert await hass.config_entries.async_unload(entry.entry_id)
    assert await hass.config_entries.async_unload(zw_entry.entry_id)
    del zwave_network.states[3]
    assert await hass.config_entries.async_setup(zw_entry.entry_id)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert household(hass) == ("off", "off", "clear")
    await async_restart(hass, hass_storage)
    assert summary(alarm_events) == [
        ("started", "smoke", "Kitchen alarm", "sync"),
        ("cleared", "smoke", "Kitchen alarm", "removed"),
    ]


async def test_held_detectors_of_a_zwave_js_entry_deleted_while_down_are_dropped(
    hass: HomeAssistant,
    zwave_network: ZwaveNetwork,
    alarm_events: list[Event],
    hass_storage: dict[str, Any],
) -> None:
    zwave_network.add(zcombo_g_state(3, name="Kitchen alarm", values={SMOKE_SENSOR: 2}))
    zw_entry = await async_setup_zwave_js(hass, zwave_network)
    entry = await async_setup_firstalert(hass)
    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.config_entries.async_remove(zw_entry.entry_id)
    await hass.async_block_till_done()
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.runtime_data.household.model.keys == ()
    assert summary(alarm_events)[-1] == ("cleared", "smoke", "Kitchen alarm", "removed")


async def test_a_report_arriving_while_our_entry_loads_is_not_lost(
    hass: HomeAssistant, zwave_network: ZwaveNetwork, alarm_events: list[Event]
) -> None:
    zwave_network.add(zcombo_g_state(3, name="Kitchen alarm"))
    await async_setup_zwave_js(hass, zwave_network)
    real_load = HouseholdAlarm.async_load

    async def load_while_smoke_arrives(self: HouseholdAlarm) -> None:
        zwave_network.update(3, SMOKE_SENSOR, 2)
        await real_load(self)
        zwave_network.update(3, CO_SENSOR, 2)

    with patch.object(HouseholdAlarm, "async_load", load_while_smoke_arrives):
        await async_setup_firstalert(hass)
    assert household(hass) == ("on", "on", "smoke_and_co")
    assert [e[:2] for e in summary(alarm_events)] == [
        ("started", "smoke"),
        ("started", "co"),
    ]


async def test_a_detector_removed_mid_alarm_is_forgotten_for_good(
    hass: HomeAssistant,
    zwave_network: ZwaveNetwork,
    alarm_events: list[Event],
    hass_storage: dict[str, Any],
) -> None:
    zwave_network.add(zcombo_g_state(3, name="Kitchen alarm", values={SMOKE_SENSOR: 2}))
    await async_setup_zwave_js(hass, zwave_network)
    await async_setup_firstalert(hass)
    zwave_network.node_removed(3)
    await hass.async_block_till_done()
    await async_restart(hass, hass_storage)
    assert household(hass) == ("off", "off", "clear")
    assert [e[0] for e in summary(alarm_events)] == ["started", "cleared"]


async def test_unreadable_saved_facts_never_stop_the_entry(
    hass: HomeAssistant,
    zwave_network: ZwaveNetwork,
    hass_storage: dict[str, Any],
    caplog: pytest.LogCaptureFixture,
) -> None:
    zwave_network.add(zcombo_g_state(3, name="Kitchen alarm", values={SMOKE_SENSOR: 2}))
    entry = firstalert_entry(hass)
    hass_storage[facts_key(entry)] = {"version": 99, "key": "x", "data": ["garbage"]}
    zwave_entry(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    assert household(hass) == ("on", "off", "smoke")
    assert "Saved detector facts could not be read" in caplog.text


async def test_absurd_stored_options_never_stop_the_entry(
    hass: HomeAssistant, zwave_network: ZwaveNetwork
) -> None:
    zwave_network.add(zcombo_g_state(3, name="Kitchen alarm"))
    await async_setup_zwave_js(hass, zwave_network)
    entry = await async_setup_firstalert(
        hass, {"offline_multiplier": 10**15, "repair_offline": "yes"}
    )
    assert entry.state is ConfigEntryState.LOADED
    assert entry.runtime_data.household.options.offline_multiplier == 10.0
