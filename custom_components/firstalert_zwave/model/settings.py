"""Tunable health rules (set from the options flow)."""

from __future__ import annotations

from dataclasses import dataclass

# ZCOMBO-G wakes up every 4200 s and the interval cannot be changed; it is also the
# fallback for detectors whose wake-up interval is unknown.
DEFAULT_WAKE_UP_INTERVAL = 4200.0
DEFAULT_OFFLINE_MULTIPLIER = 2.0


@dataclass(frozen=True, slots=True)
class HealthSettings:
    """How many missed wake-up intervals make a sleeping detector offline."""

    offline_multiplier: float = DEFAULT_OFFLINE_MULTIPLIER
