"""Presence eco as a property: any sequence of facts leaves the thermostat where the README says.

Hypothesis draws a life of the house — residents moving between home, other places and
unknown, travel times and directions updating at any rate, guest and vacation mode, changes by
a person, by another automation and at the thermostat itself, the thermostat dropping off the
network, writes failing, the automation turned off and on, Home Assistant restarting — and
plays it on a real Home Assistant (a fresh one per example, the blueprint instance a user
creates, the controller inside venstar_local, a thermostat with home/away/vacation presets)
with the clock frozen and moved in steps of at most a minute.

After every step it checks what must always hold: the controller writes only presets (never a
mode or a setpoint), never writes what the thermostat already shows, never writes within the
grace of a change made by someone else, never while the automation is off, never away while
guests are in, vacation is on or a resident was home within the away delay, never vacation
without vacation mode. And after every period of quiet (the facts unchanged for longer than
every delay, hold and window), the thermostat shows the setting the facts require.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import timedelta
import os
from pathlib import Path
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant import loader
from homeassistant.const import EVENT_HOMEASSISTANT_STARTED
from homeassistant.core import Context, CoreState, HomeAssistant
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
from hypothesis import HealthCheck, given, settings, strategies as st
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
TTT = "sensor.living_room_time_to_temperature"
AWAY_DELAY = 30 * 60
GRACE = 60 * 60
THRESHOLD = 20 + 10  # time to temperature + margin, minutes
RETRIES = (11, 31, 61)  # the backoff of three failed writes in a row
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
    "heading_confirm": 60,
    "drive_by_window": 30,
    # Alice has a travel time and a direction; Bob only a travel time (close enough counts).
    "traveller_1_person": "person.alice",
    "traveller_1_travel_time": ALICE_ETA,
    "traveller_1_direction": ALICE_DIRECTION,
    "traveller_2_person": "person.bob",
    "traveller_2_travel_time": BOB_ETA,
}
TRAVEL_SENSORS = {"alice": ALICE_ETA, "bob": BOB_ETA}


class RecordingThermostat(FakeThermostat):
    """A thermostat that remembers who wrote what, when, and what it showed before."""

    def __init__(self, name: str, **kwargs: Any) -> None:
        super().__init__(name, **kwargs)
        self.log: list[tuple[float, str, Any, str | None, Context | None]] = []
        self.failed = False  # the last write failed (a retry is due)

    async def async_set_preset_mode(self, preset_mode: str) -> None:
        before = self._attr_preset_mode
        self.log.append(
            (dt_util.utcnow().timestamp(), "preset", preset_mode, before, self._context)
        )
        self.failed = bool(self.failures)
        await super().async_set_preset_mode(preset_mode)

    async def async_set_temperature(self, **kwargs: Any) -> None:
        self.log.append((dt_util.utcnow().timestamp(), "temp", kwargs, None, None))
        await super().async_set_temperature(**kwargs)

    async def async_set_hvac_mode(self, hvac_mode: Any) -> None:
        self.log.append((dt_util.utcnow().timestamp(), "mode", hvac_mode, None, None))
        await super().async_set_hvac_mode(hvac_mode)


# ----- the facts of the house (what the test knows, independent of the controller) ------------
@dataclass
class World:
    """The facts as the test set them, and what they imply."""

    place: dict[str, str] = field(default_factory=lambda: dict.fromkeys(PEOPLE, "home"))
    # When each resident was last seen home (None: never), and whether they still are.
    last_home: dict[str, float | None] = field(default_factory=dict)
    travel: dict[str, float | None] = field(default_factory=dict)
    direction: str | None = None  # Alice's
    guests: bool = False
    vacation: bool = False
    available: bool = True
    failures: int = 0
    on: bool = True
    hold_until: float = 0.0  # end of the grace of the last known change by someone else
    hand_at: float = -1e12  # last change by anyone else (incl. at the thermostat)

    def home_within(self, start: float) -> bool:
        """Whether a resident was (observed) home at any moment after `start`."""
        return any(
            self.place[who] == "home" or (seen is not None and seen > start)
            for who, seen in self.last_home.items()
        )

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
        """The preset the README promises for these facts held long enough (None: keep)."""
        if self.guests:
            return "home"
        if self.vacation:
            return "vacation"
        if "home" in self.place.values() or self.coming():
            return "home"
        if any(place in ("unknown", "unavailable") for place in self.place.values()):
            return None
        return "away"


# ----- a Home Assistant playing the house ---------------------------------------------------
class House:
    """One Home Assistant instance with the household, the thermostat and the automation."""

    def __init__(
        self, hass: HomeAssistant, thermostat: RecordingThermostat, user_id: str
    ) -> None:
        self.hass = hass
        self.thermostat = thermostat
        self.user_id = user_id

    @property
    def preset(self) -> str | None:
        state = self.hass.states.get(CLIMATE)
        assert state is not None
        return state.attributes.get("preset_mode")


@asynccontextmanager
async def running_house(
    config_dir: Path, world: World, preset: str
) -> AsyncIterator[House]:
    """Start a Home Assistant on the shared storage with the world's facts; stop it after."""
    async with async_test_home_assistant(config_dir=str(config_dir)) as hass:
        hass.data.pop(loader.DATA_CUSTOM_COMPONENTS)
        async_mock_service(hass, "logbook", "log")
        thermostat = RecordingThermostat(
            "Living room", presets=["home", "away", "vacation"]
        )
        thermostat._attr_preset_mode = preset
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
        thermostat.failures = world.failures
        if not world.available:
            thermostat.set_available(False)
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
            await hass.services.async_call(
                "automation", "turn_off", {"entity_id": AUTOMATION}, blocking=True
            )
            await hass.async_stop(force=True)


