"""One detector: its identity, the Z-Wave variables it reported and what they mean."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from .codes import (
    ALARM_CHECK_IN,
    ALARM_LEVEL_KEY,
    ALARM_TEST,
    ALARM_TYPE_KEY,
    BATTERY_REPLACE,
    CO_DETECTED,
    CO_TEST,
    HARDWARE_FAILURE,
    IDLE,
    LEGACY_FRAMES,
    LEVEL_OFF,
    LEVEL_ON,
    REPLACEMENT_REQUIRED,
    SILENCED,
    SMOKE_DETECTED,
    SMOKE_TEST,
    VALUE_VARIABLES,
    WAKE_UP_INTERVAL_KEY,
    Variable,
)
from .reports import ValueReport
from .settings import DEFAULT_WAKE_UP_INTERVAL, HealthSettings

# The test state of each variable that can carry one.
TEST_STATES: dict[Variable, int] = {
    Variable.SMOKE_ALARM: SMOKE_TEST,
    Variable.CO_TEST: CO_TEST,
}


class DetectorState(StrEnum):
    """The one-word state of a detector, most important first."""

    SMOKE = "smoke"
    CO = "co"
    TEST = "test"
    SILENCED = "silenced"
    OFFLINE = "offline"
    END_OF_LIFE = "end_of_life"
    IDLE = "idle"


@dataclass(frozen=True, slots=True)
class DetectorIdentity:
    """Who a detector is: bound to the zwave_js device's hardware identity.

    ``key`` is zwave_js's device identifier ``{home_id}-{node_id}-{manufacturer}:{type}:{id}``,
    so a node id reused by other hardware is a different detector.
    """

    key: str
    node_id: int
    manufacturer_id: int
    product_type: int
    product_id: int
    device_id: str | None = None
    name: str = ""
    area: str | None = None


@dataclass(frozen=True, slots=True)
class DetectorView:
    """What a detector's variables mean, at one moment."""

    smoke: bool = False
    co: bool = False
    smoke_test: bool = False
    co_test: bool = False
    smoke_silenced: bool = False
    co_silenced: bool = False
    end_of_life: bool = False
    battery_low: bool = False
    hardware_failure: bool = False
    offline: bool = False

    @property
    def test(self) -> bool:
        """Return whether any alarm test runs."""
        return self.smoke_test or self.co_test

    @property
    def silenced(self) -> bool:
        """Return whether any alarm is silenced."""
        return self.smoke_silenced or self.co_silenced

    @property
    def state(self) -> DetectorState:
        """Return the most important state (a real alarm always wins)."""
        for flag, state in (
            (self.smoke, DetectorState.SMOKE),
            (self.co, DetectorState.CO),
            (self.test, DetectorState.TEST),
            (self.silenced, DetectorState.SILENCED),
            (self.offline, DetectorState.OFFLINE),
            (self.end_of_life, DetectorState.END_OF_LIFE),
        ):
            if flag:
                return state
        return DetectorState.IDLE


def _as_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


