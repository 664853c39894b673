"""Which nodes are detectors: a BRK product that can report smoke or CO, nothing less.

Issue item 5: any manufacturer-312 node counted as a detector, so a First Alert/BRK lock got
detector entities and, when it slept, an "offline" repair.
"""

from __future__ import annotations

from datetime import timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import Event, HomeAssistant
from homeassistant.helpers import entity_registry as er, issue_registry as ir
from pytest_homeassistant_custom_component.common import async_fire_time_changed

from custom_components.firstalert_zwave.const import DOMAIN
from tests.firstalert_zwave.common import detector_entity, household, state, summary
from tests.firstalert_zwave.harness import (
    SMOKE_SENSOR,
    ZwaveNetwork,
    async_setup_firstalert,
    async_setup_zwave_js,
    brk_lock_state,
    zcombo_g_state,
)

HOUSEHOLD_ONLY = {"smoke", "co", "alarm", "alarm_events", "safety_checkup"}


def _our_entities(hass: HomeAssistant) -> set[str]:
    entry = hass.config_entries.async_entries(DOMAIN)[0]
    return {
        entity.unique_id.removeprefix(f"{entry.entry_id}_")
        for entity in er.async_entries_for_config_entry(
            er.async_get(hass), entry.entry_id
        )
    }


async def test_a_brk_lock_is_not_a_detector_and_never_offline(
    hass: HomeAssistant,
    zwave_network: ZwaveNetwork,
    freezer: FrozenDateTimeFactory,
    alarm_events: list[Event],
) -> None:
    zwave_network.add(brk_lock_state(8, name="Front lock"))
    await async_setup_zwave_js(hass, zwave_network)
    await async_setup_firstalert(hass)
    # The lock reports alarms of its own (V1 frames): they are not smoke.
    zwave_network.update(8, (113, "alarmType", None), 1)
    zwave_network.update(8, (113, "alarmLevel", None), 255)
    await hass.async_block_till_done()
    # It sleeps for days.
    freezer.tick(timedelta(days=3))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    assert _our_entities(hass) == HOUSEHOLD_ONLY
    assert hass.states.get(detector_entity("front_lock", "offline")) is None
    assert not [
        issue
        for (domain, _), issue in ir.async_get(hass).issues.items()
        if domain == DOMAIN
    ]
    assert household(hass) == ("off", "off", "clear")
    assert alarm_events == []


async def test_a_brk_node_becomes_a_detector_once_smoke_values_appear(
    hass: HomeAssistant, zwave_network: ZwaveNetwork, alarm_events: list[Event]
) -> None:
    """An unknown BRK product that reports smoke is a detector, checked when values come."""
    zwave_network.add(brk_lock_state(9, name="Hall sensor", product_id=0x0099))
    await async_setup_zwave_js(hass, zwave_network)
    await async_setup_firstalert(hass)
    assert _our_entities(hass) == HOUSEHOLD_ONLY
    zwave_network.value_added(9, SMOKE_SENSOR, 2)
    await hass.async_block_till_done()
    assert state(hass, detector_entity("hall_sensor", "alarm_state")) == "smoke"
    assert household(hass) == ("on", "off", "smoke")
    assert summary(alarm_events) == [("started", "smoke", "Hall sensor", "sync")]


async def test_a_known_detector_whose_values_are_not_known_yet_waits_for_them(
    hass: HomeAssistant, zwave_network: ZwaveNetwork
) -> None:
    bare = zcombo_g_state(3, name="Kitchen alarm")
    bare["values"] = [v for v in bare["values"] if v["commandClass"] != 113]
    zwave_network.add(bare)
    await async_setup_zwave_js(hass, zwave_network)
    await async_setup_firstalert(hass)
    assert _our_entities(hass) == HOUSEHOLD_ONLY
    zwave_network.node_ready(zcombo_g_state(3, name="Kitchen alarm"))
    await hass.async_block_till_done()
    assert state(hass, detector_entity("kitchen_alarm", "alarm_state")) == "idle"


async def test_a_detector_whose_values_vanish_during_an_interview_stays_one(
    hass: HomeAssistant, zwave_network: ZwaveNetwork, alarm_events: list[Event]
) -> None:
    zwave_network.add(zcombo_g_state(3, name="Kitchen alarm", values={SMOKE_SENSOR: 2}))
    await async_setup_zwave_js(hass, zwave_network)
    await async_setup_firstalert(hass)
    bare = zcombo_g_state(3, name="Kitchen alarm")
    bare["values"] = [v for v in bare["values"] if v["commandClass"] != 113]
    for key in ("manufacturerId", "productId", "productType"):
        bare.pop(key)
    zwave_network.node_ready(bare)
    await hass.async_block_till_done()
    assert household(hass) == ("on", "off", "smoke")
    assert [e[0] for e in summary(alarm_events)] == ["started"]