# ----- the steps of a life --------------------------------------------------------------------
class Life:
    """Plays steps on a running house and checks every write as it happens."""

    def __init__(
        self,
        house: House,
        world: World,
        freezer: FrozenDateTimeFactory,
        config_dir: Path,
    ) -> None:
        self.house = house
        self.world = world
        self.freezer = freezer
        self.config_dir = config_dir
        self.seen = 0  # thermostat log entries already checked
        self.foreign: set[str] = set()  # contexts of changes made by the test

    @property
    def hass(self) -> HomeAssistant:
        return self.house.hass

    @property
    def now(self) -> float:
        return dt_util.utcnow().timestamp()

    async def wait(self, seconds: float) -> None:
        await tick(self.hass, self.freezer, seconds=seconds)
        self.check_writes()

    def check_writes(self) -> None:
        """Every write the controller made since the last look keeps the rules."""
        world = self.world
        log = self.house.thermostat.log
        for when, kind, value, before, context in log[self.seen :]:
            if context is not None and context.id in self.foreign:
                continue
            assert kind == "preset", f"the controller wrote {kind} {value}"
            assert world.on, f"{value} written while the automation is off"
            assert value != before, f"{value} written while the thermostat shows it"
            assert when >= world.hold_until, (
                f"{value} written during the grace of a change by someone else"
            )
            if value == "away":
                assert not world.guests, "away with guests in"
                assert not world.vacation, "away instead of vacation"
                assert not world.home_within(when - AWAY_DELAY), (
                    "away although a resident was home within the away delay"
                )
            elif value == "vacation":
                assert world.vacation, "vacation without vacation mode"
                assert not world.guests, "vacation with guests in"
            else:
                assert world.guests or not world.vacation, "home during vacation"
        self.seen = len(log)

    def check_now(self) -> None:
        """Rules that need no delay hold at once (unless a change by someone is respected)."""
        world = self.world
        thermostat = self.house.thermostat
        if (
            not (world.on and world.available)
            or thermostat.failures
            or thermostat.failed
        ):
            return
        if self.now < world.hold_until or self.now - world.hand_at <= GRACE:
            return
        if world.guests or (not world.vacation and "home" in world.place.values()):
            assert self.house.preset == "home", f"not home at once: {world}"
        elif world.vacation:
            assert self.house.preset == "vacation", f"not vacation at once: {world}"

    def check_quiet(self) -> None:
        """After a quiet period the thermostat shows what the facts require."""
        world = self.world
        required = world.required()
        if world.on and world.available and required is not None:
            assert self.house.preset == required, f"{self.house.preset} for {world}"

    def hand_changed(self, preset: str, before: str | None) -> None:
        if before != preset:
            self.world.hand_at = self.now
            if self.world.on and self.world.available:
                self.world.hold_until = self.now + GRACE


