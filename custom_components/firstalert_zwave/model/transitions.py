"""Alarm events from the difference of two detector views (so repeats produce nothing)."""

from __future__ import annotations

from datetime import datetime

from .detector import DetectorView
from .events import AlarmEvent, EventReason, EventType, Kind


def transitions(
    key: str,
    before: DetectorView,
    after: DetectorView,
    reason: EventReason,
    at: datetime,
) -> list[AlarmEvent]:
    """Return the events that lead from ``before`` to ``after``, alarms first."""
    events: list[AlarmEvent] = []

    def add(
        kind: Kind, was: bool, now: bool, on: EventType, off: EventType | None
    ) -> None:
        if now and not was:
            events.append(AlarmEvent(on, kind, key, reason, at))
        elif was and not now and off is not None:
            events.append(AlarmEvent(off, kind, key, reason, at))

    add(Kind.SMOKE, before.smoke, after.smoke, EventType.STARTED, EventType.CLEARED)
    add(Kind.CO, before.co, after.co, EventType.STARTED, EventType.CLEARED)
    add(
        Kind.SMOKE,
        before.smoke_test,
        after.smoke_test,
        EventType.TEST_STARTED,
        EventType.TEST_ENDED,
    )
    add(
        Kind.CO,
        before.co_test,
        after.co_test,
        EventType.TEST_STARTED,
        EventType.TEST_ENDED,
    )
    add(
        Kind.SMOKE,
        before.smoke_silenced,
        after.smoke_silenced,
        EventType.SILENCED,
        None,
    )
    add(Kind.CO, before.co_silenced, after.co_silenced, EventType.SILENCED, None)
    return events
