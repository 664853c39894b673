"""The alarm model: every detector, the household, and the events between states.

Inputs (syncs, reports, status changes, time) return an ``Update``: the alarm events they
caused, the detectors whose view changed, and values that could not be read. All times are
passed in, so the model has no clock of its own. ``facts``/``restore`` carry what must
survive a restart; a sync then compares current values with the restored (announced) state,
so nothing is announced twice.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from .codes import Variable
from .detector import Detector, DetectorIdentity, DetectorView
from .events import AlarmEvent, EventReason, Kind
from .household import HouseholdState, HouseholdTracker, HouseholdView
from .persistence import dump_detector, dump_household, load_detector, load_household
from .reports import ValueReport
from .settings import HealthSettings
from .transitions import transitions

_IDLE = DetectorView()
FACTS_VERSION = 1


@dataclass(frozen=True, slots=True)
class Update:
    """Result of one input: events, changed detectors, and unreadable values seen."""

    events: tuple[AlarmEvent, ...] = ()
    changed: frozenset[str] = frozenset()
    # (detector key, variable, raw value) of every value that could not be read.
    unreadable: tuple[tuple[str, Variable, str], ...] = ()
    # Detectors removed by this input (their events still name them).
    departed: tuple[DetectorIdentity, ...] = ()

    def __or__(self, other: Update) -> Update:
        """Combine two updates, in order."""
        return Update(
            self.events + other.events,
            self.changed | other.changed,
            self.unreadable + other.unreadable,
            self.departed + other.departed,
        )


class AlarmModel:
    """Holds every detector; inputs return the resulting alarm events."""

    def __init__(self, settings: HealthSettings | None = None) -> None:
        """Start with no detectors and no data ("not synced")."""
        self._settings = settings or HealthSettings()
        self._detectors: dict[str, Detector] = {}
        # Each detector's view and next deadline, redone only when the detector changes.
        self._view_of: dict[str, DetectorView] = {}
        self._deadline_of: dict[str, datetime | None] = {}
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

    # -- reading -------------------------------------------------------------------
    @property
    def settings(self) -> HealthSettings:
        """Return the health rules."""
        return self._settings

    @settings.setter
    def settings(self, settings: HealthSettings) -> None:
        """Change the health rules (every deadline moves)."""
        self._settings = settings
        for key in self._detectors:
            self._deadline_of[key] = self._deadline(key)

    @property
    def keys(self) -> tuple[str, ...]:
        """Return the keys of the known detectors."""
        return tuple(self._detectors)

    @property
    def held(self) -> bool:
        """Return whether any detector's state is held (not bound to a live node)."""
        return any(not detector.live for detector in self._detectors.values())

    def identity(self, key: str) -> DetectorIdentity:
        """Return a detector's identity."""
        return self._detectors[key].identity

    def detector(self, key: str) -> DetectorView:
        """Return a detector's current view."""
        return self._detectors[key].view()

    def live(self, key: str) -> bool:
        """Return whether a detector is bound to a live node."""
        return self._detectors[key].live

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

    # -- persistence ---------------------------------------------------------------
    def facts(self) -> dict[str, Any]:
        """Return what must survive a restart, as JSON data."""
        return {
            "version": FACTS_VERSION,
            "detectors": [dump_detector(d) for d in self._detectors.values()],
            "household": self.household_facts(),
        }

    def detector_facts(self, key: str) -> dict[str, Any]:
        """Return the facts of one detector (a part of ``facts``)."""
        return dump_detector(self._detectors[key])

    def household_facts(self) -> dict[str, Any]:
        """Return the household's history (a part of ``facts``)."""
        return dump_household(self._household)

    def restore(self, data: Any, now: datetime) -> int:
        """Hold the detectors saved before a restart (not live until synced).

        Returns how many detectors were restored; malformed entries are skipped.
        """
        if self._detectors or not isinstance(data, Mapping):
            return 0
        saved = data.get("detectors")
        for item in saved if isinstance(saved, list) else ():
            detector = load_detector(item, now)
            if detector is not None and detector.identity.key not in self._detectors:
                self._detectors[detector.identity.key] = detector
                self._remember(detector.identity.key)
        load_household(self._household, data.get("household"), now)
        self._household_view = self._household.update(self._views(), now)
        return len(self._detectors)

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

        A sync compares with the held state (from before a reconnect or a restart):
        differences come out as events with reason ``sync``. Other hardware under the
        same key is a new detector: the old one is removed first.
        """
        update = Update()
        detector = self._detectors.get(identity.key)
        if detector is not None and not detector.identity.same_hardware(identity):
            update = self.remove(identity.key, now)
            detector = None
        before = _IDLE if detector is None else detector.view()
        if detector is None:
            detector = Detector(identity=identity, tracking_since=now)
            self._detectors[identity.key] = detector
        else:
            detector.identity = identity
        detector.live = True
        detector.listening = listening
        detector.dead = dead
        if last_seen is not None:
            last_seen = min(last_seen, now)  # a clock ahead of ours is not the future
            if detector.last_check_in is None or last_seen > detector.last_check_in:
                detector.last_check_in = last_seen
        readings = detector.load(values, now)
        detector.offline = detector.is_offline(now, self.settings)
        unreadable = tuple(
            (identity.key, *reading.unreadable)
            for reading in readings
            if reading.unreadable is not None
        )
        result = self._finish(identity.key, before, EventReason.SYNC, now)
        return update | replace(result, unreadable=unreadable)

    def set_live(self, key: str, live: bool) -> Update:
        """Flag a detector as bound to a live node, or held (zwave_js went away)."""
        detector = self._detectors[key]
        if detector.live == live:
            return Update()
        detector.live = live
        return Update(changed=frozenset({key}))

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
        self._view_of.pop(key, None)
        self._deadline_of.pop(key, None)
        events = transitions(key, detector.view(), _IDLE, EventReason.REMOVED, now)
        self._household_view = self._household.update(self._views(), now)
        return Update(tuple(events), frozenset({key}), departed=(detector.identity,))

    def mark_synced(self, now: datetime) -> None:
        """Record that current values were read (household entities become available)."""
        self.synced = True
        self._household_view = self._household.update(self._views(), now)

    # -- live inputs ---------------------------------------------------------------
    def report(
        self, key: str, report: ValueReport, now: datetime, *, added: bool = False
    ) -> Update:
        """Apply a value the detector sent (``added``: zwave-js merely added it)."""
        detector = self._detectors[key]
        before = detector.view()
        detector.last_check_in = now
        reading = detector.apply(report, now, added=added)
        detector.offline = detector.is_offline(now, self.settings)
        reason = EventReason.CHECK_IN if reading.check_in else EventReason.REPORT
        update = self._finish(key, before, reason, now)
        if reading.unreadable is None:
            return update
        return replace(update, unreadable=((key, *reading.unreadable),))

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

    def release(self, key: str, kind: Kind, now: datetime) -> Update:
        """Release a kept alarm of ``kind``: a person confirmed that it is over."""
        detector = self._detectors[key]
        before = detector.view()
        if not detector.release(kind):
            return Update()
        return self._finish(key, before, EventReason.CONFIRMED, now)

    def tick(self, now: datetime) -> Update:
        """Re-evaluate offline timing and test timeouts for every detector."""
        update = Update()
        for key in self.keys:
            update |= self.tick_detector(key, now)
        return update

    def tick_detector(self, key: str, now: datetime) -> Update:
        """Re-evaluate one detector's offline timing and test timeouts."""
        detector = self._detectors[key]
        before = detector.view()
        expired = detector.expire_tests(now, self.settings.test_timeout)
        detector.offline = detector.is_offline(now, self.settings)
        if not expired and detector.view() == before:
            return Update()
        return self._finish(key, before, EventReason.TIMEOUT, now)

    def next_deadline(self) -> datetime | None:
        """Return the earliest moment a detector goes offline or a test times out."""
        return min(
            (deadline for deadline in self._deadline_of.values() if deadline),
            default=None,
        )

    # -- internals -----------------------------------------------------------------
    def _views(self) -> dict[str, DetectorView]:
        return self._view_of

    def _deadline(self, key: str) -> datetime | None:
        """Return when detector ``key`` next needs a check (offline or test timeout)."""
        detector = self._detectors[key]
        deadlines = [
            detector.test_deadline(self.settings.test_timeout),
            None if detector.offline else detector.offline_deadline(self.settings),
        ]
        return min((deadline for deadline in deadlines if deadline), default=None)

    def _remember(self, key: str) -> DetectorView:
        """Store a detector's current view and deadline after it changed."""
        view = self._view_of[key] = self._detectors[key].view()
        self._deadline_of[key] = self._deadline(key)
        return view

    def _finish(
        self, key: str, before: DetectorView, reason: EventReason, now: datetime
    ) -> Update:
        after = self._remember(key)
        events = transitions(key, before, after, reason, now)
        if before != after:
            self._household_view = self._household.update(self._views(), now)
        return Update(tuple(events), frozenset({key}))
