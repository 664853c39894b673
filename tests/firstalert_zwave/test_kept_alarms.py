"""Alarms zwave-js cannot report again survive reconnects, reloads and restarts.

Issue item 1: real smoke on a legacy detector, then a test press ends (12/0): zwave-js
shows the smoke idle. The household must keep the smoke through a zwave_js reconnect, a
reload of our entry and an HA restart, yet a real clear that happened while we were not
listening must still clear. The same for CO ended together with a CO test on a ZCOMBO-G.
"""

from __future__ import annotations

from typing import Any

from homeassistant.core import Event, HomeAssistant
from homeassistant.helpers import issue_registry as ir
import pytest
from pytest_homeassistant_custom_component.common import async_fire_time_changed

from custom_components.firstalert_zwave.const import DOMAIN
from tests.firstalert_zwave.common import (
    HOUSEHOLD_SMOKE,
    attrs,
    detector_entity,
    household,
    state,
    summary,
)
from tests.firstalert_zwave.harness import (
    ALARM_LEVEL,
    ALARM_TYPE,
    CO_SENSOR,
    CO_TEST,
    HOME_ID,
    SMOKE_SENSOR,
    ZwaveNetwork,
    async_restart,
    async_setup_firstalert,
    async_setup_zwave_js,
    facts_key,
    zcombo_g_state,
    zsmoke_state,
)

BASEMENT = "basement_alarm"
LEGACY_KEY = f"{HOME_ID}-5-312:1:1"
KITCHEN_KEY = f"{HOME_ID}-3-312:1:3"


@pytest.fixture
async def house(hass: HomeAssistant, zwave_network: ZwaveNetwork) -> ZwaveNetwork:
    """A ZCOMBO-G in the kitchen and a legacy ZSMOKE in the basement."""
    zwave_network.add(
        zcombo_g_state(3, name="Kitchen alarm", location="Kitchen"),
        zsmoke_state(5, name="Basement alarm", location="Basement"),
    )
    await async_setup_zwave_js(hass, zwave_network)
    await async_setup_firstalert(hass)
    return zwave_network


async def _smoke_then_test_end(hass: HomeAssistant, house: ZwaveNetwork) -> None:
    """Real smoke, then someone presses test and the test ends (12/255, 12/0)."""
    house.legacy_alarm(5, 1, 255)
    house.legacy_alarm(5, 12, 255)
    house.legacy_alarm(5, 12, 0)
    await hass.async_block_till_done()
    assert house.current_value(5, SMOKE_SENSOR) == 0  # zwave-js shows it clear
    assert household(hass) == ("on", "off", "smoke")


def _kept_issue(hass: HomeAssistant, kind: str, key: str) -> ir.IssueEntry | None:
    return ir.async_get(hass).async_get_issue(DOMAIN, f"kept_{kind}_{key}")


def _alarm_types(alarm_events: list[Event]) -> list[tuple[str, str]]:
    return [(e[0], e[3]) for e in summary(alarm_events) if e[1] == "smoke"]


async def test_smoke_kept_after_a_test_end_survives_a_zwave_js_reconnect(
    hass: HomeAssistant, house: ZwaveNetwork, alarm_events: list[Event]
) -> None:
    await _smoke_then_test_end(hass, house)
    house.drop_connection()
    await hass.async_block_till_done()
    assert len(house.clients) == 2
    assert household(hass) == ("on", "off", "smoke")
    assert _alarm_types(alarm_events) == [
        ("started", "report"),
        ("test_started", "report"),
        ("test_ended", "report"),
    ]


async def test_smoke_kept_after_a_test_end_survives_a_reload_of_our_entry(
    hass: HomeAssistant, house: ZwaveNetwork, alarm_events: list[Event]
) -> None:
    await _smoke_then_test_end(hass, house)
    entry = hass.config_entries.async_entries(DOMAIN)[0]
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert household(hass) == ("on", "off", "smoke")
    assert state(hass, detector_entity(BASEMENT, "alarm_state")) == "smoke"
    assert [e[0] for e in summary(alarm_events)] == [
        "started",
        "test_started",
        "test_ended",
    ]


@pytest.mark.parametrize(
    "zwave_first", [True, False], ids=["zwave_first", "ours_first"]
)
async def test_smoke_kept_after_a_test_end_survives_a_restart(
    hass: HomeAssistant,
    house: ZwaveNetwork,
    alarm_events: list[Event],
    hass_storage: dict[str, Any],
    zwave_first: bool,
) -> None:
    await _smoke_then_test_end(hass, house)
    await async_restart(hass, hass_storage, zwave_first=zwave_first)
    assert household(hass) == ("on", "off", "smoke")
    assert attrs(hass, HOUSEHOLD_SMOKE)["detectors"] == ["Basement alarm"]
    assert [e[0] for e in summary(alarm_events)] == [
        "started",
        "test_started",
        "test_ended",
    ]
    # The detector's own clear still ends it.
    house.legacy_alarm(5, 1, 0)
    await hass.async_block_till_done()
    assert household(hass) == ("off", "off", "clear")
    assert summary(alarm_events)[-1] == ("cleared", "smoke", "Basement alarm", "report")


@pytest.mark.parametrize("frame", [(1, 0), (13, 255)], ids=["clear", "check_in"])
async def test_a_clear_while_we_were_not_listening_still_clears(
    hass: HomeAssistant,
    house: ZwaveNetwork,
    alarm_events: list[Event],
    frame: tuple[int, int],
) -> None:
    await _smoke_then_test_end(hass, house)
    entry = hass.config_entries.async_entries(DOMAIN)[0]
    assert await hass.config_entries.async_unload(entry.entry_id)
    house.legacy_alarm(5, *frame)  # zwave_js keeps working without us
    await hass.async_block_till_done()
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert household(hass) == ("off", "off", "clear")
    assert summary(alarm_events)[-1] == ("cleared", "smoke", "Basement alarm", "sync")
    assert _kept_issue(hass, "smoke", LEGACY_KEY) is None


