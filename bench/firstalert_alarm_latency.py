"""Alarm latency: Notification value update into zwave_js → household entity and event.

Run: python bench/firstalert_alarm_latency.py [--detectors 50] [--alarms 1000]

Sets up HA's real zwave_js (simulated websocket client, real zwave-js-server-python models)
with `--detectors` ZCOMBO-G nodes and the firstalert_zwave entry, then for `--alarms` rounds
picks a detector, injects "Smoke Alarm / Sensor status" 0→2 exactly as zwave-js-server sends
it, and later 2→0. For each injection it records the time until

* the household smoke binary sensor changed state (state_changed listener), and
* the `firstalert_zwave_alarm` bus event was delivered,

and also the time the synchronous part (client receive → our entity write) took. Every
second round a second detector alarms first, so half of the clears leave the household in
alarm (the aggregation path with more than one detector involved is measured too).
"""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path
import random
import statistics
import sys
import time
from typing import Any
from unittest.mock import patch

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from homeassistant import loader
from homeassistant.core import Event, HomeAssistant
from pytest_homeassistant_custom_component.common import async_test_home_assistant

import custom_components.firstalert_zwave  # noqa: F401 - our package, not phcc's
from custom_components.firstalert_zwave.const import EVENT_ALARM
from tests.firstalert_zwave.harness import (
    SMOKE_SENSOR,
    ZwaveNetwork,
    async_setup_firstalert,
    async_setup_zwave_js,
    zcombo_g_state,
)

HOUSEHOLD_SMOKE = "binary_sensor.first_alert_household_smoke"


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))
    return ordered[index]


def describe(name: str, samples: list[float]) -> str:
    ms = [value * 1000 for value in samples]
    return (
        f"{name:<42} n={len(ms):>5}  p50={percentile(ms, 0.5):7.3f} ms  "
        f"p99={percentile(ms, 0.99):7.3f} ms  max={max(ms):7.3f} ms  "
        f"mean={statistics.fmean(ms):7.3f} ms"
    )


async def run(detectors: int, alarms: int, seed: int) -> None:
    rng = random.Random(seed)
    network = ZwaveNetwork()
    node_ids = list(range(2, 2 + detectors))
    network.add(
        *(zcombo_g_state(node_id, name=f"Detector {node_id}") for node_id in node_ids)
    )
    async with async_test_home_assistant() as hass:
        hass.data.pop(loader.DATA_CUSTOM_COMPONENTS)
        with patch(
            "homeassistant.components.zwave_js.ZwaveClient",
            side_effect=network.new_client,
        ):
            started = time.perf_counter()
            await async_setup_zwave_js(hass, network)
            zwave_ready = time.perf_counter()
            await async_setup_firstalert(hass)
            ours_ready = time.perf_counter()
            print(
                f"setup: zwave_js with {detectors} nodes {zwave_ready - started:.2f} s, "
                f"firstalert_zwave {ours_ready - zwave_ready:.3f} s"
            )
            await measure(hass, network, node_ids, alarms, rng)
            await hass.async_stop(force=True)


async def measure(
    hass: HomeAssistant,
    network: ZwaveNetwork,
    node_ids: list[int],
    alarms: int,
    rng: random.Random,
) -> None:
    marks: dict[str, float] = {}

    def on_state(event: Event[Any]) -> None:
        if event.data["entity_id"] == HOUSEHOLD_SMOKE:
            marks["state"] = time.perf_counter()

    def on_alarm(event: Event[Any]) -> None:
        marks.setdefault(
            f"event_{event.data['type']}_{event.data['node_id']}", time.perf_counter()
        )

    hass.bus.async_listen("state_changed", on_state)
    hass.bus.async_listen(EVENT_ALARM, on_alarm)

    sync_part: list[float] = []
    to_state_on: list[float] = []
    to_event_on: list[float] = []
    to_event_off: list[float] = []
    to_state_off: list[float] = []

    async def inject(node_id: int, value: int) -> tuple[float, float, float | None]:
        marks.clear()
        start = time.perf_counter()
        network.update(node_id, SMOKE_SENSOR, value)
        sync_done = time.perf_counter()
        await hass.async_block_till_done()
        kind = "started" if value else "cleared"
        event_at = marks[f"event_{kind}_{node_id}"]
        return (
            sync_done - start,
            event_at - start,
            marks.get("state", 0.0) - start or None,
        )

    for round_no in range(alarms):
        first, second = rng.sample(node_ids, 2)
        overlapping = round_no % 2 == 1
        if overlapping:
            await inject(second, 2)
        sync_s, event_s, state_s = await inject(first, 2)
        sync_part.append(sync_s)
        to_event_on.append(event_s)
        if state_s is not None:
            to_state_on.append(state_s)
        sync_s, event_s, state_s = await inject(first, 0)
        sync_part.append(sync_s)
        to_event_off.append(event_s)
        if state_s is not None and not overlapping:
            to_state_off.append(state_s)
        if overlapping:
            await inject(second, 0)
        assert hass.states.get(HOUSEHOLD_SMOKE).state == "off"  # type: ignore[union-attr]

    print(
        f"{alarms} alarms over {len(node_ids)} detectors (every 2nd with another alarming)"
    )
    print(describe("receive → our entity writes (synchronous)", sync_part))
    print(describe("value update → household smoke entity (on)", to_state_on))
    print(describe("value update → 'started' bus event", to_event_on))
    print(describe("value update → household smoke entity (off)", to_state_off))
    print(describe("value update → 'cleared' bus event", to_event_off))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--detectors", type=int, default=50)
    parser.add_argument("--alarms", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    asyncio.run(run(args.detectors, args.alarms, args.seed))


if __name__ == "__main__":
    main()
