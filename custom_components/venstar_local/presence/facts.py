"""Reading the facts of the moment from Home Assistant's states.

Every value is read on its own: a sensor that reports garbage (a negative or non-numeric travel
time, an unknown unit) counts as "no estimate" for its own person only and never hides another
person's valid estimate.
"""

from __future__ import annotations

from datetime import datetime
import math

from homeassistant.components.zone import ENTITY_ID_HOME
from homeassistant.const import (
    ATTR_UNIT_OF_MEASUREMENT,
    STATE_HOME,
    STATE_ON,
    STATE_UNAVAILABLE,
    STATE_UNKNOWN,
    UnitOfLength,
    UnitOfTime,
)
from homeassistant.core import HomeAssistant, State
from homeassistant.exceptions import HomeAssistantError
from homeassistant.util.unit_conversion import DistanceConverter

from .config import PresenceConfig
from .learned import learned_minutes_to_home
from .model import Facts, PersonFacts, Place, TravelFacts

_MINUTES_PER: dict[str | None, float] = {
    None: 1.0,
    UnitOfTime.MINUTES: 1.0,
    UnitOfTime.SECONDS: 1 / 60,
    UnitOfTime.HOURS: 60.0,
    UnitOfTime.DAYS: 1440.0,
}
# Spellings template and REST sensors use for the same units.
_UNIT_ALIASES = {
    "mins": UnitOfTime.MINUTES,
    "minute": UnitOfTime.MINUTES,
    "minutes": UnitOfTime.MINUTES,
    "sec": UnitOfTime.SECONDS,
    "secs": UnitOfTime.SECONDS,
    "second": UnitOfTime.SECONDS,
    "seconds": UnitOfTime.SECONDS,
    "hr": UnitOfTime.HOURS,
    "hrs": UnitOfTime.HOURS,
    "hour": UnitOfTime.HOURS,
    "hours": UnitOfTime.HOURS,
    "day": UnitOfTime.DAYS,
    "days": UnitOfTime.DAYS,
}
DIRECTION_TOWARDS = "towards"
PERSON_DOMAIN = "person"
ATTR_DEVICE_TRACKERS = "device_trackers"  # a person's trackers


def people_of(hass: HomeAssistant, config: PresenceConfig) -> tuple[str, ...]:
    """Return the residents followed: the chosen ones, or every person who can be followed.

    "Every person" leaves out persons without a device tracker (an account for a wall
    tablet, a child without a phone): they are `unknown` for ever, and an unknown resident
    may be home, so the house would never go to away.
    """
    if config.people:
        return config.people
    return tuple(
        sorted(
            state.entity_id
            for state in hass.states.async_all(PERSON_DOMAIN)
            if not untracked(state)
        )
    )


def untracked(state: State | None) -> bool:
    """Whether a person has no device tracker at all (so is never known to be anywhere)."""
    return state is not None and state.attributes.get(ATTR_DEVICE_TRACKERS) == []


def read_facts(hass: HomeAssistant, config: PresenceConfig, now: datetime) -> Facts:
    """Read everything the decision depends on."""
    zone = hass.states.get(config.zone)
    people = tuple(
        _person(hass.states.get(entity_id), entity_id, zone, config.zone, now)
        for entity_id in people_of(hass, config)
    )
    travel = tuple(
        TravelFacts(
            person=traveller.person,
            minutes=_first_valid(
                travel_minutes(_state(hass, traveller.travel_time)),
                distance_minutes(
                    _state(hass, traveller.distance), config.assumed_speed
                ),
            ),
            heading=None
            if traveller.direction is None
            else _is_towards(hass.states.get(traveller.direction)),
        )
        for traveller in config.travellers
    )
    ttt = None
    if config.time_to_temperature:
        ttt = travel_minutes(hass.states.get(config.time_to_temperature))
    if ttt is None:
        ttt = learned_minutes_to_home(hass, config.climate)
    return Facts(
        now=now.timestamp(),
        people=people,
        travel=travel,
        time_to_temperature=ttt,
        guests=any(
            _value(hass, entity) in (STATE_ON, STATE_HOME) for entity in config.guests
        ),
        vacation=any(_value(hass, entity) == STATE_ON for entity in config.vacation),
    )


def place_of(state: State | None, zone: State | None, zone_entity_id: str) -> Place:
    """Home (in the home zone), away (anywhere else known) or unknown (possibly home).

    A chosen zone that does not exist (deleted, renamed) cannot tell who is in it: everyone
    is unknown then, which keeps the setting, instead of away, which would empty the house.
    """
    if state is None or state.state in (STATE_UNKNOWN, STATE_UNAVAILABLE):
        return Place.UNKNOWN
    if zone is None and zone_entity_id != ENTITY_ID_HOME:
        return Place.UNKNOWN
    if zone is not None and (
        state.entity_id in (zone.attributes.get("persons") or ())
        or state.state == zone.name
    ):
        return Place.HOME
    if zone_entity_id == ENTITY_ID_HOME and state.state == STATE_HOME:
        return Place.HOME
    return Place.AWAY


def travel_minutes(state: State | None) -> float | None:
    """Return a duration sensor in minutes (its own unit converted), None if not valid."""
    value = _number(state)
    if value is None or state is None:
        return None
    unit = state.attributes.get(ATTR_UNIT_OF_MEASUREMENT)
    if isinstance(unit, str):
        unit = _UNIT_ALIASES.get(unit.strip().lower(), unit.strip())
    factor = _MINUTES_PER.get(unit or None)
    return None if factor is None else value * factor


def distance_minutes(state: State | None, speed_kmh: float) -> float | None:
    """Minutes to cover a distance sensor's value at `speed_kmh` (metres when it has no unit)."""
    value = _number(state)
    if value is None or state is None:
        return None
    unit = state.attributes.get(ATTR_UNIT_OF_MEASUREMENT) or UnitOfLength.METERS
    try:
        km = DistanceConverter.convert(value, unit, UnitOfLength.KILOMETERS)
    except HomeAssistantError:
        return None
    return km / speed_kmh * 60


def _person(
    state: State | None,
    entity_id: str,
    zone: State | None,
    zone_entity_id: str,
    now: datetime,
) -> PersonFacts:
    return PersonFacts(
        entity_id=entity_id,
        name=state.name if state is not None else entity_id,
        place=place_of(state, zone, zone_entity_id),
        changed=(state.last_changed if state is not None else now).timestamp(),
    )


def _is_towards(state: State | None) -> bool:
    return state is not None and state.state == DIRECTION_TOWARDS


def _first_valid(*values: float | None) -> float | None:
    return next((value for value in values if value is not None), None)


def _state(hass: HomeAssistant, entity_id: str | None) -> State | None:
    return hass.states.get(entity_id) if entity_id else None


def _value(hass: HomeAssistant, entity_id: str) -> str | None:
    state = hass.states.get(entity_id)
    return state.state if state is not None else None


def _number(state: State | None) -> float | None:
    """Return a finite, non-negative number, or None (negative travel makes no sense)."""
    if state is None:
        return None
    try:
        value = float(state.state)
    except ValueError:
        return None
    return value if math.isfinite(value) and value >= 0 else None
