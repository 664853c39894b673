"""Fail-safe reading through HA's real zwave_js: garbage never clears or raises an alarm.

Issue items 2 (an unreadable "Sensor status" cleared real smoke) and 3 (a boolean True was
read as state 1 and raised a false alarm), at startup and live, and the same for CO.
"""

from __future__ import annotations

import logging
from typing import Any

from homeassistant.core import Event, HomeAssistant
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from tests.firstalert_zwave.common import (
    HOUSEHOLD_SMOKE,
    attrs,
    detector_entity,
    household,
    state,
    summary,
)
from tests.firstalert_zwave.harness import (
    CO_SENSOR,
    SMOKE_SENSOR,
    ZwaveNetwork,
    async_setup_firstalert,
    async_setup_zwave_js,
    zcombo_g_state,
    zcombo_state,
)

KITCHEN = "kitchen_alarm"
HALL = "hall_alarm"

UNREADABLE: list[Any] = [
    None,
    "2",
    "smoke",
    2.5,
    2.0,
    0.0,
    {"value": 0},
    [0],
    -1,
    256,
    10**30,
    7,  # a number that is no Sensor status state
    True,
    False,
]
IDS = [repr(value)[:12] for value in UNREADABLE]
SENSORS = {"smoke": SMOKE_SENSOR, "co": CO_SENSOR}


def _alarm_on(hass: HomeAssistant, kind: str) -> bool:
    smoke, co, _ = household(hass)
    return (smoke if kind == "smoke" else co) == "on"


@pytest.fixture
async def kitchen(hass: HomeAssistant, zwave_network: ZwaveNetwork) -> ZwaveNetwork:
    """A ZCOMBO-G in the kitchen and a legacy ZCOMBO in the hall, all idle."""
    zwave_network.add(
        zcombo_g_state(3, name="Kitchen alarm", location="Kitchen"),
        zcombo_state(4, name="Hall alarm", location="Hall"),
    )
    await async_setup_zwave_js(hass, zwave_network)
    await async_setup_firstalert(hass)
    return zwave_network


@pytest.mark.parametrize("garbage", UNREADABLE, ids=IDS)
@pytest.mark.parametrize("kind", list(SENSORS))
async def test_an_unreadable_sensor_status_never_clears_a_real_alarm(
    hass: HomeAssistant,
    kitchen: ZwaveNetwork,
    alarm_events: list[Event],
    kind: str,
    garbage: Any,
) -> None:
    key = SENSORS[kind]
    kitchen.update(3, key, 2)
    await hass.async_block_till_done()
    assert _alarm_on(hass, kind)
    kitchen.update(3, key, garbage)
    await hass.async_block_till_done()
    assert _alarm_on(hass, kind)
    assert state(hass, detector_entity(KITCHEN, "alarm_state")) == kind
    assert [e[0] for e in summary(alarm_events)] == ["started"]
    # A readable clear still clears.
    kitchen.update(3, key, 0)
    await hass.async_block_till_done()
    assert household(hass) == ("off", "off", "clear")


@pytest.mark.parametrize("kind", list(SENSORS))
async def test_a_sensor_status_re_added_empty_never_clears_a_real_alarm(
    hass: HomeAssistant,
    kitchen: ZwaveNetwork,
    alarm_events: list[Event],
    kind: str,
) -> None:
    key = SENSORS[kind]
    kitchen.update(3, key, 2)
    kitchen.value_added(3, key, None)
    kitchen.value_added(3, key, 0)
    await hass.async_block_till_done()
    assert _alarm_on(hass, kind)
    assert [e[0] for e in summary(alarm_events)] == ["started"]


async def test_a_re_interview_during_smoke_keeps_the_smoke(
    hass: HomeAssistant, kitchen: ZwaveNetwork, alarm_events: list[Event]
) -> None:
    """zwave-js clears its values and pre-sets idle: that is no clear from the detector."""
    kitchen.update(3, SMOKE_SENSOR, 2)
    kitchen.legacy_alarm(4, 2, 255)
    await hass.async_block_till_done()
    kitchen.reinterview(3)
    kitchen.reinterview(4)
    await hass.async_block_till_done()
    assert kitchen.current_value(3, SMOKE_SENSOR) == 0  # what zwave-js shows
    assert household(hass) == ("on", "on", "smoke_and_co")
    assert [e[0] for e in summary(alarm_events)] == ["started", "started"]
    # The detectors report again after the interview: their clears are believed.
    kitchen.notification_report(3, 1, 2)
    kitchen.notification_report(3, 1, 0, 2)
    kitchen.legacy_alarm(4, 2, 0)
    await hass.async_block_till_done()
    assert household(hass) == ("off", "off", "clear")


