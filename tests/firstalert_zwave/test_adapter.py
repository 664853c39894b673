"""Adapter edge cases: interviews, re-interviews, endpoints, broken handlers, odd entries."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from unittest.mock import patch

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import Event, HomeAssistant
import pytest

from custom_components.firstalert_zwave import adapter as adapter_module
from custom_components.firstalert_zwave.adapter import client_of
from tests.firstalert_zwave.common import detector_entity, household, state, summary
from tests.firstalert_zwave.harness import (
    ALARM_LEVEL,
    ALARM_TYPE,
    BATTERY_LOW,
    CO_MAINTENANCE,
    CO_SENSOR,
    CO_TEST,
    SMOKE_SENSOR,
    ZwaveNetwork,
    async_setup_firstalert,
    async_setup_zwave_js,
    foreign_state,
    zcombo_g_state,
    zcombo_state,
    zwave_entry,
)

KITCHEN = "kitchen_alarm"


def _uninterviewed(node_id: int) -> dict[str, Any]:
    """A node just included: no manufacturer/product ids or values yet."""
    state_dict = zcombo_g_state(node_id)
    for key in ("manufacturerId", "productId", "productType", "deviceConfig", "label"):
        state_dict.pop(key, None)
    state_dict.update(ready=False, interviewStage="ProtocolInfo", values=[])
    return state_dict


async def test_detector_found_when_its_interview_completes(
    hass: HomeAssistant, zwave_network: ZwaveNetwork, alarm_events: list[Event]
) -> None:
    await async_setup_zwave_js(hass, zwave_network)
    await async_setup_firstalert(hass)
    zwave_network.node_added(_uninterviewed(3))
    await hass.async_block_till_done()
    assert hass.states.get(detector_entity(KITCHEN, "alarm_state")) is None
    zwave_network.node_ready(
        zcombo_g_state(3, name="Kitchen alarm", values={SMOKE_SENSOR: 2})
    )
    await hass.async_block_till_done()
    assert state(hass, detector_entity(KITCHEN, "alarm_state")) == "smoke"
    assert household(hass) == ("on", "off", "smoke")
    assert summary(alarm_events) == [("started", "smoke", "Kitchen alarm", "sync")]


async def test_reinterview_resyncs_the_same_detector(
    hass: HomeAssistant, zwave_network: ZwaveNetwork, alarm_events: list[Event]
) -> None:
    zwave_network.add(zcombo_g_state(3, name="Kitchen alarm", values={SMOKE_SENSOR: 2}))
    await async_setup_zwave_js(hass, zwave_network)
    await async_setup_firstalert(hass)
    zwave_network.node_ready(zcombo_g_state(3, name="Kitchen alarm"))
    await hass.async_block_till_done()
    assert household(hass) == ("off", "off", "clear")
    assert summary(alarm_events) == [
        ("started", "smoke", "Kitchen alarm", "sync"),
        ("cleared", "smoke", "Kitchen alarm", "sync"),
    ]


async def test_reinterview_as_other_hardware_drops_the_detector(
    hass: HomeAssistant, zwave_network: ZwaveNetwork, alarm_events: list[Event]
) -> None:
    zwave_network.add(zcombo_g_state(3, name="Kitchen alarm", values={SMOKE_SENSOR: 2}))
    await async_setup_zwave_js(hass, zwave_network)
    await async_setup_firstalert(hass)
    zwave_network.node_ready(foreign_state(3, name="Front door"))
    await hass.async_block_till_done()
    assert household(hass) == ("off", "off", "clear")
    assert summary(alarm_events)[-1] == ("cleared", "smoke", "Kitchen alarm", "removed")


async def test_values_of_other_endpoints_are_ignored(
    hass: HomeAssistant, zwave_network: ZwaveNetwork, alarm_events: list[Event]
) -> None:
    zwave_network.add(zcombo_g_state(3, name="Kitchen alarm"))
    await async_setup_zwave_js(hass, zwave_network)
    await async_setup_firstalert(hass)
    zwave_network.value_updated(3, SMOKE_SENSOR, 2, 0, endpoint=1)
    await hass.async_block_till_done()
    assert household(hass) == ("off", "off", "clear")
    assert alarm_events == []


async def test_an_error_in_our_handler_never_reaches_zwave_js(
    hass: HomeAssistant,
    zwave_network: ZwaveNetwork,
    caplog: pytest.LogCaptureFixture,
) -> None:
    zwave_network.add(zcombo_g_state(3, name="Kitchen alarm"))
    await async_setup_zwave_js(hass, zwave_network)
    entry = await async_setup_firstalert(hass)
    with patch.object(
        entry.runtime_data.household, "async_report", side_effect=RuntimeError("boom")
    ):
        zwave_network.update(3, SMOKE_SENSOR, 2)
    await hass.async_block_till_done()
    assert "Error handling a zwave_js event" in caplog.text
    # zwave_js itself processed the value.
    assert state(hass, "binary_sensor.kitchen_alarm_smoke_detected") == "on"


async def test_repeated_health_reports_keep_one_issue(
    hass: HomeAssistant, zwave_network: ZwaveNetwork
) -> None:
    zwave_network.add(
        zcombo_g_state(3, name="Kitchen alarm", values={CO_MAINTENANCE: 5})
    )
    await async_setup_zwave_js(hass, zwave_network)
    await async_setup_firstalert(hass)
    zwave_network.update(3, BATTERY_LOW, True)
    zwave_network.update(3, CO_MAINTENANCE, 5)
    await hass.async_block_till_done()
    assert state(hass, detector_entity(KITCHEN, "end_of_life")) == "on"


async def test_removing_a_zwave_js_entry_that_never_loaded(
    hass: HomeAssistant, zwave_network: ZwaveNetwork
) -> None:
    zwave_network.reachable = False
    zw_entry = zwave_entry(hass)
    await async_setup_firstalert(hass)
    assert zw_entry.state is ConfigEntryState.SETUP_RETRY
    await hass.config_entries.async_remove(zw_entry.entry_id)
    await hass.async_block_till_done()
    assert state(hass, "sensor.first_alert_household_alarm") == "unavailable"


@dataclass
class _Runtime:
    client: object


@dataclass
class _Entry:
    runtime_data: object


def test_client_of_reads_dict_and_dataclass_runtime_data() -> None:
    client = object()
    assert client_of(_Entry({"client": client})) is client  # type: ignore[arg-type]
    assert client_of(_Entry(_Runtime(client))) is client  # type: ignore[arg-type]
    assert client_of(_Entry(None)) is None  # type: ignore[arg-type]


async def test_added_legacy_values_are_history_not_alarms(
    hass: HomeAssistant, zwave_network: ZwaveNetwork, alarm_events: list[Event]
) -> None:
    zwave_network.add(zcombo_state(4, name="Hall alarm"))
    await async_setup_zwave_js(hass, zwave_network)
    await async_setup_firstalert(hass)
    zwave_network.value_added(4, ALARM_TYPE, 1)
    zwave_network.value_added(4, ALARM_LEVEL, 255)
    zwave_network.value_added(4, CO_TEST, 3)
    await hass.async_block_till_done()
    assert household(hass) == ("off", "off", "test")
    assert [e[0] for e in summary(alarm_events)] == ["test_started"]


async def test_reports_right_after_inclusion_are_not_lost(
    hass: HomeAssistant, zwave_network: ZwaveNetwork, alarm_events: list[Event]
) -> None:
    """Values can arrive before zwave_js has registered the new device: none is lost."""
    await async_setup_zwave_js(hass, zwave_network)
    await async_setup_firstalert(hass)
    zwave_network.node_added(zcombo_g_state(3, name="Kitchen alarm"))
    zwave_network.update(3, SMOKE_SENSOR, 2)
    zwave_network.update(3, SMOKE_SENSOR, 0)
    zwave_network.update(3, CO_SENSOR, 2)
    await hass.async_block_till_done()
    assert household(hass) == ("off", "on", "co")
    assert state(hass, detector_entity(KITCHEN, "alarm_state")) == "co"
    assert [e[:2] for e in summary(alarm_events)] == [
        ("started", "smoke"),
        ("cleared", "smoke"),
        ("started", "co"),
    ]
    # Once the device exists, the events name it.
    assert alarm_events[-1].data["detector"] == "Kitchen alarm"


async def test_a_node_added_again_under_its_id_keeps_the_detector_and_its_alarm(
    hass: HomeAssistant, zwave_network: ZwaveNetwork, alarm_events: list[Event]
) -> None:
    """zwave-js re-adds a node object (first without ids, then interviewed): no clear."""
    zwave_network.add(zcombo_g_state(3, name="Kitchen alarm", values={SMOKE_SENSOR: 2}))
    await async_setup_zwave_js(hass, zwave_network)
    await async_setup_firstalert(hass)
    zwave_network.node_added(_uninterviewed(3))
    await hass.async_block_till_done()
    assert household(hass) == ("on", "off", "smoke")
    zwave_network.value_added(3, SMOKE_SENSOR, 0)  # pre-set idle during its interview
    zwave_network.node_ready(
        zcombo_g_state(3, name="Kitchen alarm", values={SMOKE_SENSOR: 2})
    )
    await hass.async_block_till_done()
    assert household(hass) == ("on", "off", "smoke")
    # The new node object is the one followed now.
    zwave_network.update(3, SMOKE_SENSOR, 0)
    await hass.async_block_till_done()
    assert household(hass) == ("off", "off", "clear")
    assert [e[0] for e in summary(alarm_events)] == ["started", "cleared"]


async def test_a_broken_node_never_keeps_the_others_from_loading(
    hass: HomeAssistant,
    zwave_network: ZwaveNetwork,
    alarm_events: list[Event],
    caplog: pytest.LogCaptureFixture,
) -> None:
    zwave_network.add(
        zcombo_g_state(3, name="Kitchen alarm"),
        zcombo_g_state(6, name="Garage alarm", values={SMOKE_SENSOR: 2}),
    )
    await async_setup_zwave_js(hass, zwave_network)
    real = adapter_module.detector_identity

    def broken(driver: Any, node: Any) -> Any:
        if node.node_id == 3:
            raise RuntimeError("broken node")
        return real(driver, node)

    with patch(
        "custom_components.firstalert_zwave.adapter.detector_identity",
        side_effect=broken,
    ):
        entry = await async_setup_firstalert(hass)
    assert entry.state is ConfigEntryState.LOADED
    assert household(hass) == ("on", "off", "smoke")
    assert "Error handling a zwave_js event" in caplog.text
