"""The decision part on its own: desired state = f(facts), for any sequence of facts."""

from __future__ import annotations

import ast
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hypothesis import given, settings, strategies as st

from custom_components.firstalert_zwave.response.config import ResponseConfig
from custom_components.firstalert_zwave.response.decide import (
    Decision,
    decide,
    may_restore,
    restore_plan,
)
from custom_components.firstalert_zwave.response.dryrun import Probe, checkup
from custom_components.firstalert_zwave.response.facts import (
    ClimateFact,
    Facts,
    Kind,
    Owner,
    Reading,
    SensorFact,
    reading_of,
)
from custom_components.firstalert_zwave.response.memory import Memory

PACKAGE = (
    Path(__file__).resolve().parents[3]
    / "custom_components"
    / "firstalert_zwave"
    / "response"
)
PURE = ("config", "facts", "memory", "decide", "messages", "dryrun")
T0 = datetime(2025, 1, 1, tzinfo=UTC)
SMOKE, CO, PROBLEM = "binary_sensor.smoke", "binary_sensor.co", "binary_sensor.test"
KINDS = {SMOKE: Kind.SMOKE, CO: Kind.CO, PROBLEM: None}
CLIMATES = ("climate.a", "climate.b")
CONFIG = ResponseConfig(
    alarm_sensors=(SMOKE, CO, PROBLEM),
    locks=("lock.front",),
    escape_lights=("light.hall",),
    climates=CLIMATES,
    schedule_switches=("switch.schedule",),
    clear_delay=timedelta(minutes=5),
)


