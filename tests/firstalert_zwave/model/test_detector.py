"""Detector semantics: what values mean, legacy frames, kept alarms, syncs, offline timing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from custom_components.firstalert_zwave.model import (
    DetectorState,
    HealthSettings,
    KeptReason,
    Kind,
)
from custom_components.firstalert_zwave.model.codes import Variable
from custom_components.firstalert_zwave.model.detector import (
    FRAME_WINDOW,
    Detector,
    DetectorView,
)
from custom_components.firstalert_zwave.model.reports import ValueReport
from tests.firstalert_zwave.model.helpers import (
    ALARM_LEVEL,
    ALARM_TYPE,
    BATTERY_LOW,
    CO,
    CO_ALARM,
    CO_MAINT,
    CO_TEST,
    HARDWARE,
    POWER,
    SMOKE,
    SMOKE_ALARM,
    SMOKE_MAINT,
    T0,
    WAKE_UP,
    ZCOMBO,
    identity,
    idle_values,
    legacy_values,
    report,
)

GARBAGE: list[Any] = [None, "2", 2.5, 2.0, [2], {"v": 2}, -1, 256, 10**30, 7, True]


def detector() -> Detector:
    """An idle ZCOMBO-G (Notification reports)."""
    record = Detector(identity=identity(), tracking_since=T0)
    record.load(idle_values(), T0)
    return record


def legacy() -> Detector:
    """An idle legacy ZCOMBO (V1 Alarm frames mapped by zwave-js)."""
    record = Detector(identity=identity(4, product_id=ZCOMBO), tracking_since=T0)
    record.load(legacy_values(), T0)
    return record


def frame(
    record: Detector, alarm_type: int, level: int, *, at: Any = T0, added: bool = False
) -> bool:
    """Send one V1 frame's halves (what zwave-js stores first)."""
    record.apply(report(ALARM_TYPE, alarm_type), at, added=added)
    return record.apply(report(ALARM_LEVEL, level), at, added=added).check_in


def legacy_frame(
    record: Detector, alarm_type: int, level: int, *, at: Any = T0
) -> None:
    """A V1 frame followed by the notification updates zwave-js maps from it."""
    frame(record, alarm_type, level, at=at)
    mapped = {
        (1, 255): [(SMOKE, 2)],
        (1, 0): [(SMOKE, 0), (SMOKE_ALARM, 0)],
        (2, 255): [(CO, 2)],
        (2, 0): [(CO, 0)],
        (12, 255): [(SMOKE_ALARM, 3)],
        (12, 0): [(SMOKE, 0), (SMOKE_ALARM, 0)],
        (13, 255): [(SMOKE, 0), (SMOKE_ALARM, 0)],
    }[(alarm_type, level)]
    for key, value in mapped:
        record.apply(report(key, value), at)


@pytest.mark.parametrize(
    ("key", "value", "state"),
    [
        (SMOKE, 2, DetectorState.SMOKE),
        (SMOKE, 1, DetectorState.SMOKE),
        (CO, 2, DetectorState.CO),
        (SMOKE_ALARM, 3, DetectorState.TEST),
        (CO_TEST, 3, DetectorState.TEST),
        (CO_TEST, 1, DetectorState.TEST),
        (CO_TEST, 2, DetectorState.TEST),
        (SMOKE_ALARM, 6, DetectorState.SILENCED),
        (CO_ALARM, 6, DetectorState.SILENCED),
        (CO_MAINT, 5, DetectorState.END_OF_LIFE),
        (SMOKE_MAINT, 4, DetectorState.END_OF_LIFE),
        (BATTERY_LOW, True, DetectorState.IDLE),
        (POWER, 10, DetectorState.IDLE),
        (HARDWARE, 1, DetectorState.IDLE),
    ],
)
def test_value_meaning(
    key: tuple[int, str, str | None], value: object, state: DetectorState
) -> None:
    record = detector()
    record.apply(report(key, value), T0)
    assert record.view().state is state


def test_flags_for_battery_and_hardware() -> None:
    record = detector()
    record.apply(report(POWER, 11), T0)
    record.apply(report(HARDWARE, 3), T0)
    view = record.view()
    assert view.battery_low
    assert view.hardware_failure


def test_real_alarm_wins_over_everything() -> None:
    view = DetectorView(
        smoke=True,
        co=True,
        smoke_test=True,
        co_silenced=True,
        end_of_life=True,
        offline=True,
        unknown=True,
    )
    assert view.state is DetectorState.SMOKE
    assert DetectorView(offline=True, end_of_life=True).state is DetectorState.OFFLINE
    assert DetectorView(unknown=True).state is None
    assert DetectorView(unknown=True, co_test=True).state is DetectorState.TEST


