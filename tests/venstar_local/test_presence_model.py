"""The presence eco decision on its own: a function of the facts and a small memory."""

from __future__ import annotations

from custom_components.venstar_local.presence.model import (
    Facts,
    Hold,
    Memory,
    PersonFacts,
    Place,
    Setting,
    Stay,
    Timing,
    TravelFacts,
    Why,
    advance,
)

MIN = 60.0
TIMING = Timing(away_delay=30 * MIN, heading_confirm=60, drive_by_window=30 * MIN)


def people(**places: tuple[Place, float]) -> tuple[PersonFacts, ...]:
    return tuple(
        PersonFacts(f"person.{who}", who.title(), place, changed)
        for who, (place, changed) in places.items()
    )


def step(memory: Memory, now: float, **kwargs: object) -> tuple[Memory, object]:
    facts = Facts(now=now, **kwargs)  # type: ignore[arg-type]
    return advance(memory, facts, TIMING)


def test_away_needs_everyone_away_for_the_delay_and_says_when_to_look_again() -> None:
    memory, decision = step(
        Memory(), 100 * MIN, people=people(alice=(Place.AWAY, 90 * MIN))
    )
    assert decision.setting is None
    assert decision.why is Why.KEEP
    assert decision.reason == "everyone away for 10 of 30 min"
    assert decision.recheck_at == 120 * MIN
    memory, decision = step(
        memory, 120 * MIN, people=people(alice=(Place.AWAY, 90 * MIN))
    )
    assert (decision.setting, decision.why) == (Setting.AWAY, Why.AWAY)


def test_a_tracker_that_goes_quiet_and_comes_back_to_the_same_place_keeps_its_since() -> (
    None
):
    memory, _ = step(Memory(), 0, people=people(alice=(Place.AWAY, 0)))
    memory, decision = step(
        memory, 10 * MIN, people=people(alice=(Place.UNKNOWN, 10 * MIN))
    )
    assert decision.reason == "Alice is not known to be away (possibly home)"
    memory, _ = step(memory, 15 * MIN, people=people(alice=(Place.UNKNOWN, 15 * MIN)))
    memory, decision = step(
        memory, 31 * MIN, people=people(alice=(Place.AWAY, 31 * MIN))
    )
    assert decision.setting is Setting.AWAY  # away since 0, not since 31
    assert memory.stays["person.alice"] == Stay(Place.AWAY, 0)


def test_a_tracker_that_comes_back_somewhere_else_starts_over() -> None:
    memory, _ = step(Memory(), 0, people=people(alice=(Place.AWAY, 0)))
    memory, _ = step(memory, 10 * MIN, people=people(alice=(Place.UNKNOWN, 10 * MIN)))
    memory, decision = step(
        memory, 20 * MIN, people=people(alice=(Place.HOME, 20 * MIN))
    )
    assert decision.setting is Setting.HOME
    assert memory.stays["person.alice"] == Stay(Place.HOME, 20 * MIN)


def test_people_no_longer_followed_are_forgotten_and_nobody_keeps_the_setting() -> None:
    memory, _ = step(Memory(), 0, people=people(alice=(Place.HOME, 0)))
    memory, decision = step(memory, MIN, people=())
    assert memory.stays == {}
    assert (decision.setting, decision.reason) == (
        Setting.HOME,
        "no residents to follow",
    )


def test_guests_win_over_vacation() -> None:
    _, decision = step(
        Memory(), 0, people=people(alice=(Place.AWAY, 0)), guests=True, vacation=True
    )
    assert (decision.setting, decision.why) == (Setting.HOME, Why.GUESTS)


def test_a_hold_replaces_the_previous_one_and_zero_grace_holds_nothing() -> None:
    facts = Facts(now=0, people=people(alice=(Place.HOME, 0)))
    memory, decision = advance(Memory(), facts, TIMING, changed_by="a person")
    assert decision.held
    assert decision.hold_until == TIMING.manual_grace
    later = Facts(now=2 * MIN, people=facts.people)
    memory, decision = advance(memory, later, TIMING, changed_by="a person")
    assert memory.hold == Hold(2 * MIN + TIMING.manual_grace, "a person")
    assert decision.reason == "held after a change by a person (then: Alice is home)"
    no_grace = Timing(manual_grace=0)
    _, decision = advance(Memory(), facts, no_grace, changed_by="a person")
    assert not decision.held


def test_a_traveller_at_home_does_not_preheat() -> None:
    travel = (TravelFacts("person.alice", 5, True),)
    memory, _ = step(
        Memory(setting=Setting.AWAY),
        0,
        people=people(alice=(Place.HOME, 0)),
        travel=travel,
    )
    assert memory.heading_since == {}


