"""Presence eco as a property: any life of the house leaves the thermostat where the README says.

Hypothesis draws a life — residents moving between home, other places and unknown, travel
times and directions updating at any rate, guest and vacation mode, changes by a person, by
another automation and at the thermostat itself, the thermostat dropping off the network,
writes failing, the automation turned off and on, Home Assistant restarting — and plays it on
a real Home Assistant (a fresh one per example: the blueprint instance a user creates, the
controller inside venstar_local, a thermostat with home/away/vacation presets or one with
setpoints only) with the clock frozen and moved.

After every step it checks what must always hold: the controller writes only the setting
(never a mode), never what the thermostat already shows, never within the grace of a change
made by someone else, never while the automation is off, never away while guests are in,
vacation is on or a resident was home within the away delay, never vacation without vacation
mode, never home on vacation or when nothing (a resident home or unknown within the away
delay, guests, someone coming within the drive-by window) asks for it; guests, vacation and
someone at home are acted on at once. After every quiet hour (the facts unchanged for longer
than every delay, hold and window) the thermostat shows the setting the facts require.

`PRESENCE_EXAMPLES=500 scripts/test tests/automations/test_presence_properties.py` plays more
(random) lives than the suite's fixed ones.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
import logging
import os
from pathlib import Path
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant import loader
from homeassistant.const import EVENT_HOMEASSISTANT_STARTED
from homeassistant.core import Context, CoreState, HomeAssistant
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
from homeassistant.util.unit_system import US_CUSTOMARY_SYSTEM
from hypothesis import HealthCheck, example, given, settings, strategies as st
import pytest
from pytest_homeassistant_custom_component.common import (
    MockUser,
    async_mock_service,
    async_test_home_assistant,
    setup_test_component_platform,
)

from .conftest import async_setup_blueprint
from .entities import FakeThermostat
from .helpers import settle, tick
from .presence_house import (
    ALICE_DIRECTION,
    ALICE_ETA,
    AUTOMATION,
    BOB_ETA,
    CLIMATE,
    make_household,
    move,
)

PEOPLE = ("alice", "bob")
PLACES = ("home", "not_home", "Work", "unknown", "unavailable")
SETTINGS = ("home", "away", "vacation")
TTT = "sensor.living_room_time_to_temperature"
AWAY_DELAY = 30 * 60
GRACE = 60 * 60
DRIVE_BY = 30 * 60
THRESHOLD = 20 + 10  # time to temperature + margin, minutes
CONFIRM = 60  # heading-home confirmation, seconds
# Waits that let three failed writes in a row be retried, whatever the backoff reached.
RETRIES = (11, 31, 61, 121, 301, 301, 301)
# The setpoint-only thermostat heats: each setting is its heating setpoint (°F defaults).
SETPOINTS = {"home": 68.0, "away": 62.0, "vacation": 55.0}
INPUTS: dict[str, Any] = {
    "climate_entity": CLIMATE,
    "people": [f"person.{who}" for who in PEOPLE],
    "vacation_preset": "vacation",
    "away_delay": AWAY_DELAY // 60,
    "arrival_delay": 0,
    "manual_grace": GRACE // 60,
    "guest_entities": ["input_boolean.guests"],
    "vacation_entities": ["input_boolean.vacation"],
    "time_to_temperature_sensor": TTT,
    "preheat_margin": 10,
    "heading_confirm": CONFIRM,
    "drive_by_window": DRIVE_BY // 60,
    # Alice has a travel time and a direction; Bob only a travel time (close enough counts).
    "traveller_1_person": "person.alice",
    "traveller_1_travel_time": ALICE_ETA,
    "traveller_1_direction": ALICE_DIRECTION,
    "traveller_2_person": "person.bob",
    "traveller_2_travel_time": BOB_ETA,
}
TRAVEL_SENSORS = {"alice": ALICE_ETA, "bob": BOB_ETA}
EXAMPLES = int(os.environ.get("PRESENCE_EXAMPLES", "15"))


@dataclass(frozen=True, slots=True)
class Write:
    """A write that reached the thermostat: when, which setting, what it showed before."""

    at: float
    setting: str
    before: str | None
    context: Context | None
    mode: bool = False  # an HVAC mode was written


class RecordingThermostat(FakeThermostat):
    """A thermostat that remembers what was written, when, and what it showed before.

    With presets each setting is a preset; without, the heating setpoint tells the setting.
    """

    def __init__(self, *, presets: bool) -> None:
        super().__init__("Living room", presets=list(SETTINGS) if presets else None)
        self.with_presets = presets
        self.log: list[Write] = []
        self.failed = False  # the last write failed (a retry is due)

    @property
    def setting(self) -> str | None:
        if self.with_presets:
            return self.preset_mode
        return next(
            (
                name
                for name, value in SETPOINTS.items()
                if value == self.target_temperature
            ),
            str(self.target_temperature),
        )

    def show(self, setting: str) -> None:
        """Show a setting without a write (at start-up, or changed at the thermostat)."""
        if self.with_presets:
            self._attr_preset_mode = setting
        else:
            self._attr_target_temperature = SETPOINTS[setting]

    def _record(self, setting: str, *, mode: bool = False) -> None:
        now = dt_util.utcnow().timestamp()
        self.log.append(Write(now, setting, self.setting, self._context, mode))
        self.failed = bool(self.failures)

    async def async_set_preset_mode(self, preset_mode: str) -> None:
        self._record(preset_mode)
        await super().async_set_preset_mode(preset_mode)

    async def async_set_temperature(self, **kwargs: Any) -> None:
        wanted = kwargs.get("temperature")
        self._record(
            next((k for k, v in SETPOINTS.items() if v == wanted), str(kwargs))
        )
        await super().async_set_temperature(**kwargs)

    async def async_set_hvac_mode(self, hvac_mode: Any) -> None:
        self._record(str(hvac_mode), mode=True)
        await super().async_set_hvac_mode(hvac_mode)


# ----- the facts of the house (what the test knows, independent of the controller) ------------
@dataclass
class World:
    """The facts as the test set them, and what they imply."""

    place: dict[str, str] = field(default_factory=lambda: dict.fromkeys(PEOPLE, "home"))
    left_home: dict[str, float] = field(default_factory=dict)  # when each was last home
    unknown_until: float = -1e12  # when a resident was last unknown (possibly home)
    travel: dict[str, float | None] = field(default_factory=dict)
    direction: str | None = None  # Alice's
    coming_until: float = -1e12  # the last moment a traveller looked like coming
    coming_since: float | None = None  # since when one does, without a break
    guests: bool = False
    vacation: bool = False
    available: bool = True
    on: bool = True
    hold_until: float = (
        0.0  # end of the grace of the last change by a person/automation
    )
    hand_at: float = -1e12  # the last change by anyone else (incl. at the thermostat)

    def home_within(self, start: float) -> bool:
        """Whether a resident was home at any moment after `start`."""
        return "home" in self.place.values() or any(
            left > start for left in self.left_home.values()
        )

    def unknown(self) -> bool:
        return any(place in ("unknown", "unavailable") for place in self.place.values())

    def coming(self) -> bool:
        """Whether a traveller away from home is within the threshold, heading home."""
        for who in PEOPLE:
            minutes = self.travel.get(who)
            if self.place[who] == "home" or minutes is None or minutes > THRESHOLD:
                continue
            if who == "alice" and self.direction != "towards":
                continue
            return True
        return False

    def required(self) -> str | None:
        """The setting the README promises for these facts held long enough (None: keep)."""
        if self.guests:
            return "home"
        if self.vacation:
            return "vacation"
        if "home" in self.place.values() or self.coming():
            return "home"
        if self.unknown():
            return None
        return "away"

    def after_change(self, now: float) -> None:
        """Note when the facts started to look like someone coming."""
        if not self.coming():
            self.coming_since = None
        elif self.coming_since is None:
            self.coming_since = now

    def before_change(self, now: float) -> None:
        """Note what the facts were up to this moment (a step is about to change them)."""
        if self.coming():
            self.coming_until = now
        if self.unknown():
            self.unknown_until = now


# ----- a Home Assistant playing the house ---------------------------------------------------
@dataclass
class House:
    """One Home Assistant instance with the household, the thermostat and the automation."""

    hass: HomeAssistant
    thermostat: RecordingThermostat
    user_id: str

    @property
    def setting(self) -> str | None:
        return self.thermostat.setting


@asynccontextmanager
async def running_house(
    config_dir: Path, world: World, *, presets: bool, shows: str, failures: int
) -> AsyncIterator[House]:
    """Start a Home Assistant on the shared storage with the world's facts; stop it after."""
    async with async_test_home_assistant(config_dir=str(config_dir)) as hass:
        hass.data.pop(loader.DATA_CUSTOM_COMPONENTS)
        hass.config.units = US_CUSTOMARY_SYSTEM  # before any entity shows a temperature
        async_mock_service(hass, "logbook", "log")
        thermostat = RecordingThermostat(presets=presets)
        thermostat.show(shows)
        setup_test_component_platform(hass, "climate", [thermostat])
        assert await async_setup_component(
            hass, "climate", {"climate": {"platform": "test"}}
        )
        await make_household(hass)
        for who in PEOPLE:
            await move(hass, who, world.place[who])
        hass.states.async_set(TTT, "20", {"unit_of_measurement": "min"})
        for who, entity_id in TRAVEL_SENSORS.items():
            minutes = world.travel.get(who)
            hass.states.async_set(
                entity_id,
                "unknown" if minutes is None else str(minutes),
                {"unit_of_measurement": "min"},
            )
        if world.direction is not None:
            hass.states.async_set(ALICE_DIRECTION, world.direction)
        for helper, on in (("guests", world.guests), ("vacation", world.vacation)):
            await hass.services.async_call(
                "input_boolean",
                "turn_on" if on else "turn_off",
                {"entity_id": f"input_boolean.{helper}"},
                blocking=True,
            )
        thermostat.failures = failures
        if not world.available:
            thermostat.set_available(False)
        # Automations start last, as on a real start-up (their start trigger fires then).
        hass.set_state(CoreState.not_running)
        await async_setup_blueprint(hass, "presence_eco.yaml", INPUTS)
        if not world.on:
            await hass.services.async_call(
                "automation", "turn_off", {"entity_id": AUTOMATION}, blocking=True
            )
        hass.bus.async_fire(EVENT_HOMEASSISTANT_STARTED)
        hass.set_state(CoreState.running)
        await settle(hass)
        try:
            yield House(hass, thermostat, MockUser(is_owner=True).add_to_hass(hass).id)
        finally:
            # In a test the stopped instance stays in memory: its triggers must not fire.
            await hass.services.async_call(
                "automation", "turn_off", {"entity_id": AUTOMATION}, blocking=True
            )
            await hass.async_stop(force=True)