@pytest.mark.parametrize("garbage", GARBAGE)
@pytest.mark.parametrize("key", [SMOKE, CO])
def test_an_unreadable_value_never_clears_an_active_alarm(
    key: tuple[int, str, str | None], garbage: Any
) -> None:
    record = detector()
    record.apply(report(key, 2), T0)
    record.apply(report(key, garbage), T0)
    view = record.view()
    assert view.smoke if key == SMOKE else view.co
    assert record.unreadable  # the raw value is on record for diagnostics
    record.apply(report(key, 0), T0)  # a readable clear still clears
    assert record.view() == DetectorView()
    assert not record.unreadable


@pytest.mark.parametrize("garbage", GARBAGE)
@pytest.mark.parametrize("key", [SMOKE, CO, SMOKE_ALARM, CO_TEST])
def test_an_unreadable_value_never_raises_an_alarm(
    key: tuple[int, str, str | None], garbage: Any
) -> None:
    record = detector()
    reading = record.apply(report(key, garbage), T0)
    assert reading.unreadable is not None
    assert record.view() == DetectorView()


def test_a_boolean_true_is_never_smoke_or_co() -> None:
    record = detector()
    record.apply(report(SMOKE, True), T0)
    record.apply(report(CO, True), T0)
    assert not record.view().smoke
    assert not record.view().co


def test_values_of_other_notifications_are_ignored() -> None:
    record = detector()
    record.apply(report((113, "Access Control", "Door state"), 22), T0)
    assert record.view() == DetectorView()


def test_a_sensor_never_read_makes_the_state_unknown() -> None:
    record = Detector(identity=identity(), tracking_since=T0)
    record.load([report(SMOKE, None), report(CO, 0)], T0)
    assert record.view().unknown
    assert record.view().state is None
    record.apply(report(SMOKE, 0), T0)
    assert record.view().state is DetectorState.IDLE


def test_a_v1_frame_is_its_type_then_its_level() -> None:
    record = legacy()
    record.apply(report(ALARM_LEVEL, 255), T0)
    record.apply(report(ALARM_TYPE, 1), T0)
    assert not record.view().smoke  # a level is never paired with a later type
    record.apply(report(ALARM_LEVEL, 255), T0)
    assert record.view().smoke


def test_garbage_in_one_half_never_pairs_the_other_with_a_neighbour() -> None:
    record = legacy()
    frame(record, True, 255)  # type: ignore[arg-type]
    frame(record, 2, True)  # type: ignore[arg-type]
    frame(record, [1], 255)  # type: ignore[arg-type]
    assert record.view() == DetectorView()


def test_v1_halves_of_different_frames_never_pair() -> None:
    record = legacy()
    record.apply(report(ALARM_TYPE, 1), T0)
    record.apply(report(SMOKE, 0), T0)  # something else came in between
    record.apply(report(ALARM_LEVEL, 255), T0)
    assert not record.view().smoke
    record.apply(report(ALARM_LEVEL, 255), T0)
    record.apply(report(ALARM_LEVEL, 0), T0)  # two levels in a row are not a pair
    assert not record.view().smoke
    record.apply(report(ALARM_TYPE, None), T0)
    record.apply(report(ALARM_LEVEL, 255), T0)
    assert not record.view().smoke


def test_v1_codes_of_a_notification_detector_are_not_legacy_alarms() -> None:
    record = detector()
    frame(record, 1, 255)
    frame(record, 2, 255)
    assert record.view() == DetectorView()


def test_check_in_clears_smoke_and_test_but_not_co() -> None:
    record = legacy()
    legacy_frame(record, 1, 255)
    legacy_frame(record, 2, 255)
    assert frame(record, 13, 255) is True
    view = record.view()
    assert not view.smoke
    assert view.co


def test_legacy_test_end_keeps_real_smoke_and_ends_the_test() -> None:
    """zwave-js follows 12/0 with "Smoke event 0" updates; those are not a clear."""
    record = legacy()
    legacy_frame(record, 1, 255)
    legacy_frame(record, 12, 255)
    assert record.view().smoke_test
    legacy_frame(record, 12, 0)
    view = record.view()
    assert view.smoke
    assert view.smoke_kept
    assert not view.smoke_test
    assert record.kept == {Kind.SMOKE: KeptReason.TEST_END}
    assert record.known[Variable.SMOKE_SENSOR] == 0  # what zwave-js shows


