"""One detector: who it is, what zwave-js last said, and the facts only we know.

Fail-safe rules, enforced here for every value whatever its source:

* A value that cannot be read (see ``readings``) changes nothing: the last known value is
  kept and the raw value is recorded in ``unreadable`` (for the log and diagnostics).
* An alarm (smoke or CO "Sensor status" detected) ends only when the detector ends it. zwave-js
  sometimes shows "idle" although the detector never said the alarm was over: a test's end
  idles every variable of its notification type (legacy 12/0, or an idle report without a
  parameter), and a re-interview clears the value DB and pre-sets idle. Such an idle leaves
  the alarm *kept* (``kept``) until the detector reports a clear (legacy 1/0 or 2/0, a
  check-in 13/255, or the alarm again and then its end) or a person confirms it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, Final, NamedTuple

from .codes import (
    BATTERY_REPLACE,
    CHECK_IN_FRAME,
    CO_DETECTED,
    CO_TEST_STATES,
    HARDWARE_FAILURE,
    IDLE,
    LEGACY_FRAMES,
    NOTIFICATION_CC,
    REPLACEMENT_REQUIRED,
    SENSORS,
    SILENCED,
    SMOKE_DETECTED,
    SMOKE_TEST,
    TEST_END_FRAME,
    V1_HALVES,
    VALUE_VARIABLES,
    Variable,
)
from .events import Kind
from .products import Product, product
from .readings import describe, read
from .reports import ValueReport
from .settings import DEFAULT_WAKE_UP_INTERVAL, HealthSettings

# The sensor variable of each alarm kind, and what "detected" is.
SENSOR_OF: Final = {Kind.SMOKE: Variable.SMOKE_SENSOR, Kind.CO: Variable.CO_SENSOR}
KIND_OF: Final = {variable: kind for kind, variable in SENSOR_OF.items()}
DETECTED: Final = {Kind.SMOKE: SMOKE_DETECTED, Kind.CO: CO_DETECTED}
# The variable that carries each kind's test, and its test states.
TEST_OF: Final = {Kind.SMOKE: Variable.SMOKE_ALARM, Kind.CO: Variable.CO_TEST}
TEST_STATES: Final[dict[Variable, frozenset[int]]] = {
    Variable.SMOKE_ALARM: frozenset({SMOKE_TEST}),
    Variable.CO_TEST: CO_TEST_STATES,
}
# Legacy frames that say an alarm is over (smoke clear, check-in; CO clear).
CLEAR_FRAMES: Final[dict[Kind, frozenset[tuple[int, int]]]] = {
    Kind.SMOKE: frozenset({(1, 0), CHECK_IN_FRAME}),
    Kind.CO: frozenset({(2, 0)}),
}
# How long after a V1 Alarm pair the notification updates zwave-js maps from it arrive.
# zwave-js emits them at once; the margin covers a slow event loop.
FRAME_WINDOW: Final = timedelta(seconds=30)


class DetectorState(StrEnum):
    """The one-word state of a detector, most important first."""

    SMOKE = "smoke"
    CO = "co"
    TEST = "test"
    SILENCED = "silenced"
    OFFLINE = "offline"
    END_OF_LIFE = "end_of_life"
    IDLE = "idle"


class KeptReason(StrEnum):
    """Why an alarm is kept although zwave-js shows its sensor idle."""

    # A test ended while the alarm was on, and zwave-js idled the alarm with the test.
    TEST_END = "test_end"
    # zwave-js re-read the detector (re-interview) and pre-set its values to idle.
    REINTERVIEW = "reinterview"
    # zwave-js shows idle, but nothing the detector sent says the alarm is over.
    UNCONFIRMED = "unconfirmed"


@dataclass(frozen=True, slots=True)
class DetectorIdentity:
    """Who a detector is: bound to the zwave_js device's hardware identity.

    ``key`` is zwave_js's device identifier ``{home_id}-{node_id}-{manufacturer}:{type}:{id}``,
    so a node id reused by another product is a different detector; ``firmware`` tells apart
    hardware of the same product that took over a node id while we were not looking.
    """

    key: str
    node_id: int
    manufacturer_id: int
    product_type: int
    product_id: int
    firmware: str | None = None
    device_id: str | None = None
    name: str = ""
    area: str | None = None

    @property
    def product(self) -> Product | None:
        """Return the known product (None: a detector not in the product table)."""
        return product(self.manufacturer_id, self.product_type, self.product_id)

    def same_hardware(self, other: DetectorIdentity) -> bool:
        """Return whether ``other`` can be the same physical detector."""
        if other.key != self.key:
            return False
        return self.firmware is None or other.firmware in (None, self.firmware)


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
    # Alarms kept although zwave-js shows the sensor idle.
    smoke_kept: bool = False
    co_kept: bool = False
    # A smoke/CO sensor of the detector has never had a readable value.
    unknown: bool = False

    @property
    def test(self) -> bool:
        """Return whether any alarm test runs."""
        return self.smoke_test or self.co_test

    @property
    def silenced(self) -> bool:
        """Return whether any alarm is silenced."""
        return self.smoke_silenced or self.co_silenced

    @property
    def state(self) -> DetectorState | None:
        """Return the most important state (a real alarm always wins).

        None (unknown) when nothing applies but a sensor was never read: "idle" would
        claim a clear nobody reported.
        """
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
        return None if self.unknown else DetectorState.IDLE


class Reading(NamedTuple):
    """What applying one report did that the caller must know about."""

    check_in: bool = False
    # The variable and raw text of a value that could not be read.
    unreadable: tuple[Variable, str] | None = None


@dataclass(frozen=True, slots=True)
class _Frame:
    """The V1 Alarm pair of the frame being read, and when it came."""

    pair: tuple[int, int]
    at: datetime


def variable_of(report: ValueReport) -> Variable | None:
    """Return the detector variable a report carries (None: not one we read)."""
    return VALUE_VARIABLES.get(
        (report.command_class, report.property, report.property_key)
    )


@dataclass(slots=True)
class Detector:
    """Mutable record of one detector; the alarm model owns it."""

    identity: DetectorIdentity
    tracking_since: datetime
    # Bound to a live zwave_js node (False: held from memory or storage).
    live: bool = False
    listening: bool = False
    dead: bool = False
    last_check_in: datetime | None = None
    offline: bool = False
    # The last readable value of every variable (what zwave-js last showed).
    known: dict[Variable, int | bool] = field(default_factory=dict)
    # Variables the node currently has (its capabilities).
    present: set[Variable] = field(default_factory=set)
    # Variables whose current value cannot be read, with the raw value.
    unreadable: dict[Variable, str] = field(default_factory=dict)
    # Alarms kept although zwave-js shows their sensor idle.
    kept: dict[Kind, KeptReason] = field(default_factory=dict)
    # When each running test was last reported, and tests that ran out of time.
    test_since: dict[Variable, datetime] = field(default_factory=dict)
    expired_tests: set[Variable] = field(default_factory=set)
    # The alarmType of the frame being read: (variable, value, not merely added).
    _v1_half: tuple[Variable, int, bool] | None = None
    _frame: _Frame | None = None

    # -- reading ---------------------------------------------------------------------
    @property
    def legacy(self) -> bool:
        """Return whether the detector reports with legacy V1 Alarm frames."""
        known = self.identity.product
        return known is not None and known.legacy_frames

    @property
    def wake_up_interval(self) -> int | None:
        """Return the detector's wake-up interval in seconds (None: unknown or off)."""
        interval = self.known.get(Variable.WAKE_UP_INTERVAL)
        return interval if isinstance(interval, int) and interval > 0 else None

    def active(self, kind: Kind) -> bool:
        """Return whether an alarm of ``kind`` is on (reported, or kept)."""
        return kind in self.kept or self.known.get(SENSOR_OF[kind]) in DETECTED[kind]

    def view(self) -> DetectorView:
        """Return what the variables mean now."""
        var = self.known.get
        return DetectorView(
            smoke=self.active(Kind.SMOKE),
            co=self.active(Kind.CO),
            smoke_test=self._test_runs(Variable.SMOKE_ALARM),
            co_test=self._test_runs(Variable.CO_TEST),
            smoke_silenced=var(Variable.SMOKE_ALARM) == SILENCED,
            co_silenced=var(Variable.CO_ALARM) == SILENCED,
            end_of_life=var(Variable.SMOKE_MAINTENANCE) in REPLACEMENT_REQUIRED
            or var(Variable.CO_MAINTENANCE) in REPLACEMENT_REQUIRED,
            battery_low=var(Variable.BATTERY_LOW) is True
            or var(Variable.BATTERY_MAINTENANCE) in BATTERY_REPLACE,
            hardware_failure=var(Variable.HARDWARE) in HARDWARE_FAILURE,
            offline=self.offline,
            smoke_kept=Kind.SMOKE in self.kept,
            co_kept=Kind.CO in self.kept,
            unknown=self._never_read(),
        )

    def _never_read(self) -> bool:
        """Return whether a smoke/CO sensor the node has never had a readable value."""
        known = self.known
        return any(sensor in self.present and sensor not in known for sensor in SENSORS)

    # -- a sync: every current value at once -----------------------------------------
    def load(self, reports: Iterable[ValueReport], now: datetime) -> list[Reading]:
        """Read every current value (a sync, not a stream of reports).

        Values the node no longer has, or that cannot be read, keep their last known
        value. An alarm that was on and now shows idle ends only when the values prove
        the detector ended it (see ``_sync_keeps``).
        """
        was_active = {kind: self.active(kind) for kind in Kind}
        test_ran = {kind: self._test_runs(TEST_OF[kind]) for kind in Kind}
        had_pair = all(half in self.known for half in V1_HALVES)
        current: dict[Variable, Any] = {}
        for report in reports:
            if (variable := variable_of(report)) is not None:
                current[variable] = report.value
        self.present = set(current)
        self._v1_half = None
        self._frame = None
        pair = _pair(current)
        readings: list[Reading] = []
        for variable in list(self.unreadable):
            if variable not in current:
                del self.unreadable[variable]
        for variable, raw in current.items():
            value = read(variable, raw)
            if value is None:
                self.unreadable[variable] = describe(raw)
                readings.append(
                    Reading(unreadable=(variable, self.unreadable[variable]))
                )
                continue
            self.unreadable.pop(variable, None)
            kind = KIND_OF.get(variable)
            if kind is not None and value == IDLE and was_active[kind]:
                reason = self._sync_keeps(kind, pair, had_pair, test_ran[kind])
                self._keep_or_clear(kind, reason)
            elif kind is not None and value != IDLE:
                self.kept.pop(kind, None)
            self.known[variable] = value
        self._track_tests(now, reported=set())
        return readings

    def _sync_keeps(
        self,
        kind: Kind,
        pair: tuple[int, int] | None,
        had_pair: bool,
        test_ran: bool,
    ) -> KeptReason | None:
        """Decide whether an alarm that zwave-js now shows idle is over (None) or kept."""
        if pair is None:
            # The V1 values are gone: zwave-js cleared its values (re-interview), or the
            # detector never sent a V1 pair (nothing to learn from it).
            if had_pair:
                return self.kept.get(kind, KeptReason.REINTERVIEW)
            if self.legacy:
                return self.kept.get(kind, KeptReason.UNCONFIRMED)
        if self.legacy:
            if pair in CLEAR_FRAMES[kind]:
                return None
            if kind in self.kept:
                return self.kept[kind]
            if kind is Kind.CO:
                # Only a CO clear (2/0) idles CO: it came before the last frame.
                return None
            if pair == TEST_END_FRAME:
                return KeptReason.TEST_END
            return KeptReason.UNCONFIRMED
        if kind in self.kept:
            return self.kept[kind]
        if test_ran:
            return KeptReason.TEST_END
        return None

    # -- live reports ----------------------------------------------------------------
    def apply(
        self, report: ValueReport, now: datetime, *, added: bool = False
    ) -> Reading:
        """Apply one report.

        ``added`` is True for a value zwave-js merely added (it did not exist before, e.g.
        during a re-interview): V1 halves may then be history, so they never raise an
        alarm, and an idle of the alarm itself is not a clear.
        """
        variable = variable_of(report)
        if report.command_class != NOTIFICATION_CC:
            self._frame = None  # a report of another command class ends a V1 frame
        if variable not in V1_HALVES:
            self._v1_half = None  # only a level right after its type makes a pair
        if variable is None:
            return Reading()
        self.present.add(variable)
        value = read(variable, report.value)
        if value is None:
            raw = self.unreadable[variable] = describe(report.value)
            if variable in V1_HALVES:
                self._v1_half = None
            return Reading(unreadable=(variable, raw))
        self.unreadable.pop(variable, None)
        if variable in V1_HALVES:
            self.known[variable] = value
            return Reading(
                check_in=self._v1_half_arrived(variable, value, not added, now)
            )
        self._set(variable, value, now, added=added)
        self._track_tests(now, reported=set() if added else {variable})
        return Reading()

    def _set(
        self, variable: Variable, value: int | bool, now: datetime, *, added: bool
    ) -> None:
        kind = KIND_OF.get(variable)
        if kind is not None and value == IDLE and self.active(kind):
            self._keep_or_clear(kind, self._live_keeps(kind, now, added=added))
        elif kind is not None and value != IDLE:
            self.kept.pop(kind, None)
        self.known[variable] = value

    def _keep_or_clear(self, kind: Kind, reason: KeptReason | None) -> None:
        if reason is None:
            self.kept.pop(kind, None)
        else:
            self.kept.setdefault(kind, reason)

    def _live_keeps(
        self, kind: Kind, now: datetime, *, added: bool
    ) -> KeptReason | None:
        """Decide whether a live idle of an active alarm ends it (None) or is kept."""
        if added:
            return KeptReason.REINTERVIEW
        if self.legacy:
            frame = self._frame
            if frame is None or not frame.at <= now <= frame.at + FRAME_WINDOW:
                return (
                    None  # not mapped from a detector frame, e.g. "Idle" in Z-Wave JS
                )
            if frame.pair in CLEAR_FRAMES[kind]:
                return None
            if frame.pair == TEST_END_FRAME:
                return KeptReason.TEST_END
            return KeptReason.UNCONFIRMED
        if self._test_runs(TEST_OF[kind]):
            # An idle without a parameter ends the test and idles every variable of the
            # notification type: whether the alarm ended too, the report does not say.
            return KeptReason.TEST_END
        return None

    def _v1_half_arrived(
        self, variable: Variable, value: int, confirmed: bool, now: datetime
    ) -> bool:
        """Pair alarmType with the alarmLevel right after it; return True on a check-in.

        zwave-js stores a V1 frame's type, then its level, before the notification values
        it maps from them. Pairing only a type with the level that directly follows means
        a level is never combined with another frame's type (which could turn a test end,
        or garbage, into an alarm).
        """
        half = self._v1_half
        if variable is Variable.ALARM_TYPE:
            self._v1_half = (variable, value, confirmed)
            return False
        self._v1_half = None
        if half is None:
            return False  # a level without its type
        pair = (half[1], value)
        self._frame = _Frame(pair, now)
        if not self.legacy:
            return False
        # Halves zwave-js merely added (its values were cleared) may be an old frame:
        # they may end an alarm or a test, never start one.
        news = confirmed and half[2]
        changes = [
            (changed, new_value)
            for changed, new_value in LEGACY_FRAMES.get(pair, ())
            if news or new_value == IDLE
        ]
        for changed, new_value in changes:
            self._set(changed, new_value, now, added=False)
        self._track_tests(now, reported={changed for changed, _ in changes})
        return pair == CHECK_IN_FRAME

    def release(self, kind: Kind) -> bool:
        """Forget a kept alarm (a person confirmed it is over); True if one was kept."""
        return self.kept.pop(kind, None) is not None

    # -- tests -----------------------------------------------------------------------
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

    def test_deadline(self, timeout: timedelta) -> datetime | None:
        """Return when the earliest running test runs out of time (None: no test)."""
        return min(
            (
                since + timeout
                for variable, since in self.test_since.items()
                if variable not in self.expired_tests
            ),
            default=None,
        )

    def _test_runs(self, variable: Variable) -> bool:
        return (
            self.known.get(variable) in TEST_STATES[variable]
            and variable not in self.expired_tests
        )

    def _track_tests(self, now: datetime, reported: set[Variable]) -> None:
        """Start, re-arm or stop each test clock after variables changed."""
        for variable, test_states in TEST_STATES.items():
            if self.known.get(variable) not in test_states:
                self.test_since.pop(variable, None)
                self.expired_tests.discard(variable)
            elif variable in reported or variable not in self.test_since:
                self.test_since[variable] = now
                self.expired_tests.discard(variable)

    # -- health ----------------------------------------------------------------------
    def is_offline(self, now: datetime, settings: HealthSettings) -> bool:
        """Return whether the detector missed too many wake-ups (or zwave-js says dead)."""
        if self.dead:
            return True
        deadline = self.offline_deadline(settings)
        return deadline is not None and now > deadline

    def offline_deadline(self, settings: HealthSettings) -> datetime | None:
        """Return when a silent sleeping detector becomes offline (None if it cannot)."""
        if self.dead or self.listening:
            return None
        interval = self.wake_up_interval or DEFAULT_WAKE_UP_INTERVAL
        reference = self.last_check_in or self.tracking_since
        try:
            return reference + timedelta(seconds=interval * settings.offline_multiplier)
        except OverflowError:  # beyond year 9999: never
            return None


def _pair(current: Mapping[Variable, Any]) -> tuple[int, int] | None:
    """Return the V1 Alarm pair of current values (None unless both halves are readable)."""
    alarm_type = read(Variable.ALARM_TYPE, current.get(Variable.ALARM_TYPE))
    alarm_level = read(Variable.ALARM_LEVEL, current.get(Variable.ALARM_LEVEL))
    if not isinstance(alarm_type, int) or not isinstance(alarm_level, int):
        return None
    return (alarm_type, alarm_level)
