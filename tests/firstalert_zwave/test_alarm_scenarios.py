"""Alarm scenarios through HA's real zwave_js: values in, household state and events out."""

from __future__ import annotations

from datetime import timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import Event, HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import async_fire_time_changed

from custom_components.firstalert_zwave.const import DOMAIN
from tests.firstalert_zwave.common import (
    HOUSEHOLD_ALARM,
    HOUSEHOLD_EVENTS,
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
    CO_ALARM,
    CO_SENSOR,
    CO_TEST,
    SMOKE_ALARM,
    SMOKE_SENSOR,
    ZwaveNetwork,
    async_setup_firstalert,
    async_setup_zwave_js,
    zcombo_g_state,
    zcombo_state,
    zsmoke_state,
)

KITCHEN = "kitchen_alarm"
HALL = "hall_alarm"
BASEMENT = "basement_alarm"


@pytest.fixture
async def house(hass: HomeAssistant, zwave_network: ZwaveNetwork) -> ZwaveNetwork:
    """A ZCOMBO-G in the kitchen, a legacy ZCOMBO in the hall, a ZSMOKE in the basement."""
    zwave_network.add(
        zcombo_g_state(3, name="Kitchen alarm", location="Kitchen"),
        zcombo_state(4, name="Hall alarm", location="Hall"),
        zsmoke_state(5, name="Basement alarm", location="Basement"),
    )
    await async_setup_zwave_js(hass, zwave_network)
    await async_setup_firstalert(hass)
    return zwave_network


async def test_all_clear_after_setup(
    hass: HomeAssistant, house: ZwaveNetwork, alarm_events: list[Event]
) -> None:
    assert household(hass) == ("off", "off", "clear")
    for slug in (KITCHEN, HALL, BASEMENT):
        assert state(hass, detector_entity(slug, "alarm_state")) == "idle"
    assert alarm_events == []
    assert attrs(hass, HOUSEHOLD_ALARM)["detectors"] == []


async def test_real_smoke_raises_and_clears(
    hass: HomeAssistant, house: ZwaveNetwork, alarm_events: list[Event]
) -> None:
    house.update(3, SMOKE_SENSOR, 2)
    await hass.async_block_till_done()
    assert household(hass) == ("on", "off", "smoke")
    assert state(hass, detector_entity(KITCHEN, "alarm_state")) == "smoke"
    attributes = attrs(hass, HOUSEHOLD_ALARM)
    assert attributes["detectors"] == ["Kitchen alarm"]
    assert attributes["areas"] == ["Kitchen"]
    assert attributes["since"] is not None
    assert attrs(hass, HOUSEHOLD_SMOKE)["detectors"] == ["Kitchen alarm"]
    assert summary(alarm_events) == [("started", "smoke", "Kitchen alarm", "report")]
    payload = alarm_events[0].data
    assert payload["area"] == "Kitchen"
    assert payload["node_id"] == 3
    assert payload["household"] == "smoke"
    assert payload["device_id"]

    house.update(3, SMOKE_SENSOR, 0)
    await hass.async_block_till_done()
    assert household(hass) == ("off", "off", "clear")
    assert state(hass, detector_entity(KITCHEN, "alarm_state")) == "idle"
    assert summary(alarm_events)[1:] == [
        ("cleared", "smoke", "Kitchen alarm", "report")
    ]
    event_state = hass.states.get(HOUSEHOLD_EVENTS)
    assert event_state is not None
    assert event_state.attributes["event_type"] == "cleared"
    assert event_state.attributes["kind"] == "smoke"
    assert event_state.attributes["detector"] == "Kitchen alarm"


async def test_real_co_raises_and_clears(
    hass: HomeAssistant, house: ZwaveNetwork, alarm_events: list[Event]
) -> None:
    house.update(3, CO_SENSOR, 2)
    await hass.async_block_till_done()
    assert household(hass) == ("off", "on", "co")
    assert state(hass, detector_entity(KITCHEN, "alarm_state")) == "co"
    house.update(3, CO_SENSOR, 0)
    await hass.async_block_till_done()
    assert household(hass) == ("off", "off", "clear")
    assert summary(alarm_events) == [
        ("started", "co", "Kitchen alarm", "report"),
        ("cleared", "co", "Kitchen alarm", "report"),
    ]


