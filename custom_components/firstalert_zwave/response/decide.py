"""The desired state of the house as a function of the current facts (no Home Assistant).

``decide`` is called on every change. It records what it must remember (the alarm, the HVAC
snapshot taken before anything is switched off, who was home, what was said) in ``Memory``
and returns what is not yet as it must be: the executor turns that into actions, and calls
``decide`` again whenever anything changes, so the house converges whatever failed before.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from . import messages
from .config import ResponseConfig
from .facts import HEATING_MODES, ClimateFact, Facts, Kind, Owner, is_known, is_unlocked
from .memory import Episode, Memory, Saved

UNLOCKED = "unlocked"
FAILED = "failed"
# The fan modes venstar_local.emergency_shutoff accepts.
SHUTOFF_FAN_MODES = ("auto", "on")


def unlock_key(lock: str) -> str:
    """Return the attempt-counter key of a door."""
    return f"unlock:{lock}"


@dataclass(frozen=True, slots=True)
class HvacGoal:
    """What one thermostat must be during an alarm.

    Smoke: mode off, and the smoke fan mode when the thermostat has it. Carbon monoxide:
    not heating (cooling is left alone).
    """

    climate: str
    kind: Kind
    fan: str | None
    shutoff_service: bool

    def mode_done(self, fact: ClimateFact) -> bool:
        """Return whether the mode is as the alarm requires (unknown: not done)."""
        if fact.mode is None:
            return False
        if self.kind is Kind.SMOKE:
            return fact.mode == "off"
        return fact.mode not in HEATING_MODES

    def fan_done(self, fact: ClimateFact) -> bool:
        """Return whether the fan is as the alarm requires."""
        return self.fan is None or fact.fan == self.fan

    def done(self, fact: ClimateFact) -> bool:
        """Return whether the thermostat is as the alarm requires."""
        return self.mode_done(fact) and self.fan_done(fact)


@dataclass(frozen=True, slots=True)
class RestoreStep:
    """A thermostat's saved mode and fan, to be set again after smoke."""

    climate: str
    mode: str
    fan: str | None


@dataclass(frozen=True, slots=True)
class RestorePlan:
    """Everything to hand back after a smoke-only alarm (thermostats, then schedules)."""

    steps: tuple[RestoreStep, ...]
    switches: tuple[str, ...]
    # Thermostats switched off before their state could be saved: a person sets them.
    unsaved: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Notice:
    """One notification for every target; a newer notice of a topic replaces the older."""

    topic: str
    title: str
    message: str


@dataclass(slots=True)
class Decision:
    """What the facts require now (the executor acts on what is not yet so)."""

    active: frozenset[Kind] = frozenset()
    unlock: tuple[str, ...] = ()
    lights: tuple[str, ...] = ()
    hvac: tuple[HvacGoal, ...] = ()
    restore: RestorePlan | None = None
    notices: list[Notice] = field(default_factory=list)
    wake_at: datetime | None = None
    # Entities to follow besides the configured ones (lights in the alarm's areas).
    watch: frozenset[str] = frozenset()
    standing_down: bool = False


def decide(config: ResponseConfig, memory: Memory, facts: Facts) -> Decision:
    """Record the facts in ``memory`` and return what must still be done."""
    for entity_id in config.alarm_sensors:
        if (sensor := facts.sensors.get(entity_id)) is not None:
            memory.observe(entity_id, sensor.kind, sensor.reading, facts.now)
    memory.forget_sensors(config.alarm_sensors)
    active = memory.active(config.alarm_sensors)
    decision = Decision(active=frozenset(active))
    if facts.owner is not Owner.ACTIVE:
        decision.standing_down = True
        return decision
    if active and memory.episode is None:
        memory.episode = Episode(started=facts.now, kinds=set(active))
        memory.touch()
    episode = memory.episode
    if episode is None:
        return decision
    _no_future_times(memory, episode, facts.now)
    if active:
        _hold(config, memory, episode, facts, decision, kinds=active, alarm_on=True)
    else:
        _hand_back(config, memory, episode, facts, decision)
    return decision


def _no_future_times(memory: Memory, episode: Episode, now: datetime) -> None:
    """Hold the alarm's times to now (saved before the clock was set back).

    A time in the future would hold the house for as long as the clock went back (the
    clear delay) and make every arrival look older than the alarm. A clock set back while
    the response runs shifts its times instead (``Memory.clock_set_back``).
    """
    if episode.started > now:
        episode.started = now
        memory.touch()
    if episode.clear_since is not None and episode.clear_since > now:
        episode.clear_since = now
        memory.touch()