# ----- the steps of a life --------------------------------------------------------------------
class Life:
    """Plays steps on a running house and checks every write as it happens."""

    def __init__(
        self, house: House, world: World, freezer: FrozenDateTimeFactory
    ) -> None:
        self.house = house
        self.world = world
        self.freezer = freezer
        self.seen = 0  # thermostat writes already checked
        self.foreign: set[str] = set()  # contexts of changes made by the test

    @property
    def hass(self) -> HomeAssistant:
        return self.house.hass

    @property
    def now(self) -> float:
        return dt_util.utcnow().timestamp()

    async def wait(self, seconds: float) -> None:
        self.world.before_change(self.now + seconds)  # the facts hold all along
        await tick(self.hass, self.freezer, seconds=seconds)
        self.check_writes()

    def check_writes(self) -> None:
        """Every write the controller made since the last look keeps the rules."""
        world = self.world
        log = self.house.thermostat.log
        for write in log[self.seen :]:
            if write.context is not None and write.context.id in self.foreign:
                continue
            what, when = write.setting, write.at
            assert not write.mode, f"the controller changed the mode to {what}"
            assert world.on, f"{what} written while the automation is off"
            assert what != write.before, f"{what} written while the thermostat shows it"
            assert when >= world.hold_until, f"{what} written during a grace period"
            if what == "away":
                assert not world.guests, "away with guests in"
                assert not world.vacation, "away instead of vacation"
                assert not world.home_within(when - AWAY_DELAY), (
                    "away although a resident was home within the away delay"
                )
                assert (
                    world.coming_since is None or when - world.coming_since < CONFIRM
                ), "away although a resident is confirmed on the way home"
            elif what == "vacation":
                assert world.vacation, "vacation without vacation mode"
                assert not world.guests, "vacation with guests in"
            else:
                assert what == "home", f"the controller wrote {what}"
                assert world.guests or not world.vacation, "home during vacation"
                assert (
                    world.guests
                    or world.home_within(when - AWAY_DELAY)
                    or world.unknown_until >= when - AWAY_DELAY
                    or world.coming()
                    or world.coming_until >= when - DRIVE_BY
                ), f"home with nobody home, unknown or coming: {world}"
        self.seen = len(log)

    def check_now(self) -> None:
        """Rules that need no delay hold at once (unless a change by someone is respected)."""
        world = self.world
        thermostat = self.house.thermostat
        if not (world.on and world.available) or thermostat.failures:
            return
        if thermostat.failed or self.now - world.hand_at <= GRACE:
            return  # a retry is due, or a change by someone else may be held
        if world.guests or (not world.vacation and "home" in world.place.values()):
            assert self.house.setting == "home", f"not home at once: {world}"
        elif world.vacation:
            assert self.house.setting == "vacation", f"not vacation at once: {world}"

    def check_quiet(self) -> None:
        """After a quiet period the thermostat shows what the facts require."""
        world = self.world
        required = world.required()
        if world.on and world.available and required is not None:
            assert self.house.setting == required, f"{self.house.setting} for {world}"


