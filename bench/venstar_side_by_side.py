"""HA core's `venstar` and `venstar_local` side by side, on real Home Assistant processes.

Run: .venv/bin/python bench/venstar_side_by_side.py [--steady-minutes 5] [--thermostats 10]
     [--outage-seconds 150] [--repeats 5] [--commands-only]

Home Assistant 2025.4.4 processes start on free loopback ports (devstack) with one minimal
configuration: a baseline without thermostats, core's `venstar` (its library venstarcolortouch
0.19, what HA 2025.4.4 pins) with one thermostat, `venstar_local` with one, and `venstar_local`
with `--thermostats` of them. Each integration is added through its config flow over REST with
default options, as a user would. Every thermostat is an emulator (ColorTouch profile) served
from this process and following the same quick thermal model: the room temperature climbs
about a degree every 30 s and falls about a degree a minute, at rates that change every 10 s,
so most polls have something to show and changes fall at every point between two polls.

1. Steady window (`--steady-minutes`): requests each emulator received; room-temperature
   staleness - for every change of the emulated room temperature, the time until Home
   Assistant shows the device's value again (websocket state events); CPU seconds of each
   process (the scheduler's exact count) minus the baseline process, and how busy the rest of
   the machine was (a busy machine inflates every CPU figure). Hourly figures extrapolate the
   window. Documents venstar_local reads less often than the window lasts (``GET /``, the
   sensors list, runtimes and alerts every 30 min) cannot be observed in a short window; they
   are added at their cadence, and the output says so.
2. Commands over REST like the UI, each prepared by setting the device and refreshing the
   entity: set_temperature (whole and half degree), the alarm-style pair set_hvac_mode off +
   set_fan_mode auto, and venstar_local.emergency_shutoff, with the schedule off and running;
   each runs about a second after that refresh, as in a burst of commands. Then a single
   set_temperature after the thermostat had no request for `QUIET` seconds (longer than
   venstar_local's 10 s state bound and the 15 s a connection is kept alive), the usual case
   of one command out of the blue, and venstar_local's emergency shutoff the same way (an
   alarm out of the blue). "Device has it" is when the emulator applied the write,
   "HA shows the device's value" the first state event that matches the device; core's
   optimistic values are followed until its next poll corrects them.
3. Outage: both single thermostats stop answering for `--outage-seconds`, then come back.

`--commands-only` runs part 2 alone (no steady window, outage or `--thermostats` process).
"""

from __future__ import annotations

import argparse
import asyncio
from bisect import bisect_right
from collections.abc import Callable
from contextlib import AsyncExitStack, suppress
from dataclasses import dataclass, field
from functools import partial
import os
from pathlib import Path
import random
import statistics
import sys
import tempfile
import time
from typing import Any

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from custom_components.venstar_local.api.client import API_INFO_MAX_AGE
from custom_components.venstar_local.const import (
    ALERTS_INTERVAL,
    RUNTIMES_INTERVAL,
    SENSORS_INTERVAL,
)
from devstack.homeassistant import HomeAssistantServer
from devstack.ports import free_port
from devstack.rest import HomeAssistantRest, RestError
from emulators.venstar import VenstarEmulator
from emulators.venstar.state import DeviceState

CONFIGURATION = """\
homeassistant:
  name: Side by side
  country: US
  time_zone: America/New_York
  unit_system: us_customary
  latitude: 40.7128
  longitude: -74.0060
  elevation: 10
http:
  server_host: 127.0.0.1
  server_port: !env_var HA_PORT 8123
config:
logger:
  default: warning
"""
CLIMATE = "climate.colortouch"
# Thermal model (°F per hour): heat 68 -> 74 a degree every 30 s, drift back a degree a minute.
HEAT_RATE = 120.0
DRIFT_RATE = 60.0
RATE_PERIOD = 10.0  # seconds between changes of the rates in the steady window
RATE_SEED = 13
HYSTERESIS = 6.0
SETPOINT = 74.0
RIGHT_WAIT = 75.0  # core corrects an optimistic value at its next poll (about 63 s)
STATE_WAIT = 20.0
QUIET = 20.0  # seconds without a request before the single command
SETTLE = 60.0  # seconds between setting up and measuring


