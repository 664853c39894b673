"""What the thermostat should be set to, from the facts of the moment alone.

This is the decision half of presence eco: no Home Assistant imports, no clock, no I/O. The
executor reads the facts (who is where, travel estimates, guest and vacation mode, time to
temperature) and calls `advance` on every change and on a tick; the answer depends only on
those facts and on the small memory this module keeps (since when each person is where they
are, since when someone looks like coming home, the preheat window, the hold of a person's
change). So an event that is missed, a run that is dropped or a restart changes nothing: the
next call sees the same facts and gives the same answer.

Priority, highest first: a person's change holds every write until its grace ends; guests keep
the house at home (a guest is a person in the house); vacation mode holds the vacation
setting; someone at home (for the arrival confirmation) means home; someone expected home
within the time to temperature plus margin means home early (preheat), and the preheat lasts
until nobody has looked like coming for the drive-by window; everyone known to be away for the
away delay means away. Anything else (a phone gone quiet, the away delay still running, someone
looking like coming home but not confirmed yet) keeps the setting the controller was steering
to — except vacation once vacation mode is off: then a resident who may be home gets home.

Times are epoch seconds; travel times and time to temperature are minutes.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum
import math
from typing import Any

MEMORY_VERSION = 1


class Place(StrEnum):
    """Where a person is, as far as presence is concerned."""

    HOME = "home"
    AWAY = "away"  # known to be somewhere else: not_home or any other zone
    UNKNOWN = "unknown"  # unknown/unavailable: possibly home


class Why(StrEnum):
    """Which rule decided (KEEP: none did, the previous setting stands)."""

    GUESTS = "guests"
    VACATION = "vacation"
    HOME = "home"
    PREHEAT = "preheat"
    DRIVE_BY = "drive_by"
    AWAY = "away"
    KEEP = "keep"


class Setting(StrEnum):
    """What the thermostat is steered to."""

    HOME = "home"
    AWAY = "away"
    VACATION = "vacation"


@dataclass(frozen=True, slots=True)
class Timing:
    """The user's delays (seconds) and preheat figures (minutes)."""

    away_delay: float = 1800.0
    arrival_delay: float = 0.0
    heading_confirm: float = 60.0
    drive_by_window: float = 1800.0
    manual_grace: float = 3600.0
    default_preheat: float = 30.0
    preheat_margin: float = 10.0


@dataclass(frozen=True, slots=True)
class PersonFacts:
    """One resident now: `changed` is when their tracker state last changed."""

    entity_id: str
    name: str
    place: Place
    changed: float


@dataclass(frozen=True, slots=True)
class TravelFacts:
    """One resident's own way home: minutes to go and whether they head home.

    `minutes` is None when no estimate is valid; `heading` is None when no direction sensor
    was chosen for this person (then being close enough counts).
    """

    person: str
    minutes: float | None
    heading: bool | None


@dataclass(frozen=True, slots=True)
class Facts:
    """Everything the decision depends on, read at one moment."""

    now: float
    people: tuple[PersonFacts, ...]
    travel: tuple[TravelFacts, ...] = ()
    time_to_temperature: float | None = None
    guests: bool = False
    vacation: bool = False


@dataclass(slots=True)
class Stay:
    """Where a person is and since when (moving between away places keeps `since`).

    While a person is unknown, `before` keeps where they were known to be: a tracker that goes
    quiet and comes back to the same place (a phone asleep, a restart) does not restart the
    away delay or the arrival confirmation.
    """

    place: Place
    since: float
    before: tuple[Place, float] | None = None


@dataclass(slots=True)
class Hold:
    """A change made by someone else: no writes until `until`."""

    until: float
    by: str


