"""The two-request command path and what still makes the client read before writing.

A command is planned on the state the device reported moments ago and costs the write plus
the read-back, when that state is fresh (`DEFAULT_STATE_MAX_AGE`), nothing failed since, and
the write goes over a connection that proves who answers (here: the kept-alive connection of
the last read). Otherwise the state (and after a failure ``GET /`` too) is read first. Every
test runs against the emulator over loopback; how a moved address is refused is in
`test_identity_proof`.
"""

from __future__ import annotations

import asyncio

import pytest

from custom_components.venstar_local.api import (
    DEFAULT_STATE_MAX_AGE,
    FanMode,
    HvacMode,
    VenstarApiError,
    VenstarClient,
    VenstarCommandRejectedError,
    VenstarConnectionError,
    VenstarTimeoutError,
)
from emulators.venstar import VenstarEmulator
from tests.venstar_fixtures import VenstarEmulatorFactory, requested

from .conftest import IDENTITY, ClientFactory, Clock, paths


def writes(emu: VenstarEmulator) -> list[tuple[str, dict[str, str]]]:
    return [(r.path, r.form) for r in emu.requests if r.method == "POST"]


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def checked_client(
    client_factory: ClientFactory, venstar_emulator: VenstarEmulator, clock: Clock
) -> VenstarClient:
    """A client that knows which thermostat it talks to, as the integration's does."""
    return client_factory(venstar_emulator, expected_identity=IDENTITY, clock=clock)


async def test_burst_of_commands_takes_two_requests_each(
    checked_client: VenstarClient, venstar_emulator: VenstarEmulator, clock: Clock
) -> None:
    await checked_client.info()
    clock.now += DEFAULT_STATE_MAX_AGE - 1
    start = len(venstar_emulator.requests)
    info = await checked_client.set_hvac_mode(HvacMode.COOL, cool=75)
    assert paths(venstar_emulator, start) == ["POST /control", "GET /query/info"]
    assert (info.mode, info.cool_setpoint) == (HvacMode.COOL, 75.0)
    assert venstar_emulator.state.mode == 2
    # The read-back renews the state: the next command is two requests again.
    clock.now += DEFAULT_STATE_MAX_AGE - 1
    await checked_client.set_fan(FanMode.ON)
    assert paths(venstar_emulator, start + 2) == ["POST /control", "GET /query/info"]
    # All of it over the connection of the read that showed the thermostat.
    assert {r.connection for r in venstar_emulator.requests[start - 1 :]} == {1}


async def test_first_command_reads_identity_and_state_first(
    checked_client: VenstarClient, venstar_emulator: VenstarEmulator
) -> None:
    assert checked_client._trusted_info() is None
    await checked_client.set_fan(FanMode.ON)
    assert paths(venstar_emulator) == [
        "GET /",
        "GET /query/info",
        "POST /control",
        "GET /query/info",
    ]
    assert checked_client._trusted_info() is not None


async def test_command_after_a_quiet_spell_reads_the_state_first(
    checked_client: VenstarClient, venstar_emulator: VenstarEmulator, clock: Clock
) -> None:
    await checked_client.info()
    clock.now += DEFAULT_STATE_MAX_AGE + 1
    assert checked_client._trusted_info() is None
    start = len(venstar_emulator.requests)
    await checked_client.set_fan(FanMode.ON)
    assert paths(venstar_emulator, start) == [
        "GET /query/info",
        "POST /control",
        "GET /query/info",
    ]


async def test_setpoint_changed_at_the_thermostat_is_kept_after_the_bound(
    checked_client: VenstarClient, venstar_emulator: VenstarEmulator, clock: Clock
) -> None:
    """A single command after a quiet spell plans on what the thermostat has now."""
    await checked_client.info()
    venstar_emulator.state.cooltemp = 78.0  # changed on the thermostat's screen
    clock.now += DEFAULT_STATE_MAX_AGE + 1
    info = await checked_client.set_setpoints(heat=70)
    assert (info.heat_setpoint, info.cool_setpoint) == (70.0, 78.0)
    assert writes(venstar_emulator) == [
        ("/control", {"heattemp": "70", "cooltemp": "78"})
    ]


async def test_setpoint_changed_at_the_thermostat_within_the_bound_is_the_known_limit(
    checked_client: VenstarClient, venstar_emulator: VenstarEmulator, clock: Clock
) -> None:
    """The documented limit: a command within the bound sends the setpoint last read.

    Both setpoints go together, so a setpoint changed on the screen after the last read
    and less than `DEFAULT_STATE_MAX_AGE` before the command is set back; the read-back
    shows what the thermostat has then, never a guess.
    """
    await checked_client.info()
    venstar_emulator.state.cooltemp = 78.0
    clock.now += DEFAULT_STATE_MAX_AGE
    info = await checked_client.set_setpoints(heat=70)
    assert (info.heat_setpoint, info.cool_setpoint) == (70.0, 74.0)
    assert venstar_emulator.state.cooltemp == 74.0


