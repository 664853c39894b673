"""Detector health: missed wake-ups, dead nodes, battery, end of life, repair issues."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import Event, HomeAssistant
from homeassistant.helpers import device_registry as dr, issue_registry as ir
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import async_fire_time_changed

from custom_components.firstalert_zwave.const import (
    CONF_OFFLINE_MULTIPLIER,
    CONF_REPAIR_END_OF_LIFE,
    CONF_REPAIR_OFFLINE,
    DOMAIN,
)
from tests.firstalert_zwave.common import detector_entity, household, state
from tests.firstalert_zwave.harness import (
    BATTERY_LOW,
    CO_MAINTENANCE,
    HOME_ID,
    SMOKE_SENSOR,
    WAKE_UP_INTERVAL,
    ZwaveNetwork,
    async_setup_firstalert,
    async_setup_zwave_js,
    foreign_state,
    zcombo_g_state,
)

KITCHEN = "kitchen_alarm"
KEY = f"{HOME_ID}-3-312:1:3"


async def _setup(
    hass: HomeAssistant, network: ZwaveNetwork, options: dict[str, object] | None = None
) -> None:
    network.add(zcombo_g_state(3, name="Kitchen alarm", location="Kitchen"))
    await async_setup_zwave_js(hass, network)
    await async_setup_firstalert(hass, options)


async def _advance(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, seconds: float
) -> None:
    freezer.tick(timedelta(seconds=seconds))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()


def _issue(hass: HomeAssistant, kind: str) -> ir.IssueEntry | None:
    return ir.async_get(hass).async_get_issue(DOMAIN, f"{kind}_{KEY}")


async def test_missed_wake_ups_make_a_detector_offline(
    hass: HomeAssistant, zwave_network: ZwaveNetwork, freezer: FrozenDateTimeFactory
) -> None:
    await _setup(hass, zwave_network)
    offline = detector_entity(KITCHEN, "offline")
    assert state(hass, offline) == "off"
    # Two ZCOMBO-G wake-up intervals (2 x 4200 s) may pass in silence...
    await _advance(hass, freezer, 8300)
    assert state(hass, offline) == "off"
    assert _issue(hass, "offline") is None
    # ...a little more may not.
    await _advance(hass, freezer, 200)
    assert state(hass, offline) == "on"
    assert state(hass, detector_entity(KITCHEN, "alarm_state")) == "offline"
    issue = _issue(hass, "offline")
    assert issue is not None
    assert issue.translation_placeholders == {
        "name": "Kitchen alarm",
        "area": "Kitchen",
    }
    # Offline is not an alarm.
    assert household(hass) == ("off", "off", "clear")

    zwave_network.node_event(3, "wake up")
    await hass.async_block_till_done()
    assert state(hass, offline) == "off"
    assert state(hass, detector_entity(KITCHEN, "alarm_state")) == "idle"
    assert _issue(hass, "offline") is None
    check_in = dt_util.parse_datetime(
        state(hass, detector_entity(KITCHEN, "last_check_in"))
    )
    assert check_in is not None
    assert abs(check_in - dt_util.utcnow()) < timedelta(seconds=1)


async def test_a_report_counts_as_check_in(
    hass: HomeAssistant, zwave_network: ZwaveNetwork, freezer: FrozenDateTimeFactory
) -> None:
    await _setup(hass, zwave_network)
    await _advance(hass, freezer, 8000)
    zwave_network.update(3, BATTERY_LOW, False)
    await _advance(hass, freezer, 8000)
    assert state(hass, detector_entity(KITCHEN, "offline")) == "off"


async def test_offline_detector_keeps_a_reported_alarm(
    hass: HomeAssistant, zwave_network: ZwaveNetwork, freezer: FrozenDateTimeFactory
) -> None:
    await _setup(hass, zwave_network)
    zwave_network.update(3, SMOKE_SENSOR, 2)
    await _advance(hass, freezer, 9000)
    assert state(hass, detector_entity(KITCHEN, "offline")) == "on"
    assert state(hass, detector_entity(KITCHEN, "alarm_state")) == "smoke"
    assert household(hass) == ("on", "off", "smoke")


async def test_silent_since_before_startup_is_offline_at_once(
    hass: HomeAssistant, zwave_network: ZwaveNetwork
) -> None:
    zwave_network.add(
        zcombo_g_state(
            3, name="Kitchen alarm", last_seen=dt_util.utcnow() - timedelta(hours=3)
        )
    )
    await async_setup_zwave_js(hass, zwave_network)
    await async_setup_firstalert(hass)
    assert state(hass, detector_entity(KITCHEN, "offline")) == "on"


async def test_offline_multiplier_and_repair_options(
    hass: HomeAssistant, zwave_network: ZwaveNetwork, freezer: FrozenDateTimeFactory
) -> None:
    await _setup(
        hass,
        zwave_network,
        {CONF_OFFLINE_MULTIPLIER: 3.0, CONF_REPAIR_OFFLINE: False},
    )
    await _advance(hass, freezer, 8500)
    assert state(hass, detector_entity(KITCHEN, "offline")) == "off"
    await _advance(hass, freezer, 4200)
    assert state(hass, detector_entity(KITCHEN, "offline")) == "on"
    assert _issue(hass, "offline") is None


async def test_options_change_applies_without_reload(
    hass: HomeAssistant,
    zwave_network: ZwaveNetwork,
    freezer: FrozenDateTimeFactory,
    alarm_events: list[Event],
) -> None:
    await _setup(hass, zwave_network)
    zwave_network.update(3, SMOKE_SENSOR, 2)
    await _advance(hass, freezer, 9000)
    assert _issue(hass, "offline") is not None
    entry = hass.config_entries.async_entries(DOMAIN)[0]
    hass.config_entries.async_update_entry(
        entry, options={CONF_REPAIR_OFFLINE: False, CONF_OFFLINE_MULTIPLIER: 2.0}
    )
    await hass.async_block_till_done()
    assert _issue(hass, "offline") is None
    hass.config_entries.async_update_entry(
        entry, options={CONF_REPAIR_OFFLINE: True, CONF_OFFLINE_MULTIPLIER: 5.0}
    )
    await hass.async_block_till_done()
    assert state(hass, detector_entity(KITCHEN, "offline")) == "off"
    # The alarm was not announced again.
    assert [event.data["type"] for event in alarm_events] == ["started"]


async def test_dead_listening_node_is_offline(
    hass: HomeAssistant, zwave_network: ZwaveNetwork
) -> None:
    state_dict = zcombo_g_state(3, name="Kitchen alarm", status=4)
    state_dict["isListening"] = True
    zwave_network.add(state_dict, foreign_state(9))
    await async_setup_zwave_js(hass, zwave_network)
    await async_setup_firstalert(hass)
    offline = detector_entity(KITCHEN, "offline")
    assert state(hass, offline) == "off"
    zwave_network.node_event(3, "dead")
    await hass.async_block_till_done()
    assert state(hass, offline) == "on"
    assert _issue(hass, "offline") is not None
    zwave_network.node_event(3, "alive")
    await hass.async_block_till_done()
    assert state(hass, offline) == "off"
    assert _issue(hass, "offline") is None


async def test_end_of_life_raises_a_repair_not_an_alarm(
    hass: HomeAssistant, zwave_network: ZwaveNetwork, alarm_events: list[Event]
) -> None:
    await _setup(hass, zwave_network)
    zwave_network.update(3, CO_MAINTENANCE, 5)
    await hass.async_block_till_done()
    assert state(hass, detector_entity(KITCHEN, "end_of_life")) == "on"
    assert state(hass, detector_entity(KITCHEN, "alarm_state")) == "end_of_life"
    assert household(hass) == ("off", "off", "clear")
    assert alarm_events == []
    issue = _issue(hass, "end_of_life")
    assert issue is not None
    assert issue.severity is ir.IssueSeverity.ERROR
    zwave_network.update(3, CO_MAINTENANCE, 0)
    await hass.async_block_till_done()
    assert _issue(hass, "end_of_life") is None


async def test_end_of_life_repair_can_be_turned_off(
    hass: HomeAssistant, zwave_network: ZwaveNetwork
) -> None:
    await _setup(hass, zwave_network, {CONF_REPAIR_END_OF_LIFE: False})
    zwave_network.update(3, CO_MAINTENANCE, 5)
    await hass.async_block_till_done()
    assert state(hass, detector_entity(KITCHEN, "end_of_life")) == "on"
    assert _issue(hass, "end_of_life") is None


async def test_battery_low_is_health_not_alarm(
    hass: HomeAssistant, zwave_network: ZwaveNetwork, alarm_events: list[Event]
) -> None:
    await _setup(hass, zwave_network)
    zwave_network.update(3, BATTERY_LOW, True)
    await hass.async_block_till_done()
    assert state(hass, detector_entity(KITCHEN, "battery_low")) == "on"
    assert state(hass, detector_entity(KITCHEN, "alarm_state")) == "idle"
    assert household(hass) == ("off", "off", "clear")
    assert alarm_events == []


async def test_issues_go_with_the_detector_and_the_entry(
    hass: HomeAssistant, zwave_network: ZwaveNetwork
) -> None:
    await _setup(hass, zwave_network)
    zwave_network.update(3, CO_MAINTENANCE, 5)
    await hass.async_block_till_done()
    assert _issue(hass, "end_of_life") is not None
    zwave_network.node_removed(3)
    await hass.async_block_till_done()
    assert _issue(hass, "end_of_life") is None
    zwave_network.node_added(
        zcombo_g_state(3, name="Kitchen alarm", values={CO_MAINTENANCE: 5})
    )
    await hass.async_block_till_done()
    assert _issue(hass, "end_of_life") is not None
    entry = hass.config_entries.async_entries(DOMAIN)[0]
    await hass.config_entries.async_remove(entry.entry_id)
    await hass.async_block_till_done()
    assert _issue(hass, "end_of_life") is None


async def test_issue_text_follows_a_renamed_detector(
    hass: HomeAssistant, zwave_network: ZwaveNetwork
) -> None:
    await _setup(hass, zwave_network)
    zwave_network.update(3, CO_MAINTENANCE, 5)
    await hass.async_block_till_done()
    registry = dr.async_get(hass)
    device = registry.async_get_device(identifiers={("zwave_js", KEY)})
    assert device is not None
    registry.async_update_device(device.id, name_by_user="Upstairs alarm")
    await hass.async_block_till_done()
    issue = _issue(hass, "end_of_life")
    assert issue is not None
    assert issue.translation_placeholders == {
        "name": "Upstairs alarm",
        "area": "Kitchen",
    }


async def test_an_absurd_wake_up_interval_at_startup_never_disables_the_entry(
    hass: HomeAssistant, zwave_network: ZwaveNetwork, freezer: FrozenDateTimeFactory
) -> None:
    """Issue item 4: one detector's 10^15 s interval overflowed and failed the entry."""
    zwave_network.add(
        zcombo_g_state(3, name="Kitchen alarm", values={WAKE_UP_INTERVAL: 10**15}),
        zcombo_g_state(6, name="Garage alarm", values={SMOKE_SENSOR: 2}),
    )
    await async_setup_zwave_js(hass, zwave_network)
    entry = await async_setup_firstalert(hass)
    assert entry.state is ConfigEntryState.LOADED
    assert household(hass) == ("on", "off", "smoke")
    assert state(hass, detector_entity(KITCHEN, "alarm_state")) == "idle"
    # The unreadable interval counts as unknown: the 4200 s default applies.
    await _advance(hass, freezer, 8500)
    assert state(hass, detector_entity(KITCHEN, "offline")) == "on"
    assert state(hass, detector_entity("garage_alarm", "offline")) == "on"