@dataclass(frozen=True)
class Move:
    who: str
    place: str

    async def apply(self, life: Life) -> None:
        world = life.world
        if world.place[self.who] == "home" and self.place != "home":
            world.left_home[self.who] = life.now
        world.place[self.who] = self.place
        await move(life.hass, self.who, self.place)


@dataclass(frozen=True)
class Everyone:
    """Both residents go to the same place (the house empties, or everyone is back)."""

    place: str

    async def apply(self, life: Life) -> None:
        for who in PEOPLE:
            await Move(who, self.place).apply(life)


@dataclass(frozen=True)
class Travel:
    who: str
    minutes: float | None

    async def apply(self, life: Life) -> None:
        life.world.travel[self.who] = self.minutes
        life.hass.states.async_set(
            TRAVEL_SENSORS[self.who],
            "unknown" if self.minutes is None else str(self.minutes),
            {"unit_of_measurement": "min"},
        )
        await settle(life.hass)


@dataclass(frozen=True)
class Direction:
    value: str

    async def apply(self, life: Life) -> None:
        life.world.direction = self.value
        life.hass.states.async_set(ALICE_DIRECTION, self.value)
        await settle(life.hass)


@dataclass(frozen=True)
class Mode:
    helper: str
    on: bool

    async def apply(self, life: Life) -> None:
        setattr(life.world, self.helper, self.on)
        await life.hass.services.async_call(
            "input_boolean",
            "turn_on" if self.on else "turn_off",
            {"entity_id": f"input_boolean.{self.helper}"},
            blocking=True,
        )
        await settle(life.hass)