async def test_smoke_and_co_clear_independently(
    hass: HomeAssistant, house: ZwaveNetwork, alarm_events: list[Event]
) -> None:
    house.update(3, SMOKE_SENSOR, 2)
    house.update(3, CO_SENSOR, 2)
    await hass.async_block_till_done()
    assert household(hass) == ("on", "on", "smoke_and_co")
    house.update(3, SMOKE_SENSOR, 0)
    await hass.async_block_till_done()
    assert household(hass) == ("off", "on", "co")
    assert state(hass, detector_entity(KITCHEN, "alarm_state")) == "co"
    house.update(3, CO_SENSOR, 0)
    await hass.async_block_till_done()
    assert household(hass) == ("off", "off", "clear")
    assert [(e[0], e[1]) for e in summary(alarm_events)] == [
        ("started", "smoke"),
        ("started", "co"),
        ("cleared", "smoke"),
        ("cleared", "co"),
    ]


async def test_smoke_test_never_raises_the_alarm(
    hass: HomeAssistant, house: ZwaveNetwork, alarm_events: list[Event]
) -> None:
    house.update(3, SMOKE_ALARM, 3)
    await hass.async_block_till_done()
    assert household(hass) == ("off", "off", "test")
    assert state(hass, detector_entity(KITCHEN, "alarm_state")) == "test"
    assert attrs(hass, HOUSEHOLD_ALARM)["detectors"] == ["Kitchen alarm"]
    house.update(3, SMOKE_ALARM, 0)
    await hass.async_block_till_done()
    assert household(hass) == ("off", "off", "clear")
    assert summary(alarm_events) == [
        ("test_started", "smoke", "Kitchen alarm", "report"),
        ("test_ended", "smoke", "Kitchen alarm", "report"),
    ]


async def test_co_test_never_raises_the_alarm(
    hass: HomeAssistant, house: ZwaveNetwork, alarm_events: list[Event]
) -> None:
    # The CO "Test status" value does not exist in the dump: zwave-js creates it on report.
    house.value_updated(3, CO_TEST, 3)
    await hass.async_block_till_done()
    assert household(hass) == ("off", "off", "test")
    house.value_updated(3, CO_TEST, 0, 3)
    await hass.async_block_till_done()
    assert household(hass) == ("off", "off", "clear")
    assert summary(alarm_events) == [
        ("test_started", "co", "Kitchen alarm", "report"),
        ("test_ended", "co", "Kitchen alarm", "report"),
    ]


async def test_silenced_is_not_an_alarm(
    hass: HomeAssistant, house: ZwaveNetwork, alarm_events: list[Event]
) -> None:
    house.update(3, CO_ALARM, 6)
    await hass.async_block_till_done()
    assert household(hass) == ("off", "off", "clear")
    assert state(hass, detector_entity(KITCHEN, "alarm_state")) == "silenced"
    assert summary(alarm_events) == [("silenced", "co", "Kitchen alarm", "report")]


async def test_silencing_a_real_alarm_keeps_it_while_smoke_is_reported(
    hass: HomeAssistant, house: ZwaveNetwork, alarm_events: list[Event]
) -> None:
    house.update(3, SMOKE_SENSOR, 2)
    house.update(3, SMOKE_ALARM, 6)
    await hass.async_block_till_done()
    assert household(hass) == ("on", "off", "smoke")
    assert attrs(hass, detector_entity(KITCHEN, "alarm_state"))["silenced"] is True
    house.update(3, SMOKE_SENSOR, 0)
    house.update(3, SMOKE_ALARM, 0)
    await hass.async_block_till_done()
    assert household(hass) == ("off", "off", "clear")
    assert [e[0] for e in summary(alarm_events)] == ["started", "silenced", "cleared"]


