"""Tunable health rules (set from the options flow)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
import math

# ZCOMBO-G wakes up every 4200 s and the interval cannot be changed; it is also the
# fallback for detectors whose wake-up interval is unknown.
DEFAULT_WAKE_UP_INTERVAL = 4200
DEFAULT_OFFLINE_MULTIPLIER = 2.0
MIN_OFFLINE_MULTIPLIER = 1.5
MAX_OFFLINE_MULTIPLIER = 10.0
# A real test sounds for seconds; a test state older than this was never ended.
DEFAULT_TEST_TIMEOUT = timedelta(minutes=10)


def offline_multiplier(value: object) -> float:
    """Return a usable multiplier: anything absurd falls back to the default."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return DEFAULT_OFFLINE_MULTIPLIER
    number = float(value)
    if not math.isfinite(number):
        return DEFAULT_OFFLINE_MULTIPLIER
    return min(max(number, MIN_OFFLINE_MULTIPLIER), MAX_OFFLINE_MULTIPLIER)


@dataclass(frozen=True, slots=True)
class HealthSettings:
    """Missed wake-up intervals that make a detector offline; when a test is over."""

    offline_multiplier: float = DEFAULT_OFFLINE_MULTIPLIER
    test_timeout: timedelta = DEFAULT_TEST_TIMEOUT