def test_a_kept_legacy_smoke_ends_with_a_clear_or_check_in_frame() -> None:
    for clear in ((1, 0), (13, 255)):
        record = legacy()
        legacy_frame(record, 1, 255)
        legacy_frame(record, 12, 0)
        legacy_frame(record, *clear)
        assert record.view() == DetectorView(), clear


def test_an_idle_that_is_no_detector_frame_clears_a_legacy_alarm() -> None:
    """E.g. "Idle Smoke Alarm Sensor status" pressed in Z-Wave JS, after the frame."""
    record = legacy()
    legacy_frame(record, 1, 255)
    record.apply(report(BATTERY_LOW, False), T0)  # another report ends the frame
    record.apply(report(SMOKE, 0), T0)
    assert not record.view().smoke
    legacy_frame(record, 1, 255)
    record.apply(report(SMOKE, 0), T0 + FRAME_WINDOW + timedelta(seconds=1))
    assert not record.view().smoke


def test_an_idle_within_a_frame_that_proves_no_clear_keeps_legacy_smoke() -> None:
    record = legacy()
    legacy_frame(record, 1, 255)
    frame(record, 2, 255)
    record.apply(report(SMOKE, 0), T0)
    assert record.kept == {Kind.SMOKE: KeptReason.UNCONFIRMED}


def test_test_end_without_smoke_is_an_ordinary_idle() -> None:
    record = legacy()
    legacy_frame(record, 12, 255)
    legacy_frame(record, 12, 0)
    assert record.view() == DetectorView()


def test_legacy_values_merely_added_never_raise_an_alarm() -> None:
    record = legacy()
    assert frame(record, 1, 255, added=True) is False
    assert not record.view().smoke
    record.apply(report(ALARM_TYPE, 1), T0)
    record.apply(report(ALARM_LEVEL, 255), T0, added=True)
    record.apply(report(ALARM_LEVEL, 255), T0)
    assert not record.view().smoke


def test_legacy_test_frame_starts_the_test_clock() -> None:
    record = legacy()
    record.apply(report(ALARM_TYPE, 12), T0)
    record.apply(report(ALARM_LEVEL, 255), T0 + timedelta(seconds=1))
    assert record.test_since == {Variable.SMOKE_ALARM: T0 + timedelta(seconds=1)}


def test_a_co_idle_during_a_co_test_keeps_the_co() -> None:
    """An idle without a parameter ends the test and idles every CO variable."""
    record = detector()
    record.apply(report(CO, 2), T0)
    record.apply(report(CO_TEST, 3), T0)
    record.apply(report(CO, 0), T0)
    assert record.view().co
    assert record.kept == {Kind.CO: KeptReason.TEST_END}


def test_a_smoke_idle_during_a_smoke_test_keeps_the_smoke() -> None:
    record = detector()
    record.apply(report(SMOKE, 2), T0)
    record.apply(report(SMOKE_ALARM, 3), T0)
    record.apply(report(SMOKE, 0), T0)  # zwave-js idles Sensor status first...
    record.apply(report(SMOKE_ALARM, 0), T0)  # ...then Alarm status
    assert record.view().smoke
    assert not record.view().smoke_test


def test_an_idle_outside_a_test_clears_a_notification_alarm() -> None:
    record = detector()
    record.apply(report(CO, 2), T0)
    record.apply(report(CO, 0), T0)
    assert record.view() == DetectorView()
    assert record.kept == {}


def test_an_idle_after_the_test_ran_out_of_time_clears() -> None:
    record = detector()
    record.apply(report(CO, 2), T0)
    record.apply(report(CO_TEST, 3), T0)
    record.expire_tests(T0 + timedelta(minutes=11), timedelta(minutes=10))
    record.apply(report(CO, 0), T0 + timedelta(minutes=11))
    assert not record.view().co


def test_an_idle_value_merely_added_never_clears() -> None:
    """A re-interview clears zwave-js's values and pre-sets them to idle."""
    record = detector()
    record.apply(report(SMOKE, 2), T0)
    record.apply(report(SMOKE, 0), T0, added=True)
    assert record.view().smoke
    assert record.kept == {Kind.SMOKE: KeptReason.REINTERVIEW}


def test_a_kept_alarm_ends_when_the_detector_reports_it_again_and_clears() -> None:
    record = detector()
    record.apply(report(CO, 2), T0)
    record.apply(report(CO_TEST, 3), T0)
    record.apply(report(CO, 0), T0)
    record.apply(report(CO_TEST, 0), T0)
    record.apply(report(CO, 2), T0)
    assert record.kept == {}
    record.apply(report(CO, 0), T0)
    assert not record.view().co


