"""The two-request command path and what still makes the client read before writing.

A command is planned on the state the device reported moments ago (identity checked) and
costs the write plus the read-back. The state is read (and after a failure ``GET /`` too)
before writing when it is older than the identity window, after any failed exchange, or
when the client has never read it. Every test runs against the emulator over loopback;
"the IP moved" is another emulator, with another name, taking over the address.
"""

from __future__ import annotations

import asyncio

import pytest

from custom_components.venstar_local.api import (
    DEFAULT_IDENTITY_WINDOW,
    DeviceIdentity,
    DeviceType,
    FanMode,
    HvacMode,
    VenstarApiError,
    VenstarClient,
    VenstarCommandRejectedError,
    VenstarConnectionError,
    VenstarTimeoutError,
    VenstarWrongDeviceError,
)
from emulators.venstar import VenstarEmulator
from tests.venstar_fixtures import VenstarEmulatorFactory

from .conftest import ClientFactory

IDENTITY = DeviceIdentity(
    name="COLORTOUCH", model="COLORTOUCH", device_type=DeviceType.RESIDENTIAL
)


class Clock:
    """Monotonic time the test moves by hand (pacing is off in these clients)."""

    def __init__(self) -> None:
        self.now = 5000.0

    def __call__(self) -> float:
        return self.now


def paths(emu: VenstarEmulator, since: int = 0) -> list[str]:
    return [f"{r.method} {r.path}" for r in emu.requests[since:]]


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


async def _move_address(
    old: VenstarEmulator, factory: VenstarEmulatorFactory, name: str
) -> VenstarEmulator:
    """Stop `old` and let another thermostat answer on its address."""
    port = old.port
    await old.stop()
    return await factory(port=port, name=name)


async def test_command_after_a_recent_read_is_write_and_read_back(
    checked_client: VenstarClient, venstar_emulator: VenstarEmulator, clock: Clock
) -> None:
    await checked_client.info()
    clock.now += DEFAULT_IDENTITY_WINDOW - 1
    start = len(venstar_emulator.requests)
    info = await checked_client.set_hvac_mode(HvacMode.COOL, cool=75)
    assert paths(venstar_emulator, start) == ["POST /control", "GET /query/info"]
    assert (info.mode, info.cool_setpoint) == (HvacMode.COOL, 75.0)
    assert venstar_emulator.state.mode == 2
    # The read-back renews the proof: the next command is two requests again.
    clock.now += DEFAULT_IDENTITY_WINDOW - 1
    await checked_client.set_fan(FanMode.ON)
    assert paths(venstar_emulator, start + 2) == ["POST /control", "GET /query/info"]


async def test_first_command_reads_identity_and_state_first(
    checked_client: VenstarClient, venstar_emulator: VenstarEmulator
) -> None:
    assert not checked_client.state_trusted
    await checked_client.set_fan(FanMode.ON)
    assert paths(venstar_emulator) == [
        "GET /",
        "GET /query/info",
        "POST /control",
        "GET /query/info",
    ]
    assert checked_client.state_trusted


async def test_state_older_than_the_window_is_read_again(
    checked_client: VenstarClient, venstar_emulator: VenstarEmulator, clock: Clock
) -> None:
    await checked_client.info()
    clock.now += DEFAULT_IDENTITY_WINDOW + 1
    assert not checked_client.state_trusted
    start = len(venstar_emulator.requests)
    await checked_client.set_fan(FanMode.ON)
    assert paths(venstar_emulator, start) == [
        "GET /query/info",
        "POST /control",
        "GET /query/info",
    ]


async def test_ip_moved_after_the_window_nothing_is_written(
    checked_client: VenstarClient,
    venstar_emulator: VenstarEmulator,
    venstar_emulator_factory: VenstarEmulatorFactory,
    clock: Clock,
) -> None:
    await checked_client.info()
    other = await _move_address(venstar_emulator, venstar_emulator_factory, "Upstairs")
    clock.now += DEFAULT_IDENTITY_WINDOW + 1
    with pytest.raises(VenstarWrongDeviceError, match="Upstairs"):
        await checked_client.set_hvac_mode(HvacMode.OFF)
    assert writes(other) == []
    assert other.state.mode == 1
    assert not checked_client.state_trusted