@dataclass(frozen=True)
class Hand:
    """A setting changed by a person, another automation or at the thermostat itself."""

    by: str
    setting: str

    async def apply(self, life: Life) -> None:
        # A person acts seconds after an automation, not within the same instant (Home
        # Assistant gives a state written within 5 s of a call that call's context).
        await life.wait(6)
        world, thermostat = life.world, life.house.thermostat
        if not world.available:
            return
        before = life.house.setting
        if self.by == "thermostat":
            if not thermostat.with_presets:
                return  # a setpoint changed there is not told apart from its schedule
            thermostat.show(self.setting)
            thermostat.async_write_ha_state()
            if before != self.setting:
                world.hand_at = life.now  # may be held: not ours to tell
            await settle(life.hass)
            return
        context = (
            Context(user_id=life.house.user_id)
            if self.by == "person"
            else Context(parent_id="another-automation-run")
        )
        life.foreign.add(context.id)
        if before != self.setting:
            world.hand_at = life.now
            if world.on:
                world.hold_until = life.now + GRACE
        failures, thermostat.failures = thermostat.failures, 0
        service, data = (
            ("set_preset_mode", {"preset_mode": self.setting})
            if thermostat.with_presets
            else ("set_temperature", {"temperature": SETPOINTS[self.setting]})
        )
        await life.hass.services.async_call(
            "climate",
            service,
            {"entity_id": CLIMATE, **data},
            blocking=True,
            context=context,
        )
        thermostat.failures = failures
        await settle(life.hass)


@dataclass(frozen=True)
class Available:
    available: bool

    async def apply(self, life: Life) -> None:
        life.world.available = self.available
        life.house.thermostat.set_available(self.available)
        await settle(life.hass)


@dataclass(frozen=True)
class Fail:
    writes: int

    async def apply(self, life: Life) -> None:
        life.house.thermostat.failures = self.writes


@dataclass(frozen=True)
class Power:
    on: bool

    async def apply(self, life: Life) -> None:
        life.world.on = self.on
        await life.hass.services.async_call(
            "automation",
            "turn_on" if self.on else "turn_off",
            {"entity_id": AUTOMATION},
            blocking=True,
        )
        await settle(life.hass)


@dataclass(frozen=True)
class Wait:
    seconds: float

    async def apply(self, life: Life) -> None:
        await life.wait(self.seconds)


@dataclass(frozen=True)
class Quiet:
    """Nothing changes for longer than every delay, hold and window."""

    async def apply(self, life: Life) -> None:
        # Every delay, hold and window ends within the hour; then failed writes are retried.
        for seconds in (GRACE + 1, *RETRIES):
            await life.wait(seconds)
        life.check_quiet()