@dataclass
class Side:
    """One Home Assistant process and the thermostats it polls."""

    name: str
    server: HomeAssistantServer
    emulators: list[VenstarEmulator]
    rest: HomeAssistantRest | None = None
    events: dict[str, list[tuple[float, str, dict[str, Any]]]] = field(
        default_factory=dict
    )
    watcher: asyncio.Task[None] | None = None

    @property
    def emulator(self) -> VenstarEmulator:
        return self.emulators[0]

    def cpu_seconds(self) -> float:
        pid = self.server.pid
        assert pid is not None
        return process_cpu_seconds(pid)

    def log_lines(self) -> int:
        log = self.server.config_dir / "home-assistant.log"
        return log.read_text(errors="replace").count("\n") if log.exists() else 0


def process_cpu_seconds(pid: int) -> float:
    """CPU time of every live thread of `pid`, in nanoseconds from the scheduler.

    ``/proc/<pid>/stat`` counts in 10 ms ticks, and an idle integration uses only a few
    dozen of them in a window; the scheduler's own count (schedstat) is exact. Home
    Assistant's threads (loop, executor pool) live as long as the process.
    """
    total = 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        with suppress(OSError):  # a thread ending while it is read
            total += int((task / "schedstat").read_text().split()[0])
    return total / 1e9


def machine_busy_seconds() -> float:
    """CPU seconds the whole machine spent busy (all cores), from /proc/stat."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle, iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def new_emulator(name: str = "COLORTOUCH") -> VenstarEmulator:
    """A ColorTouch on real time whose room temperature keeps moving."""
    emulator = VenstarEmulator(name=name, clock=time.time)
    state = emulator.state
    state.mode, state.heattemp, state.spacetemp = 1, SETPOINT, SETPOINT - HYSTERESIS
    emulator.heat_rate, emulator.drift_rate = HEAT_RATE, DRIFT_RATE
    emulator.device.hysteresis = HYSTERESIS
    # Core shows the "Space Temp" sensor, venstar_local `spacetemp`: make them the same
    # reading (the model moves both together), so both are judged against one value.
    for sensor in emulator.sensors:
        if not sensor.is_remote and sensor.name != "Outdoor":
            sensor.temp = state.spacetemp
    return emulator


def loop_time() -> float:
    return asyncio.get_running_loop().time()


# ----- processes and setup --------------------------------------------------------------
async def start_servers(sides: list[Side]) -> None:
    """Start every process at once (each start blocks until HTTP answers)."""
    await asyncio.gather(*(asyncio.to_thread(side.server.start) for side in sides))


async def add_integration(rest: HomeAssistantRest, domain: str, port: int) -> None:
    user_input: dict[str, Any]
    if domain == "venstar":
        user_input = {"host": f"127.0.0.1:{port}", "ssl": False}
    else:
        user_input = {"host": "127.0.0.1", "port": port, "https": False}
    result = await rest.config_flow(domain, user_input)
    if result.get("type") != "create_entry":
        raise RestError(f"adding {domain} did not create an entry: {result}")


async def watch(side: Side, ready: asyncio.Event) -> None:
    """Record every state change of the side's climate entities, stamped on arrival.

    Only the climate entities are subscribed to (a state trigger), so serialising other
    entities' changes for this watcher costs no process CPU that a user would not see.
    """
    assert side.rest is not None
    climates = []
    for entity_id, state in (await side.rest.states()).items():
        if entity_id.startswith("climate."):
            climates.append(entity_id)
            side.events[entity_id] = [(0.0, state["state"], state["attributes"])]
    async with side.rest.connect_websocket() as ws:
        await ws.send_json(
            {
                "id": 1,
                "type": "subscribe_trigger",
                "trigger": {"platform": "state", "entity_id": climates},
            }
        )
        await ws.receive_json()
        ready.set()
        while True:
            message = await ws.receive_json()
            trigger = message.get("event", {}).get("variables", {}).get("trigger", {})
            new = trigger.get("to_state")
            if new and new["entity_id"].startswith("climate."):
                side.events.setdefault(new["entity_id"], []).append(
                    (loop_time(), new["state"], new["attributes"])
                )


async def sample_devices(
    emulators: list[VenstarEmulator], traces: list[list[tuple[float, float]]]
) -> None:
    """Follow each emulated room temperature (the model runs to now on every look).

    Every `RATE_PERIOD` the room warms and cools at new rates around the model's (the same
    seeded sequence for every thermostat). With fixed rates a degree would change at the same
    point between two polls all through the window, and that point, a matter of luck, would
    decide the median age; varied rates make changes fall everywhere between polls.
    """
    rates = [random.Random(RATE_SEED) for _ in emulators]
    next_change = loop_time()
    while True:
        now = loop_time()
        for emulator, trace in zip(emulators, traces, strict=True):
            emulator.catch_up()
            value = float(emulator.state.spacetemp)
            if not trace or trace[-1][1] != value:
                trace.append((now, value))
        if now >= next_change:
            next_change = now + RATE_PERIOD
            for emulator, rng in zip(emulators, rates, strict=True):
                emulator.heat_rate = HEAT_RATE * rng.uniform(0.5, 1.5)
                emulator.drift_rate = DRIFT_RATE * rng.uniform(0.5, 1.5)
        await asyncio.sleep(0.2)


# ----- steady window -------------------------------------------------------------------
def value_at(trace: list[tuple[float, float]], moment: float) -> float | None:
    index = bisect_right([t for t, _ in trace], moment) - 1
    return trace[index][1] if index >= 0 else None


def staleness(
    device: list[tuple[float, float]],
    shown: list[tuple[float, float]],
    start: float,
    end: float,
) -> list[float]:
    """For each device change in [start, end): seconds until HA shows the device's value."""
    delays = []
    for changed_at, _ in device:
        if not start <= changed_at < end:
            continue
        moments = sorted(
            {changed_at}
            | {t for t, _ in device if t > changed_at}
            | {t for t, _ in shown if t > changed_at}
        )
        for moment in moments:
            if value_at(shown, moment) == value_at(device, moment):
                delays.append(moment - changed_at)
                break
    return delays


