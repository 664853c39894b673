"""The current facts the response decides from, read from the house: plain data, no HA."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

# Modes that heat: carbon monoxide turns these off and leaves cooling alone.
HEATING_MODES = frozenset({"heat", "heat_cool", "auto"})
UNLOCKED_STATES = frozenset({"unlocked", "open"})


class Kind(StrEnum):
    """The kind of a real alarm."""

    SMOKE = "smoke"
    CO = "co"


class Reading(StrEnum):
    """What an alarm sensor's state says; ``unknown`` keeps the last known state."""

    ON = "on"
    OFF = "off"
    UNKNOWN = "unknown"


class Owner(StrEnum):
    """The state of the automation that configures the response."""

    ACTIVE = "active"  # on, not loaded yet, or no automation named
    OFF = "off"  # turned off: the response stands down
    MISSING = "missing"  # gone after start or reload: the response stands down


def kind_of(device_class: object) -> Kind | None:
    """Return the alarm kind of a binary sensor device class (None: not an alarm)."""
    if device_class == "smoke":
        return Kind.SMOKE
    if device_class == "carbon_monoxide":
        return Kind.CO
    return None


def reading_of(state: str | None) -> Reading:
    """Only ``on`` and ``off`` are readings; anything else is unknown."""
    if state == "on":
        return Reading.ON
    if state == "off":
        return Reading.OFF
    return Reading.UNKNOWN


def is_unlocked(state: str | None) -> bool:
    """Return whether a lock state lets people out."""
    return state in UNLOCKED_STATES


def is_known(state: str | None) -> bool:
    """Return whether a state is a real value (not missing, unknown or unavailable)."""
    return state not in (None, "unknown", "unavailable")


@dataclass(frozen=True, slots=True)
class SensorFact:
    """One alarm sensor: its kind, reading and where it is (for messages)."""

    kind: Kind | None
    reading: Reading
    label: str


@dataclass(frozen=True, slots=True)
class ClimateFact:
    """One thermostat as Home Assistant shows it (``mode`` None: not known now)."""

    mode: str | None
    fan: str | None = None
    fan_modes: tuple[str, ...] = ()
    hvac_modes: tuple[str, ...] = ()
    # Switched off with venstar_local.emergency_shutoff (one request, confirmed).
    shutoff_service: bool = False


@dataclass(frozen=True, slots=True)
class Facts:
    """Everything the decision needs, read at one moment."""

    now: datetime
    sensors: Mapping[str, SensorFact] = field(default_factory=dict)
    someone_home: bool = False
    # When the residents at home arrived, if that must be confirmed: a resident's home
    # state that began during an alarm counts once it has lasted the arrival confirmation
    # (GPS noise shows phones at home for a moment). None: someone is home without doubt
    # (an occupancy or guest entity is on, or they were home when Home Assistant started).
    arrived_at: datetime | None = None
    locks: Mapping[str, str | None] = field(default_factory=dict)
    lights: Mapping[str, str | None] = field(default_factory=dict)
    climates: Mapping[str, ClimateFact] = field(default_factory=dict)
    switches: Mapping[str, str | None] = field(default_factory=dict)
    # Lights in the area of each alarm sensor (its own area and the areas it names).
    area_lights: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    names: Mapping[str, str] = field(default_factory=dict)
    owner: Owner = Owner.ACTIVE

    def name(self, entity_id: str) -> str:
        """Return an entity's friendly name (its id when unknown)."""
        return self.names.get(entity_id, entity_id)
