"""Load the integration puts on a thermostat, and command → confirmed-state latency.

Run: python bench/venstar_integration_load.py [--hours 6] [--commands 20] [--latency-ms 0]

Sets the real integration up in a Home Assistant test instance against the emulator over
loopback HTTP, then:

1. steady state: moves HA's clock through `--hours` of polling (15 s ticks, no real waiting)
   and counts the requests the emulator received, per hour and per document, next to what
   core's venstar integration sends (4 GETs every 60 s = 240 per hour);
2. commands: real time, real request pacing; for `--commands` set_temperature calls, the time
   from the service call until the climate entity shows the new target, and the requests one
   command costs, with the model's request gap (none for a ColorTouch) and with a 1 s gap (what
   older models get). `--latency-ms` adds device latency per request.

`bench/venstar_side_by_side.py` measures the same against HA core's integration on real
Home Assistant processes.
"""

from __future__ import annotations

import argparse
import asyncio
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
import statistics
import sys
import tempfile
import time
from unittest.mock import patch

from aiohttp.resolver import AsyncResolver
from freezegun import freeze_time

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from homeassistant import loader
from homeassistant.const import CONF_HOST, CONF_PORT
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util
from homeassistant.util.unit_system import US_CUSTOMARY_SYSTEM
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
    async_test_home_assistant,
)

from custom_components.venstar_local.const import (
    CONF_HTTPS,
    CONF_IDENTITY,
    DOMAIN,
    MIN_REQUEST_GAP,
)
from emulators.venstar import VenstarEmulator

CORE_REQUESTS_PER_HOUR = 4 * 60
CLIMATE = "climate.colortouch"


def _entry(emulator: VenstarEmulator) -> MockConfigEntry:
    return MockConfigEntry(
        domain=DOMAIN,
        title="COLORTOUCH",
        data={
            CONF_HOST: "127.0.0.1",
            CONF_PORT: emulator.port,
            CONF_HTTPS: False,
            CONF_IDENTITY: {
                "name": "COLORTOUCH",
                "model": "COLORTOUCH",
                "device_type": "residential",
            },
        },
    )


async def _setup(hass: HomeAssistant, emulator: VenstarEmulator) -> MockConfigEntry:
    hass.data.pop(loader.DATA_CUSTOM_COMPONENTS, None)
    hass.config.units = US_CUSTOMARY_SYSTEM
    entry = _entry(emulator)
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    return entry


async def steady_state(hours: float) -> None:
    """Requests per hour once set up (HA's clock moved in 30 s ticks)."""
    emulator = VenstarEmulator()
    await emulator.start()
    with (
        tempfile.TemporaryDirectory() as config_dir,
        freeze_time(dt_util.utcnow()) as frozen,
        # HA's utcnow is a fast C-level alias freezegun does not see; follow the frozen clock.
        patch("homeassistant.util.dt.utcnow", side_effect=lambda: datetime.now(UTC)),
        patch("custom_components.venstar_local.client_factory.MIN_REQUEST_GAP", 0),
    ):
        async with async_test_home_assistant(config_dir=config_dir) as hass:
            entry = await _setup(hass, emulator)
            start = len(emulator.requests)
            ticks = int(hours * 3600 / 15)
            for _ in range(ticks):
                emulator.advance(15)
                frozen.tick(timedelta(seconds=15))
                async_fire_time_changed(hass)
                await hass.async_block_till_done(wait_background_tasks=True)
            requests = emulator.requests[start:]
            await hass.config_entries.async_unload(entry.entry_id)
    await emulator.stop()
    per_hour = len(requests) / hours
    print(f"steady state over {hours:g} h of polling (simulated clock)")
    print(
        f"  requests per hour: {per_hour:.1f} (core venstar: {CORE_REQUESTS_PER_HOUR})"
    )
    print(f"  load vs core: {per_hour / CORE_REQUESTS_PER_HOUR:.0%}")
    print("  state (/query/info) age at worst: 60 s (core: 63 s)")
    for path, count in sorted(Counter(r.path for r in requests).items()):
        print(f"  {path:<16} {count / hours:7.1f} per hour")
    print(
        f"  max concurrent requests seen by the device: {emulator.max_concurrent_requests}"
    )


async def commands(count: int, latency_ms: float, gap: float | None) -> None:
    """Service call → climate entity showing the device-confirmed target (real time)."""
    patcher = patch(
        "custom_components.venstar_local.client_factory.MIN_REQUEST_GAP", gap
    )
    patcher.start()
    emulator = VenstarEmulator()
    await emulator.start()
    if latency_ms:
        emulator.faults.latency(latency_ms / 1000)
    with tempfile.TemporaryDirectory() as config_dir:
        async with async_test_home_assistant(config_dir=config_dir) as hass:
            entry = await _setup(hass, emulator)
            timings: list[float] = []
            per_command: list[int] = []
            for index in range(count):
                target = 68 + index % 6
                before = len(emulator.requests)
                started = time.perf_counter()
                await hass.services.async_call(
                    "climate",
                    "set_temperature",
                    {"entity_id": CLIMATE, "temperature": target},
                    blocking=True,
                )
                state = hass.states.get(CLIMATE)
                elapsed = time.perf_counter() - started
                assert state is not None
                assert state.attributes["temperature"] == target
                assert emulator.state.heattemp == target
                timings.append(elapsed * 1000)
                per_command.append(len(emulator.requests) - before)
            await hass.config_entries.async_unload(entry.entry_id)
    await emulator.stop()
    patcher.stop()
    print(
        f"command -> confirmed state ({count} set_temperature calls, "
        f"device latency {latency_ms:g} ms, request gap "
        f"{'of the model' if gap is None else f'{gap:g} s'})"
    )
    print(
        f"  latency ms: median {statistics.median(timings):.1f}, "
        f"p90 {statistics.quantiles(timings, n=10)[-1]:.1f}, max {max(timings):.1f}"
    )
    print(
        f"  requests per command: {statistics.mean(per_command):.1f} "
        "(POST, read-back GET info; the first one also reads the state first)"
    )
    print(
        "  core venstar: optimistic state, device state confirmed at the next 60 s poll"
    )


async def main() -> None:
    """Run both measurements."""
    # As in HA's test harness: plain DNS instead of HA's zeroconf-backed resolver.
    patch(
        "homeassistant.helpers.aiohttp_client._async_make_resolver",
        return_value=AsyncResolver(),
    ).start()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hours", type=float, default=6.0)
    parser.add_argument("--commands", type=int, default=20)
    parser.add_argument("--latency-ms", type=float, default=0.0)
    args = parser.parse_args()
    await steady_state(args.hours)
    await commands(args.commands, args.latency_ms, MIN_REQUEST_GAP)
    await commands(args.commands, args.latency_ms, 1.0)


if __name__ == "__main__":
    asyncio.run(main())