async def test_an_absurd_wake_up_interval_while_running_never_stops_the_health_check(
    hass: HomeAssistant, zwave_network: ZwaveNetwork, freezer: FrozenDateTimeFactory
) -> None:
    zwave_network.add(
        zcombo_g_state(3, name="Kitchen alarm"),
        zcombo_g_state(6, name="Garage alarm"),
    )
    await async_setup_zwave_js(hass, zwave_network)
    await async_setup_firstalert(hass)
    for interval in (10**15, -5, "soon", 4.2e3, None):
        zwave_network.update(3, WAKE_UP_INTERVAL, interval)
    await hass.async_block_till_done()
    await _advance(hass, freezer, 8500)
    # The silent detector next to it is marked offline, and so is the garbled one.
    assert state(hass, detector_entity("garage_alarm", "offline")) == "on"
    assert state(hass, detector_entity(KITCHEN, "offline")) == "on"
    assert _issue(hass, "offline") is not None


async def test_the_health_check_runs_at_deadlines_not_every_minute(
    hass: HomeAssistant, zwave_network: ZwaveNetwork, freezer: FrozenDateTimeFactory
) -> None:
    await _setup(hass, zwave_network)
    entry = hass.config_entries.async_entries(DOMAIN)[0]
    model = entry.runtime_data.household.model
    with patch.object(
        model, "tick_detector", wraps=model.tick_detector
    ) as tick_detector:
        for _ in range(60):
            await _advance(hass, freezer, 60)
        assert tick_detector.call_count == 0
        # The deadline (2 x 4200 s after the last check-in) is a point in time.
        await _advance(hass, freezer, 8400 - 3600 + 2)
        assert tick_detector.call_count == 1
    assert state(hass, detector_entity(KITCHEN, "offline")) == "on"