def test_a_house_still_home_stays_home_for_a_resident_on_the_way_back() -> None:
    """The away delay ending while someone is coming never sends the house away and back."""
    travel = (TravelFacts("person.alice", 5, True),)
    away = people(alice=(Place.AWAY, 0))
    memory = Memory(setting=Setting.HOME)
    settings = []
    for minute in (0, 2, 29, 30, 31, 45):
        memory, decision = step(memory, minute * MIN, people=away, travel=travel)
        settings.append(decision.setting)
    assert settings == [Setting.HOME] * 6
    assert decision.why is Why.PREHEAT
    # She turns back: the drive-by window runs out, then the away delay (long over) rules.
    gone = (TravelFacts("person.alice", 5, False),)
    memory, decision = step(memory, 46 * MIN, people=away, travel=gone)
    assert decision.setting is Setting.HOME
    memory, decision = step(memory, 76 * MIN, people=away, travel=gone)
    assert (decision.setting, decision.why) == (Setting.AWAY, Why.AWAY)


def test_away_waits_while_someone_looks_like_coming_and_is_not_confirmed_yet() -> None:
    away = people(alice=(Place.AWAY, 0))
    coming = (TravelFacts("person.alice", 10, True),)
    memory, decision = step(
        Memory(setting=Setting.HOME), 40 * MIN, people=away, travel=coming
    )
    assert (decision.setting, decision.why) == (Setting.HOME, Why.KEEP)
    assert decision.reason == "Alice is coming home (confirming)"
    assert decision.recheck_at == 40 * MIN + 60
    # The look goes before the confirmation: the long due away comes now.
    memory, decision = step(memory, 40 * MIN + 30, people=away, travel=())
    assert (decision.setting, decision.why) == (Setting.AWAY, Why.AWAY)


def test_vacation_is_kept_by_no_rule_once_vacation_mode_is_off() -> None:
    quiet = people(alice=(Place.AWAY, 0), bob=(Place.UNKNOWN, 0))
    memory, decision = step(Memory(), MIN, people=quiet, vacation=True)
    assert decision.setting is Setting.VACATION
    memory, decision = step(memory, 2 * MIN, people=quiet)
    assert decision.setting is Setting.HOME  # Bob may be home
    assert decision.reason == (
        "vacation mode is off; Bob is not known to be away (possibly home)"
    )
    _, decision = step(Memory(setting=Setting.VACATION), MIN, people=())
    assert decision.setting is Setting.HOME
    # Bounded waits write nothing meanwhile: the away delay still runs here.
    left = people(alice=(Place.AWAY, 0))
    _, decision = step(Memory(setting=Setting.VACATION), 10 * MIN, people=left)
    assert decision.setting is None
    assert decision.recheck_at == 30 * MIN


def test_a_clock_set_back_never_stretches_a_hold_a_delay_or_a_window() -> None:
    away = people(alice=(Place.AWAY, 100 * MIN))
    coming = (TravelFacts("person.alice", 10, True),)
    memory = Memory(setting=Setting.AWAY)
    memory, _ = step(memory, 130 * MIN, people=away, travel=coming)
    memory, decision = step(memory, 131 * MIN, people=away, travel=coming)
    assert decision.why is Why.PREHEAT
    facts = Facts(now=132 * MIN, people=away)
    memory, decision = advance(memory, facts, TIMING, changed_by="a person")
    assert decision.hold_until == 132 * MIN + TIMING.manual_grace
    # The clock jumps back two hours (a wrong real-time clock corrected by NTP).
    memory, decision = step(memory, 12 * MIN, people=away)
    assert memory.hold == Hold(12 * MIN + TIMING.manual_grace, "a person")
    assert memory.preheat_until == 12 * MIN + TIMING.drive_by_window
    assert memory.stays["person.alice"].since == 12 * MIN
    memory, decision = step(memory, 12 * MIN + TIMING.manual_grace, people=away)
    assert not decision.held
    assert (decision.setting, decision.why) == (Setting.AWAY, Why.DRIVE_BY)
    # Remembered moments in the future are pulled back to now, also while unknown.
    memory = Memory(
        stays={"person.alice": Stay(Place.UNKNOWN, 500 * MIN, (Place.AWAY, 400 * MIN))},
        heading_since={"person.alice": 500 * MIN},
    )
    memory, _ = step(
        memory,
        MIN,
        people=people(alice=(Place.UNKNOWN, 500 * MIN)),
        travel=(TravelFacts("person.alice", 10, True),),
    )
    assert memory.stays["person.alice"] == Stay(Place.UNKNOWN, MIN, (Place.AWAY, MIN))
    assert memory.heading_since == {"person.alice": MIN}