def test_the_decision_part_imports_nothing_from_home_assistant() -> None:
    for name in PURE:
        tree = ast.parse((PACKAGE / f"{name}.py").read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level:
                imported = (
                    [node.module] if node.module else [a.name for a in node.names]
                )
                for module in imported:
                    assert module in PURE, f"{name} imports .{module}"
            elif isinstance(node, ast.ImportFrom | ast.Import):
                modules = (
                    [node.module or ""]
                    if isinstance(node, ast.ImportFrom)
                    else [alias.name for alias in node.names]
                )
                for module in modules:
                    assert module.split(".")[0] not in {"homeassistant", "voluptuous"}


def test_only_on_and_off_are_readings() -> None:
    assert reading_of("on") is Reading.ON
    assert reading_of("off") is Reading.OFF
    for garbage in (None, "unknown", "unavailable", "ON", "1", "true", "smoke", ""):
        assert reading_of(garbage) is Reading.UNKNOWN


readings = st.sampled_from(list(Reading))
sensors = st.sampled_from(list(KINDS))


@given(st.lists(st.tuples(sensors, readings), max_size=40))
def test_an_unknown_reading_never_changes_an_alarm_and_only_smoke_or_co_raise_one(
    events: list[tuple[str, Reading]],
) -> None:
    memory = Memory()
    last: dict[str, bool] = {}
    for minute, (sensor, reading) in enumerate(events):
        before = memory.active(KINDS)
        memory.observe(sensor, KINDS[sensor], reading, T0 + timedelta(minutes=minute))
        if reading is Reading.UNKNOWN:
            assert memory.active(KINDS) == before
        else:
            last[sensor] = reading is Reading.ON and KINDS[sensor] is not None
        expected = {KINDS[s] for s, on in last.items() if on}
        assert memory.active(KINDS) == expected
    assert Memory.from_dict(memory.to_dict()).active(KINDS) == memory.active(KINDS)


def facts_at(
    minute: float,
    readings: dict[str, Reading],
    climates: dict[str, ClimateFact],
    *,
    home: bool,
    locks: dict[str, str | None] | None = None,
    owner: Owner = Owner.ACTIVE,
) -> Facts:
    return Facts(
        now=T0 + timedelta(minutes=minute),
        sensors={s: SensorFact(KINDS[s], r, s) for s, r in readings.items()},
        someone_home=home,
        locks=locks or {"lock.front": "locked"},
        lights={"light.hall": "off"},
        climates=climates,
        switches={"switch.schedule": "on"},
        owner=owner,
    )


def apply(
    decision: Decision, climates: dict[str, ClimateFact]
) -> dict[str, ClimateFact]:
    """The executor did everything the decision asked (the devices obeyed)."""
    result = dict(climates)
    for goal in decision.hvac:
        fact = result[goal.climate]
        mode = fact.mode
        if not goal.mode_done(fact):
            mode = "off"
        result[goal.climate] = replace(fact, mode=mode, fan=goal.fan or fact.fan)
    return result


modes = st.sampled_from(["heat", "cool", "heat_cool", "auto", "off"])
steps = st.lists(
    st.tuples(
        st.dictionaries(sensors, readings, max_size=3),
        st.booleans(),  # someone home
        st.floats(min_value=0, max_value=10),  # minutes until the next change
    ),
    min_size=1,
    max_size=25,
)


@settings(max_examples=300, deadline=None)
@given(st.tuples(modes, modes), steps)
def test_any_sequence_of_facts_keeps_the_life_safety_rules(
    start: tuple[str, str], sequence: list[tuple[dict[str, Reading], bool, float]]
) -> None:
    """Whatever happens: doors only after someone was home during the alarm, the
    snapshot is what the house was before, heating never comes back after CO, and a
    restore only comes after the clear delay of a smoke-only alarm."""
    memory = Memory()
    climates = {
        c: ClimateFact(mode=m, fan="on", fan_modes=("on", "auto"))
        for c, m in zip(CLIMATES, start, strict=True)
    }
    before = dict(climates)
    minute = 0.0
    readings: dict[str, Reading] = dict.fromkeys(KINDS, Reading.OFF)
    home_during_alarm = False
    clear_at: float | None = None
    for changes, home, wait in sequence:
        readings.update(changes)
        episode_before = memory.episode
        decision = decide(
            CONFIG, memory, facts_at(minute, readings, climates, home=home)
        )
        episode = memory.episode
        if decision.active:
            home_during_alarm |= home
            clear_at = None
        elif episode is not None and clear_at is None:
            clear_at = minute
        if decision.unlock:
            assert home_during_alarm
        if episode is not None:
            for climate, saved in episode.snapshot.items():
                assert saved.mode == before[climate].mode
        if decision.restore is not None:
            assert episode is not None
            assert not episode.co_seen
            assert not decision.active
            assert clear_at is not None
            assert minute - clear_at >= 5
            assert {s.climate: s.mode for s in decision.restore.steps} == {
                c: f.mode for c, f in before.items()
            }
            climates = dict(before)  # the restore ran
            memory.end_episode()
        elif episode_before is not None and episode is None:
            assert clear_at is not None
            assert minute - clear_at >= 5
        climates = apply(decision, climates)
        if episode is None and memory.episode is None:
            before = dict(climates)
            home_during_alarm = False
            clear_at = None
        minute += wait


def test_carbon_monoxide_turns_only_heating_off() -> None:
    memory = Memory()
    climates = {
        "climate.a": ClimateFact(mode="heat", fan="on", fan_modes=("on", "auto")),
        "climate.b": ClimateFact(mode="cool", fan="on", fan_modes=("on", "auto")),
    }
    decision = decide(
        CONFIG, memory, facts_at(0, {CO: Reading.ON}, climates, home=False)
    )
    goals = {goal.climate: goal for goal in decision.hvac}
    assert not goals["climate.a"].done(climates["climate.a"])
    assert goals["climate.a"].fan is None
    assert goals["climate.b"].done(climates["climate.b"])
    assert decision.unlock == ()


def test_standing_down_asks_for_nothing_but_keeps_the_facts() -> None:
    memory = Memory()
    climates = {c: ClimateFact(mode="heat") for c in CLIMATES}
    decision = decide(
        CONFIG,
        memory,
        facts_at(0, {SMOKE: Reading.ON}, climates, home=True, owner=Owner.OFF),
    )
    assert decision.standing_down
    assert (decision.unlock, decision.lights, decision.hvac) == ((), (), ())
    assert decision.notices == []
    assert memory.active([SMOKE]) == {Kind.SMOKE}


def test_a_restore_may_not_run_once_an_alarm_or_co_is_recorded() -> None:
    memory = Memory()
    memory.observe(SMOKE, Kind.SMOKE, Reading.ON, T0)
    memory.observe(SMOKE, Kind.SMOKE, Reading.OFF, T0)
    episode = memory.episode
    assert episode is not None
    assert may_restore(CONFIG, memory, episode)
    memory.observe(CO, Kind.CO, Reading.ON, T0)
    assert not may_restore(CONFIG, memory, episode)
    memory.observe(CO, Kind.CO, Reading.OFF, T0)
    assert not may_restore(CONFIG, memory, episode)  # CO was seen: a person restores


def test_restore_plan_only_holds_what_is_still_configured() -> None:
    memory = Memory()
    climates = {c: ClimateFact(mode="heat", fan="on") for c in CLIMATES}
    decide(CONFIG, memory, facts_at(0, {SMOKE: Reading.ON}, climates, home=True))
    episode = memory.episode
    assert episode is not None
    smaller = replace(CONFIG, climates=("climate.a",), schedule_switches=())
    plan = restore_plan(smaller, episode)
    assert [step.climate for step in plan.steps] == ["climate.a"]
    assert plan.switches == ()


def test_configuration_and_memory_survive_their_stored_form() -> None:
    config = ResponseConfig.from_dict(
        {
            "automation": "automation.fire",
            "alarm_sensors": "binary_sensor.smoke",
            "locks": ["lock.a", "lock.a", " ", "lock.b"],
            "clear_delay": 2.5,
            "notify_data": None,
            "unlock_attempts": "4",
            "unknown_key": 1,
        }
    )
    assert config.alarm_sensors == ("binary_sensor.smoke",)
    assert config.locks == ("lock.a", "lock.b")
    assert config.clear_delay == timedelta(minutes=2.5)
    assert config.unlock_attempts == 4
    assert ResponseConfig.from_dict(config.to_dict()) == config
    memory = Memory()
    climates = {c: ClimateFact(mode="heat", fan="on") for c in CLIMATES}
    decide(CONFIG, memory, facts_at(0, {CO: Reading.ON}, climates, home=True))
    assert Memory.from_dict(memory.to_dict()).to_dict() == memory.to_dict()


def test_the_dry_run_before_configuration_names_the_missing_configuration() -> None:
    result = checkup(None, Probe(), T0)
    assert len(result.problems) == 1
    assert "not configured" in result.problems[0]
    assert "No problems found" not in result.markdown()
