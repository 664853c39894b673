"""What the response remembers across restarts: alarm facts, the HVAC snapshot, what was said.

Everything here is persisted. ``observe`` is the one place where alarm facts are recorded; the
controller calls it synchronously in the state-change callback, before anything awaits, so a
restore that is about to take its next step always sees a new alarm and the CO flag.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from .facts import Kind, Reading


def moment(text: Any) -> datetime:
    """Read a stored time; only an ISO time with its UTC offset is one."""
    value = datetime.fromisoformat(text)
    if value.tzinfo is None:
        raise ValueError(f"time without a UTC offset: {text}")
    return value


@dataclass(slots=True)
class SensorMemory:
    """The last known state of one alarm sensor."""

    kind: Kind | None
    on: bool


@dataclass(frozen=True, slots=True)
class Saved:
    """A thermostat's mode and fan from before the response touched it."""

    mode: str
    fan: str | None


@dataclass(slots=True)
class Episode:
    """One alarm, from its first detector until the house is handed back."""

    started: datetime
    kinds: set[Kind] = field(default_factory=set)
    notified: set[Kind] = field(default_factory=set)
    # Someone was home at some moment of the alarm: the doors stay wanted unlocked.
    home_seen: bool = False
    snapshot: dict[str, Saved] = field(default_factory=dict)
    # Thermostats switched off while their state was unknown: never restored.
    unsaved: set[str] = field(default_factory=set)
    switches: dict[str, str] = field(default_factory=dict)
    # Failed attempts per action key ("unlock:lock.front_door").
    attempts: dict[str, int] = field(default_factory=dict)
    doors_reported: dict[str, str] = field(default_factory=dict)
    failures_reported: set[str] = field(default_factory=set)
    clear_since: datetime | None = None

    @property
    def co_seen(self) -> bool:
        """Return whether carbon monoxide was part of this alarm (never auto-restore)."""
        return Kind.CO in self.kinds

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        return {
            "started": self.started.isoformat(),
            "kinds": sorted(kind.value for kind in self.kinds),
            "notified": sorted(kind.value for kind in self.notified),
            "home_seen": self.home_seen,
            "snapshot": {
                entity_id: {"mode": saved.mode, "fan": saved.fan}
                for entity_id, saved in self.snapshot.items()
            },
            "unsaved": sorted(self.unsaved),
            "switches": dict(self.switches),
            "attempts": dict(self.attempts),
            "doors_reported": dict(self.doors_reported),
            "failures_reported": sorted(self.failures_reported),
            "clear_since": self.clear_since.isoformat() if self.clear_since else None,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Episode:
        """Read the JSON form."""
        clear_since = data.get("clear_since")
        return cls(
            started=moment(data["started"]),
            kinds={Kind(kind) for kind in data.get("kinds", ())},
            notified={Kind(kind) for kind in data.get("notified", ())},
            home_seen=bool(data.get("home_seen", False)),
            snapshot={
                entity_id: Saved(str(saved["mode"]), saved.get("fan"))
                for entity_id, saved in data.get("snapshot", {}).items()
            },
            unsaved={str(climate) for climate in data.get("unsaved", ())},
            switches={str(k): str(v) for k, v in data.get("switches", {}).items()},
            attempts={str(k): int(v) for k, v in data.get("attempts", {}).items()},
            doors_reported={
                str(k): str(v) for k, v in data.get("doors_reported", {}).items()
            },
            failures_reported=set(data.get("failures_reported", ())),
            clear_since=moment(clear_since) if clear_since else None,
        )


@dataclass(slots=True)
class Delivery:
    """One notification still to be delivered to one target.

    Kept (and saved) until it is delivered or its attempts run out, so a notification
    whose retries a restart or reload cut short is sent after it, not lost.
    """

    target: str
    title: str
    message: str
    attempts: int = 0

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        return {
            "target": self.target,
            "title": self.title,
            "message": self.message,
            "attempts": self.attempts,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Delivery:
        """Read the JSON form."""
        return cls(
            target=str(data["target"]),
            title=str(data["title"]),
            message=str(data["message"]),
            attempts=int(data.get("attempts", 0)),
        )


@dataclass(slots=True)
class Memory:
    """The response's persisted state."""

    sensors: dict[str, SensorMemory] = field(default_factory=dict)
    episode: Episode | None = None
    # Notifications not delivered yet, by delivery id.
    outbox: dict[str, Delivery] = field(default_factory=dict)
    # The notifications shown in Home Assistant during the current alarm, by topic
    # (title, message): shown again after a restart, which clears them.
    shown: dict[str, tuple[str, str]] = field(default_factory=dict)
    # The id of the last delivery (ids stay unique across restarts).
    deliveries: int = 0
    # Bumped on every change, so the executor knows when to save.
    version: int = 0

    def observe(
        self, entity_id: str, kind: Kind | None, reading: Reading, now: datetime
    ) -> bool:
        """Record one alarm sensor reading; return whether its alarm state changed.

        Unknown readings change nothing: an unreadable sensor keeps its last known state,
        so it never clears an alarm and never raises one. Only a smoke or CO sensor that
        reads ``on`` is an alarm.
        """
        if reading is Reading.UNKNOWN:
            return False
        on = reading is Reading.ON and kind is not None
        previous = self.sensors.get(entity_id)
        if previous is not None and previous.on == on and previous.kind == kind:
            return False
        self.sensors[entity_id] = SensorMemory(kind, on)
        self.version += 1
        if on and kind is not None:
            if self.episode is None:
                self.episode = Episode(started=now)
            self.episode.kinds.add(kind)
            self.episode.clear_since = None
        return previous is None or previous.on != on

    def active(self, sensors: Iterable[str]) -> set[Kind]:
        """Return the kinds of alarm that the given sensors last reported."""
        kinds: set[Kind] = set()
        for entity_id in sensors:
            known = self.sensors.get(entity_id)
            if known is not None and known.on and known.kind is not None:
                kinds.add(known.kind)
        return kinds

    def active_sensors(self, sensors: Iterable[str], kind: Kind) -> list[str]:
        """Return the given sensors last reporting ``kind``."""
        return [
            entity_id
            for entity_id in sensors
            if (known := self.sensors.get(entity_id)) is not None
            and known.on
            and known.kind is kind
        ]

    def forget_sensors(self, keep: Iterable[str]) -> None:
        """Drop sensors no longer configured."""
        wanted = set(keep)
        for entity_id in [key for key in self.sensors if key not in wanted]:
            del self.sensors[entity_id]
            self.version += 1

    def end_episode(self) -> None:
        """Forget the alarm: the house was handed back."""
        self.episode = None
        self.shown.clear()
        self.version += 1

    def clock_set_back(self, by: timedelta) -> None:
        """Move the alarm's times back with the clock, so they keep their meaning."""
        episode = self.episode
        if episode is None:
            return
        episode.started -= by
        if episode.clear_since is not None:
            episode.clear_since -= by
        self.version += 1

    def post(self, target: str, title: str, message: str) -> str:
        """Put a notification for ``target`` in the outbox; return its delivery id."""
        self.deliveries += 1
        key = str(self.deliveries)
        self.outbox[key] = Delivery(target, title, message)
        self.version += 1
        return key

    def touch(self) -> None:
        """Mark a change made through the episode's fields."""
        self.version += 1

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        return {
            "sensors": {
                entity_id: {
                    "kind": known.kind.value if known.kind else None,
                    "on": known.on,
                }
                for entity_id, known in self.sensors.items()
            },
            "episode": self.episode.to_dict() if self.episode else None,
            "outbox": {key: item.to_dict() for key, item in self.outbox.items()},
            "shown": {
                topic: [title, message]
                for topic, (title, message) in self.shown.items()
            },
            "deliveries": self.deliveries,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Memory:
        """Read the JSON form."""
        episode = data.get("episode")
        return cls(
            sensors={
                entity_id: SensorMemory(
                    Kind(known["kind"]) if known.get("kind") else None,
                    bool(known.get("on", False)),
                )
                for entity_id, known in data.get("sensors", {}).items()
            },
            episode=Episode.from_dict(episode) if episode else None,
            outbox={
                str(key): Delivery.from_dict(item)
                for key, item in data.get("outbox", {}).items()
            },
            shown={
                str(topic): (str(title), str(message))
                for topic, (title, message) in data.get("shown", {}).items()
            },
            deliveries=int(data.get("deliveries", 0)),
        )