@dataclass(slots=True)
class Memory:
    """What the decision remembers between calls (persisted across restarts)."""

    stays: dict[str, Stay] = field(default_factory=dict)
    heading_since: dict[str, float] = field(default_factory=dict)
    preheat_until: float | None = None
    preheat_for: str | None = None
    preheat_from: Setting | None = None
    hold: Hold | None = None
    setting: Setting | None = None

    def copy(self) -> Memory:
        """Return an independent copy."""
        return replace(
            self,
            stays={key: replace(stay) for key, stay in self.stays.items()},
            heading_since=dict(self.heading_since),
            hold=replace(self.hold) if self.hold else None,
        )

    def as_dict(self) -> dict[str, Any]:
        """Plain data for storage."""
        return {
            "version": MEMORY_VERSION,
            "stays": {
                key: {
                    "place": stay.place.value,
                    "since": stay.since,
                    "before": [stay.before[0].value, stay.before[1]]
                    if stay.before
                    else None,
                }
                for key, stay in self.stays.items()
            },
            "heading_since": dict(self.heading_since),
            "preheat_until": self.preheat_until,
            "preheat_for": self.preheat_for,
            "preheat_from": self.preheat_from.value if self.preheat_from else None,
            "hold": {"until": self.hold.until, "by": self.hold.by}
            if self.hold
            else None,
            "setting": self.setting.value if self.setting else None,
        }

    @classmethod
    def from_dict(cls, data: Any) -> Memory:
        """Rebuild from storage; anything malformed is dropped, never raised."""
        memory = cls()
        if not isinstance(data, dict) or data.get("version") != MEMORY_VERSION:
            return memory
        stays = data.get("stays")
        if isinstance(stays, dict):
            for key, stay in stays.items():
                if (
                    isinstance(stay, dict)
                    and (place := _enum(Place, stay.get("place")))
                    and (since := _number(stay.get("since"))) is not None
                ):
                    memory.stays[str(key)] = Stay(place, since, _before(stay))
        heading = data.get("heading_since")
        if isinstance(heading, dict):
            for key, since in heading.items():
                if (value := _number(since)) is not None:
                    memory.heading_since[str(key)] = value
        memory.preheat_until = _number(data.get("preheat_until"))
        if isinstance(data.get("preheat_for"), str):
            memory.preheat_for = data["preheat_for"]
        memory.preheat_from = _enum(Setting, data.get("preheat_from"))
        hold = data.get("hold")
        if (
            isinstance(hold, dict)
            and (until := _number(hold.get("until"))) is not None
            and isinstance(hold.get("by"), str)
        ):
            memory.hold = Hold(until, hold["by"])
        memory.setting = _enum(Setting, data.get("setting"))
        return memory


@dataclass(frozen=True, slots=True)
class Decision:
    """The answer: the setting to steer to, why, and when to look again without a new fact.

    `setting` is None while no rule has chosen one yet: at the very start, and after vacation
    mode ended until a rule decides (vacation is kept by no rule).
    `held` means a person's change is respected: nothing may be written until `hold_until`.
    `recheck_at` is the next moment the answer can change with the same facts (a delay
    ending, a confirmation completing, a hold or a preheat running out).
    """

    setting: Setting | None
    reason: str
    held: bool = False
    hold_until: float | None = None
    why: Why = Why.KEEP
    recheck_at: float | None = None


def advance(
    memory: Memory, facts: Facts, timing: Timing, *, changed_by: str | None = None
) -> tuple[Memory, Decision]:
    """Fold the facts into a copy of `memory` and decide.

    `changed_by` reports a change made to the thermostat by someone else at `facts.now` (a
    person, another automation, the thermostat itself): it starts a new hold that replaces any
    previous one, so quick changes never stack their grace periods.
    """
    memory = memory.copy()
    now = facts.now
    checks: list[float] = []

    _clamp_to_clock(memory, now, timing)
    _track_stays(memory, facts)
    if changed_by is not None and timing.manual_grace > 0:
        memory.hold = Hold(now + timing.manual_grace, changed_by)
    if memory.hold is not None and memory.hold.until <= now:
        memory.hold = None
    # No rule keeps vacation once vacation mode is off: until one decides, nothing is
    # written (a resident who may be home for good gets home, see `_choose`).
    after_vacation = memory.setting is Setting.VACATION and not facts.vacation
    if after_vacation:
        memory.setting = None

    people = facts.people
    home = [p for p in people if memory.stays[p.entity_id].place is Place.HOME]
    home_confirmed = [
        p for p in home if now - memory.stays[p.entity_id].since >= timing.arrival_delay
    ]
    checks.extend(
        memory.stays[p.entity_id].since + timing.arrival_delay
        for p in home
        if p not in home_confirmed
    )

    heading = _track_heading(memory, facts, timing, nobody_home=not home)
    checks.extend(
        since + timing.heading_confirm
        for person, since in memory.heading_since.items()
        if person not in heading
    )
    if home_confirmed or facts.vacation:
        _end_preheat(memory)
    elif heading:
        # Someone is coming: home now, and for the drive-by window after the last moment
        # they looked like coming (a red light or a late arrival does not flip the house).
        # A house still at home stays there: the away delay ending meanwhile does not send
        # it to away and back.
        if memory.preheat_until is None:
            memory.preheat_from = memory.setting
        memory.preheat_until = now + timing.drive_by_window
        memory.preheat_for = heading[0]
    preheating = memory.preheat_until is not None and memory.preheat_until > now
    if preheating and memory.preheat_until is not None:
        checks.append(memory.preheat_until)

    setting, why, reason = _choose(
        memory,
        facts,
        timing,
        after_vacation=after_vacation,
        home=home,
        home_confirmed=home_confirmed,
        heading=heading,
        preheating=preheating,
        checks=checks,
    )
    if setting is not None:
        memory.setting = setting

    held = memory.hold is not None
    if memory.hold is not None:
        checks.append(memory.hold.until)
        reason = f"held after a change by {memory.hold.by} (then: {reason})"
    future = [check for check in checks if check > now]
    return memory, Decision(
        setting=memory.setting,
        reason=reason,
        held=held,
        hold_until=memory.hold.until if memory.hold else None,
        why=why,
        recheck_at=min(future) if future else None,
    )