@dataclass(frozen=True)
class Restart:
    """Home Assistant stops and starts again `minutes` later; devices stay as they were."""

    minutes: int


type Step = (
    Move | Everyone | Travel | Direction | Mode | Hand | Available | Fail | Power | Wait
)
type AnyStep = Step | Quiet | Restart

MINUTES = st.sampled_from([None, 0, 5, 25, 29, 31, 45, 120])
MOVES = st.builds(Move, st.sampled_from(PEOPLE), st.sampled_from(PLACES))
TRAVELS = st.builds(Travel, st.sampled_from(PEOPLE), MINUTES)
WAITS = st.builds(Wait, st.sampled_from([5, 30, 61, 300, 1200, 1900]))
QUIETS = st.just(Quiet())
STEPS: st.SearchStrategy[AnyStep] = st.one_of(
    # Listed more than once: drawn more often.
    *[MOVES] * 3,
    st.builds(Everyone, st.sampled_from(["home", "not_home", "Work"])),
    *[TRAVELS] * 2,
    st.builds(Direction, st.sampled_from(["towards", "away_from", "stationary"])),
    st.builds(Mode, st.sampled_from(["guests", "vacation"]), st.booleans()),
    st.builds(
        Hand,
        st.sampled_from(["person", "automation", "thermostat"]),
        st.sampled_from(SETTINGS),
    ),
    st.builds(Available, st.booleans()),
    st.builds(Fail, st.integers(1, 3)),
    st.builds(Power, st.booleans()),
    *[WAITS] * 3,
    *[QUIETS] * 2,
    st.builds(Restart, st.sampled_from([1, 10])),
)


@contextmanager
def quiet_loop() -> Iterator[None]:
    """Lives run hundreds of loop turns: no asyncio debug stacks, no debug logs meanwhile."""
    loop = asyncio.get_running_loop()
    debug, level = loop.get_debug(), logging.getLogger().level
    loop.set_debug(False)
    logging.getLogger().setLevel(logging.INFO)
    try:
        yield
    finally:
        loop.set_debug(debug)
        logging.getLogger().setLevel(level)


async def live(
    steps: list[AnyStep],
    config_dir: Path,
    freezer: FrozenDateTimeFactory,
    *,
    presets: bool,
) -> None:
    """Play a life from a quiet start (both residents home, the house at home)."""
    world = World()
    shows, failures = "home", 0
    pending = [*steps, Quiet()]
    while pending:
        async with running_house(
            config_dir, world, presets=presets, shows=shows, failures=failures
        ) as house:
            life = Life(house, world, freezer)
            life.check_writes()
            life.check_now()
            while pending:
                step = pending.pop(0)
                if isinstance(step, Restart):
                    shows = house.setting or "home"
                    failures = house.thermostat.failures
                    break
                if not isinstance(step, Wait | Quiet):
                    world.before_change(life.now)
                await step.apply(life)
                world.after_change(life.now)
                life.check_writes()
                life.check_now()
        if isinstance(step, Restart):
            freezer.tick(timedelta(minutes=step.minutes))


@pytest.mark.parametrize("presets", [True, False], ids=["presets", "setpoints"])
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=EXAMPLES <= 15,  # the suite plays the same lives every run
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(STEPS, min_size=10, max_size=40))
# Lives in which earlier versions broke a promise, played first on every run.
@example(  # the away delay ran out while Bob drove back: away, then home at once
    steps=[Travel("bob", 5), Everyone("not_home"), Quiet()]
)
@example(  # turned on while Bob drove back: away, then home a minute later
    steps=[Everyone("not_home"), Power(False), Travel("bob", 29), Quiet(), Power(True)]
)
@example(  # vacation ended while Bob's phone was off: vacation kept, written on turn-on
    steps=[
        Mode("vacation", True),
        Move("bob", "unknown"),
        Power(False),
        Mode("vacation", False),
        Hand("thermostat", "home"),
        Move("alice", "not_home"),
        Power(True),
    ]
)
async def test_any_life_of_the_house_keeps_the_promises(
    steps: list[AnyStep],
    config_dir: Path,
    freezer: FrozenDateTimeFactory,
    hass_storage: dict[str, Any],
    *,
    presets: bool,
) -> None:
    hass_storage.clear()  # a new house: nothing remembered from the last example
    with quiet_loop():
        await live(steps, config_dir, freezer, presets=presets)