def shown_temperatures(side: Side) -> list[tuple[float, float]]:
    trace: list[tuple[float, float]] = []
    for moment, _, attributes in side.events.get(CLIMATE, []):
        value = attributes.get("current_temperature")
        if value is not None and (not trace or trace[-1][1] != float(value)):
            trace.append((moment, float(value)))
    return trace


@dataclass
class Steady:
    minutes: float
    requests: dict[str, list[int]]
    paths: dict[str, dict[str, int]]
    cpu: dict[str, float]
    staleness: dict[str, list[float]]
    other_load: float


async def steady_window(sides: dict[str, Side], minutes: float) -> Steady:
    starts = {
        name: len(side.emulator.requests)
        for name, side in sides.items()
        if side.emulators
    }
    counts = {
        name: [len(emulator.requests) for emulator in side.emulators]
        for name, side in sides.items()
    }
    cpu_start = {name: side.cpu_seconds() for name, side in sides.items()}
    busy_start, own_start = machine_busy_seconds(), time.process_time()
    traces: list[list[tuple[float, float]]] = [[], []]
    sampler = asyncio.create_task(
        sample_devices([sides["core"].emulator, sides["ours"].emulator], traces)
    )
    window_start = loop_time()
    await asyncio.sleep(minutes * 60)
    window_end = loop_time()
    cpu = {name: side.cpu_seconds() - cpu_start[name] for name, side in sides.items()}
    # Whatever else ran on the machine meanwhile (not Home Assistant, not this bench's
    # emulators): a busy machine slows every process and inflates the CPU figures.
    other_load = (
        machine_busy_seconds()
        - busy_start
        - (time.process_time() - own_start)
        - sum(cpu.values())
    )
    sampler.cancel()
    with suppress(asyncio.CancelledError):
        await sampler
    requests = {
        name: [
            len(emulator.requests) - before
            for emulator, before in zip(side.emulators, counts[name], strict=True)
        ]
        for name, side in sides.items()
    }
    paths: dict[str, dict[str, int]] = {}
    for name, side in sides.items():
        if not side.emulators:
            continue
        tally: dict[str, int] = {}
        for record in side.emulator.requests[starts[name] :]:
            tally[record.path] = tally.get(record.path, 0) + 1
        paths[name] = tally
    # Let HA catch up with the last changes of the window before judging it.
    await asyncio.sleep(RIGHT_WAIT)
    delays = {
        name: staleness(
            trace, shown_temperatures(sides[name]), window_start, window_end
        )
        for name, trace in zip(("core", "ours"), traces, strict=True)
    }
    return Steady(minutes, requests, paths, cpu, delays, other_load)