async def test_ip_moved_while_unreachable_nothing_is_written(
    checked_client: VenstarClient,
    venstar_emulator: VenstarEmulator,
    venstar_emulator_factory: VenstarEmulatorFactory,
) -> None:
    """A poll failed while the address changed hands: the next command reads ``GET /`` too."""
    await checked_client.info()
    port = venstar_emulator.port
    await venstar_emulator.stop()
    with pytest.raises(VenstarConnectionError):
        await checked_client.info()
    other = await venstar_emulator_factory(port=port, name="Upstairs")
    with pytest.raises(VenstarWrongDeviceError):
        await checked_client.set_fan(FanMode.ON)
    assert paths(other) == ["GET /", "GET /query/info"]
    assert other.state.fan == 0


async def test_ip_moved_and_a_poll_saw_it_nothing_is_written(
    checked_client: VenstarClient,
    venstar_emulator: VenstarEmulator,
    venstar_emulator_factory: VenstarEmulatorFactory,
) -> None:
    await checked_client.info()
    other = await _move_address(venstar_emulator, venstar_emulator_factory, "Upstairs")
    with pytest.raises(VenstarWrongDeviceError):
        await checked_client.info()
    with pytest.raises(VenstarWrongDeviceError):
        await checked_client.set_setpoints(heat=75)
    assert writes(other) == []
    assert other.state.heattemp == 69.0


async def test_ip_moved_within_the_window_the_read_back_stops_everything(
    checked_client: VenstarClient,
    venstar_emulator: VenstarEmulator,
    venstar_emulator_factory: VenstarEmulatorFactory,
) -> None:
    """The residual case the window accepts: the read-back sees it, nothing more is sent."""
    await checked_client.info()
    other = await _move_address(venstar_emulator, venstar_emulator_factory, "Upstairs")
    with pytest.raises(VenstarWrongDeviceError):
        await checked_client.set_fan(FanMode.ON)
    assert paths(other) == ["POST /control", "GET /query/info"]
    assert not checked_client.state_trusted
    with pytest.raises(VenstarWrongDeviceError):
        await checked_client.set_fan(FanMode.AUTO)
    assert len(writes(other)) == 1


async def test_rebooted_device_with_another_state_gets_a_correct_plan(
    checked_client: VenstarClient,
    venstar_emulator: VenstarEmulator,
    venstar_emulator_factory: VenstarEmulatorFactory,
) -> None:
    """Restarted between the poll and the command, it runs its schedule again."""
    await checked_client.info()
    rebooted = await _move_address(
        venstar_emulator, venstar_emulator_factory, "COLORTOUCH"
    )
    rebooted.state.schedule = 1
    info = await checked_client.set_hvac_mode(HvacMode.COOL)
    assert info.mode is HvacMode.COOL
    assert rebooted.state.mode == 2
    assert rebooted.state.schedule == 0
    # The mode write planned on the old state was refused (nothing changed), the state was
    # read, and the new plan stopped the schedule first.
    assert paths(rebooted) == [
        "POST /control",
        "GET /query/info",
        "POST /settings",
        "POST /control",
        "GET /query/info",
    ]
    assert rebooted.requests[0].form == rebooted.requests[3].form


async def test_rebooted_device_with_the_same_state_takes_two_requests(
    checked_client: VenstarClient,
    venstar_emulator: VenstarEmulator,
    venstar_emulator_factory: VenstarEmulatorFactory,
) -> None:
    await checked_client.info()
    rebooted = await _move_address(
        venstar_emulator, venstar_emulator_factory, "COLORTOUCH"
    )
    assert (await checked_client.set_setpoints(heat=72)).heat_setpoint == 72.0
    assert paths(rebooted) == ["POST /control", "GET /query/info"]


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
    assert not checked_client.state_trusted
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
    assert client.state_trusted  # a refusal is an answer, not a failure


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
    while not any(r.path == "/query/alerts" for r in venstar_emulator.requests):
        await asyncio.sleep(0.01)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert not checked_client.state_trusted
