"""A thousand interleaved reads, commands and cancellations through one client.

The emulator must never see two requests at once, each command's requests must form one
uninterrupted unit on the wire (write(s), read back), every result must report what the
device did, and nothing may be left running afterwards.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
import random

from custom_components.venstar_local.api import (
    FanMode,
    HvacMode,
    ThermostatInfo,
    VenstarClient,
    VenstarCommandRejectedError,
)
from emulators.venstar import RecordedRequest, VenstarEmulator

OPERATIONS = 1000
WAVE = 10
CANCEL_SHARE = 0.4
MAX_CANCEL_TURNS = 150

type Check = Callable[[object], bool]


@dataclass
class Operation:
    """One call, how to verify a successful result, and what happened."""

    label: str
    call: Callable[[], Awaitable[object]]
    check: Check
    is_command: bool
    outcome: str = "pending"


def _info(predicate: Callable[[ThermostatInfo], bool]) -> Check:
    return lambda result: isinstance(result, ThermostatInfo) and predicate(result)


def _random_operation(client: VenstarClient, rng: random.Random) -> Operation:
    kind = rng.randrange(10)
    if kind == 0:
        return Operation("info", client.info, _info(lambda _: True), False)
    if kind == 1:
        return Operation(
            "sensors",
            client.sensors,
            lambda r: isinstance(r, tuple) and len(r) == 2,
            False,
        )
    if kind == 2:
        return Operation(
            "alerts",
            client.alerts,
            lambda r: isinstance(r, tuple) and len(r) == 3,
            False,
        )
    if kind == 3:
        return Operation(
            "runtimes",
            client.runtimes,
            lambda r: isinstance(r, tuple) and len(r) == 7,
            False,
        )
    if kind == 4:
        fan = rng.choice(list(FanMode))
        return Operation(
            f"fan {fan}",
            lambda: client.set_fan(fan),
            _info(lambda i: i.fan is fan),
            True,
        )
    if kind == 5:
        heat = float(rng.randrange(55, 85))
        return Operation(
            f"heat {heat}",
            lambda: client.set_setpoints(heat=heat),
            _info(
                lambda i: (
                    i.heat_setpoint == heat
                    and (i.mode is not HvacMode.AUTO or i.cool_setpoint - heat >= 2)
                )
            ),
            True,
        )
    if kind == 6:
        mode = rng.choice(list(HvacMode))
        return Operation(
            f"mode {mode}",
            lambda: client.set_hvac_mode(mode),
            _info(lambda i: i.mode is mode),
            True,
        )
    if kind == 7:
        enabled = rng.random() < 0.5
        return Operation(
            f"schedule {enabled}",
            lambda: client.set_schedule(enabled),
            _info(lambda i: i.schedule_enabled is enabled),
            True,
        )
    if kind == 8:
        away = rng.random() < 0.3
        return Operation(
            f"away {away}",
            lambda: client.set_away(away),
            _info(lambda i: i.away is away),
            True,
        )
    humidify = rng.randrange(0, 60)
    return Operation(
        f"humidify {humidify}",
        lambda: client.set_humidity_setpoints(
            humidify=humidify, dehumidify=humidify + 30
        ),
        _info(lambda i: i.humidify_setpoint == humidify),
        True,
    )


async def _cancel_later(task: asyncio.Task[None], turns: int) -> None:
    """Cancel `task` after some event-loop turns: queued, validating, writing or reading back."""
    for _ in range(turns):
        await asyncio.sleep(0)
    task.cancel()


async def _run(operation: Operation) -> None:
    try:
        result = await operation.call()
    except VenstarCommandRejectedError:
        operation.outcome = "rejected"
    except asyncio.CancelledError:
        operation.outcome = "cancelled"
    else:
        operation.outcome = (
            "ok"
            if operation.check(result)
            else f"wrong result of {operation.label}: {result!r}"
        )


def _write_units(log: list[RecordedRequest]) -> int:
    """Check every write sits in an unbroken write-read-back unit; count the units."""
    units = 0
    index = 0
    while index < len(log):
        request = log[index]
        if request.method != "POST":
            index += 1
            continue
        if request.form == {"schedule": "0"} and log[index + 1].method == "POST":
            # Two-step mode change: the mode write follows at once.
            assert "mode" in log[index + 1].form
            index += 1
        assert log[index + 1].path == "/query/info", "a write without read-back"
        units += 1
        index += 2
    return units


async def test_thousand_interleaved_operations(
    client_factory: Callable[..., VenstarClient], venstar_emulator: VenstarEmulator
) -> None:
    client = client_factory(venstar_emulator, min_request_gap=0)
    rng = random.Random(20261123)
    operations: list[Operation] = []
    # asyncio debug mode (on in these tests) costs ~10x here and checks nothing this test is
    # about; it is switched off for the run and back on before the assertions.
    loop = asyncio.get_running_loop()
    debug = loop.get_debug()
    loop.set_debug(False)
    try:
        for _ in range(OPERATIONS // WAVE):
            wave = [_random_operation(client, rng) for _ in range(WAVE)]
            tasks = [asyncio.create_task(_run(op)) for op in wave]
            cancellers = [
                asyncio.create_task(
                    _cancel_later(task, rng.randrange(MAX_CANCEL_TURNS))
                )
                for task in tasks
                if rng.random() < CANCEL_SHARE
            ]
            await asyncio.gather(*tasks, *cancellers, return_exceptions=True)
            operations.extend(wave)
    finally:
        loop.set_debug(debug)

    outcomes = [op.outcome for op in operations]
    assert len(outcomes) == OPERATIONS
    assert [o for o in outcomes if o.startswith("wrong")] == []
    assert "pending" not in outcomes
    assert outcomes.count("cancelled") > 50
    assert outcomes.count("rejected") > 0
    assert venstar_emulator.max_concurrent_requests == 1
    assert all(r.end is not None and r.status == 200 for r in venstar_emulator.requests)

    succeeded_commands = sum(
        1 for op in operations if op.is_command and op.outcome == "ok"
    )
    cancelled_commands = sum(
        1 for op in operations if op.is_command and op.outcome == "cancelled"
    )
    units = _write_units(venstar_emulator.requests)
    assert succeeded_commands <= units <= succeeded_commands + cancelled_commands
    # Some cancellations arrived while a command was writing: it was finished, not torn.
    assert units > succeeded_commands

    # The last state the client reports is the device's.
    final = await client.info()
    assert final.fan is FanMode(venstar_emulator.state.fan)
    assert final.heat_setpoint == venstar_emulator.state.heattemp
    assert not client._transport.device_lock.mutex.locked()
    leftovers = [
        task
        for task in asyncio.all_tasks()
        if not task.done()
        and getattr(task.get_coro(), "__qualname__", "")
        in {"Transport._attempt", "VenstarClient._write"}
    ]
    assert leftovers == []