# ----- commands ------------------------------------------------------------------------
@dataclass
class Outcome:
    """One command as the device and Home Assistant saw it."""

    device_at: float | None  # seconds from the call until the device applied it
    requests: int
    right_at: (
        float | None
    )  # until HA shows the device's value (None: not within the wait)
    wrong_for: float  # seconds HA showed a value the device did not have
    error: str | None = None


@dataclass(frozen=True)
class Snapshot:
    """What a command changes on the device."""

    mode: int
    fan: int
    heattemp: float

    @classmethod
    def of(cls, state: DeviceState) -> Snapshot:
        return cls(state.mode, state.fan, float(state.heattemp))


Check = Callable[[Snapshot], bool]
_MODES = {0: "off", 1: "heat", 2: "cool", 3: "heat_cool"}


def shows(shown: str, attributes: dict[str, Any], device: Snapshot) -> bool:
    """Whether the entity shows what the device has (mode, fan, the heat target)."""
    if shown != _MODES[device.mode]:
        return False
    if attributes.get("fan_mode") != ("on" if device.fan else "auto"):
        return False
    return device.mode != 1 or attributes.get("temperature") == device.heattemp


def snapshot_at(snapshots: list[tuple[float, Snapshot]], moment: float) -> Snapshot:
    index = max(0, bisect_right([t for t, _ in snapshots], moment) - 1)
    return snapshots[index][1]


async def prepare(side: Side, **device: float) -> None:
    """Put the device in a state (as from its screen) and let HA read it."""
    assert side.rest is not None
    state = side.emulator.state
    for key, value in device.items():
        setattr(state, key, value)
    side.emulator.device.refresh()
    await side.rest.call_service(
        "homeassistant", "update_entity", {"entity_id": CLIMATE}
    )
    deadline = loop_time() + STATE_WAIT
    while loop_time() < deadline:
        _, shown, attributes = side.events[CLIMATE][-1]
        if shows(shown, attributes, Snapshot.of(state)):
            break
        await asyncio.sleep(0.05)
    await asyncio.sleep(1.0)


async def quiet(side: Side, seconds: float) -> None:
    """Wait until the thermostat has had no request for `seconds`."""
    emulator = side.emulator
    while True:
        last = emulator.requests[-1].end if emulator.requests else None
        idle = 0.0 if last is None else loop_time() - last
        if last is not None and idle >= seconds:
            return
        await asyncio.sleep(max(0.1, seconds - idle))


