"""Alarm response latency: smoke sensor on → every response action issued.

Run: python bench/alarm_response_latency.py [--alarms 1000] [--locks 2] [--lights 3]

One Home Assistant instance runs both contestants in the same loop, alternating alarms:

* the `alarm_response.yaml` blueprint (loaded from a temporary config dir exactly as a user
  would have it, snapshot helper off, persistent notification off), and
* a bare `async_track_state_change_event` listener that calls the same services at once
  (`asyncio.gather`) — the lower bound for "an automation that reacts to smoke".

The services (lock.unlock, light.turn_on, climate.set_hvac_mode, climate.set_fan_mode,
notify.family) are registered as instant handlers that record when they were called and,
for locks, report the lock unlocked (so the blueprint's verification finishes at once). The
latency of one alarm is the time from writing the sensor's `on` state to the moment the last
of those calls arrived. Between alarms the sensor goes back off and the locks relock.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Callable
from pathlib import Path
import shutil
import statistics
import sys
import tempfile
import time
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from homeassistant import loader
from homeassistant.core import Event, EventStateChangedData, HomeAssistant, ServiceCall
from homeassistant.helpers.event import async_track_state_change_event
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import async_test_home_assistant

ROOT = Path(__file__).resolve().parent.parent
BLUEPRINT = ROOT / "automations" / "alarm_response.yaml"
REQUIRED = {
    "lock.unlock",
    "light.turn_on",
    "climate.set_hvac_mode",
    "climate.set_fan_mode",
    "notify.family",
}
BLUEPRINT_SENSOR = "binary_sensor.kitchen_smoke"
BARE_SENSOR = "binary_sensor.hall_smoke"


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))
    return ordered[index]


def describe(name: str, samples: list[float]) -> str:
    ms = [value * 1000 for value in samples]
    return (
        f"{name:<22} n={len(ms):>5}  p50={percentile(ms, 0.5):7.3f} ms  "
        f"p99={percentile(ms, 0.99):7.3f} ms  max={max(ms):7.3f} ms  "
        f"mean={statistics.fmean(ms):7.3f} ms"
    )


class Recorder:
    """Collects the service calls of the alarm in progress."""

    def __init__(self, hass: HomeAssistant) -> None:
        self.hass = hass
        self.seen: set[str] = set()
        self.done: asyncio.Future[float] | None = None

    def arm(self) -> asyncio.Future[float]:
        self.seen = set()
        self.done = self.hass.loop.create_future()
        return self.done

    def handler(self, name: str) -> Callable[[ServiceCall], Any]:
        async def handle(call: ServiceCall) -> None:
            now = time.perf_counter()
            if name == "lock.unlock":
                for entity_id in call.data.get("entity_id", []):
                    self.hass.states.async_set(entity_id, "unlocked")
            self.seen.add(name)
            if self.done is not None and not self.done.done() and self.seen >= REQUIRED:
                self.done.set_result(now)

        return handle


async def setup(
    hass: HomeAssistant, config_dir: Path, locks: int, lights: int
) -> Recorder:
    recorder = Recorder(hass)
    for service in [*REQUIRED, "logbook.log", "persistent_notification.create"]:
        domain, name = service.split(".")
        hass.services.async_register(domain, name, recorder.handler(service))
    hass.states.async_set("zone.home", "1", {"persons": []})
    for number in range(locks):
        hass.states.async_set(f"lock.door_{number}", "locked")
    for number in range(lights):
        hass.states.async_set(f"light.hall_{number}", "off")
    hass.states.async_set(
        "climate.living_room",
        "heat",
        {"fan_mode": "on", "fan_modes": ["on", "auto"], "hvac_modes": ["off", "heat"]},
    )
    for sensor in (BLUEPRINT_SENSOR, BARE_SENSOR):
        hass.states.async_set(sensor, "off", {"device_class": "smoke"})

    target = config_dir / "blueprints" / "automation" / "local_home_bridge"
    target.mkdir(parents=True)
    shutil.copy(BLUEPRINT, target / BLUEPRINT.name)
    hass.config.config_dir = str(config_dir)
    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": {
                "id": "bench",
                "alias": "Bench",
                "use_blueprint": {
                    "path": f"local_home_bridge/{BLUEPRINT.name}",
                    "input": {
                        "alarm_sensors": [BLUEPRINT_SENSOR],
                        "locks": [f"lock.door_{n}" for n in range(locks)],
                        "escape_lights": [f"light.hall_{n}" for n in range(lights)],
                        "area_lights": False,
                        "climates": ["climate.living_room"],
                        "notify_actions": ["notify.family"],
                        "persistent_notification": False,
                        "unlock_verify_seconds": 10,
                    },
                },
            }
        },
    )
    await hass.async_block_till_done()
    state = hass.states.get("automation.bench")
    assert state is not None
    assert state.state == "on", "the blueprint did not load"

    lock_ids = [f"lock.door_{n}" for n in range(locks)]
    light_ids = [f"light.hall_{n}" for n in range(lights)]

    async def bare_listener(event: Event[EventStateChangedData]) -> None:
        new = event.data["new_state"]
        if new is None or new.state != "on":
            return
        call = hass.services.async_call
        await asyncio.gather(
            call("lock", "unlock", {"entity_id": lock_ids}, blocking=True),
            call(
                "light",
                "turn_on",
                {"entity_id": light_ids, "brightness_pct": 100},
                blocking=True,
            ),
            call(
                "climate",
                "set_hvac_mode",
                {"entity_id": "climate.living_room", "hvac_mode": "off"},
                blocking=True,
            ),
            call(
                "climate",
                "set_fan_mode",
                {"entity_id": "climate.living_room", "fan_mode": "auto"},
                blocking=True,
            ),
            call("notify", "family", {"message": "Smoke detected"}, blocking=True),
        )

    async_track_state_change_event(hass, [BARE_SENSOR], bare_listener)
    return recorder


async def one_alarm(
    hass: HomeAssistant, recorder: Recorder, sensor: str, locks: int
) -> float:
    finished = recorder.arm()
    started = time.perf_counter()
    hass.states.async_set(sensor, "on", {"device_class": "smoke"})
    done_at = await asyncio.wait_for(finished, timeout=10)
    latency = done_at - started
    # Let the run finish (verification, logbook, door notification) before the next alarm.
    await hass.async_block_till_done()
    hass.states.async_set(sensor, "off", {"device_class": "smoke"})
    for number in range(locks):
        hass.states.async_set(f"lock.door_{number}", "locked")
    hass.states.async_set(
        "climate.living_room",
        "heat",
        {"fan_mode": "on", "fan_modes": ["on", "auto"], "hvac_modes": ["off", "heat"]},
    )
    await hass.async_block_till_done()
    return latency


async def run(alarms: int, locks: int, lights: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        async with async_test_home_assistant(config_dir=tmp) as hass:
            hass.data.pop(loader.DATA_CUSTOM_COMPONENTS, None)
            recorder = await setup(hass, Path(tmp), locks, lights)
            blueprint: list[float] = []
            bare: list[float] = []
            for _ in range(20):  # warm-up: template compilation, first-call caches
                await one_alarm(hass, recorder, BLUEPRINT_SENSOR, locks)
                await one_alarm(hass, recorder, BARE_SENSOR, locks)
            for _ in range(alarms):
                blueprint.append(
                    await one_alarm(hass, recorder, BLUEPRINT_SENSOR, locks)
                )
                bare.append(await one_alarm(hass, recorder, BARE_SENSOR, locks))
            await hass.async_stop(force=True)

    print(f"alarm → all of {sorted(REQUIRED)} issued; {locks} locks, {lights} lights")
    print(describe("blueprint", blueprint))
    print(describe("bare listener", bare))
    p50_ratio = percentile(blueprint, 0.5) / percentile(bare, 0.5)
    p99_ratio = percentile(blueprint, 0.99) / percentile(bare, 0.99)
    print(f"ratio blueprint/bare   p50 x{p50_ratio:.1f}  p99 x{p99_ratio:.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--alarms", type=int, default=1000)
    parser.add_argument("--locks", type=int, default=2)
    parser.add_argument("--lights", type=int, default=3)
    args = parser.parse_args()
    if args.alarms < 1:
        parser.error("--alarms must be at least 1")
    asyncio.run(run(args.alarms, args.locks, args.lights))


if __name__ == "__main__":
    main()