async def test_duplicate_reports_are_deduplicated(
    hass: HomeAssistant, house: ZwaveNetwork, alarm_events: list[Event]
) -> None:
    changes: list[str] = []
    hass.bus.async_listen(
        "state_changed",
        lambda event: (
            changes.append(event.data["new_state"].state)
            if event.data["entity_id"] == HOUSEHOLD_SMOKE
            else None
        ),
    )
    for _ in range(3):
        house.update(3, SMOKE_SENSOR, 2)
    await hass.async_block_till_done()
    assert household(hass) == ("on", "off", "smoke")
    assert summary(alarm_events) == [("started", "smoke", "Kitchen alarm", "report")]
    assert changes == ["on"]


async def test_legacy_zcombo_alarms_via_alarm_mapping(
    hass: HomeAssistant, house: ZwaveNetwork, alarm_events: list[Event]
) -> None:
    house.legacy_alarm(4, 2, 255)
    await hass.async_block_till_done()
    assert household(hass) == ("off", "on", "co")
    assert state(hass, detector_entity(HALL, "alarm_state")) == "co"
    house.legacy_alarm(4, 2, 0)
    await hass.async_block_till_done()
    assert household(hass) == ("off", "off", "clear")
    assert summary(alarm_events) == [
        ("started", "co", "Hall alarm", "report"),
        ("cleared", "co", "Hall alarm", "report"),
    ]


async def test_legacy_test_button_is_a_test(
    hass: HomeAssistant, house: ZwaveNetwork, alarm_events: list[Event]
) -> None:
    house.legacy_alarm(5, 12, 255)
    await hass.async_block_till_done()
    assert household(hass) == ("off", "off", "test")
    assert state(hass, detector_entity(BASEMENT, "alarm_state")) == "test"
    house.legacy_alarm(5, 12, 0)
    await hass.async_block_till_done()
    assert household(hass) == ("off", "off", "clear")
    assert [e[:2] for e in summary(alarm_events)] == [
        ("test_started", "smoke"),
        ("test_ended", "smoke"),
    ]


async def test_legacy_test_ending_during_real_smoke_keeps_the_smoke(
    hass: HomeAssistant, house: ZwaveNetwork, alarm_events: list[Event]
) -> None:
    """zwave-js idles every Smoke value on 12/0; a test press must not end a real fire."""
    house.legacy_alarm(5, 1, 255)
    house.legacy_alarm(5, 12, 255)
    house.legacy_alarm(5, 12, 0)
    await hass.async_block_till_done()
    assert house.current_value(5, SMOKE_SENSOR) == 0  # what zwave-js shows
    assert household(hass) == ("on", "off", "smoke")
    assert state(hass, detector_entity(BASEMENT, "alarm_state")) == "smoke"

    house.legacy_alarm(5, 1, 0)
    await hass.async_block_till_done()
    assert household(hass) == ("off", "off", "clear")
    assert [e[:2] for e in summary(alarm_events)] == [
        ("started", "smoke"),
        ("test_started", "smoke"),
        ("test_ended", "smoke"),
        ("cleared", "smoke"),
    ]


async def test_legacy_check_in_clears_a_stale_smoke(
    hass: HomeAssistant, house: ZwaveNetwork, alarm_events: list[Event]
) -> None:
    house.legacy_alarm(5, 1, 255)
    await hass.async_block_till_done()
    assert household(hass) == ("on", "off", "smoke")
    # The 1/0 clear was lost; the next check-in frame (13/255) reports all clear.
    house.legacy_alarm(5, 13, 255)
    await hass.async_block_till_done()
    assert household(hass) == ("off", "off", "clear")
    assert summary(alarm_events) == [
        ("started", "smoke", "Basement alarm", "report"),
        ("cleared", "smoke", "Basement alarm", "check_in"),
    ]