async def command(
    side: Side, calls: list[tuple[str, str, dict[str, Any]]], applied: Check
) -> Outcome:
    """Run service calls one after the other; time the device and the entity.

    The device's state is recorded whenever it changes (the emulator recomputes it after
    every write); each state event of the entity is compared with the device at that moment.
    """
    assert side.rest is not None
    emulator = side.emulator
    loop = asyncio.get_running_loop()
    started = loop.time()
    snapshots = [(started, Snapshot.of(emulator.state))]
    original = emulator.device.refresh

    def refresh() -> None:
        original()
        current = Snapshot.of(emulator.state)
        if current != snapshots[-1][1]:
            snapshots.append((loop.time(), current))

    emulator.device.refresh = refresh  # type: ignore[method-assign]
    before_requests = len(emulator.requests)
    events = side.events[CLIMATE]
    before_events = len(events)
    error = None
    try:
        for domain, service, data in calls:
            await side.rest.call_service(
                domain, service, {"entity_id": CLIMATE, **data}
            )
    except RestError as err:
        error = str(err).split(":")[0]
    requests = len(emulator.requests) - before_requests
    deadline = started + RIGHT_WAIT
    right_at = None
    while right_at is None and loop.time() < deadline:
        final = snapshots[-1][1]
        for moment, shown, attributes in events[before_events:]:
            if shows(shown, attributes, snapshot_at(snapshots, moment)) and shows(
                shown, attributes, final
            ):
                right_at = moment
                break
        else:
            await asyncio.sleep(0.05)
    emulator.device.refresh = original  # type: ignore[method-assign]
    wrong_for = 0.0
    watched = events[before_events:]
    end = right_at if right_at is not None else deadline
    for index, (moment, shown, attributes) in enumerate(watched):
        if moment >= end:
            break
        if not shows(shown, attributes, snapshot_at(snapshots, moment)):
            following = watched[index + 1][0] if index + 1 < len(watched) else end
            wrong_for += min(following, end) - moment
    device_at = next((t for t, snap in snapshots[1:] if applied(snap)), None)
    return Outcome(
        device_at=None if device_at is None else device_at - started,
        requests=requests,
        right_at=None if right_at is None else right_at - started,
        wrong_for=wrong_for,
        error=error,
    )


def _has_target(target: float, device: Snapshot) -> bool:
    return device.heattemp == target


def off_and_fan_auto(device: Snapshot) -> bool:
    return device.mode == 0 and device.fan == 0


OFF = [("climate", "set_hvac_mode", {"hvac_mode": "off"})]
FAN_AUTO = [("climate", "set_fan_mode", {"fan_mode": "auto"})]
SHUTOFF = [("venstar_local", "emergency_shutoff", {"fan_mode": "auto"})]


async def run_commands(
    side: Side, repeats: int, *, ours: bool
) -> dict[str, list[Outcome]]:
    results: dict[str, list[Outcome]] = {}

    async def scenario(
        key: str,
        times: int,
        setup: dict[str, int | float],
        calls: list[tuple[str, str, dict[str, Any]]],
        applied: Check,
        *,
        pause: float = 0.0,
    ) -> None:
        for _ in range(times):
            await prepare(side, **setup)
            if pause:
                await quiet(side, pause)
            results.setdefault(key, []).append(await command(side, calls, applied))

    base: dict[str, int | float] = {"mode": 1, "fan": 0, "schedule": 0, "away": 0}
    for index in range(repeats):
        target = 70.0 + index % 3
        await scenario(
            "set_temperature",
            1,
            {**base, "heattemp": 69.0},
            [("climate", "set_temperature", {"temperature": target})],
            partial(_has_target, target),
        )
    # Core waits for its next poll to correct these; one run each is enough to see it.
    slow = repeats if ours else 1
    await scenario(
        "half_degree",
        slow,
        {**base, "heattemp": 69.0},
        [("climate", "set_temperature", {"temperature": 70.5})],
        lambda s: s.heattemp != 69.0,
    )
    for schedule in (0, 1):
        setup = {**base, "fan": 1, "schedule": schedule}
        suffix = "_schedule" if schedule else ""
        await scenario(
            f"off_then_fan{suffix}",
            slow if schedule else repeats,
            setup,
            OFF + FAN_AUTO,
            off_and_fan_auto,
        )
        if ours:
            await scenario(
                f"shutoff{suffix}",
                repeats,
                setup,
                SHUTOFF,
                off_and_fan_auto,
            )
    for index in range(min(repeats, 3)):
        target = 70.0 + index % 3
        await scenario(
            "quiet",
            1,
            {**base, "heattemp": 69.0},
            [("climate", "set_temperature", {"temperature": target})],
            partial(_has_target, target),
            pause=QUIET,
        )
    if ours:
        # An alarm out of the blue: the shutoff reads the state first.
        await scenario(
            "shutoff_quiet",
            min(repeats, 3),
            {**base, "fan": 1},
            SHUTOFF,
            off_and_fan_auto,
            pause=QUIET,
        )
    await prepare(side, **{**base, "heattemp": SETPOINT})
    return results


# ----- outage --------------------------------------------------------------------------
@dataclass
class Outage:
    unavailable_after: float | None
    back_after: float | None
    log_lines_per_minute: float