def _choose(
    memory: Memory,
    facts: Facts,
    timing: Timing,
    *,
    home: list[PersonFacts],
    home_confirmed: list[PersonFacts],
    heading: list[str],
    preheating: bool,
    checks: list[float],
    after_vacation: bool = False,
) -> tuple[Setting | None, Why, str]:
    """Return the setting the facts require (None: keep steering where we were), the rule, why."""
    now = facts.now
    names = {p.entity_id: p.name for p in facts.people}
    if facts.guests:
        return Setting.HOME, Why.GUESTS, "guest mode is on"
    if facts.vacation:
        return Setting.VACATION, Why.VACATION, "vacation mode is on"
    if home_confirmed:
        return Setting.HOME, Why.HOME, f"{_join(p.name for p in home_confirmed)} home"
    if preheating:
        if heading:
            return (
                Setting.HOME,
                Why.PREHEAT,
                (
                    f"{names.get(heading[0], heading[0])} is expected home in "
                    f"{_minutes_of(facts, heading[0]):.0f} min, within the time to "
                    f"temperature ({_threshold(facts, timing) - timing.preheat_margin:.0f} "
                    f"min) + {timing.preheat_margin:.0f} min"
                ),
            )
        who = memory.preheat_for or ""
        return (
            Setting.HOME,
            Why.PREHEAT,
            (
                f"{names.get(who, who)} was expected home; the drive-by window is still open"
            ),
        )
    confirming = [person for person in memory.heading_since if person not in heading]
    if confirming and not home:
        # Someone looks like coming and is not confirmed yet: away now could be followed by
        # home a minute later. Wait for the confirmation (or for the look to go).
        checks.extend(
            memory.heading_since[person] + timing.heading_confirm
            for person in confirming
        )
        return (
            None,
            Why.KEEP,
            f"{_join(names.get(p, p) for p in confirming)} coming home (confirming)",
        )
    if memory.preheat_until is not None and not home:
        back = memory.preheat_from
        _end_preheat(memory)
        if back is Setting.AWAY:
            return (
                Setting.AWAY,
                Why.DRIVE_BY,
                (
                    "nobody arrived within the drive-by window of "
                    f"{timing.drive_by_window / 60:.0f} min"
                ),
            )
    _end_preheat(memory)
    if home:
        return None, Why.KEEP, f"{_join(p.name for p in home)} arriving (confirming)"
    if not facts.people:
        if after_vacation:
            return (
                Setting.HOME,
                Why.HOME,
                "vacation mode is off; no residents to follow",
            )
        return None, Why.KEEP, "no residents to follow"
    unknown = [
        p for p in facts.people if memory.stays[p.entity_id].place is Place.UNKNOWN
    ]
    if unknown:
        reason = (
            f"{_join(p.name for p in unknown)} not known to be away (possibly home)"
        )
        if after_vacation:
            return Setting.HOME, Why.HOME, f"vacation mode is off; {reason}"
        return None, Why.KEEP, reason
    gone = max(memory.stays[p.entity_id].since for p in facts.people)
    due = gone + timing.away_delay
    if now >= due:
        return (
            Setting.AWAY,
            Why.AWAY,
            (f"everyone has been away for {timing.away_delay / 60:.0f} min"),
        )
    checks.append(due)
    return (
        None,
        Why.KEEP,
        (
            f"everyone away for {(now - gone) / 60:.0f} of {timing.away_delay / 60:.0f} min"
        ),
    )


