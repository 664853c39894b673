"""Presence eco: facts change → thermostat written, and the writes of a simulated week.

Run: python bench/presence_eco.py [--switches 1000]

Both parts run one in-process Home Assistant with the real person and zone integrations, the
`presence_eco.yaml` blueprint loaded from a temporary config dir as a user would have it, and
the presence controller of venstar_local. The thermostat is a climate state served by instant
`climate.set_preset_mode` handlers that record each write (and whether the thermostat was
already there: a redundant write).

1. Latency: with no away delay, residents leave and come back; each switch is timed from the
   moment a phone's tracker state is written to the moment the thermostat receives the preset.
2. A week of two commuting residents, minute by minute on a frozen clock: Alice and Bob drive
   to work on weekdays (travel-time and direction sensors updating every 5 minutes), Alice
   drives home first and is expected (preheat); one afternoon she drives past the house; Bob's
   phone flaps at the zone edge every evening; on Saturday both go shopping, on Sunday they stay
   in. The printout counts the writes, the changes of setting the facts required, and the
   redundant writes.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
import shutil
import statistics
import sys
import tempfile
import time
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# First: makes Home Assistant's clock patchable by freezegun (as in the test suite).
import pytest_homeassistant_custom_component.patch_time  # noqa: F401, I001

import custom_components.venstar_local  # noqa: F401 - lets HA's loader find our integrations
from freezegun import freeze_time
from homeassistant import loader
from homeassistant.const import EVENT_HOMEASSISTANT_STARTED
from homeassistant.core import CoreState, HomeAssistant, ServiceCall
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
from homeassistant.util.unit_system import US_CUSTOMARY_SYSTEM
from pytest_homeassistant_custom_component.common import (
    async_fire_time_changed,
    async_test_home_assistant,
)

ROOT = Path(__file__).resolve().parent.parent
BLUEPRINT = ROOT / "automations" / "presence_eco.yaml"
CLIMATE = "climate.living_room"
PEOPLE = ("alice", "bob")
# Monday 2025-01-06 00:00; the simulated house keeps UTC so the printed times read plainly.
WEEK_START = datetime(2025, 1, 6, tzinfo=dt_util.UTC)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


@dataclass
class Thermostat:
    """A climate state with home/away presets; records every write."""

    hass: HomeAssistant
    writes: list[tuple[datetime, str]] = field(default_factory=list)
    redundant: int = 0
    waiter: asyncio.Future[float] | None = None

    def publish(self, preset: str, context: Any = None) -> None:
        self.hass.states.async_set(
            CLIMATE,
            "heat",
            {
                "preset_mode": preset,
                "preset_modes": ["home", "away"],
                "hvac_modes": ["off", "heat"],
                "temperature": 68,
                "supported_features": 17,
            },
            context=context,
        )

    async def set_preset(self, call: ServiceCall) -> None:
        now = time.perf_counter()
        preset = call.data["preset_mode"]
        state = self.hass.states.get(CLIMATE)
        if state is not None and state.attributes.get("preset_mode") == preset:
            self.redundant += 1
        self.writes.append((dt_util.utcnow(), preset))
        self.publish(preset, call.context)
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_result(now)


async def settle(hass: HomeAssistant) -> None:
    for _ in range(30):
        await asyncio.sleep(0)


async def build_house(
    hass: HomeAssistant, config_dir: Path, **inputs: Any
) -> Thermostat:
    hass.data.pop(loader.DATA_CUSTOM_COMPONENTS, None)
    hass.config.units = US_CUSTOMARY_SYSTEM
    thermostat = Thermostat(hass)
    hass.services.async_register("climate", "set_preset_mode", thermostat.set_preset)
    thermostat.publish("home")
    for who in PEOPLE:
        hass.states.async_set(
            f"device_tracker.{who}_phone", "home", {"source_type": "gps"}
        )
    assert await async_setup_component(hass, "zone", {})
    assert await async_setup_component(
        hass,
        "person",
        {
            "person": [
                {
                    "id": who,
                    "name": who.title(),
                    "device_trackers": [f"device_tracker.{who}_phone"],
                }
                for who in PEOPLE
            ]
        },
    )
    assert await async_setup_component(hass, "venstar_local", {"venstar_local": {}})
    target = config_dir / "blueprints" / "automation" / "local_home_bridge"
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(BLUEPRINT, target / BLUEPRINT.name)
    hass.config.config_dir = str(config_dir)
    hass.set_state(CoreState.not_running)
    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": {
                "id": "presence",
                "alias": "Presence",
                "use_blueprint": {
                    "path": f"local_home_bridge/{BLUEPRINT.name}",
                    "input": {
                        "climate_entity": CLIMATE,
                        "people": [f"person.{who}" for who in PEOPLE],
                        "log_to_logbook": False,
                        **inputs,
                    },
                },
            }
        },
    )
    await hass.async_block_till_done()
    assert hass.states.get("automation.presence").state == "on"
    hass.bus.async_fire(EVENT_HOMEASSISTANT_STARTED)
    hass.set_state(CoreState.running)
    await settle(hass)
    return thermostat


def move(hass: HomeAssistant, who: str, where: str) -> None:
    hass.states.async_set(f"device_tracker.{who}_phone", where, {"source_type": "gps"})


# ----- part 1: latency -------------------------------------------------------------------------
async def latency(switches: int) -> list[float]:
    samples: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        async with async_test_home_assistant(config_dir=tmp) as hass:
            thermostat = await build_house(hass, Path(tmp), away_delay=0)
            move(hass, "bob", "not_home")
            await settle(hass)
            for number in range(switches + 20):
                leaving = number % 2 == 0
                thermostat.waiter = hass.loop.create_future()
                started = time.perf_counter()
                move(hass, "alice", "not_home" if leaving else "home")
                written = await asyncio.wait_for(thermostat.waiter, timeout=10)
                if number >= 20:  # after warm-up
                    samples.append(written - started)
                await hass.async_block_till_done()
            await hass.services.async_call(
                "automation",
                "turn_off",
                {"entity_id": "automation.presence"},
                blocking=True,
            )
            await hass.async_stop(force=True)
    return samples


# ----- part 2: a simulated week ----------------------------------------------------------------
@dataclass
class Script:
    """What each resident does, minute by minute (local time)."""

    events: dict[int, list[Callable[[HomeAssistant], None]]] = field(
        default_factory=dict
    )

    def at(
        self, day: int, hour: int, minute: int, action: Callable[[HomeAssistant], None]
    ) -> None:
        self.events.setdefault(day * 1440 + hour * 60 + minute, []).append(action)


def travel(who: str, minutes: float, direction: str) -> Callable[[HomeAssistant], None]:
    def apply(hass: HomeAssistant) -> None:
        hass.states.async_set(
            f"sensor.{who}_travel_time", str(minutes), {"unit_of_measurement": "min"}
        )
        hass.states.async_set(f"sensor.{who}_direction", direction)

    return apply


def place(who: str, where: str) -> Callable[[HomeAssistant], None]:
    return lambda hass: move(hass, who, where)


def commute(
    script: Script,
    day: int,
    who: str,
    *,
    leave: tuple[int, int],
    back: tuple[int, int],
    drive: int,
) -> None:
    """Drive to work (estimates every 5 min), stay, drive back; phone updates as it goes."""
    hour, minute = leave
    script.at(day, hour, minute, place(who, "not_home"))
    for step in range(0, drive, 5):
        script.at(day, hour, minute + step, travel(who, step + 5, "away_from"))
    script.at(day, hour, minute + drive, place(who, "Work"))
    script.at(day, hour, minute + drive, travel(who, drive, "stationary"))
    hour, minute = back
    script.at(day, hour, minute, place(who, "not_home"))
    for step in range(0, drive, 5):
        script.at(day, hour, minute + step, travel(who, drive - step, "towards"))
    script.at(day, hour, minute + drive, place(who, "home"))
    script.at(day, hour, minute + drive, travel(who, 0, "arrived"))


def week_script() -> Script:
    script = Script()
    for day in range(5):
        commute(script, day, "alice", leave=(7, 30), back=(17, 0), drive=30)
        commute(script, day, "bob", leave=(8, 0), back=(17, 30), drive=40)
        for minute in (0, 2):  # Bob's phone flaps at the zone edge after dinner
            script.at(
                day, 20, minute, place("bob", "not_home" if minute == 0 else "home")
            )
    # Wednesday: Alice runs an errand past the house in the afternoon (a drive-by).
    script.at(2, 13, 50, place("alice", "not_home"))
    for minute, eta, direction in (
        (55, 9, "towards"),
        (58, 5, "towards"),
        (62, 6, "away_from"),
        (70, 20, "away_from"),
    ):
        script.at(2, 13, minute, travel("alice", eta, direction))
    script.at(2, 14, 30, place("alice", "Work"))
    script.at(2, 14, 30, travel("alice", 30, "stationary"))
    # Saturday: shopping together 10:00-13:00; Sunday: home all day.
    for who in PEOPLE:
        script.at(5, 10, 0, place(who, "not_home"))
        script.at(5, 10, 0, travel(who, 15, "away_from"))
        script.at(5, 12, 40, travel(who, 20, "towards"))
        script.at(5, 12, 50, travel(who, 10, "towards"))
        script.at(5, 13, 0, place(who, "home"))
    return script


async def week() -> tuple[Thermostat, int]:
    script = week_script()
    with freeze_time(WEEK_START) as frozen, tempfile.TemporaryDirectory() as tmp:
        async with async_test_home_assistant(config_dir=tmp) as hass:
            await hass.config.async_set_time_zone("UTC")
            for who in PEOPLE:
                travel(who, 0, "arrived")(hass)
            hass.states.async_set(
                "sensor.time_to_temperature", "20", {"unit_of_measurement": "min"}
            )
            thermostat = await build_house(
                hass,
                Path(tmp),
                away_delay=30,
                time_to_temperature_sensor="sensor.time_to_temperature",
                preheat_margin=10,
                heading_confirm=60,
                drive_by_window=30,
                **{
                    f"traveller_{n}_{key}": value
                    for n, who in enumerate(PEOPLE, start=1)
                    for key, value in (
                        ("person", f"person.{who}"),
                        ("travel_time", f"sensor.{who}_travel_time"),
                        ("direction", f"sensor.{who}_direction"),
                    )
                },
            )
            decisions: list[str] = []
            manager = hass.data["venstar_local_presence"]
            controller = manager.controllers["automation.presence"]
            for minute in range(7 * 1440):
                for action in script.events.get(minute, []):
                    action(hass)
                await settle(hass)
                frozen.tick(timedelta(minutes=1))
                async_fire_time_changed(hass)
                await settle(hass)
                decision = controller.decision
                if (
                    decision is not None
                    and decision.setting is not None
                    and (not decisions or decisions[-1] != decision.setting)
                ):
                    decisions.append(decision.setting)
            await hass.services.async_call(
                "automation",
                "turn_off",
                {"entity_id": "automation.presence"},
                blocking=True,
            )
            await hass.async_stop(force=True)
    # The first decision is the state the house started in (home): not a change.
    return thermostat, len(decisions) - 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--switches", type=int, default=1000)
    args = parser.parse_args()
    samples = asyncio.run(latency(args.switches))
    ms = [value * 1000 for value in samples]
    print(
        f"facts change → thermostat written  n={len(ms)}  p50={percentile(ms, 0.5):.3f} ms  "
        f"p99={percentile(ms, 0.99):.3f} ms  max={max(ms):.3f} ms  mean={statistics.fmean(ms):.3f} ms"
    )
    thermostat, changes = asyncio.run(week())
    print(
        f"simulated week, two commuters: {len(thermostat.writes)} thermostat writes for "
        f"{changes} changes of setting; redundant writes: {thermostat.redundant}"
    )
    for when, preset in thermostat.writes:
        print(f"  {when:%a %H:%M}  {preset}")


if __name__ == "__main__":
    main()