async def outage(sides: list[Side], seconds: float) -> dict[str, Outage]:
    ports = [side.emulator.port for side in sides]
    lines = [side.log_lines() for side in sides]
    marks = [len(side.events[CLIMATE]) for side in sides]
    down = loop_time()
    for side in sides:
        await side.emulator.stop()
    await asyncio.sleep(seconds)
    up = loop_time()
    lines_during = [
        side.log_lines() - before for side, before in zip(sides, lines, strict=True)
    ]
    for side, port in zip(sides, ports, strict=True):
        emulator = new_emulator()
        await emulator.start(port=port)
        side.emulators[0] = emulator
    await asyncio.sleep(RIGHT_WAIT)
    result = {}
    for side, mark, during in zip(sides, marks, lines_during, strict=True):
        events = side.events[CLIMATE][mark:]
        gone = next((t for t, s, _ in events if s == "unavailable"), None)
        back = next(
            (t for t, s, _ in events if s != "unavailable" and t > up and gone), None
        )
        result[side.name] = Outage(
            unavailable_after=None if gone is None else gone - down,
            back_after=None if back is None else back - up,
            log_lines_per_minute=during / (seconds / 60),
        )
    return result


# ----- report --------------------------------------------------------------------------
def ms(value: float | None) -> str:
    return "-" if value is None else f"{value * 1000:,.0f} ms"