def test_heading_needs_the_confirmation_and_a_valid_estimate_within_the_threshold() -> (
    None
):
    away = people(alice=(Place.AWAY, 0), bob=(Place.AWAY, 0))
    start = Memory(setting=Setting.AWAY)
    coming = (
        TravelFacts("person.alice", 50, True),  # beyond 30 + 10
        TravelFacts("person.bob", None, True),  # no valid estimate
        TravelFacts("person.bob", 35, None),  # no direction sensor: close enough counts
    )
    memory, decision = step(start, 40 * MIN, people=away, travel=coming)
    assert decision.setting is Setting.AWAY
    assert memory.heading_since == {"person.bob": 40 * MIN}
    assert decision.recheck_at == 40 * MIN + 60
    memory, decision = step(memory, 41 * MIN, people=away, travel=coming)
    assert (decision.setting, decision.why) == (Setting.HOME, Why.PREHEAT)
    assert decision.reason == (
        "Bob is expected home in 35 min, within the time to temperature (30 min) + 10 min"
    )


def test_the_drive_by_window_runs_from_the_last_moment_someone_looked_like_coming() -> (
    None
):
    away = people(alice=(Place.AWAY, 0))
    coming = (TravelFacts("person.alice", 10, True),)
    gone = (TravelFacts("person.alice", 10, False),)
    memory = Memory(setting=Setting.AWAY)
    memory, _ = step(memory, 60 * MIN, people=away, travel=coming)
    memory, decision = step(memory, 61 * MIN, people=away, travel=coming)
    assert decision.why is Why.PREHEAT
    memory, decision = step(memory, 70 * MIN, people=away, travel=gone)
    assert decision.reason == (
        "Alice was expected home; the drive-by window is still open"
    )
    assert decision.recheck_at == 91 * MIN
    memory, decision = step(memory, 91 * MIN, people=away, travel=gone)
    assert (decision.setting, decision.why) == (Setting.AWAY, Why.DRIVE_BY)
    assert memory.preheat_until is None


def test_a_preheat_that_started_before_any_setting_falls_back_to_the_rules() -> None:
    away = people(alice=(Place.UNKNOWN, 0))
    coming = (TravelFacts("person.alice", 10, True),)
    memory, _ = step(Memory(), 0, people=away, travel=coming)
    memory, decision = step(memory, MIN, people=away, travel=coming)
    assert decision.why is Why.PREHEAT
    memory, decision = step(memory, 40 * MIN, people=away, travel=())
    assert decision.why is Why.KEEP  # nothing to go back to: the rules decide (unknown)
    assert decision.setting is Setting.HOME


def test_vacation_ends_a_preheat() -> None:
    away = people(alice=(Place.AWAY, 0))
    coming = (TravelFacts("person.alice", 10, True),)
    memory, _ = step(Memory(setting=Setting.AWAY), 0, people=away, travel=coming)
    memory, _ = step(memory, MIN, people=away, travel=coming)
    memory, decision = step(memory, 2 * MIN, people=away, travel=coming, vacation=True)
    assert decision.setting is Setting.VACATION
    assert memory.preheat_until is None


def test_memory_survives_storage_and_garbage_is_dropped() -> None:
    memory = Memory(
        stays={
            "person.alice": Stay(Place.UNKNOWN, 5, (Place.AWAY, 1)),
            "person.bob": Stay(Place.HOME, 2),
        },
        heading_since={"person.alice": 3},
        preheat_until=9,
        preheat_for="person.alice",
        preheat_from=Setting.AWAY,
        hold=Hold(7, "a person"),
        setting=Setting.HOME,
    )
    assert Memory.from_dict(memory.as_dict()) == memory
    assert Memory.from_dict(None) == Memory()
    assert Memory.from_dict({"version": 99}) == Memory()
    garbage = Memory.from_dict(
        {
            "version": 1,
            "stays": {
                "person.a": {"place": "moon", "since": 1},
                "person.b": {"place": "away", "since": "yesterday"},
                "person.c": {"place": "away", "since": 1, "before": ["x", 1]},
                "person.d": "home",
            },
            "heading_since": {"person.a": "soon", "person.b": 4},
            "preheat_until": float("nan"),
            "preheat_from": "attic",
            "hold": {"until": 3},
            "setting": True,
        }
    )
    assert garbage == Memory(
        stays={"person.c": Stay(Place.AWAY, 1)}, heading_since={"person.b": 4}
    )
