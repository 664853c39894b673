"""The life-safety rules as invariants, over random interleavings on the real house.

A seeded random walk drives the whole stack (First Alert detectors on HA's real zwave_js,
the household model, the response controller, real lock/light/climate/notify entities):
real smoke and CO, tests, CO self-tests, silences, end of life, unreadable values, legacy
frames, people coming and going (GPS noise included), guest mode, jammed locks, failing
thermostats and lights, a flaky phone, people touching doors, lights and thermostats,
restarts, reloads and time passing. An independent oracle follows the same inputs and,
after every step, checks what must always hold:

* the household alarm is on only if a detector may really report that alarm, and on
  whenever one certainly does (tests, silences, end of life and garbage never raise one,
  nothing clears one);
* a door is unlocked by the response only during an alarm, once someone was home for it
  (home when it started, or home for the arrival confirmation, or guest mode on); the
  response never locks a door or switches a light off;
* the response switches a thermostat off or a light on only during an alarm, and sets a
  thermostat back (or a schedule on) only after a smoke-only alarm has been clear for the
  clear delay: never after CO;
* each alarm kind is announced at most once per alarm to each phone.

Every few steps the faults are cleared and time passes; then the house must have
converged: thermostats off (smoke) or not heating (CO), escape lights on, doors unlocked
when someone was home, each alarm announced once to a working phone, and a smoke-only
alarm's thermostats set back as they were.

On a violation the test prints the seed and the steps that led to it.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import Enum
from pathlib import Path
import random
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.climate import HVACMode
from homeassistant.const import EVENT_CALL_SERVICE, EVENT_HOMEASSISTANT_STARTED
from homeassistant.core import Context, CoreState, Event, HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.util import dt as dt_util
import pytest

from custom_components.firstalert_zwave.model import Kind
from tests.firstalert_zwave.harness import HOME_ID, SMOKE_SENSOR

from .entities import Scripted
from .house import (
    ALICE,
    BACK,
    BEDROOM,
    BOB,
    FRONT,
    GUEST,
    HALLWAY,
    HOUSEHOLD_CO,
    HOUSEHOLD_SMOKE,
    KITCHEN,
    LIVING,
    PHONES,
    STAIRS,
    UPSTAIRS,
    House,
    advance,
    async_respond,
    default_inputs,
    settle,
)
from .test_restart import reload, restart

CLEAR_DELAY = timedelta(minutes=5)
ARRIVAL_CONFIRMATION = timedelta(seconds=30)
HEATING = {"heat", "heat_cool", "auto"}
CLIMATES = (LIVING, UPSTAIRS)
PEOPLE = (ALICE, BOB)
CAROL = "notify.carol_phone"
TARGETS = (*PHONES, CAROL)
# The test's own actions (a person at the house) carry this context; the response's not.
PERSON = Context()
DETECTOR_KEYS = {
    KITCHEN: f"{HOME_ID}-{KITCHEN}-312:1:3",
    BEDROOM: f"{HOME_ID}-{BEDROOM}-312:1:2",
}
# A test not reported for this long ends by itself (the household model's rule).
TEST_TIMEOUT = timedelta(minutes=10)
GARBAGE: tuple[Any, ...] = (None, "smoke", True, 256, -1, 2.0, [2])
PHASES = 5
ALARM_STEPS = 14
CALM_STEPS = 12


class Kept(Enum):
    """Whether the household model keeps an alarm that zwave-js shows idle."""

    YES = "yes"  # the idle cannot be a clear (a test's end, a re-interview)
    MAYBE = "maybe"  # it depends on whether a test ran out of time meanwhile
    NO = "no"  # a clear


@dataclass
class Detector:
    """What the oracle knows of one detector's smoke or CO.

    ``definite``: it certainly reports the alarm now. ``possible``: it may (a clear that
    came while a test might run, or a re-interview, leaves the alarm possibly kept).
    """

    definite: bool = False
    possible: bool = False
    # What zwave-js holds, and the last readable value of it (what the model knows).
    raw: Any = 0
    known: int = 0

    def report(self) -> None:
        self.definite = self.possible = True
        self.raw = self.known = 2

    def confirm(self) -> None:
        """A person confirms that a kept alarm is over (one still reported stays)."""
        if self.known == 0:
            self.definite = self.possible = False

    def clear(
        self, kept: Kept, parameter: int | None = None, *, frame: bool = False
    ) -> None:
        """zwave-js shows the alarm idle; the model keeps it, may keep it, or ends it.

        A legacy ``frame`` is read by the model itself (its V1 pair), whatever zwave-js
        shows; a notification report idles only a state zwave-js holds.
        """
        raw = self.raw
        if not frame and (not isinstance(raw, int) or raw == 0):
            return
        if not frame and parameter is not None and raw != parameter:
            return
        self.raw = self.known = 0
        if kept is not Kept.YES:
            self.definite = False
        if kept is Kept.NO:
            self.possible = False


type Operation = Callable[[], Coroutine[Any, Any, None]]


@dataclass
class Episode:
    """One alarm as the oracle sees it: from the first alarm until clear for the delay."""

    started: datetime
    kinds: set[str] = field(default_factory=set)
    clear_since: datetime | None = None
    home_confirmed_at: datetime | None = None
    # Thermostat modes and fans before the alarm (what a restore must bring back).
    before: dict[str, tuple[str, str]] = field(default_factory=dict)
    announced: dict[tuple[str, str], int] = field(default_factory=dict)


@dataclass
class Call:
    """A service call made by the response."""

    at: datetime
    domain: str
    service: str
    data: dict[str, Any]


class Walk:
    """The random walk, its oracle and its checks."""

    def __init__(
        self,
        hass: HomeAssistant,
        house: House,
        freezer: FrozenDateTimeFactory,
        seed: int,
    ) -> None:
        self.hass = hass
        self.house = house
        self.freezer = freezer
        self.rng = random.Random(seed)
        self.seed = seed
        self.trace: list[str] = []
        self.calls: list[Call] = []
        self.smoke = {KITCHEN: Detector(), BEDROOM: Detector()}
        self.co = {KITCHEN: Detector(), BEDROOM: Detector()}
        # When the kitchen's running smoke test and CO test were last reported (None: no
        # test runs). A test not reported for 10 minutes ends.
        self.smoke_test: datetime | None = None
        self.co_test: datetime | None = None
        self.home_since: dict[str, datetime | None] = {
            ALICE: dt_util.utcnow() - timedelta(days=1),
            BOB: None,
        }
        self.alice_leaves_first = self.rng.random() < 0.5
        self.guest = False
        self.episode: Episode | None = None
        self.ended: Episode | None = None
        self.alarm_kinds: set[str] = set()
        self.carol: Scripted = house.phone("carol_phone")
        self.read: dict[str, int] = {}
        self.episodes = 0
        self.modes_before = {c: house.thermostat(c) for c in CLIMATES}
        hass.bus.async_listen(EVENT_CALL_SERVICE, self._called)

    # -- recording ------------------------------------------------------------------------
    def _called(self, event: Event[Any]) -> None:
        if event.context is PERSON:
            return
        data = event.data
        if data["domain"] in ("lock", "light", "climate", "switch", "notify"):
            self.calls.append(
                Call(
                    dt_util.utcnow(),
                    data["domain"],
                    data["service"],
                    dict(data.get("service_data") or {}),
                )
            )

    def fail(self, message: str) -> None:
        steps = "\n".join(self.trace[-40:])
        pytest.fail(f"seed {self.seed}: {message}\nlast steps:\n{steps}")

    # -- operations -----------------------------------------------------------------------
    def operations(self) -> list[tuple[int, Operation]]:
        return [
            (6, self.kitchen_smoke),
            (4, self.kitchen_co),
            (3, self.kitchen_test),
            (2, self.kitchen_silence_or_end_of_life),
            (2, self.kitchen_garbage),
            (6, self.bedroom_frame),
            (2, self.test_during_an_alarm),
            (1, self.reinterview),
            (3, self.all_clear),
            (2, self.confirm),
            (6, self.presence),
            (3, self.gps_noise),
            (2, self.guest_mode),
            (3, self.fault),
            (3, self.person_touches),
            (8, self.wait),
            (3, self.long_wait),
            (2, self.again),
            (1, self.slow_start),
        ]

    async def kitchen_smoke(self) -> None:
        on = self.rng.random() < 0.6
        if on:
            self.house.network.notification_report(KITCHEN, 1, 2)
            self.smoke[KITCHEN].report()
        else:
            parameter = self.rng.choice([None, 2])
            self.house.network.notification_report(KITCHEN, 1, 0, parameter)
            self.smoke[KITCHEN].clear(self.kept(self.smoke_test), parameter)
            if parameter is None:
                self.smoke_test = None  # the idle ends the test too
        self.trace.append(f"kitchen smoke {'on' if on else 'off'}")

    async def kitchen_co(self) -> None:
        on = self.rng.random() < 0.6
        if on:
            self.house.network.notification_report(KITCHEN, 2, 2)
            self.co[KITCHEN].report()
        else:
            parameter = self.rng.choice([None, 2])
            self.house.network.notification_report(KITCHEN, 2, 0, parameter)
            self.co[KITCHEN].clear(self.kept(self.co_test), parameter)
        self.trace.append(f"kitchen co {'on' if on else 'off'}")

    async def kitchen_test(self) -> None:
        choice = self.rng.choice(["smoke test", "co test", "test end"])
        if choice == "smoke test":
            self.house.network.notification_report(KITCHEN, 1, 3)
            self.smoke_test = dt_util.utcnow()
        elif choice == "co test":
            self.house.network.notification_report(KITCHEN, 2, 3, 1)
            self.co_test = dt_util.utcnow()  # never idled: it runs out of time
        else:
            self.house.network.notification_report(KITCHEN, 1, 0, 3)
            self.smoke_test = None
        self.trace.append(f"kitchen {choice}")

    async def kitchen_silence_or_end_of_life(self) -> None:
        choice = self.rng.choice(["smoke silenced", "co silenced", "end of life"])
        event = {"smoke silenced": (1, 6), "co silenced": (2, 6), "end of life": (2, 5)}
        self.house.network.notification_report(KITCHEN, *event[choice])
        if choice == "smoke silenced":
            self.smoke_test = None  # the same variable: no test any more
        self.trace.append(f"kitchen {choice}")

    async def kitchen_garbage(self) -> None:
        value = self.rng.choice(GARBAGE)
        self.house.network.update(KITCHEN, SMOKE_SENSOR, value)
        self.smoke[KITCHEN].raw = value
        self.trace.append(f"kitchen smoke sensor status {value!r}")

    async def bedroom_frame(self) -> None:
        frame = self.rng.choice(
            [(1, 255), (1, 0), (2, 255), (2, 0), (12, 255), (12, 0), (13, 255)]
        )
        smoke, co = self.smoke[BEDROOM], self.co[BEDROOM]
        if frame == (1, 255):
            smoke.report()
        elif frame in ((1, 0), (13, 255)):
            smoke.clear(Kept.NO, frame=True)  # a clear frame clears, even in a test
        elif frame == (2, 255):
            co.report()
        elif frame == (2, 0):
            co.clear(Kept.NO, frame=True)
        elif frame == (12, 0):  # zwave-js idles the smoke with the test: it is kept
            smoke.clear(Kept.YES, frame=True)
        self.house.network.legacy_alarm(BEDROOM, *frame)
        self.trace.append(f"bedroom frame {frame}")

    async def test_during_an_alarm(self) -> None:
        """A test button pressed during a real alarm, and released."""
        network = self.house.network
        if self.rng.random() < 0.5:
            self.trace.append("bedroom: smoke, test, test end")
            self.smoke[BEDROOM].report()
            network.legacy_alarm(BEDROOM, 1, 255)
            network.legacy_alarm(BEDROOM, 12, 255)
            network.legacy_alarm(BEDROOM, 12, 0)  # idles the smoke too: kept
            self.smoke[BEDROOM].clear(Kept.YES, frame=True)
        else:
            self.trace.append("kitchen: smoke, test, idle")
            network.notification_report(KITCHEN, 1, 2)
            self.smoke[KITCHEN].report()
            network.notification_report(KITCHEN, 1, 3)
            network.notification_report(KITCHEN, 1, 0)  # idles every smoke state
            self.smoke[KITCHEN].clear(Kept.YES)
            self.smoke_test = None

    async def reinterview(self) -> None:
        node = self.rng.choice([KITCHEN, BEDROOM])
        self.house.network.reinterview(node)
        for detector in (self.smoke[node], self.co[node]):
            detector.clear(Kept.YES, frame=True)  # every value pre-set idle: kept
        if node == KITCHEN:
            self.smoke_test = None
        self.trace.append(f"re-interview node {node}")

    async def presence(self) -> None:
        person = self.rng.choice(PEOPLE)
        where = self.rng.choice(["home", "not_home", "not_home", "unknown"])
        await self.house.move(person, where)
        if where == "home":
            if self.home_since[person] is None:
                self.home_since[person] = dt_util.utcnow()
        else:
            self.home_since[person] = None
        self.trace.append(f"{person} {where}")

    async def guest_mode(self) -> None:
        on = self.rng.random() < 0.4
        await self.hass.services.async_call(
            "input_boolean",
            "turn_on" if on else "turn_off",
            {"entity_id": GUEST},
            blocking=True,
            context=PERSON,
        )
        self.guest = on
        self.trace.append(f"guest mode {'on' if on else 'off'}")

    async def fault(self) -> None:
        house = self.house
        choice = self.rng.choice(["jam", "free", "thermostat", "light", "phone"])
        if choice == "jam":
            house.back.jam()
        elif choice == "free":
            house.back.free()
        elif choice == "thermostat" and self.alarm_on():
            climate = self.rng.choice([house.living, house.upstairs])
            climate.fail_mode = RuntimeError("thermostat crashed")
        elif choice == "light" and self.alarm_on():
            house.stairs.fail = TimeoutError()
        elif choice == "phone":
            self.carol.fail = self.rng.choice([None, HomeAssistantError("offline")])
        self.trace.append(f"fault {choice}")

    async def person_touches(self) -> None:
        house = self.house
        choice = self.rng.choice(["heat", "cool", "lock", "light off"])
        if choice in ("heat", "cool"):
            thermostat = self.rng.choice([house.living, house.upstairs])
            thermostat.set_by_hand(HVACMode(choice))
            if self.episode is None:
                self.ended = None  # the house is the person's again
        elif choice == "lock":
            await self.hass.services.async_call(
                "input_boolean",
                "turn_on",
                {"entity_id": "input_boolean.front_door_locked"},
                blocking=True,
                context=PERSON,
            )
        else:
            await self.hass.services.async_call(
                "light",
                "turn_off",
                {"entity_id": HALLWAY},
                blocking=True,
                context=PERSON,
            )
        await settle(self.hass)
        self.trace.append(f"a person: {choice}")

    async def wait(self) -> None:
        seconds = self.rng.choice([1, 3, 10, 29, 31, 60])
        await self.advance(seconds, step=1 if seconds < 30 else 3)

    async def long_wait(self) -> None:
        await self.advance(CLEAR_DELAY.total_seconds() + 40, step=10)

    async def gps_noise(self) -> None:
        """A phone shows its owner at home for a few seconds."""
        person = self.rng.choice(PEOPLE)
        if self.home_since[person] is not None:
            return
        self.trace.append(f"{person} home for a moment")
        await self.house.move(person, "home")
        self.home_since[person] = dt_util.utcnow()
        await self.advance(self.rng.choice([2, 10, 25]), step=1)
        await self.house.move(person, "not_home")
        self.home_since[person] = None

    async def slow_start(self) -> None:
        """Home Assistant restarts, and Z-Wave JS takes longer than the clear delay."""
        hass, house = self.hass, self.house
        assert house.entry is not None
        self.trace.append("restart, Z-Wave JS slow to start")
        zwave = hass.config_entries.async_entries("zwave_js")[0]
        assert await hass.config_entries.async_unload(house.entry.entry_id)
        assert await hass.config_entries.async_unload(zwave.entry_id)
        await settle(hass)
        hass.set_state(CoreState.starting)
        assert await hass.config_entries.async_setup(house.entry.entry_id)
        await settle(hass)
        self.confirm_home(dt_util.utcnow(), restarted=True)
        await self.advance(CLEAR_DELAY.total_seconds() + 60, step=10)
        self.observe()
        self.check_calls()
        assert await hass.config_entries.async_setup(zwave.entry_id)
        await settle(hass)
        hass.set_state(CoreState.running)
        hass.bus.async_fire(EVENT_HOMEASSISTANT_STARTED)
        await settle(hass)

    async def again(self) -> None:
        how = self.rng.choice([restart, reload])
        self.trace.append(how.__name__)
        await how(self.hass, self.house)
        # Residents home now count at once: they were home before Home Assistant ran.
        self.confirm_home(dt_util.utcnow(), restarted=True)

    async def advance(self, seconds: float, *, step: float) -> None:
        self.trace.append(f"wait {seconds:g} s")
        start = dt_util.utcnow()
        await advance(self.hass, self.freezer, seconds, step=step)
        self.confirm_home(start, until=dt_util.utcnow())

    async def confirm(self) -> None:
        """A person confirms in the repair issue that every kept alarm is over."""
        assert self.house.entry is not None
        household = self.house.entry.runtime_data.household
        for node, key in DETECTOR_KEYS.items():
            for kind, detectors in ((Kind.SMOKE, self.smoke), (Kind.CO, self.co)):
                household.async_confirm_clear(key, kind)
                detectors[node].confirm()
        self.trace.append("a person confirms kept alarms")

    async def all_clear(self) -> None:
        """Every detector reports that its alarms are over."""
        network = self.house.network
        network.notification_report(KITCHEN, 1, 0)
        self.smoke[KITCHEN].clear(self.kept(self.smoke_test))
        self.smoke_test = None
        network.notification_report(KITCHEN, 2, 0)
        self.co[KITCHEN].clear(self.kept(self.co_test))
        network.legacy_alarm(BEDROOM, 1, 0)
        self.smoke[BEDROOM].clear(Kept.NO, frame=True)
        network.legacy_alarm(BEDROOM, 2, 0)
        self.co[BEDROOM].clear(Kept.NO, frame=True)
        self.trace.append("all clear")

    # -- oracle -----------------------------------------------------------------------------
    def kept(self, test_at: datetime | None) -> Kept:
        """Whether an idle of a non-legacy detector's alarm is kept (a test runs)."""
        if test_at is None:
            return Kept.NO
        running = dt_util.utcnow() - test_at
        if running < TEST_TIMEOUT - timedelta(seconds=5):
            return Kept.YES
        if running > TEST_TIMEOUT + timedelta(seconds=5):
            return Kept.NO
        return Kept.MAYBE

    def alarm_on(self) -> bool:
        return bool(self.alarm_kinds)

    def observe(self) -> None:
        """Follow the household alarm and the alarm episode after a step."""
        house, now = self.house, dt_util.utcnow()
        kinds = set()
        for kind, sensor, detectors in (
            ("smoke", HOUSEHOLD_SMOKE, self.smoke),
            ("co", HOUSEHOLD_CO, self.co),
        ):
            state = house.is_(sensor)
            if state not in ("on", "off"):  # not read yet (starting): last known state
                kinds |= {kind} & self.alarm_kinds
                continue
            on = state == "on"
            if on and not any(d.possible for d in detectors.values()):
                self.fail(f"household {kind} is on, but no detector may report it")
            if not on and any(d.definite for d in detectors.values()):
                self.fail(f"a detector reports {kind}, but the household shows none")
            if on:
                kinds.add(kind)
        self.alarm_kinds = kinds
        episode = self.episode
        if self.alarm_kinds:
            if episode is None:
                episode = self.episode = Episode(started=now)
                episode.before = dict(self.modes_before)
                self.ended = None
            episode.kinds |= self.alarm_kinds
            episode.clear_since = None
            self.confirm_home(now)
        elif episode is not None and episode.clear_since is None:
            episode.clear_since = now
            self.clear_faults()  # thermostat and light faults only during alarms
        self.count_announcements()

    def confirm_home(
        self, start: datetime, until: datetime | None = None, *, restarted: bool = False
    ) -> None:
        """Record when someone came to count as home during the alarm (if they did)."""
        episode, until = self.episode, until or start
        if episode is None or not self.alarm_kinds or episode.home_confirmed_at:
            return
        candidates = []
        if self.guest:
            candidates.append(start)
        for since in self.home_since.values():
            if since is None:
                continue
            if since < episode.started or restarted:
                candidates.append(start)
            else:
                candidates.append(max(start, since + ARRIVAL_CONFIRMATION))
        due = min(candidates, default=None)
        if due is not None and due <= until:
            episode.home_confirmed_at = due

    def check_calls(self) -> None:
        """Every call the response made since the last step was allowed when it was made."""
        for call in self.calls:
            episode = self.episode or self.ended
            what = f"{call.domain}.{call.service} {call.data} at {call.at}"
            if call.domain == "lock":
                if call.service != "unlock":
                    self.fail(f"the response locked a door: {what}")
                if episode is None or episode.home_confirmed_at is None:
                    self.fail(f"a door unlocked with nobody home: {what}")
                elif call.at < episode.home_confirmed_at:
                    self.fail(f"a door unlocked before anyone counted as home: {what}")
            elif call.domain == "light":
                if call.service != "turn_on":
                    self.fail(f"the response switched a light off: {what}")
                if episode is None:
                    self.fail(f"a light turned on without an alarm: {what}")
            elif call.domain in {"climate", "switch"}:
                self.check_hvac_call(call, what)
        self.calls.clear()

    def check_hvac_call(self, call: Call, what: str) -> None:
        episode = self.episode or self.ended
        restoring = (
            (call.domain == "climate" and call.data.get("hvac_mode", "off") != "off")
            or (call.domain == "climate" and call.data.get("fan_mode") == "on")
            or call.domain == "switch"
        )
        if episode is None:
            self.fail(f"a thermostat call without an alarm: {what}")
        if not restoring:
            return
        if "co" in episode.kinds:
            self.fail(f"heating set back after carbon monoxide: {what}")
        if self.alarm_kinds:
            self.fail(f"a restore during an alarm: {what}")
        if episode.clear_since is None or call.at < episode.clear_since + CLEAR_DELAY:
            self.fail(f"a restore before the clear delay: {what}")

    def count_announcements(self) -> None:
        """Count the alarm announcements each phone received since the last step."""
        for phone in TARGETS:
            received = self.house.sent.get(phone, [])
            for call in received[self.read.get(phone, 0) :]:
                title = str(call.data.get("title"))
                kind = {"Smoke alarm": "smoke", "Carbon monoxide alarm": "co"}.get(
                    title
                )
                if kind is None:
                    continue
                episode = self.episode
                if episode is None or kind not in episode.kinds:
                    self.fail(f"{title} announced to {phone} without that alarm")
                    return
                count = episode.announced.get((phone, kind), 0) + 1
                episode.announced[(phone, kind)] = count
                if count > 1:
                    self.fail(f"{title} announced {count} times to {phone}")
            self.read[phone] = len(received)

    def end_episode_when_due(self) -> None:
        episode = self.episode
        if (
            episode is not None
            and episode.clear_since is not None
            and dt_util.utcnow() >= episode.clear_since + CLEAR_DELAY
        ):
            self.ended, self.episode = episode, None
            self.episodes += 1

    def clear_faults(self) -> None:
        house = self.house
        for climate in (house.living, house.upstairs):
            climate.fail_mode = None
        house.stairs.fail = None

    # -- convergence --------------------------------------------------------------------------
    async def settle_and_check(self) -> None:
        """Faults cleared and time passed: the house is as the facts require."""
        house = self.house
        house.back.free()
        self.carol.fail = None
        self.clear_faults()
        self.trace.append("checkpoint")
        await self.advance(130, step=2)
        self.observe()
        self.check_calls()
        self.end_episode_when_due()
        episode = self.episode
        if self.alarm_kinds and episode is not None:
            for climate in CLIMATES:
                mode, fan = house.thermostat(climate)
                if "smoke" in self.alarm_kinds and (mode, fan) != ("off", "auto"):
                    self.fail(f"{climate} is {mode}/{fan} during smoke")
                if mode in HEATING:
                    self.fail(f"{climate} heats during an alarm")
            for light in (HALLWAY, STAIRS):
                if house.is_(light) != "on":
                    self.fail(f"{light} is off during an alarm")
            if episode.home_confirmed_at is not None:
                for door in (FRONT, BACK):
                    if house.is_(door) != "unlocked":
                        self.fail(f"{door} is locked with someone home during an alarm")
            for kind in episode.kinds:
                if episode.announced.get((PHONES[0], kind)) != 1:
                    self.fail(f"{kind} was not announced once to {PHONES[0]}")
        ended = self.ended
        if episode is None and ended is not None:
            for climate in CLIMATES:
                mode, fan = house.thermostat(climate)
                if "co" in ended.kinds:
                    if mode in HEATING:
                        self.fail(f"{climate} heats again after carbon monoxide")
                elif (mode, fan) != ended.before[climate]:
                    self.fail(
                        f"{climate} is {mode}/{fan} after smoke, not set back to "
                        f"{ended.before[climate]}"
                    )

    def calm_operations(self) -> list[tuple[int, Operation]]:
        """What happens between alarms: nothing here may raise one."""
        return [
            (3, self.kitchen_test),
            (2, self.kitchen_silence_or_end_of_life),
            (2, self.kitchen_garbage),
            (2, self.bedroom_test_or_check_in),
            (1, self.reinterview),
            (4, self.presence),
            (2, self.gps_noise),
            (2, self.guest_mode),
            (2, self.fault),
            (3, self.person_touches),
            (6, self.wait),
            (3, self.long_wait),
            (2, self.again),
            (1, self.slow_start),
        ]

    async def bedroom_test_or_check_in(self) -> None:
        frame = self.rng.choice([(12, 255), (12, 0), (13, 255)])
        self.house.network.legacy_alarm(BEDROOM, *frame)
        self.trace.append(f"bedroom frame {frame}")

    async def step(self, operations: list[tuple[int, Operation]]) -> None:
        (operation,) = self.rng.choices(
            [op for _, op in operations], weights=[w for w, _ in operations]
        )
        self.freezer.tick(timedelta(milliseconds=100))  # nothing happens at one instant
        await operation()
        await settle(self.hass)
        self.observe()
        self.check_calls()
        self.end_episode_when_due()
        if self.episode is None:
            self.modes_before = {c: self.house.thermostat(c) for c in CLIMATES}

    async def run(self, phases: int) -> None:
        """Alternate alarms (anything may happen) and calm (every alarm over)."""
        if self.alice_leaves_first:  # nobody home when the first alarm comes
            await self.house.move(ALICE, "not_home")
            self.home_since[ALICE] = None
        for _ in range(phases):
            for _ in range(ALARM_STEPS):
                await self.step(self.operations())
            await self.settle_and_check()
            await self.all_clear()
            await self.confirm()
            await settle(self.hass)
            self.observe()
            self.check_calls()
            for _ in range(CALM_STEPS):
                await self.step(self.calm_operations())
            await self.settle_and_check()


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
async def test_the_life_safety_rules_hold_whatever_happens_in_whatever_order(
    hass: HomeAssistant,
    house: House,
    tmp_path: Path,
    freezer: FrozenDateTimeFactory,
    seed: int,
) -> None:
    walk = Walk(hass, house, freezer, seed)
    await async_respond(hass, tmp_path, default_inputs(notify_actions=[*PHONES, CAROL]))
    await walk.run(PHASES)
    assert walk.episodes >= 2  # the walk went through whole alarms, not only one