def median(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return statistics.median(present) if present else None


def describe(outcomes: list[Outcome], *, device: bool = True) -> str:
    errors = {o.error for o in outcomes if o.error}
    if device and all(o.device_at is None for o in outcomes):
        applied = "device refused"
    else:
        applied = f"device has it {ms(median([o.device_at for o in outcomes]))}"
    requests = statistics.median(o.requests for o in outcomes)
    right = median([o.right_at for o in outcomes])
    wrong = max(o.wrong_for for o in outcomes)
    shown = (
        f"HA shows the device's value {ms(right)}"
        if right is not None
        else f"HA not right within {RIGHT_WAIT:.0f} s"
    )
    text = f"{applied}, {requests:g} requests; {shown}"
    text += f", wrong for {wrong:.1f} s" if wrong else ", never wrong"
    if errors:
        text += f" (error: {', '.join(sorted(errors))})"
    return text


def ratio(ours: float | None, core: float | None) -> str:
    if ours is None or not core:
        return "-"
    return f"{ours / core:.2f}x"


def steady_rows(steady: Steady) -> list[tuple[str, str, str, str, str]]:
    """Print the steady window's detail; return its rows of the table."""
    hour = 3600 / (steady.minutes * 60)
    core_per_hour = steady.requests["core"][0] * hour
    info_per_hour = steady.paths["ours"].get("/query/info", 0) * hour
    other_seen = sum(n for p, n in steady.paths["ours"].items() if p != "/query/info")
    cadence = cadence_per_hour()
    ours_per_hour = info_per_hour + max(other_seen * hour, cadence)
    core_cpu = (steady.cpu["core"] - steady.cpu["baseline"]) * hour
    ours_cpu = (steady.cpu["ours"] - steady.cpu["baseline"]) * hour
    core_stale = steady.staleness["core"]
    ours_stale = steady.staleness["ours"]

    def stale(values: list[float]) -> str:
        if not values:
            return "no changes"
        return f"{statistics.median(values):.0f} s / {max(values):.0f} s ({len(values)} changes)"

    print(f"\nsteady window: {steady.minutes:g} min, extrapolated to one hour")
    print(
        "  CPU s/hour of each process (schedstat): "
        + ", ".join(f"{name} {cpu * hour:.3f}" for name, cpu in steady.cpu.items())
    )
    other = steady.other_load / (steady.minutes * 60)
    print(
        f"  other load on the machine during the window: {other:.2f} of a core"
        + (
            " - CPU figures are inflated, measure on a quiet machine"
            if other > 0.1
            else ""
        )
    )
    print(f"  core requests by path in the window: {steady.paths['core']}")
    print(f"  ours requests by path in the window: {steady.paths['ours']}")
    print(
        f"  ours per hour: /query/info {info_per_hour:.0f} measured + slower documents "
        f"{max(other_seen * hour, cadence):.0f} (at their cadence: GET / "
        f"{3600 / API_INFO_MAX_AGE:.0f}, sensors "
        f"{3600 / SENSORS_INTERVAL.total_seconds():.0f}, runtimes "
        f"{3600 / RUNTIMES_INTERVAL.total_seconds():.0f}, alerts "
        f"{3600 / ALERTS_INTERVAL.total_seconds():.0f}; a short window sees none)"
    )
    rows: list[tuple[str, str, str, str, str]] = [
        (
            "device requests/hour",
            f"{core_per_hour:.0f}",
            f"{ours_per_hour:.0f}",
            ratio(ours_per_hour, core_per_hour),
            "<= 0.35x",
        ),
        (
            "room-temperature staleness, median / max",
            stale(core_stale),
            stale(ours_stale),
            "better"
            if core_stale
            and ours_stale
            and statistics.median(ours_stale) <= statistics.median(core_stale)
            and max(ours_stale) <= max(core_stale)
            else "check",
            "no worse than core",
        ),
        (
            "integration CPU s/hour (process - baseline)",
            f"{core_cpu:.2f}",
            f"{ours_cpu:.2f}",
            ratio(ours_cpu, core_cpu),
            "<= 0.5x",
        ),
    ]
    return rows


def cadence_per_hour() -> float:
    """Requests an hour for the documents read less often than a short window lasts."""
    return 3600 / API_INFO_MAX_AGE + sum(
        3600 / interval.total_seconds()
        for interval in (SENSORS_INTERVAL, RUNTIMES_INTERVAL, ALERTS_INTERVAL)
    )


def report(
    steady: Steady | None,
    commands: dict[str, dict[str, list[Outcome]]],
    outages: dict[str, Outage] | None,
    many: int,
) -> None:
    rows = [] if steady is None else steady_rows(steady)
    core_cmd, ours_cmd = commands.get("core", {}), commands.get("ours", {})
    labels = {
        "set_temperature": "command (set_temperature, whole degrees)",
        "half_degree": "command with a half degree (70.5 on a °F unit)",
        "off_then_fan": "alarm-style off then fan auto (two service calls)",
        "off_then_fan_schedule": "the same while the schedule runs",
        "shutoff": "venstar_local.emergency_shutoff (one call)",
        "shutoff_schedule": "emergency_shutoff while the schedule runs",
        "quiet": f"single command after {QUIET:.0f} s without a request",
        "shutoff_quiet": f"emergency_shutoff after {QUIET:.0f} s without a request",
    }
    for key, label in labels.items():
        core_text = describe(core_cmd[key]) if key in core_cmd else "-"
        ours_text = describe(ours_cmd[key]) if key in ours_cmd else "-"
        goal = "<= 100 ms device off" if key.startswith("shutoff") else "<= 2 requests"
        if key == "quiet":
            goal = "identity proven first (3 requests)"
        if key == "shutoff_quiet":
            goal = "<= 100 ms device off, identity proven first"
        speed = "-"
        if key in core_cmd and key in ours_cmd:
            device = ratio(
                median([o.device_at for o in ours_cmd[key]]),
                median([o.device_at for o in core_cmd[key]]),
            )
            right = ratio(
                median([o.right_at for o in ours_cmd[key]]),
                median([o.right_at for o in core_cmd[key]]),
            )
            speed = f"device {device}, HA right {right}"
        rows.append((label, core_text, ours_text, speed, goal))
    if outages:
        core_out, ours_out = outages["core"], outages["ours"]

        def down(o: Outage) -> str:
            gone = (
                "never unavailable"
                if o.unavailable_after is None
                else f"unavailable at {o.unavailable_after:.0f} s"
            )
            back = "" if o.back_after is None else f", back {o.back_after:.0f} s after"
            return f"{gone}{back}, {o.log_lines_per_minute:.1f} log lines/min"

        rows.append(
            (
                "device down",
                down(core_out),
                down(ours_out),
                "-",
                "unavailable, recovers",
            )
        )
    if many and steady is not None:
        hour = 3600 / (steady.minutes * 60)
        cadence = cadence_per_hour()
        seen = sum(steady.requests["many"]) * hour / many
        info = steady.paths["many"].get("/query/info", 0) * hour
        per_hour = max(seen, info + cadence)
        cpu = (steady.cpu["many"] - steady.cpu["baseline"]) * hour / many
        rows.append(
            (
                f"{many} thermostats (per thermostat)",
                "-",
                f"{per_hour:.0f} req/h, {cpu:.2f} CPU s/h",
                "-",
                "linear",
            )
        )
    print()
    print("| metric | core venstar | venstar_local | ratio | goal |")
    print("|---|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


# ----- main ----------------------------------------------------------------------------
async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steady-minutes", type=float, default=5.0)
    parser.add_argument("--thermostats", type=int, default=10)
    parser.add_argument("--outage-seconds", type=float, default=150.0)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument(
        "--commands-only", action="store_true", help="run the command rows alone"
    )
    args = parser.parse_args()
    if args.commands_only:
        args.thermostats, args.outage_seconds = 0, 0.0

    with tempfile.TemporaryDirectory(prefix="venstar-side-by-side-") as tmp:
        root = Path(tmp)
        source = root / "source"
        (source / "packages").mkdir(parents=True)
        (source / "configuration.yaml").write_text(CONFIGURATION)
        (source / "automations.yaml").write_text("[]\n")

        def server(name: str) -> HomeAssistantServer:
            return HomeAssistantServer(
                root / name, port=free_port(), config_source=source
            )

        sides = {
            "core": Side("core", server("core"), [new_emulator()]),
            "ours": Side("ours", server("ours"), [new_emulator()]),
        }
        if not args.commands_only:
            sides["baseline"] = Side("baseline", server("baseline"), [])
        if args.thermostats:
            sides["many"] = Side(
                "many",
                server("many"),
                [new_emulator(f"Zone {n}") for n in range(1, args.thermostats + 1)],
            )
        async with AsyncExitStack() as stack:
            for side in sides.values():
                for emulator in side.emulators:
                    await emulator.start()
                    stack.push_async_callback(emulator.stop)
                stack.callback(side.server.stop)
            began = time.monotonic()
            await start_servers(list(sides.values()))
            print(
                f"{len(sides)} Home Assistant processes up in {time.monotonic() - began:.0f} s"
            )
            session = await stack.enter_async_context(aiohttp.ClientSession())
            for side in sides.values():
                side.rest = HomeAssistantRest(side.server.url, session)
                await side.rest.onboard()
            for name, domain in (
                ("core", "venstar"),
                ("ours", "venstar_local"),
                ("many", "venstar_local"),
            ):
                rest = sides[name].rest if name in sides else None
                for emulator in sides[name].emulators if rest else []:
                    assert rest is not None
                    await add_integration(rest, domain, emulator.port)
            watchers = []
            for side in sides.values():
                if side.emulators:
                    ready = asyncio.Event()
                    side.watcher = asyncio.create_task(watch(side, ready))
                    watchers.append(side.watcher)
                    await ready.wait()
            # Let both integrations settle after their first reads, and Home Assistant write
            # what setup changed (registries save 10 s after a change).
            await asyncio.sleep(SETTLE)
            steady = None
            if not args.commands_only:
                print(f"steady window of {args.steady_minutes:g} min ...")
                steady = await steady_window(sides, args.steady_minutes)
            print("commands ...")
            commands = {
                "ours": await run_commands(sides["ours"], args.repeats, ours=True),
                "core": await run_commands(sides["core"], args.repeats, ours=False),
            }
            outages = None
            if args.outage_seconds:
                print(f"outage of {args.outage_seconds:g} s ...")
                outages = await outage(
                    [sides["core"], sides["ours"]], args.outage_seconds
                )
            for task in watchers:
                task.cancel()
            with suppress(asyncio.CancelledError):
                await asyncio.gather(*watchers)
            for side in sides.values():
                for emulator in side.emulators:  # the ones started after the outage too
                    await emulator.stop()
        report(steady, commands, outages, args.thermostats)


if __name__ == "__main__":
    asyncio.run(main())
