"""The safety checkup: what the response would do for smoke and for CO now (no HA).

Nothing is switched. Each target the response would use is checked against what Home
Assistant shows now: it exists, it is available and it supports what would be asked of it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .config import ResponseConfig
from .facts import HEATING_MODES, ClimateFact, Kind, Owner, SensorFact
from .messages import KIND_WORDS

NOT_CONFIGURED = (
    "The alarm response is not configured: create an automation from the "
    "Smoke / CO alarm response blueprint."
)


@dataclass(frozen=True, slots=True)
class Probe:
    """What Home Assistant shows now, for every target the response would use."""

    sensors: Mapping[str, SensorFact] = field(default_factory=dict)
    # Lights in the areas of each alarm sensor (whatever its state).
    area_lights: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    states: Mapping[str, str | None] = field(default_factory=dict)
    climates: Mapping[str, ClimateFact] = field(default_factory=dict)
    names: Mapping[str, str] = field(default_factory=dict)
    # Registered actions among those the response would call ("notify.family").
    services: frozenset[str] = frozenset()
    someone_home: bool = False
    owner: Owner = Owner.ACTIVE

    def name(self, entity_id: str) -> str:
        """Return the friendly name (the id when unknown)."""
        return self.names.get(entity_id, entity_id)


@dataclass(frozen=True, slots=True)
class Step:
    """One thing the response would do to one target, and what stands in the way."""

    target: str
    name: str
    action: str
    problem: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        return {
            "target": self.target,
            "name": self.name,
            "action": self.action,
            "problem": self.problem,
        }


@dataclass(frozen=True, slots=True)
class DryRun:
    """The response to one kind of alarm, now."""

    kind: Kind
    sensors: tuple[Step, ...]
    doors_note: str
    doors: tuple[Step, ...]
    lights: tuple[Step, ...]
    thermostats: tuple[Step, ...]
    notify: tuple[Step, ...]
    # Lights that only an alarm will tell (the area of the detector in alarm).
    lights_note: str | None = None

    def steps(self) -> tuple[Step, ...]:
        """Return every step."""
        return (
            *self.sensors,
            *self.doors,
            *self.lights,
            *self.thermostats,
            *self.notify,
        )

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        return {
            "kind": self.kind.value,
            "sensors": [step.to_dict() for step in self.sensors],
            "doors_note": self.doors_note,
            "doors": [step.to_dict() for step in self.doors],
            "lights": [step.to_dict() for step in self.lights],
            "lights_note": self.lights_note,
            "thermostats": [step.to_dict() for step in self.thermostats],
            "notify": [step.to_dict() for step in self.notify],
        }


@dataclass(frozen=True, slots=True)
class Checkup:
    """The result of one safety checkup."""

    at: datetime
    configured_by: str | None
    general: tuple[str, ...]
    runs: tuple[DryRun, ...]

    @property
    def problems(self) -> tuple[str, ...]:
        """Return every problem found, once each."""
        found = dict.fromkeys(self.general)
        for run in self.runs:
            for step in run.steps():
                if step.problem:
                    found.setdefault(f"{who(step.name, step.target)} {step.problem}")
        return tuple(found)

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form (the action's response and the diagnostics)."""
        return {
            "at": self.at.isoformat(),
            "configured_by": self.configured_by,
            "problems": list(self.problems),
            "runs": [run.to_dict() for run in self.runs],
        }

    def markdown(self) -> str:
        """Return the text of the persistent notification."""
        lines = []
        for run in self.runs:
            lines.append(f"**{KIND_WORDS[run.kind].capitalize()} alarm now**")
            lines.append(f"- Doors: {run.doors_note}")
            if run.lights_note:
                lines.append(f"- Lights: {run.lights_note}")
            for title, steps in (
                ("Sensors", run.sensors),
                ("Doors", run.doors),
                ("Lights", run.lights),
                ("Thermostats", run.thermostats),
                ("Notifications", run.notify),
            ):
                if steps:
                    lines.append(
                        f"- {title}: " + "; ".join(_step_text(s) for s in steps)
                    )
            lines.append("")
        problems = self.problems
        if problems:
            lines.append(f"**{len(problems)} problem(s)**")
            lines.extend(f"- {problem}" for problem in problems)
        else:
            lines.append("**No problems found.**")
        lines.append("")
        lines.append("Nothing was switched: this was a dry run.")
        return "\n".join(lines)


def who(name: str, entity_id: str) -> str:
    """Return "Back door (lock.back_door)", or the id alone when it is the name."""
    return entity_id if name == entity_id else f"{name} ({entity_id})"


def _step_text(step: Step) -> str:
    text = f"{step.name}: {step.action}"
    return f"{text} — {step.problem}" if step.problem else text


def availability(state: str | None) -> str | None:
    """Return why an entity could not be used now (None: it can)."""
    if state is None:
        return "does not exist"
    if state == "unavailable":
        return "is unavailable"
    return None


def _lock_problem(state: str | None) -> str | None:
    if (problem := availability(state)) is not None:
        return problem
    if state == "unknown":
        return "reports no state, so an unlock cannot be confirmed"
    if state == "jammed":
        return "is jammed"
    return None


