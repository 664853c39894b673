"""Detector semantics: what values mean, legacy frames, offline timing."""

from __future__ import annotations

from datetime import timedelta

import pytest

from custom_components.firstalert_zwave.model import DetectorState, HealthSettings
from custom_components.firstalert_zwave.model.codes import Variable
from custom_components.firstalert_zwave.model.detector import Detector, DetectorView
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
    identity,
    idle_values,
    report,
)


def detector() -> Detector:
    record = Detector(identity=identity(), tracking_since=T0)
    record.load(idle_values(), T0)
    return record


@pytest.mark.parametrize(
    ("key", "value", "state"),
    [
        (SMOKE, 2, DetectorState.SMOKE),
        (SMOKE, 1, DetectorState.SMOKE),
        (CO, 2, DetectorState.CO),
        (SMOKE_ALARM, 3, DetectorState.TEST),
        (CO_TEST, 3, DetectorState.TEST),
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
    record.apply(report(HARDWARE, 1), T0)
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
    )
    assert view.state is DetectorState.SMOKE
    assert DetectorView(offline=True, end_of_life=True).state is DetectorState.OFFLINE


def test_unknown_and_odd_values() -> None:
    record = detector()
    record.apply(report(SMOKE, 2.0), T0)
    assert record.view().smoke
    record.apply(report(SMOKE, None), T0)
    assert not record.view().smoke
    record.apply(report(SMOKE, "2"), T0)
    assert not record.view().smoke
    record.apply(report((113, "Access Control", "Door state"), 22), T0)
    assert record.view() == DetectorView()


@pytest.mark.parametrize("level_first", [False, True])
def test_v1_frame_pairs_in_either_order(level_first: bool) -> None:
    record = detector()
    halves = [report(ALARM_TYPE, 1), report(ALARM_LEVEL, 255)]
    for half in reversed(halves) if level_first else halves:
        record.apply(half, T0)
    assert record.view().smoke


def test_v1_halves_of_different_frames_never_pair() -> None:
    record = detector()
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


def test_check_in_clears_smoke_and_test_but_not_co() -> None:
    record = detector()
    record.apply(report(SMOKE, 2), T0)
    record.apply(report(CO, 2), T0)
    record.apply(report(ALARM_TYPE, 13), T0)
    assert record.apply(report(ALARM_LEVEL, 255), T0) is True
    view = record.view()
    assert not view.smoke
    assert view.co


def test_test_end_frame_does_not_clear_real_smoke() -> None:
    record = detector()
    record.apply(report(SMOKE, 2), T0)
    record.apply(report(ALARM_TYPE, 12), T0)
    record.apply(report(ALARM_LEVEL, 255), T0)
    assert record.view().smoke_test
    record.apply(report(ALARM_TYPE, 12), T0)
    assert record.apply(report(ALARM_LEVEL, 0), T0) is False
    assert record.view().smoke
    assert not record.view().smoke_test


def test_test_end_mapping_keeps_real_smoke_until_the_frame_has_passed() -> None:
    """zwave-js follows 12/0 with "Smoke event 0" updates; only those are not a clear."""
    record = detector()
    record.apply(report(SMOKE, 2), T0)
    record.apply(report(ALARM_TYPE, 12), T0)
    record.apply(report(ALARM_LEVEL, 0), T0)
    record.apply(report(SMOKE, 0), T0)  # the driver's mapped idle
    record.apply(report(SMOKE_ALARM, 0), T0)
    assert record.view().smoke
    record.apply(report(BATTERY_LOW, False), T0)  # anything else ends the frame
    record.apply(report(SMOKE, 0), T0)  # e.g. "Idle Smoke Alarm Sensor status" in HA
    assert not record.view().smoke


def test_test_end_without_smoke_is_an_ordinary_idle() -> None:
    record = detector()
    record.apply(report(ALARM_TYPE, 12), T0)
    record.apply(report(ALARM_LEVEL, 255), T0)
    record.apply(report(SMOKE_ALARM, 3), T0)
    record.apply(report(ALARM_TYPE, 12), T0)
    record.apply(report(ALARM_LEVEL, 0), T0)
    record.apply(report(SMOKE, 0), T0)
    record.apply(report(SMOKE_ALARM, 0), T0)
    assert record.view() == DetectorView()


def test_sync_ignores_old_v1_values() -> None:
    record = Detector(identity=identity(), tracking_since=T0)
    record.load([report(ALARM_TYPE, 1), report(ALARM_LEVEL, 255), report(SMOKE, 0)], T0)
    assert not record.view().smoke


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


def test_legacy_values_outside_a_frame_are_not_interpreted() -> None:
    record = detector()
    record.apply(report(ALARM_TYPE, 1), T0, frame=False)
    assert record.apply(report(ALARM_LEVEL, 255), T0, frame=False) is False
    assert not record.view().smoke
    record.apply(report(ALARM_TYPE, 1), T0)
    record.apply(report(ALARM_LEVEL, 255), T0, frame=False)
    record.apply(report(ALARM_LEVEL, 255), T0)
    assert not record.view().smoke


def test_a_test_never_ended_by_the_detector_times_out() -> None:
    timeout = timedelta(minutes=10)
    record = detector()
    record.apply(report(CO_TEST, 3), T0)
    assert not record.expire_tests(T0 + timeout, timeout)
    assert record.view().co_test
    assert record.expire_tests(T0 + timeout + timedelta(seconds=1), timeout)
    assert not record.view().co_test
    # A sync with the same stale value keeps it ended...
    record.load([*idle_values(), report(CO_TEST, 3)], T0 + timedelta(hours=1))
    assert not record.view().co_test
    # ...a new report of the test starts a new one, and the end of it clears the clock.
    record.apply(report(CO_TEST, 3), T0 + timedelta(hours=2))
    assert record.view().co_test
    record.apply(report(CO_TEST, 0), T0 + timedelta(hours=2))
    assert record.test_since == {}


def test_legacy_test_frame_starts_the_test_clock() -> None:
    record = detector()
    record.apply(report(ALARM_TYPE, 12), T0)
    record.apply(report(ALARM_LEVEL, 255), T0 + timedelta(seconds=1))
    assert record.test_since == {Variable.SMOKE_ALARM: T0 + timedelta(seconds=1)}