@pytest.mark.parametrize("garbage", UNREADABLE, ids=IDS)
@pytest.mark.parametrize("kind", list(SENSORS))
async def test_an_unreadable_sensor_status_at_startup_keeps_the_household_clear(
    hass: HomeAssistant,
    zwave_network: ZwaveNetwork,
    alarm_events: list[Event],
    kind: str,
    garbage: Any,
) -> None:
    key = SENSORS[kind]
    zwave_network.add(zcombo_g_state(3, name="Kitchen alarm", values={key: garbage}))
    await async_setup_zwave_js(hass, zwave_network)
    await async_setup_firstalert(hass)
    assert household(hass) == ("off", "off", "clear")
    assert alarm_events == []
    # Never read: the detector does not claim "idle" either.
    assert state(hass, detector_entity(KITCHEN, "alarm_state")) == "unknown"
    zwave_network.update(3, key, 0)
    await hass.async_block_till_done()
    assert state(hass, detector_entity(KITCHEN, "alarm_state")) == "idle"


@pytest.mark.parametrize("kind", list(SENSORS))
async def test_a_boolean_sensor_status_never_raises_an_alarm(
    hass: HomeAssistant,
    zwave_network: ZwaveNetwork,
    alarm_events: list[Event],
    kind: str,
) -> None:
    key = SENSORS[kind]
    # At startup...
    zwave_network.add(
        zcombo_g_state(3, name="Kitchen alarm", values={key: True}),
        zcombo_state(4, name="Hall alarm"),
    )
    await async_setup_zwave_js(hass, zwave_network)
    await async_setup_firstalert(hass)
    assert household(hass) == ("off", "off", "clear")
    # ...and live, on a notification detector and on a legacy one.
    zwave_network.update(3, key, True)
    zwave_network.update(4, key, True)
    await hass.async_block_till_done()
    assert household(hass) == ("off", "off", "clear")
    assert state(hass, detector_entity(HALL, "alarm_state")) == "idle"
    assert alarm_events == []


async def test_a_boolean_v1_alarm_never_raises_a_legacy_alarm(
    hass: HomeAssistant, kitchen: ZwaveNetwork, alarm_events: list[Event]
) -> None:
    kitchen.update(4, (113, "alarmType", None), True)
    kitchen.update(4, (113, "alarmLevel", None), 255)
    kitchen.update(4, (113, "alarmType", None), 2)
    kitchen.update(4, (113, "alarmLevel", None), True)
    await hass.async_block_till_done()
    assert household(hass) == ("off", "off", "clear")
    assert alarm_events == []


async def test_an_unreadable_value_is_logged_once_and_shown_in_diagnostics(
    hass: HomeAssistant,
    kitchen: ZwaveNetwork,
    hass_client: ClientSessionGenerator,
    caplog: pytest.LogCaptureFixture,
) -> None:
    kitchen.update(3, SMOKE_SENSOR, 2)
    with caplog.at_level(logging.WARNING):
        for garbage in ("x", [1], 10**30):
            kitchen.update(3, SMOKE_SENSOR, garbage)
        await hass.async_block_till_done()
    warnings = [
        record for record in caplog.records if "cannot be read" in record.getMessage()
    ]
    assert len(warnings) == 1
    assert "Kitchen alarm" in warnings[0].getMessage()
    assert "smoke_sensor" in warnings[0].getMessage()
    assert await async_setup_component(hass, "diagnostics", {})
    entry = hass.config_entries.async_entries("firstalert_zwave")[0]
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, entry)
    kitchen_detector = next(d for d in diagnostics["detectors"] if d["node_id"] == 3)
    assert kitchen_detector["unreadable"] == {"smoke_sensor": repr(10**30)}
    assert kitchen_detector["values"]["smoke_sensor"] == 2
    assert kitchen_detector["state"] == "smoke"
    assert attrs(hass, HOUSEHOLD_SMOKE)["detectors"] == ["Kitchen alarm"]


async def test_a_value_not_reported_yet_keeps_the_state_without_a_warning(
    hass: HomeAssistant, kitchen: ZwaveNetwork, caplog: pytest.LogCaptureFixture
) -> None:
    kitchen.update(3, SMOKE_SENSOR, 2)
    with caplog.at_level(logging.DEBUG):
        kitchen.update(3, SMOKE_SENSOR, None)
        kitchen.update(3, (113, "alarmType", None), None)
        await hass.async_block_till_done()
    assert household(hass) == ("on", "off", "smoke")
    assert not [
        record
        for record in caplog.records
        if record.levelno >= logging.WARNING and "cannot be read" in record.getMessage()
    ]
    assert any("has no" in record.getMessage() for record in caplog.records)


async def test_a_legacy_clear_right_after_a_re_interview_clears(
    hass: HomeAssistant, kitchen: ZwaveNetwork, alarm_events: list[Event]
) -> None:
    """zwave-js adds its V1 values back with the next frame; a clear in it is believed."""
    kitchen.legacy_alarm(4, 1, 255)
    await hass.async_block_till_done()
    kitchen.reinterview(4)
    await hass.async_block_till_done()
    assert household(hass) == ("on", "off", "smoke")
    kitchen.legacy_alarm(4, 1, 0)
    await hass.async_block_till_done()
    assert household(hass) == ("off", "off", "clear")
    assert [e[:2] for e in summary(alarm_events)] == [
        ("started", "smoke"),
        ("cleared", "smoke"),
    ]