async def test_one_detectors_failing_health_check_never_stops_the_others(
    hass: HomeAssistant,
    zwave_network: ZwaveNetwork,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    zwave_network.add(
        zcombo_g_state(3, name="Kitchen alarm"),
        zcombo_g_state(6, name="Garage alarm"),
    )
    await async_setup_zwave_js(hass, zwave_network)
    entry = await async_setup_firstalert(hass)
    model = entry.runtime_data.household.model
    healthy = model.tick_detector

    def tick_detector(key: str, now: Any) -> Any:
        if key == KEY:
            raise RuntimeError("broken detector")
        return healthy(key, now)

    with patch.object(model, "tick_detector", side_effect=tick_detector) as patched:
        await _advance(hass, freezer, 8500)
        for _ in range(10):
            await _advance(hass, freezer, 1)
        # The broken detector's deadline stays due: retried each minute, not each second.
        assert patched.call_count == 2
        await _advance(hass, freezer, 60)
        assert patched.call_count == 4
    assert state(hass, detector_entity("garage_alarm", "offline")) == "on"
    assert caplog.text.count("Health check of detector") == 1


async def test_a_last_seen_from_the_future_is_treated_as_now(
    hass: HomeAssistant, zwave_network: ZwaveNetwork, freezer: FrozenDateTimeFactory
) -> None:
    zwave_network.add(
        zcombo_g_state(
            3,
            name="Kitchen alarm",
            last_seen=dt_util.utcnow() + timedelta(days=3650),
        )
    )
    await async_setup_zwave_js(hass, zwave_network)
    await async_setup_firstalert(hass)
    await _advance(hass, freezer, 8500)
    assert state(hass, detector_entity(KITCHEN, "offline")) == "on"
