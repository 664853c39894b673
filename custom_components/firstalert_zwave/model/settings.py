"""Tunable health rules (set from the options flow)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

# ZCOMBO-G wakes up every 4200 s and the interval cannot be changed; it is also the
# fallback for detectors whose wake-up interval is unknown.
DEFAULT_WAKE_UP_INTERVAL = 4200.0
DEFAULT_OFFLINE_MULTIPLIER = 2.0
# A real test sounds for seconds; a test state older than this was never ended.
DEFAULT_TEST_TIMEOUT = timedelta(minutes=10)


@dataclass(frozen=True, slots=True)
class HealthSettings:
    """Missed wake-up intervals that make a detector offline; when a test is over."""

    offline_multiplier: float = DEFAULT_OFFLINE_MULTIPLIER
    test_timeout: timedelta = DEFAULT_TEST_TIMEOUT