async def test_a_test_end_while_we_were_not_listening_keeps_the_smoke(
    hass: HomeAssistant, house: ZwaveNetwork, alarm_events: list[Event]
) -> None:
    house.legacy_alarm(5, 1, 255)
    await hass.async_block_till_done()
    entry = hass.config_entries.async_entries(DOMAIN)[0]
    assert await hass.config_entries.async_unload(entry.entry_id)
    house.legacy_alarm(5, 12, 255)
    house.legacy_alarm(5, 12, 0)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert household(hass) == ("on", "off", "smoke")
    assert [e[0] for e in summary(alarm_events)] == ["started"]
    assert _kept_issue(hass, "smoke", LEGACY_KEY) is not None


async def test_a_kept_alarm_raises_a_repair_that_explains_it(
    hass: HomeAssistant, house: ZwaveNetwork
) -> None:
    await _smoke_then_test_end(hass, house)
    issue = _kept_issue(hass, "smoke", LEGACY_KEY)
    assert issue is not None
    assert issue.is_fixable
    assert issue.severity is ir.IssueSeverity.ERROR
    assert issue.translation_placeholders == {
        "name": "Basement alarm",
        "area": "Basement",
    }
    house.legacy_alarm(5, 13, 255)
    await hass.async_block_till_done()
    assert _kept_issue(hass, "smoke", LEGACY_KEY) is None


async def _co_during_a_co_test(hass: HomeAssistant, house: ZwaveNetwork) -> None:
    """ZCOMBO-G: CO, a CO test, and the test's end idles every CO variable."""
    house.notification_report(3, 2, 2)  # CO detected
    house.notification_report(3, 2, 3)  # CO test
    house.notification_report(3, 2, 0)  # idle without a parameter: the test is over
    await hass.async_block_till_done()
    assert house.current_value(3, CO_SENSOR) == 0
    assert house.current_value(3, CO_TEST) == 3  # not idle-able


async def test_co_during_a_co_test_is_kept_through_reconnect_reload_and_restart(
    hass: HomeAssistant,
    house: ZwaveNetwork,
    alarm_events: list[Event],
    hass_storage: dict[str, Any],
) -> None:
    await _co_during_a_co_test(hass, house)
    assert household(hass)[1] == "on"
    house.drop_connection()
    await hass.async_block_till_done()
    assert household(hass)[1] == "on"
    entry = hass.config_entries.async_entries(DOMAIN)[0]
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert household(hass)[1] == "on"
    await async_restart(hass, hass_storage)
    assert household(hass)[1] == "on"
    co_events = [e[0] for e in summary(alarm_events) if e[1] == "co"]
    assert co_events == ["started", "test_started"]
    assert _kept_issue(hass, "co", KITCHEN_KEY) is not None


async def test_a_co_clear_outside_a_test_clears(
    hass: HomeAssistant, house: ZwaveNetwork, alarm_events: list[Event]
) -> None:
    house.notification_report(3, 2, 2)
    house.notification_report(3, 2, 0, 2)
    await hass.async_block_till_done()
    assert household(hass) == ("off", "off", "clear")
    assert [e[0] for e in summary(alarm_events)] == ["started", "cleared"]


async def test_a_kept_alarm_is_bound_to_its_detector_hardware(
    hass: HomeAssistant,
    house: ZwaveNetwork,
    alarm_events: list[Event],
    hass_storage: dict[str, Any],
) -> None:
    """Node 5 reused by another ZSMOKE (new firmware) while HA was down: nothing kept."""
    await _smoke_then_test_end(hass, house)
    entry = hass.config_entries.async_entries(DOMAIN)[0]
    zwave = hass.config_entries.async_entries("zwave_js")[0]
    assert await hass.config_entries.async_unload(entry.entry_id)
    assert await hass.config_entries.async_unload(zwave.entry_id)
    replacement = zsmoke_state(
        5,
        name="Attic alarm",
        values={ALARM_TYPE: 12, ALARM_LEVEL: 0, SMOKE_SENSOR: 2},
    )
    replacement["firmwareVersion"] = "2.0"
    house.states[5] = replacement
    assert await hass.config_entries.async_setup(zwave.entry_id)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    # The old detector's kept smoke ends with it; the new one reports its own smoke.
    assert household(hass) == ("on", "off", "smoke")
    assert summary(alarm_events)[-2:] == [
        ("cleared", "smoke", "Basement alarm", "removed"),
        ("started", "smoke", "Attic alarm", "sync"),
    ]
    assert _kept_issue(hass, "smoke", LEGACY_KEY) is None
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    saved = hass_storage[facts_key(entry)]["data"]
    assert [
        d["identity"]["firmware"]
        for d in saved["detectors"]
        if d["identity"]["node_id"] == 5
    ] == ["2.0"]


async def test_facts_are_written_as_soon_as_they_change(
    hass: HomeAssistant, house: ZwaveNetwork, hass_storage: dict[str, Any]
) -> None:
    await _smoke_then_test_end(hass, house)
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    entry = hass.config_entries.async_entries(DOMAIN)[0]
    saved = hass_storage[facts_key(entry)]["data"]
    basement = next(d for d in saved["detectors"] if d["identity"]["key"] == LEGACY_KEY)
    assert basement["kept"] == {"smoke": "test_end"}
    assert basement["known"]["alarm_type"] == 12
    assert saved["household"]["state"] == "smoke"