def _thermostat(config: ResponseConfig, kind: Kind, climate: str, probe: Probe) -> Step:
    name = probe.name(climate)
    state = probe.states.get(climate)
    fact = probe.climates.get(climate, ClimateFact(mode=None))
    if (problem := availability(state)) is not None:
        return Step(climate, name, "would be switched off", problem)
    if kind is Kind.CO and fact.mode not in HEATING_MODES:
        return Step(climate, name, f"left alone ({fact.mode}: not heating)")
    fan = kind is Kind.SMOKE and config.smoke_fan_mode in fact.fan_modes
    if fact.shutoff_service:
        how = "venstar_local.emergency_shutoff"
    else:
        how = "climate.set_hvac_mode" + (", climate.set_fan_mode" if fan else "")
    action = "off" if kind is Kind.SMOKE else "heating off"
    if fan:
        action += f", fan {config.smoke_fan_mode}"
    problem = None
    if fact.hvac_modes and "off" not in fact.hvac_modes:
        problem = "has no off mode"
    elif kind is Kind.SMOKE and fact.fan_modes and not fan:
        problem = f"has no fan mode {config.smoke_fan_mode!r} (it has {', '.join(fact.fan_modes)})"
    return Step(climate, name, f"{action} ({how})", problem)


def dry_run(config: ResponseConfig, kind: Kind, probe: Probe) -> DryRun:
    """Return what the response would do for an alarm of ``kind`` now."""
    word = KIND_WORDS[kind]
    sensors = []
    for entity_id, sensor in probe.sensors.items():
        if sensor.kind is kind:
            state = probe.states.get(entity_id)
            problem = availability(state)
            if problem:
                problem += ": its last known state is kept until it reports again"
            sensors.append(
                Step(entity_id, sensor.label, f"raises a {word} alarm", problem)
            )
    if probe.someone_home:
        doors_note = "someone is home: these doors would be unlocked."
    else:
        doors_note = (
            "nobody is home now: the doors would stay locked until someone is home."
        )
    doors = tuple(
        Step(
            lock,
            probe.name(lock),
            "unlock" if probe.someone_home else "unlock once someone is home",
            _lock_problem(probe.states.get(lock)),
        )
        for lock in config.locks
    )
    lights = dict.fromkeys(config.escape_lights)
    lights_note = None
    if config.area_lights:
        for entity_id, sensor in probe.sensors.items():
            if sensor.kind is kind:
                found = probe.area_lights.get(entity_id, ())
                lights.update(dict.fromkeys(found))
                if not found:
                    lights_note = (
                        "also every light in the area of the detector in alarm "
                        "(known once it reports)."
                    )
    light_steps = tuple(
        Step(
            light,
            probe.name(light),
            "turn on, full brightness",
            availability(probe.states.get(light)),
        )
        for light in lights
    )
    thermostats = tuple(
        _thermostat(config, kind, climate, probe) for climate in config.climates
    )
    notify = [
        Step(
            target,
            target,
            "send the alarm notification",
            None if target in probe.services else "is not an existing action or entity",
        )
        for target in config.notify_actions
    ]
    if config.persistent_notification:
        notify.append(
            Step("persistent_notification", "Home Assistant", "show a notification")
        )
    return DryRun(
        kind=kind,
        sensors=tuple(sensors),
        doors_note=doors_note,
        doors=doors,
        lights=light_steps,
        thermostats=thermostats,
        notify=tuple(notify),
        lights_note=lights_note,
    )


def general_problems(config: ResponseConfig, probe: Probe) -> list[str]:
    """Return the problems that are not about one step of one alarm."""
    problems = []
    automation = config.automation
    if probe.owner is Owner.OFF:
        problems.append(f"{automation} is off: the response stands down.")
    elif probe.owner is Owner.MISSING:
        problems.append(f"{automation} does not exist: the response stands down.")
    if not config.alarm_sensors:
        problems.append("No smoke or carbon monoxide sensor is chosen.")
    for entity_id, sensor in probe.sensors.items():
        if sensor.kind is None:
            if probe.states.get(entity_id) is None:
                problems.append(f"{entity_id} does not exist.")
            else:
                problems.append(
                    f"{who(probe.name(entity_id), entity_id)} is not a smoke or "
                    "carbon monoxide sensor: it never raises an alarm."
                )
    if probe.states.get(config.presence_zone) is None and (
        config.people or not config.occupancy_entities
    ):
        problems.append(
            f"{config.presence_zone} does not exist: nobody counts as home."
        )
    problems.extend(
        f"{entity_id} does not exist: it never counts as home."
        for entity_id in (*config.people, *config.occupancy_entities)
        if probe.states.get(entity_id) is None
    )
    problems.extend(
        f"{switch} does not exist: no schedule to turn back on."
        for switch in config.schedule_switches
        if probe.states.get(switch) is None
    )
    return problems


def checkup(config: ResponseConfig | None, probe: Probe, now: datetime) -> Checkup:
    """Return the dry runs for smoke and CO and every problem found."""
    if config is None:
        return Checkup(at=now, configured_by=None, general=(NOT_CONFIGURED,), runs=())
    return Checkup(
        at=now,
        configured_by=config.automation,
        general=tuple(general_problems(config, probe)),
        runs=(dry_run(config, Kind.SMOKE, probe), dry_run(config, Kind.CO, probe)),
    )