def test_a_person_releases_a_kept_alarm() -> None:
    record = legacy()
    legacy_frame(record, 1, 255)
    legacy_frame(record, 12, 0)
    assert record.release(Kind.SMOKE)
    assert not record.view().smoke
    assert not record.release(Kind.SMOKE)


def _sync(record: Detector, *changes: tuple[tuple[int, str, str | None], Any]) -> None:
    values = {
        (r.command_class, r.property, r.property_key): r.value
        for r in (legacy_values() if record.legacy else idle_values())
    }
    values.update(changes)
    record.load([ValueReport(*key, value) for key, value in values.items()], T0)


def test_sync_ignores_old_v1_values() -> None:
    record = legacy()
    _sync(record, (ALARM_TYPE, 1), (ALARM_LEVEL, 255))
    assert not record.view().smoke


@pytest.mark.parametrize("garbage", GARBAGE)
def test_sync_keeps_an_alarm_whose_value_is_unreadable(garbage: Any) -> None:
    record = detector()
    record.apply(report(SMOKE, 2), T0)
    _sync(record, (SMOKE, garbage))
    assert record.view().smoke
    assert Variable.SMOKE_SENSOR in record.unreadable


def test_sync_keeps_values_the_node_no_longer_has() -> None:
    record = detector()
    record.apply(report(CO, 2), T0)
    record.load([report(SMOKE, 0)], T0)
    assert record.view().co


def test_sync_keeps_legacy_smoke_after_a_test_end() -> None:
    record = legacy()
    legacy_frame(record, 1, 255)
    # Reconnected: zwave-js shows the smoke idle, and its last V1 frame was 12/0.
    _sync(record, (ALARM_TYPE, 12), (ALARM_LEVEL, 0))
    assert record.view().smoke
    assert record.kept == {Kind.SMOKE: KeptReason.TEST_END}


@pytest.mark.parametrize("clear", [(1, 0), (13, 255)])
def test_sync_clears_legacy_smoke_the_detector_cleared(clear: tuple[int, int]) -> None:
    record = legacy()
    legacy_frame(record, 1, 255)
    legacy_frame(record, 12, 0)
    _sync(record, (ALARM_TYPE, clear[0]), (ALARM_LEVEL, clear[1]))
    assert not record.view().smoke


def test_sync_keeps_legacy_smoke_when_the_last_frame_proves_no_clear() -> None:
    record = legacy()
    legacy_frame(record, 1, 255)
    _sync(record, (ALARM_TYPE, 2), (ALARM_LEVEL, 255), (CO, 2))
    assert record.kept == {Kind.SMOKE: KeptReason.UNCONFIRMED}


def test_sync_clears_legacy_co_after_any_later_frame() -> None:
    """Only a CO clear (2/0) idles CO in zwave-js; a later frame does not hide it."""
    record = legacy()
    legacy_frame(record, 2, 255)
    _sync(record, (ALARM_TYPE, 13), (ALARM_LEVEL, 255))
    assert not record.view().co


def test_sync_keeps_an_alarm_when_zwave_js_lost_its_values() -> None:
    """A re-interview clears the value DB: the V1 values are gone, the rest idle."""
    for record in (legacy(), detector()):
        record.apply(report(CO, 2), T0)
        _sync(record, (ALARM_TYPE, None), (ALARM_LEVEL, None))
        assert record.kept == {Kind.CO: KeptReason.REINTERVIEW}


def test_sync_keeps_a_notification_alarm_that_idled_during_a_test() -> None:
    record = detector()
    record.apply(report(CO, 2), T0)
    record.apply(report(CO_TEST, 3), T0)
    _sync(record, (CO_TEST, 3))
    assert record.kept == {Kind.CO: KeptReason.TEST_END}


def test_sync_clears_a_notification_alarm_idled_outside_a_test() -> None:
    record = detector()
    record.apply(report(SMOKE, 2), T0)
    _sync(record)
    assert record.view() == DetectorView()


def test_sync_leaves_a_kept_alarm_kept() -> None:
    record = detector()
    record.apply(report(SMOKE, 2), T0)
    record.apply(report(SMOKE, 0), T0, added=True)
    _sync(record)
    assert record.kept == {Kind.SMOKE: KeptReason.REINTERVIEW}
    _sync(record, (SMOKE, 2))
    assert record.kept == {}
    assert record.view().smoke