def _clamp_to_clock(memory: Memory, now: float, timing: Timing) -> None:
    """Keep remembered moments possible after the clock went back (NTP, a wrong RTC).

    Nothing remembered can lie in the future, and no hold or window can end later than its
    full length from now: a clock set back an hour never stretches a delay, hold or window.
    """
    for stay in memory.stays.values():
        stay.since = min(stay.since, now)
        if stay.before is not None and stay.before[1] > now:
            stay.before = (stay.before[0], now)
    for person, since in memory.heading_since.items():
        memory.heading_since[person] = min(since, now)
    if memory.hold is not None:
        memory.hold.until = min(memory.hold.until, now + timing.manual_grace)
    if memory.preheat_until is not None:
        memory.preheat_until = min(memory.preheat_until, now + timing.drive_by_window)


def _track_stays(memory: Memory, facts: Facts) -> None:
    """Keep since when each person is home / away / unknown; forget people no longer followed."""
    seen = set()
    for person in facts.people:
        seen.add(person.entity_id)
        stay = memory.stays.get(person.entity_id)
        if stay is not None and stay.place is person.place:
            continue
        since = min(person.changed, facts.now)
        if person.place is Place.UNKNOWN:
            before = None
            if stay is not None:
                before = (
                    stay.before
                    if stay.place is Place.UNKNOWN
                    else (
                        stay.place,
                        stay.since,
                    )
                )
            memory.stays[person.entity_id] = Stay(Place.UNKNOWN, since, before)
        elif stay is not None and stay.before and stay.before[0] is person.place:
            memory.stays[person.entity_id] = Stay(person.place, stay.before[1])
        else:
            memory.stays[person.entity_id] = Stay(person.place, since)
    for key in set(memory.stays) - seen:
        del memory.stays[key]


def _threshold(facts: Facts, timing: Timing) -> float:
    """Minutes within which an arrival is worth preheating for."""
    ttt = facts.time_to_temperature
    if ttt is None or not math.isfinite(ttt) or ttt < 0:
        ttt = timing.default_preheat
    return ttt + timing.preheat_margin


def _track_heading(
    memory: Memory, facts: Facts, timing: Timing, *, nobody_home: bool
) -> list[str]:
    """Return who is confirmed coming home within the threshold, nearest first.

    Each person's own estimate and own direction are judged together; the condition (not the
    sensor value) has to hold for the confirmation time, so sensors that update every few
    seconds still confirm.
    """
    threshold = _threshold(facts, timing)
    places = {p.entity_id: memory.stays[p.entity_id].place for p in facts.people}
    coming: dict[str, float] = {}
    for travel in facts.travel:
        if (
            nobody_home
            and not facts.vacation
            and places.get(travel.person, Place.AWAY) is not Place.HOME
            and travel.minutes is not None
            and travel.minutes <= threshold
            and travel.heading is not False
        ):
            coming[travel.person] = min(
                travel.minutes, coming.get(travel.person, math.inf)
            )
    for person in set(memory.heading_since) - set(coming):
        del memory.heading_since[person]
    for person in coming:
        memory.heading_since.setdefault(person, facts.now)
    confirmed = [
        person
        for person in coming
        if facts.now - memory.heading_since[person] >= timing.heading_confirm
    ]
    return sorted(confirmed, key=lambda person: coming[person])


def _end_preheat(memory: Memory) -> None:
    memory.preheat_until = None
    memory.preheat_for = None
    memory.preheat_from = None


def _minutes_of(facts: Facts, person: str) -> float:
    return min(
        (
            travel.minutes
            for travel in facts.travel
            if travel.person == person and travel.minutes is not None
        ),
        default=math.nan,
    )


def _join(names: Any) -> str:
    """'Alice is' / 'Alice and Bob are'."""
    items = list(names)
    if len(items) == 1:
        return f"{items[0]} is"
    return f"{', '.join(items[:-1])} and {items[-1]} are"


def _before(stay: dict[str, Any]) -> tuple[Place, float] | None:
    before = stay.get("before")
    if (
        isinstance(before, list)
        and len(before) == 2
        and (place := _enum(Place, before[0]))
        and (since := _number(before[1])) is not None
    ):
        return place, since
    return None


def _number(value: Any) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
        return number if math.isfinite(number) else None
    return None


def _enum[E: StrEnum](kind: type[E], value: Any) -> E | None:
    try:
        return kind(value)
    except ValueError:
        return None
