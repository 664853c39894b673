"""The whole product on real processes: cold start, and smoke trigger → each response action.

Run: python bench/product_alarm_latency.py [--alarms 10]

Starts the stack exactly as `scripts/develop` does (Venstar emulator, simulated Z-Wave network,
Home Assistant provisioned through its config flows) on free loopback ports in a temporary dir,
then raises smoke on the simulated ZCOMBO-G again and again with the residents home. For each
alarm it measures, from the moment the detector's report was requested on the simulator's
control server:

* household smoke on, doors unlocked, escape lights on, thermostat off in Home Assistant (the
  `last_changed` of each new state, pushed over the websocket API), and
* the thermostat itself off: the emulator's own record of the `POST /control` that switched it
  off (its answer written), read from `/_emulator/requests` (both processes use the same
  monotonic clock).

Between alarms the detector clears, the blueprint restores the HVAC and the house is reset.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime
from pathlib import Path
import statistics
import sys
import tempfile
import time
from typing import Any

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from devstack.rest import HomeAssistantRest
from devstack.stack import ProductStack, StackPorts
from tests.e2e.house import (
    FAN_AUTO,
    HOUSEHOLD_SMOKE,
    LIGHTS,
    LOCKS,
    MODE_HEAT,
    MODE_OFF,
    THERMOSTAT,
    ZCOMBO_G,
    DemoHouse,
)

WATCHED = {
    HOUSEHOLD_SMOKE: "on",
    **dict.fromkeys(LOCKS, "unlocked"),
    **dict.fromkeys(LIGHTS, "on"),
    THERMOSTAT: "off",
}


def describe(name: str, samples_ms: list[float]) -> str:
    ordered = sorted(samples_ms)
    return (
        f"{name:<34} median {statistics.median(ordered):7.1f} ms   "
        f"min {ordered[0]:7.1f}   max {ordered[-1]:7.1f}   (n={len(ordered)})"
    )


async def watch_states(
    ws: aiohttp.ClientWebSocketResponse, seen: dict[str, float], since: float
) -> None:
    """Record the wall-clock time each watched entity reached its alarm state after `since`."""
    async for message in ws:
        event = message.json().get("event")
        if not event:
            continue
        data = event["data"]
        new = data.get("new_state") or {}
        entity_id = data.get("entity_id")
        if WATCHED.get(entity_id) != new.get("state") or entity_id in seen:
            continue
        changed = datetime.fromisoformat(new["last_changed"]).timestamp()
        if changed >= since:  # not an older state still queued on the socket
            seen[entity_id] = changed


async def control_answered(
    house: DemoHouse, since: float, field: str, value: str
) -> float | None:
    """Monotonic time the emulator answered the first `POST /control` setting field=value."""
    async with house.session.get(
        f"{house.stack.venstar_url}/_emulator/requests"
    ) as resp:
        requests: list[dict[str, Any]] = (await resp.json())["requests"]
    ends = [
        request["end"]
        for request in requests
        if request["method"] == "POST"
        and request["path"] == "/control"
        and (request.get("form") or {}).get(field) == value
        and request["start"] >= since
        and request["end"] is not None
    ]
    return min(ends) if ends else None


async def run(stack: ProductStack, alarms: int) -> None:
    assert stack.homeassistant is not None
    device = {"mode off": ("mode", "0"), "fan auto": ("fan", "0")}
    figures: dict[str, list[float]] = {name: [] for name in (*WATCHED, *device)}
    async with aiohttp.ClientSession() as session:
        rest = HomeAssistantRest(stack.homeassistant.url, session)
        await rest.login()
        house = DemoHouse(stack, rest, session)
        async with rest.connect_websocket() as ws:
            await ws.send_json(
                {"id": 1, "type": "subscribe_events", "event_type": "state_changed"}
            )
            await ws.receive_json()
            for _ in range(alarms):
                await house.reset()
                seen: dict[str, float] = {}
                began_wall, began_mono = time.time(), time.monotonic()
                watcher = asyncio.create_task(watch_states(ws, seen, began_wall))
                await house.trigger("smoke/on", ZCOMBO_G)
                await house.wait_for("every action seen", _all_seen(seen))
                await house.wait_thermostat(mode=MODE_OFF, fan=FAN_AUTO)
                watcher.cancel()
                for entity_id in WATCHED:
                    figures[entity_id].append((seen[entity_id] - began_wall) * 1000)
                for name, (field, value) in device.items():
                    answered = await control_answered(house, began_mono, field, value)
                    assert answered is not None, f"no POST /control {field}={value}"
                    figures[name].append((answered - began_mono) * 1000)
                await house.trigger("smoke/off", ZCOMBO_G)
                await house.wait_thermostat(mode=MODE_HEAT)
    print(f"\nsmoke trigger → state in Home Assistant, {alarms} alarms (last_changed):")
    for entity_id in WATCHED:
        print(describe(entity_id, figures[entity_id]))
    print(
        "\nsmoke trigger → the emulated thermostat answered the command (POST /control):"
    )
    for name in device:
        print(describe(name, figures[name]))


def _all_seen(seen: dict[str, float]) -> Callable[[], Awaitable[bool]]:
    async def check() -> bool:
        return set(WATCHED) <= set(seen)

    return check


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--alarms", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        stack = ProductStack(Path(tmp, "config"), Path(tmp, "state"), StackPorts.free())
        try:
            stack.start()
            print("cold start of the stack (s, cumulative):")
            for step, seconds in stack.timings.items():
                print(f"  {step:<22} {seconds:6.1f}")
            asyncio.run(run(stack, args.alarms))
        finally:
            began = time.monotonic()
            stack.stop()
            print(f"\nstop: {time.monotonic() - began:.1f} s")


if __name__ == "__main__":
    main()
