"""The alarm model: every detector, the household, and the events between states."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime

from .detector import Detector, DetectorIdentity, DetectorView
from .events import AlarmEvent, EventReason
from .household import HouseholdState, HouseholdTracker, HouseholdView
from .reports import ValueReport
from .settings import HealthSettings
from .transitions import transitions

_IDLE = DetectorView()


@dataclass(frozen=True, slots=True)
class Update:
    """Result of one input: events and which detectors changed (for entity updates)."""

    events: tuple[AlarmEvent, ...] = ()
    changed: frozenset[str] = frozenset()


class AlarmModel:
    """Holds every detector; inputs return the resulting alarm events.

    All times are passed in, so the model has no clock of its own.
    """

    def __init__(self, settings: HealthSettings | None = None) -> None:
        """Start with no detectors and no data ("not synced")."""
        self.settings = settings or HealthSettings()
        self._detectors: dict[str, Detector] = {}
        self._household = HouseholdTracker()
        self._household_view = HouseholdView(
            state=HouseholdState.CLEAR,
            since=None,
            smoke_since=None,
            co_since=None,
            smoke_detectors=(),
            co_detectors=(),
            test_detectors=(),
        )
        self.synced = False
        self.holding = False

    # -- reading -------------------------------------------------------------------
    @property
    def keys(self) -> tuple[str, ...]:
        """Return the keys of the known detectors."""
        return tuple(self._detectors)

    def identity(self, key: str) -> DetectorIdentity:
        """Return a detector's identity."""
        return self._detectors[key].identity

    def detector(self, key: str) -> DetectorView:
        """Return a detector's current view."""
        return self._detectors[key].view()

    def last_check_in(self, key: str) -> datetime | None:
        """Return when the detector was last heard from (None if never)."""
        return self._detectors[key].last_check_in

    def record(self, key: str) -> Detector:
        """Return the detector record (diagnostics)."""
        return self._detectors[key]

    def household(self) -> HouseholdView:
        """Return the household view (meaningful once synced)."""
        return self._household_view

    def __contains__(self, key: object) -> bool:
        """Return whether a detector is known."""
        return key in self._detectors

    # -- lifecycle -----------------------------------------------------------------
    def add_or_sync(
        self,
        identity: DetectorIdentity,
        values: Iterable[ValueReport],
        *,
        listening: bool,
        dead: bool,
        last_seen: datetime | None,
        now: datetime,
    ) -> Update:
        """Learn a detector, or resync a known one, from its current values.

        A sync replaces the held state: anything that changed while we could not listen
        (startup, zwave_js reload) comes out as events with reason ``sync``.
        """
        detector = self._detectors.get(identity.key)
        before = _IDLE if detector is None else detector.view()
        if detector is None:
            detector = Detector(identity=identity, tracking_since=now)
            self._detectors[identity.key] = detector
        else:
            detector.identity = identity
        detector.listening = listening
        detector.dead = dead
        if last_seen is not None and (
            detector.last_check_in is None or last_seen > detector.last_check_in
        ):
            detector.last_check_in = last_seen
        detector.load(list(values), now)
        detector.offline = detector.is_offline(now, self.settings)
        return self._finish(identity.key, before, EventReason.SYNC, now)

    def rename(self, key: str, *, name: str, area: str | None, device_id: str) -> bool:
        """Update a detector's name/area/device; return True when something changed."""
        detector = self._detectors[key]
        new = replace(detector.identity, name=name, area=area, device_id=device_id)
        if new == detector.identity:
            return False
        detector.identity = new
        return True

    def remove(self, key: str, now: datetime) -> Update:
        """Forget a detector (left the network, or its node id now belongs to another)."""
        detector = self._detectors.pop(key, None)
        if detector is None:
            return Update()
        events = transitions(key, detector.view(), _IDLE, EventReason.REMOVED, now)
        self._household_view = self._household.update(self._views(), now)
        return Update(tuple(events), frozenset({key}))

    def mark_synced(self, now: datetime) -> None:
        """Record that current values were read (household entities become available)."""
        self.synced = True
        self._household_view = self._household.update(self._views(), now)

    def hold(self, holding: bool) -> None:
        """Flag that states are held while zwave_js is away (no clear is invented)."""
        self.holding = holding

    # -- live inputs ---------------------------------------------------------------
    def report(
        self, key: str, report: ValueReport, now: datetime, *, frame: bool = True
    ) -> Update:
        """Apply a value the detector sent (``frame``: it came in a report from it)."""
        detector = self._detectors[key]
        before = detector.view()
        detector.last_check_in = now
        check_in = detector.apply(report, now, frame=frame)
        detector.offline = detector.is_offline(now, self.settings)
        reason = EventReason.CHECK_IN if check_in else EventReason.REPORT
        return self._finish(key, before, reason, now)

    def heard_from(self, key: str, now: datetime) -> Update:
        """Record a sign of life without a value (wake up, notification)."""
        detector = self._detectors[key]
        before = detector.view()
        detector.last_check_in = now
        detector.offline = detector.is_offline(now, self.settings)
        return self._finish(key, before, EventReason.REPORT, now)

    def set_dead(self, key: str, dead: bool, now: datetime) -> Update:
        """Record zwave-js's dead/alive status of the node."""
        detector = self._detectors[key]
        before = detector.view()
        detector.dead = dead
        if not dead:
            detector.last_check_in = now
        detector.offline = detector.is_offline(now, self.settings)
        return self._finish(key, before, EventReason.REPORT, now)

    def tick(self, now: datetime) -> Update:
        """Re-evaluate offline timing and test timeouts for every detector."""
        changed = set()
        events: list[AlarmEvent] = []
        for key, detector in self._detectors.items():
            before = detector.view()
            if detector.expire_tests(now, self.settings.test_timeout):
                events += transitions(
                    key, before, detector.view(), EventReason.TIMEOUT, now
                )
            detector.offline = detector.is_offline(now, self.settings)
            if detector.view() != before:
                changed.add(key)
        if changed:
            self._household_view = self._household.update(self._views(), now)
        return Update(tuple(events), frozenset(changed))

    def next_deadline(self) -> datetime | None:
        """Return the earliest moment a detector that is online could become offline."""
        deadlines = [
            deadline
            for detector in self._detectors.values()
            if not detector.offline
            and (deadline := detector.offline_deadline(self.settings)) is not None
        ]
        return min(deadlines, default=None)

    # -- internals -----------------------------------------------------------------
    def _views(self) -> dict[str, DetectorView]:
        return {key: detector.view() for key, detector in self._detectors.items()}

    def _finish(
        self, key: str, before: DetectorView, reason: EventReason, now: datetime
    ) -> Update:
        after = self._detectors[key].view()
        events = transitions(key, before, after, reason, now)
        if before != after:
            self._household_view = self._household.update(self._views(), now)
        return Update(tuple(events), frozenset({key}))