@dataclass(slots=True)
class Detector:
    """Mutable record of one detector; the engine owns it."""

    identity: DetectorIdentity
    tracking_since: datetime
    listening: bool = False
    dead: bool = False
    wake_up_interval: float | None = None
    last_check_in: datetime | None = None
    offline: bool = False
    variables: dict[Variable, int] = field(default_factory=dict)
    # When each running test was last reported, and tests that ran out of time.
    test_since: dict[Variable, datetime] = field(default_factory=dict)
    expired_tests: set[Variable] = field(default_factory=set)
    _v1_half: tuple[str, int] | None = None
    # Set by a legacy test-end frame (12/0) until its mapped updates have passed.
    _after_test_end: bool = False

    def view(self) -> DetectorView:
        """Return what the variables mean now."""
        var = self.variables.get
        return DetectorView(
            smoke=var(Variable.SMOKE_SENSOR) in SMOKE_DETECTED,
            co=var(Variable.CO_SENSOR) in CO_DETECTED,
            smoke_test=self._test_runs(Variable.SMOKE_ALARM),
            co_test=self._test_runs(Variable.CO_TEST),
            smoke_silenced=var(Variable.SMOKE_ALARM) == SILENCED,
            co_silenced=var(Variable.CO_ALARM) == SILENCED,
            end_of_life=var(Variable.SMOKE_MAINTENANCE) in REPLACEMENT_REQUIRED
            or var(Variable.CO_MAINTENANCE) in REPLACEMENT_REQUIRED,
            battery_low=bool(var(Variable.BATTERY_LOW))
            or var(Variable.BATTERY_MAINTENANCE) in BATTERY_REPLACE,
            hardware_failure=var(Variable.HARDWARE) == HARDWARE_FAILURE,
            offline=self.offline,
        )

    def load(self, reports: list[ValueReport], now: datetime) -> None:
        """Replace every variable with current values (a sync, not a stream of reports)."""
        self.variables.clear()
        self._v1_half = None
        self._after_test_end = False
        for report in reports:
            self._store(report)
        self._track_tests(now, reported=set())

    def apply(self, report: ValueReport, now: datetime, *, frame: bool = True) -> bool:
        """Apply one report; return True when it completed a legacy check-in frame.

        ``frame`` is False for values that did not arrive in a frame from the device (a
        value merely added, e.g. during a re-interview): legacy alarmType/alarmLevel values
        are then history, not news, and are not interpreted.
        """
        key = (report.command_class, report.property, report.property_key)
        if key in (ALARM_TYPE_KEY, ALARM_LEVEL_KEY):
            if not frame:
                self._v1_half = None
                return False
            check_in, touched = self._apply_v1_half(
                str(report.property), _as_int(report.value)
            )
            self._track_tests(now, reported=touched)
            return check_in
        self._v1_half = None
        if self._ends_real_smoke_with_a_test(report):
            return False
        variable = self._store(report)
        self._track_tests(now, reported={variable} if frame and variable else set())
        return False

    def _ends_real_smoke_with_a_test(self, report: ValueReport) -> bool:
        """Tell whether a report is zwave-js idling real smoke only because a test ended.

        zwave-js maps a legacy test end (12/0) to "Smoke event 0", which idles every Smoke
        variable right after the frame, real "Smoke detected" included. The test ends; the
        smoke stays until the detector clears it (1/0) or checks in all clear (13/255).
        """
        if not self._after_test_end:
            return False
        key = (report.command_class, report.property, report.property_key)
        variable = VALUE_VARIABLES.get(key)
        if variable is Variable.SMOKE_SENSOR:
            return (
                _as_int(report.value) == IDLE
                and self.variables.get(Variable.SMOKE_SENSOR) in SMOKE_DETECTED
            )
        if variable is not Variable.SMOKE_ALARM:
            self._after_test_end = False  # past the frame's mapped updates
        return False

    def expire_tests(self, now: datetime, timeout: timedelta) -> bool:
        """End tests not reported for ``timeout``; return True when one ended.

        A CO test state is not idle-able in zwave-js and whether every detector sends the
        end of a test is unconfirmed, so a test that is never ended must not stay forever.
        """
        ended = False
        for variable, since in self.test_since.items():
            if variable not in self.expired_tests and now - since > timeout:
                self.expired_tests.add(variable)
                ended = True
        return ended

    def _test_runs(self, variable: Variable) -> bool:
        return (
            self.variables.get(variable) == TEST_STATES[variable]
            and variable not in self.expired_tests
        )

    def _track_tests(self, now: datetime, reported: set[Variable]) -> None:
        """Start, re-arm or stop each test clock after variables changed."""
        for variable, test_state in TEST_STATES.items():
            if self.variables.get(variable) != test_state:
                self.test_since.pop(variable, None)
                self.expired_tests.discard(variable)
            elif variable in reported or variable not in self.test_since:
                self.test_since[variable] = now
                self.expired_tests.discard(variable)

    def _store(self, report: ValueReport) -> Variable | None:
        key = (report.command_class, report.property, report.property_key)
        if key == WAKE_UP_INTERVAL_KEY:
            interval = _as_int(report.value)
            self.wake_up_interval = float(interval) if interval else None
            return None
        if (variable := VALUE_VARIABLES.get(key)) is None:
            return None
        value = _as_int(report.value)
        if value is None:
            self.variables.pop(variable, None)
        else:
            self.variables[variable] = value
        return variable

    def _apply_v1_half(
        self, prop: str, value: int | None
    ) -> tuple[bool, set[Variable]]:
        """Pair alarmType with alarmLevel of the same frame, in whichever order they come.

        zwave-js stores both values of a V1 frame back to back. Pairing only adjacent halves
        means a new level is never combined with an older frame's type (which could turn a
        test end into smoke).
        """
        half = self._v1_half
        self._after_test_end = False
        if value is None:
            self._v1_half = None
            return False, set()
        if half is None or half[0] == prop:
            self._v1_half = (prop, value)
            return False, set()
        self._v1_half = None
        alarm_type, level = (
            (half[1], value) if prop == "alarmLevel" else (value, half[1])
        )
        changes = LEGACY_FRAMES.get((alarm_type, level), ())
        for variable, new_value in changes:
            self.variables[variable] = new_value
        check_in = (alarm_type, level) == (ALARM_CHECK_IN, LEVEL_ON)
        self._after_test_end = (alarm_type, level) == (ALARM_TEST, LEVEL_OFF)
        return check_in, {variable for variable, _ in changes}

    def is_offline(self, now: datetime, settings: HealthSettings) -> bool:
        """Return whether the detector missed too many wake-ups (or zwave-js says dead)."""
        if self.dead:
            return True
        if self.listening:
            return False
        interval = self.wake_up_interval or DEFAULT_WAKE_UP_INTERVAL
        reference = self.last_check_in or self.tracking_since
        return now - reference > timedelta(
            seconds=interval * settings.offline_multiplier
        )

    def offline_deadline(self, settings: HealthSettings) -> datetime | None:
        """Return when a silent sleeping detector becomes offline (None if it cannot)."""
        if self.dead or self.listening:
            return None
        interval = self.wake_up_interval or DEFAULT_WAKE_UP_INTERVAL
        reference = self.last_check_in or self.tracking_since
        return reference + timedelta(seconds=interval * settings.offline_multiplier)