async def test_schedule_started_at_the_thermostat_within_the_bound_is_planned_again(
    checked_client: VenstarClient, venstar_emulator: VenstarEmulator
) -> None:
    """The device refuses the plan made on the remembered state; nothing is sent twice."""
    await checked_client.info()
    venstar_emulator.state.schedule = 1
    info = await checked_client.set_hvac_mode(HvacMode.COOL)
    assert info.mode is HvacMode.COOL
    assert venstar_emulator.state.schedule == 0
    assert paths(venstar_emulator)[2:] == [
        "POST /control",
        "GET /query/info",
        "POST /settings",
        "POST /control",
        "GET /query/info",
    ]
    assert venstar_emulator.requests[2].form == venstar_emulator.requests[5].form


async def test_connection_reset_before_the_read_back_never_repeats_the_write(
    checked_client: VenstarClient, venstar_emulator: VenstarEmulator
) -> None:
    await checked_client.info()
    venstar_emulator.faults.reset(path="/query/info", count=1)
    start = len(venstar_emulator.requests)
    info = await checked_client.set_fan(FanMode.ON)
    assert info.fan is FanMode.ON
    # The read-back (a GET) was retried on a new connection; the POST went out once.
    assert paths(venstar_emulator, start) == [
        "POST /control",
        "GET /query/info",
        "GET /query/info",
    ]


async def test_connection_reset_of_the_write_is_reported_not_repeated(
    checked_client: VenstarClient, venstar_emulator: VenstarEmulator
) -> None:
    await checked_client.info()
    venstar_emulator.faults.reset(path="/control", count=1)
    with pytest.raises(VenstarConnectionError):
        await checked_client.set_fan(FanMode.ON)
    assert len(writes(venstar_emulator)) == 1
    assert checked_client.last_info is None
    assert checked_client._trusted_info() is None
    # Whatever happened on the device, the next command starts from what it reports.
    start = len(venstar_emulator.requests)
    await checked_client.set_fan(FanMode.ON)
    assert paths(venstar_emulator, start)[:2] == ["GET /", "GET /query/info"]


async def test_read_back_timeout_after_the_write_is_reported_not_repeated(
    client_factory: ClientFactory, venstar_emulator: VenstarEmulator, clock: Clock
) -> None:
    client = client_factory(
        venstar_emulator, expected_identity=IDENTITY, clock=clock, timeout=0.2
    )
    await client.info()
    venstar_emulator.faults.timeout(path="/query/info")
    with pytest.raises(VenstarTimeoutError):
        await client.set_fan(FanMode.ON)
    assert len(writes(venstar_emulator)) == 1
    assert venstar_emulator.state.fan == 1
    assert client.last_info is None


async def test_refusal_that_a_fresh_state_does_not_explain_is_not_resent(
    venstar_emulator_factory: VenstarEmulatorFactory,
    client_factory: ClientFactory,
) -> None:
    emu = await venstar_emulator_factory(https=True, pin="1234")
    client = client_factory(emu, pin="4321", expected_identity=IDENTITY)
    await client.info()
    with pytest.raises(VenstarApiError, match="PIN"):
        await client.set_fan(FanMode.ON)
    # Refused on a remembered state: the state was read, the same write would follow.
    assert paths(emu)[-2:] == ["POST /control", "GET /query/info"]
    assert len(writes(emu)) == 1
    assert client._trusted_info() is not None  # a refusal is an answer, not a failure


async def test_client_rule_on_a_remembered_state_asks_the_device_first(
    checked_client: VenstarClient, venstar_emulator: VenstarEmulator
) -> None:
    """Away with the schedule running blocks a mode change; the wall may have changed it."""
    venstar_emulator.state.schedule = 1
    venstar_emulator.state.away = 1
    await checked_client.info()
    venstar_emulator.state.away = 0  # someone pressed Home on the thermostat
    info = await checked_client.set_hvac_mode(HvacMode.COOL)
    assert info.mode is HvacMode.COOL
    venstar_emulator.state.schedule = 1
    venstar_emulator.state.away = 1
    await checked_client.info()
    with pytest.raises(VenstarCommandRejectedError):
        await checked_client.set_hvac_mode(HvacMode.HEAT)
    assert writes(venstar_emulator)[-1] == (
        "/control",
        {"mode": "2", "heattemp": "69", "cooltemp": "74"},
    )


async def test_abandoned_read_distrusts_the_state(
    checked_client: VenstarClient, venstar_emulator: VenstarEmulator
) -> None:
    """A call abandoned mid-exchange makes the next command read the state first."""
    await checked_client.info()
    venstar_emulator.faults.latency(0.2, path="/query/alerts", count=1)
    task = asyncio.create_task(checked_client.alerts())
    await requested(venstar_emulator, "/query/alerts")
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert checked_client._trusted_info() is None