def hvac_goal(
    config: ResponseConfig, climate: str, fact: ClimateFact, active: Iterable[Kind]
) -> HvacGoal:
    """Return what a thermostat must be during an alarm of the ``active`` kinds."""
    if Kind.SMOKE in set(active):
        fan_modes = fact.fan_modes
        if not fan_modes and fact.shutoff_service:
            fan_modes = (
                SHUTOFF_FAN_MODES  # not shown while unavailable; the device has them
            )
        fan = config.smoke_fan_mode if config.smoke_fan_mode in fan_modes else None
        return HvacGoal(climate, Kind.SMOKE, fan, fact.shutoff_service)
    return HvacGoal(climate, Kind.CO, None, fact.shutoff_service)


def someone_home(
    config: ResponseConfig, episode: Episode, facts: Facts
) -> tuple[bool, datetime | None]:
    """Return whether someone counts as home now, else when a pending arrival will.

    Someone home when the alarm started counts at once; a resident who arrived during
    the alarm counts once they have stayed home for the arrival confirmation, so a phone
    shown at home for a moment (GPS noise) never unlocks the doors.
    """
    if not facts.someone_home:
        return False, None
    arrived = facts.arrived_at
    if arrived is None or arrived < episode.started:
        return True, None
    confirmed_at = arrived + config.arrival_confirmation
    if facts.now >= confirmed_at:
        return True, None
    return False, confirmed_at


def wanted_lights(
    config: ResponseConfig, memory: Memory, facts: Facts
) -> tuple[str, ...]:
    """Return the escape lights plus the lights in the area of each sensor in alarm."""
    lights = dict.fromkeys(config.escape_lights)
    if config.area_lights:
        for kind in (Kind.SMOKE, Kind.CO):
            for sensor in memory.active_sensors(config.alarm_sensors, kind):
                lights.update(dict.fromkeys(facts.area_lights.get(sensor, ())))
    return tuple(lights)


def sensor_labels(
    config: ResponseConfig, memory: Memory, facts: Facts, kind: Kind
) -> list[str]:
    """Return where the alarm of ``kind`` is, one label per sensor reporting it."""
    return [
        facts.sensors[entity_id].label
        for entity_id in memory.active_sensors(config.alarm_sensors, kind)
        if entity_id in facts.sensors
    ]


def _hold(
    config: ResponseConfig,
    memory: Memory,
    episode: Episode,
    facts: Facts,
    decision: Decision,
    *,
    kinds: set[Kind],
    alarm_on: bool,
) -> None:
    """Hold the house as an alarm of ``kinds`` requires.

    Also during the clear delay (``alarm_on`` False): a detector that flaps neither
    restarts every action nor lets a person's change stick before the house is handed
    back; only an alarm that is on announces itself and counts who is home.
    """
    if alarm_on:
        if episode.clear_since is not None or not kinds <= episode.kinds:
            episode.clear_since = None
            episode.kinds |= kinds
            memory.touch()
        home, confirmed_at = someone_home(config, episode, facts)
        if confirmed_at is not None:
            decision.wake_at = confirmed_at
        if home and not episode.home_seen:
            episode.home_seen = True
            memory.touch()
            if episode.notified and config.locks:
                decision.notices.append(
                    Notice(
                        "arrival",
                        messages.doors_title(kinds),
                        messages.arrival_message(),
                    )
                )

    # The snapshot is taken before anything is switched off, from a known state only.
    for switch in config.schedule_switches:
        state = facts.switches.get(switch)
        if switch not in episode.switches and is_known(state) and state is not None:
            episode.switches[switch] = state
            memory.touch()
    goals = []
    for climate in config.climates:
        fact = facts.climates.get(climate) or ClimateFact(mode=None)
        if fact.mode is None:
            if not fact.shutoff_service:
                continue  # unknown now: saved, then switched off once it is known
            # The shutoff reaches a thermostat whose entity shows unavailable; what it
            # was before the alarm is not known, so it will not be restored.
            if climate not in episode.snapshot and climate not in episode.unsaved:
                episode.unsaved.add(climate)
                memory.touch()
        elif climate not in episode.snapshot and climate not in episode.unsaved:
            episode.snapshot[climate] = Saved(fact.mode, fact.fan)
            memory.touch()
        goals.append(hvac_goal(config, climate, fact, kinds))
    decision.hvac = tuple(goals)

    decision.lights = wanted_lights(config, memory, facts)
    decision.watch = frozenset(
        light for lights_of in facts.area_lights.values() for light in lights_of
    )

    if episode.home_seen:
        decision.unlock = config.locks

    for kind in sorted(kinds - episode.notified if alarm_on else (), reverse=True):
        decision.notices.append(
            Notice(
                f"alarm_{kind}",
                messages.TITLES[kind],
                messages.alarm_message(
                    kind,
                    sensor_labels(config, memory, facts, kind),
                    hvac=bool(config.climates),
                    fan_mode=config.smoke_fan_mode,
                    locks=bool(config.locks),
                    someone_home=episode.home_seen,
                ),
            )
        )
        episode.notified.add(kind)
        memory.touch()

    if episode.home_seen and config.locks:
        _report_doors(config, memory, episode, facts, decision)