async def test_check_in_frame_alone_clears_smoke_but_not_co(
    hass: HomeAssistant, house: ZwaveNetwork, alarm_events: list[Event]
) -> None:
    """Without the driver's mapped idle updates, the raw V1 pair still clears smoke."""
    house.legacy_alarm(4, 1, 255)
    house.legacy_alarm(4, 2, 255)
    await hass.async_block_till_done()
    assert household(hass) == ("on", "on", "smoke_and_co")
    house.update(4, ALARM_TYPE, 13)
    house.update(4, ALARM_LEVEL, 255)
    await hass.async_block_till_done()
    assert household(hass) == ("off", "on", "co")
    assert summary(alarm_events)[-1] == ("cleared", "smoke", "Hall alarm", "check_in")


async def test_legacy_level_is_never_paired_with_an_older_type(
    hass: HomeAssistant, house: ZwaveNetwork, alarm_events: list[Event]
) -> None:
    """After a smoke frame (1/255), a lone level update must not re-raise smoke."""
    house.legacy_alarm(5, 1, 255)
    house.legacy_alarm(5, 1, 0)
    house.update(5, ALARM_LEVEL, 255)
    await hass.async_block_till_done()
    assert household(hass) == ("off", "off", "clear")
    assert [e[0] for e in summary(alarm_events)] == ["started", "cleared"]


@pytest.mark.parametrize("clear_first", [3, 5])
async def test_two_detectors_alarm_and_clear_in_any_order(
    hass: HomeAssistant,
    house: ZwaveNetwork,
    alarm_events: list[Event],
    clear_first: int,
) -> None:
    house.update(3, SMOKE_SENSOR, 2)
    house.legacy_alarm(5, 1, 255)
    await hass.async_block_till_done()
    assert household(hass) == ("on", "off", "smoke")
    assert attrs(hass, HOUSEHOLD_ALARM)["detectors"] == [
        "Kitchen alarm",
        "Basement alarm",
    ]
    assert attrs(hass, HOUSEHOLD_ALARM)["areas"] == ["Basement", "Kitchen"]

    def clear(node_id: int) -> None:
        if node_id == 3:
            house.update(3, SMOKE_SENSOR, 0)
        else:
            house.legacy_alarm(5, 1, 0)

    clear(clear_first)
    await hass.async_block_till_done()
    assert household(hass) == ("on", "off", "smoke")
    remaining = "Basement alarm" if clear_first == 3 else "Kitchen alarm"
    assert attrs(hass, HOUSEHOLD_SMOKE)["detectors"] == [remaining]
    clear(8 - clear_first)
    await hass.async_block_till_done()
    assert household(hass) == ("off", "off", "clear")
    assert sorted(e[0] for e in summary(alarm_events)) == [
        "cleared",
        "cleared",
        "started",
        "started",
    ]


async def test_notification_events_do_not_change_alarms(
    hass: HomeAssistant, house: ZwaveNetwork, alarm_events: list[Event]
) -> None:
    before = state(hass, detector_entity(KITCHEN, "last_check_in"))
    house.notification(3, 1, 2)
    await hass.async_block_till_done()
    assert household(hass) == ("off", "off", "clear")
    assert alarm_events == []
    assert state(hass, detector_entity(KITCHEN, "last_check_in")) >= before


async def test_bus_event_domain(
    hass: HomeAssistant, house: ZwaveNetwork, alarm_events: list[Event]
) -> None:
    house.update(3, SMOKE_SENSOR, 2)
    await hass.async_block_till_done()
    assert alarm_events[0].event_type == f"{DOMAIN}_alarm"


async def test_a_test_the_detector_never_ends_times_out(
    hass: HomeAssistant,
    house: ZwaveNetwork,
    alarm_events: list[Event],
    freezer: FrozenDateTimeFactory,
) -> None:
    house.update(3, SMOKE_ALARM, 3)
    await hass.async_block_till_done()
    assert household(hass) == ("off", "off", "test")
    freezer.tick(timedelta(minutes=11))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    assert household(hass) == ("off", "off", "clear")
    assert state(hass, detector_entity(KITCHEN, "alarm_state")) == "idle"
    assert summary(alarm_events) == [
        ("test_started", "smoke", "Kitchen alarm", "report"),
        ("test_ended", "smoke", "Kitchen alarm", "timeout"),
    ]