def test_offline_after_missed_wake_ups() -> None:
    settings = HealthSettings()
    record = detector()
    record.last_check_in = T0
    assert record.offline_deadline(settings) == T0 + timedelta(seconds=8400)
    assert not record.is_offline(T0 + timedelta(seconds=8400), settings)
    assert record.is_offline(T0 + timedelta(seconds=8401), settings)
    record.apply(report(WAKE_UP, 3600), T0)
    assert record.is_offline(T0 + timedelta(seconds=7201), settings)
    record.apply(report(WAKE_UP, 0), T0)
    assert record.wake_up_interval is None
    assert record.is_offline(T0 + timedelta(seconds=8401), settings)
    assert record.is_offline(T0 + timedelta(seconds=12601), HealthSettings(3.0))
    assert not record.is_offline(T0 + timedelta(seconds=12599), HealthSettings(3.0))


@pytest.mark.parametrize("interval", [10**15, -1, 2.5e9, "4200", True, None])
def test_an_absurd_wake_up_interval_is_unreadable_and_changes_nothing(
    interval: Any,
) -> None:
    settings = HealthSettings(10.0)
    record = detector()
    record.last_check_in = T0
    record.apply(report(WAKE_UP, interval), T0)
    assert record.wake_up_interval == 4200
    assert record.offline_deadline(settings) == T0 + timedelta(seconds=42000)
    assert Variable.WAKE_UP_INTERVAL in record.unreadable


def test_the_longest_wake_up_interval_never_overflows() -> None:
    record = detector()
    record.apply(report(WAKE_UP, 0xFFFFFF), T0)
    record.last_check_in = T0
    deadline = record.offline_deadline(HealthSettings(10.0))
    assert deadline is not None
    assert not record.is_offline(T0 + timedelta(days=365), HealthSettings(10.0))


def test_listening_and_dead_nodes() -> None:
    settings = HealthSettings()
    record = detector()
    record.listening = True
    assert record.offline_deadline(settings) is None
    assert not record.is_offline(T0 + timedelta(days=30), settings)
    record.dead = True
    assert record.is_offline(T0, settings)
    assert record.offline_deadline(settings) is None


def test_never_heard_counts_from_tracking_start() -> None:
    record = detector()
    assert record.last_check_in is None
    assert record.offline_deadline(HealthSettings()) == T0 + timedelta(seconds=8400)


def test_a_test_never_ended_by_the_detector_times_out() -> None:
    timeout = timedelta(minutes=10)
    record = detector()
    record.apply(report(CO_TEST, 3), T0)
    assert record.test_deadline(timeout) == T0 + timeout
    assert not record.expire_tests(T0 + timeout, timeout)
    assert record.view().co_test
    assert record.expire_tests(T0 + timeout + timedelta(seconds=1), timeout)
    assert not record.view().co_test
    assert record.test_deadline(timeout) is None
    # A sync with the same stale value keeps it ended...
    _sync(record, (CO_TEST, 3))
    assert not record.view().co_test
    # ...a new report of the test starts a new one, and the end of it clears the clock.
    record.apply(report(CO_TEST, 3), T0 + timedelta(hours=2))
    assert record.view().co_test
    record.apply(report(CO_TEST, 0), T0 + timedelta(hours=2))
    assert record.test_since == {}


def test_sync_keeps_legacy_smoke_when_no_alarm_frame_was_ever_seen() -> None:
    """A legacy detector whose V1 values never arrived cannot prove a clear."""
    record = Detector(identity=identity(4, product_id=ZCOMBO), tracking_since=T0)
    record.load([report(SMOKE, 2), report(CO, 0)], T0)
    record.load([report(SMOKE, 0), report(CO, 0)], T0)
    assert record.kept == {Kind.SMOKE: KeptReason.UNCONFIRMED}


def test_an_offline_deadline_beyond_the_calendar_is_never() -> None:
    record = detector()
    record.last_check_in = datetime.max.replace(tzinfo=UTC) - timedelta(hours=1)
    assert record.offline_deadline(HealthSettings()) is None
    assert not record.is_offline(T0, HealthSettings())


def test_a_legacy_clear_whose_halves_were_merely_added_still_clears() -> None:
    """After a re-interview zwave-js adds the V1 values again with the next frame."""
    record = legacy()
    legacy_frame(record, 1, 255)
    frame(record, 1, 0, added=True)
    record.apply(report(SMOKE, 0), T0)
    assert record.view() == DetectorView()
