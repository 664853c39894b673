"""Alarm events: one per transition of one detector, for automations and the logbook."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class Kind(StrEnum):
    """What the event is about."""

    SMOKE = "smoke"
    CO = "co"


class EventType(StrEnum):
    """Transition of one detector."""

    STARTED = "started"
    CLEARED = "cleared"
    TEST_STARTED = "test_started"
    TEST_ENDED = "test_ended"
    SILENCED = "silenced"


class EventReason(StrEnum):
    """Why the transition happened.

    ``report``: the detector reported it. ``check_in``: a legacy all-clear/check-in frame
    (alarm type 13) cleared a smoke state whose clear was missed. ``sync``: current values
    were read (our entry loaded, zwave_js came back, a detector was found), compared with
    what was announced before. ``removed``: the detector left the network while in that
    state. ``timeout``: a test was never ended by the detector and ran out of time.
    ``confirmed``: a person confirmed that an alarm kept by the integration is over.
    """

    REPORT = "report"
    CHECK_IN = "check_in"
    SYNC = "sync"
    REMOVED = "removed"
    TIMEOUT = "timeout"
    CONFIRMED = "confirmed"


@dataclass(frozen=True, slots=True)
class AlarmEvent:
    """A transition of one detector."""

    type: EventType
    kind: Kind
    detector: str
    reason: EventReason
    at: datetime