def _report_doors(
    config: ResponseConfig,
    memory: Memory,
    episode: Episode,
    facts: Facts,
    decision: Decision,
) -> None:
    """Report the doors once each has a verdict, and again whenever a verdict changes."""
    verdicts: dict[str, str] = {}
    for lock in config.locks:
        if is_unlocked(facts.locks.get(lock)):
            verdicts[lock] = UNLOCKED
        elif episode.attempts.get(unlock_key(lock), 0) >= config.unlock_attempts:
            verdicts[lock] = FAILED
        else:
            return  # still trying within the first attempts
    if verdicts == episode.doors_reported:
        return
    episode.doors_reported = verdicts
    memory.touch()
    decision.notices.append(
        Notice(
            "doors",
            messages.doors_title(episode.kinds),
            messages.doors_message(
                [facts.name(lock) for lock, v in verdicts.items() if v == UNLOCKED],
                [facts.name(lock) for lock, v in verdicts.items() if v == FAILED],
            ),
        )
    )


def _hand_back(
    config: ResponseConfig,
    memory: Memory,
    episode: Episode,
    facts: Facts,
    decision: Decision,
) -> None:
    if episode.clear_since is None:
        episode.clear_since = facts.now
        memory.touch()
    due = episode.clear_since + config.clear_delay
    if facts.now < due:
        decision.wake_at = due
        _hold(
            config,
            memory,
            episode,
            facts,
            decision,
            kinds=episode.kinds,
            alarm_on=False,
        )
        return
    announced = bool(episode.notified)
    if episode.co_seen:
        if announced:
            decision.notices.append(
                Notice(
                    "cleared", "Carbon monoxide cleared", messages.co_cleared_message()
                )
            )
        memory.end_episode()
        return
    plan = restore_plan(config, episode)
    if not config.restore_after_smoke or not (
        plan.steps or plan.switches or plan.unsaved
    ):
        if announced:
            decision.notices.append(
                Notice(
                    "cleared",
                    "Smoke cleared",
                    messages.smoke_cleared_message(
                        [], [], restore=config.restore_after_smoke
                    ),
                )
            )
        memory.end_episode()
        return
    decision.restore = plan


def restore_plan(config: ResponseConfig, episode: Episode) -> RestorePlan:
    """Return the saved state of the thermostats and schedules still configured."""
    return RestorePlan(
        steps=tuple(
            RestoreStep(climate, saved.mode, saved.fan)
            for climate, saved in episode.snapshot.items()
            if climate in config.climates
        ),
        switches=tuple(
            switch
            for switch, state in episode.switches.items()
            if state == "on" and switch in config.schedule_switches
        ),
        unsaved=tuple(
            climate for climate in sorted(episode.unsaved) if climate in config.climates
        ),
    )


def may_restore(config: ResponseConfig, memory: Memory, episode: Episode) -> bool:
    """Return whether a restore step may run now (checked right before every step)."""
    return (
        memory.episode is episode
        and not episode.co_seen
        and not memory.active(config.alarm_sensors)
    )


def restore_notice(restored: Iterable[str], failed: Iterable[str]) -> Notice:
    """Return the notification sent when the restore after smoke is over."""
    return Notice(
        "cleared",
        "Smoke cleared",
        messages.smoke_cleared_message(list(restored), list(failed), restore=True),
    )