@dataclass(frozen=True)
class Move:
    who: str
    place: str

    async def apply(self, life: Life) -> None:
        world = life.world
        if world.place[self.who] == "home" and self.place != "home":
            world.last_home[self.who] = life.now
        world.place[self.who] = self.place
        await move(life.hass, self.who, self.place)


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
    """A preset changed by a person, another automation or at the thermostat itself."""

    by: str
    preset: str

    async def apply(self, life: Life) -> None:
        # A person acts seconds after an automation, not within the same instant (Home
        # Assistant gives a state written within 5 s of a call that call's context).
        await life.wait(6)
        if not life.world.available:
            return
        thermostat = life.house.thermostat
        before = life.house.preset
        if self.by == "thermostat":
            thermostat._attr_preset_mode = self.preset
            thermostat.async_write_ha_state()
            if before != self.preset:
                life.world.hand_at = life.now  # may be held: not ours to tell
            await settle(life.hass)
            return
        context = (
            Context(user_id=life.house.user_id)
            if self.by == "person"
            else Context(parent_id="another-automation-run")
        )
        life.foreign.add(context.id)
        failures, thermostat.failures = thermostat.failures, 0
        life.hand_changed(self.preset, before)
        await life.hass.services.async_call(
            "climate",
            "set_preset_mode",
            {"entity_id": CLIMATE, "preset_mode": self.preset},
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

    async def apply(self, life: Life) -> None:
        raise NotImplementedError  # played by `live`, which owns the running house


type Step = Move | Travel | Direction | Mode | Hand | Available | Fail | Power | Wait
type AnyStep = Step | Quiet | Restart

MINUTES = st.sampled_from([None, 0, 5, 25, 29, 31, 45, 120])
MOVES = st.builds(Move, st.sampled_from(PEOPLE), st.sampled_from(PLACES))
WAITS = st.builds(Wait, st.sampled_from([5, 30, 61, 300, 1200, 1900]))
STEPS: st.SearchStrategy[AnyStep] = st.one_of(
    MOVES,
    MOVES,
    MOVES,
    st.builds(Travel, st.sampled_from(PEOPLE), MINUTES),
    st.builds(Travel, st.sampled_from(PEOPLE), MINUTES),
    st.builds(Direction, st.sampled_from(["towards", "away_from", "stationary"])),
    st.builds(Mode, st.sampled_from(["guests", "vacation"]), st.booleans()),
    st.builds(
        Hand,
        st.sampled_from(["person", "automation", "thermostat"]),
        st.sampled_from(["home", "away", "vacation"]),
    ),
    st.builds(Available, st.booleans()),
    st.builds(Fail, st.integers(1, 3)),
    st.builds(Power, st.booleans()),
    WAITS,
    WAITS,
    WAITS,
    st.just(Quiet()),
    st.just(Quiet()),
    st.builds(Restart, st.sampled_from([1, 10])),
)
EXAMPLES = int(os.environ.get("PRESENCE_EXAMPLES", "30"))


async def live(
    steps: list[AnyStep], config_dir: Path, freezer: FrozenDateTimeFactory
) -> None:
    """Play a life from a quiet start (both residents home, the house at home)."""
    world = World()
    preset = "home"
    failures = 0
    pending = [*steps, Quiet()]
    while pending:
        async with running_house(config_dir, world, preset) as house:
            house.thermostat.failures = failures
            life = Life(house, world, freezer, config_dir)
            life.check_writes()
            life.check_now()
            while pending:
                step = pending.pop(0)
                if isinstance(step, Restart):
                    preset = house.preset or "home"
                    failures = house.thermostat.failures
                    break
                await step.apply(life)
                life.check_writes()
                life.check_now()
            else:
                continue
        freezer.tick(timedelta(minutes=step.minutes))


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=EXAMPLES <= 30,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(STEPS, min_size=10, max_size=40))
async def test_any_life_of_the_house_keeps_the_promises(
    steps: list[AnyStep],
    config_dir: Path,
    freezer: FrozenDateTimeFactory,
    hass_storage: dict[str, Any],
) -> None:
    hass_storage.clear()
    await live(steps, config_dir, freezer)
