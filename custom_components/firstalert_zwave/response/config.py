"""What the response does, as the blueprint configures it: plain data, no Home Assistant."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from datetime import timedelta
import math
from typing import Any

DEFAULT_ZONE = "zone.home"
DEFAULT_UNLOCK_ATTEMPTS = 3
DEFAULT_UNLOCK_VERIFY_SECONDS = 15.0
DEFAULT_SMOKE_FAN_MODE = "auto"
DEFAULT_CLEAR_DELAY_MINUTES = 5.0
# A resident who arrives during an alarm counts as home after this long (GPS noise).
DEFAULT_ARRIVAL_CONFIRMATION_SECONDS = 30.0
# The largest values the action accepts (a stored document is held to them too).
MAX_UNLOCK_ATTEMPTS = 10
MAX_UNLOCK_VERIFY_SECONDS = 120.0
MAX_CLEAR_DELAY = 120.0
MAX_ARRIVAL_CONFIRMATION_SECONDS = 600.0

_LISTS = (
    "alarm_sensors",
    "people",
    "occupancy_entities",
    "locks",
    "escape_lights",
    "climates",
    "schedule_switches",
    "notify_actions",
)


def _within[N: (int, float)](value: N, low: N, high: N) -> N:
    """Return ``value`` held to ``low``…``high`` (not a number: ``ValueError``)."""
    if math.isnan(value):
        raise ValueError("not a number")
    return min(max(value, low), high)


def _ids(value: Any) -> tuple[str, ...]:
    """Return a list input as a tuple of unique strings (a single string is one item)."""
    if value is None:
        return ()
    items: Iterable[Any] = [value] if isinstance(value, str) else value
    seen: dict[str, None] = {}
    for item in items:
        text = str(item).strip()
        if text:
            seen.setdefault(text, None)
    return tuple(seen)


@dataclass(frozen=True, slots=True)
class ResponseConfig:
    """The blueprint's inputs, plus the automation that handed them over."""

    automation: str | None = None
    alarm_sensors: tuple[str, ...] = ()
    people: tuple[str, ...] = ()
    presence_zone: str = DEFAULT_ZONE
    occupancy_entities: tuple[str, ...] = ()
    # How long a resident who arrives during an alarm must stay home to count.
    arrival_confirmation: timedelta = timedelta(
        seconds=DEFAULT_ARRIVAL_CONFIRMATION_SECONDS
    )
    locks: tuple[str, ...] = ()
    # Failed attempts after which a door is reported as failed (retries go on).
    unlock_attempts: int = DEFAULT_UNLOCK_ATTEMPTS
    unlock_verify_seconds: float = DEFAULT_UNLOCK_VERIFY_SECONDS
    escape_lights: tuple[str, ...] = ()
    area_lights: bool = True
    climates: tuple[str, ...] = ()
    smoke_fan_mode: str = DEFAULT_SMOKE_FAN_MODE
    schedule_switches: tuple[str, ...] = ()
    restore_after_smoke: bool = True
    clear_delay: timedelta = timedelta(minutes=DEFAULT_CLEAR_DELAY_MINUTES)
    notify_actions: tuple[str, ...] = ()
    notify_data: Mapping[str, Any] = field(default_factory=dict)
    persistent_notification: bool = True

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ResponseConfig:
        """Build from stored or validated action data; unknown keys are ignored."""
        known = {item.name for item in fields(cls)}
        values: dict[str, Any] = {}
        for key, value in data.items():
            if key not in known:
                continue
            if key in _LISTS:
                values[key] = _ids(value)
            elif key == "clear_delay":
                values[key] = (
                    value
                    if isinstance(value, timedelta)
                    else timedelta(minutes=_within(float(value), 0, MAX_CLEAR_DELAY))
                )
            elif key == "arrival_confirmation":
                values[key] = (
                    value
                    if isinstance(value, timedelta)
                    else timedelta(
                        seconds=_within(
                            float(value), 0, MAX_ARRIVAL_CONFIRMATION_SECONDS
                        )
                    )
                )
            elif key == "notify_data":
                values[key] = dict(value or {})
            elif key in ("unlock_attempts",):
                values[key] = int(_within(int(value), 1, MAX_UNLOCK_ATTEMPTS))
            elif key == "unlock_verify_seconds":
                values[key] = _within(float(value), 1.0, MAX_UNLOCK_VERIFY_SECONDS)
            elif key in (
                "area_lights",
                "restore_after_smoke",
                "persistent_notification",
            ):
                values[key] = bool(value)
            elif value is not None:
                values[key] = str(value)
        return cls(**values)

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-safe dict (the form stored and shown in diagnostics)."""
        data: dict[str, Any] = {}
        for item in fields(self):
            value = getattr(self, item.name)
            if isinstance(value, tuple):
                value = list(value)
            elif item.name == "arrival_confirmation":
                value = value.total_seconds()
            elif isinstance(value, timedelta):
                value = value.total_seconds() / 60
            elif item.name == "notify_data":
                value = dict(value)
            data[item.name] = value
        return data

    def entities(self) -> frozenset[str]:
        """Every entity whose state the response depends on."""
        ids = {self.presence_zone}
        for name in _LISTS:
            if name != "notify_actions":
                ids.update(getattr(self, name))
        if self.automation:
            ids.add(self.automation)
        return frozenset(ids)
