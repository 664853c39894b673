"""A write skips the pre-read only when identity is proven for the connection it goes over.

The proofs: HTTPS with the pinned certificate, or the kept-alive connection of the last read
that showed the thermostat (a device that takes over an address has no part in it). Every
way the tests model "another device answers at this address" - the emulator's identity
switched through its control endpoint, another emulator taking over the port - ends the
connections kept alive and, over HTTPS, presents another certificate, as the network and a
real device would. Whatever the timing, nothing reaches the other device.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import aiohttp
import pytest

from custom_components.venstar_local.api import (
    DEFAULT_STATE_MAX_AGE,
    FanMode,
    HvacMode,
    VenstarCertificateMismatchError,
    VenstarClient,
    VenstarConnectionError,
    VenstarWrongDeviceError,
)
from emulators.venstar import VenstarEmulator
from tests.venstar_fixtures import VenstarEmulatorFactory

from .conftest import IDENTITY, ClientFactory, Clock, paths, trusted

OTHER = "Upstairs"

type Move = Callable[
    [VenstarEmulator, VenstarEmulatorFactory], Awaitable[VenstarEmulator]
]


def writes(emu: VenstarEmulator, since: int = 0) -> list[str]:
    return [r.path for r in emu.requests[since:] if r.method == "POST"]


async def settle() -> None:
    """Let the loop deliver a closed connection's end (the network does so within ms)."""
    for _ in range(20):
        await asyncio.sleep(0)


async def switched_identity(
    emu: VenstarEmulator, factory: VenstarEmulatorFactory
) -> VenstarEmulator:
    """Another device answers at the address: the control endpoint's identity switch."""
    async with (
        aiohttp.ClientSession() as session,
        session.post(
            f"{emu.base_url}_emulator/identity", json={"name": OTHER}, ssl=False
        ) as response,
    ):
        assert response.status == 200
    return emu


async def port_taken_over(
    emu: VenstarEmulator, factory: VenstarEmulatorFactory
) -> VenstarEmulator:
    """Another thermostat now listens on the address (the first one left it)."""
    port = emu.port
    await emu.stop()
    return await factory(port=port, https=emu.https, name=OTHER)


@pytest.mark.parametrize("https", [False, True], ids=["http", "https_pinned"])
@pytest.mark.parametrize("move", [switched_identity, port_taken_over])
@pytest.mark.parametrize("seconds", [1, DEFAULT_STATE_MAX_AGE, 60])
async def test_ip_moved_after_a_poll_nothing_reaches_the_other_device(
    venstar_emulator_factory: VenstarEmulatorFactory,
    client_factory: ClientFactory,
    https: bool,
    move: Move,
    seconds: float,
) -> None:
    emu = await venstar_emulator_factory(https=https)
    clock = Clock()
    client = client_factory(
        emu,
        expected_identity=IDENTITY,
        clock=clock,
        certificate_fingerprint=emu.certificate_fingerprint,
    )
    await client.info()
    assert trusted(client)
    other = await move(emu, venstar_emulator_factory)
    start = len(other.requests)
    clock.now += seconds
    expected = VenstarCertificateMismatchError if https else VenstarWrongDeviceError
    with pytest.raises(expected):
        await client.set_hvac_mode(HvacMode.OFF)
    with pytest.raises(expected):
        await client.emergency_shutoff(FanMode.AUTO)
    assert writes(other, start) == []
    assert (other.state.mode, other.state.fan) == (1, 0)
    assert not trusted(client)


async def test_ip_moved_while_unreachable_nothing_is_written(
    client_factory: ClientFactory,
    venstar_emulator: VenstarEmulator,
    venstar_emulator_factory: VenstarEmulatorFactory,
) -> None:
    """A poll failed while the address changed hands: the next command reads ``GET /`` too."""
    client = client_factory(venstar_emulator, expected_identity=IDENTITY)
    await client.info()
    port = venstar_emulator.port
    await venstar_emulator.stop()
    with pytest.raises(VenstarConnectionError):
        await client.info()
    other = await venstar_emulator_factory(port=port, name=OTHER)
    with pytest.raises(VenstarWrongDeviceError):
        await client.set_fan(FanMode.ON)
    assert paths(other) == ["GET /", "GET /query/info"]
    assert other.state.fan == 0


async def test_ip_moved_and_a_poll_saw_it_nothing_is_written(
    client_factory: ClientFactory,
    venstar_emulator: VenstarEmulator,
    venstar_emulator_factory: VenstarEmulatorFactory,
) -> None:
    client = client_factory(venstar_emulator, expected_identity=IDENTITY)
    await client.info()
    other = await port_taken_over(venstar_emulator, venstar_emulator_factory)
    with pytest.raises(VenstarWrongDeviceError):
        await client.info()
    with pytest.raises(VenstarWrongDeviceError):
        await client.set_setpoints(heat=75)
    assert writes(other) == []
    assert other.state.heattemp == 69.0


async def test_rebooted_thermostat_is_read_before_writing(
    client_factory: ClientFactory,
    venstar_emulator: VenstarEmulator,
    venstar_emulator_factory: VenstarEmulatorFactory,
) -> None:
    """Restarted between the poll and the command, it runs its schedule again."""
    client = client_factory(venstar_emulator, expected_identity=IDENTITY)
    await client.info()
    port = venstar_emulator.port
    await venstar_emulator.stop()
    rebooted = await venstar_emulator_factory(port=port)
    rebooted.state.schedule = 1
    info = await client.set_hvac_mode(HvacMode.COOL)
    assert info.mode is HvacMode.COOL
    assert (rebooted.state.mode, rebooted.state.schedule) == (2, 0)
    # Its connection is gone: the state is read first, and the plan stops the schedule.
    assert paths(rebooted) == [
        "GET /query/info",
        "POST /settings",
        "POST /control",
        "GET /query/info",
    ]


async def test_pinned_certificate_proves_identity_on_a_new_connection(
    venstar_emulator_factory: VenstarEmulatorFactory, client_factory: ClientFactory
) -> None:
    emu = await venstar_emulator_factory(https=True)
    client = client_factory(
        emu,
        expected_identity=IDENTITY,
        certificate_fingerprint=emu.certificate_fingerprint,
    )
    await client.info()
    emu.drop_connections()  # e.g. the thermostat closed an idle connection
    await settle()
    start = len(emu.requests)
    await client.set_fan(FanMode.ON)
    assert paths(emu, start) == ["POST /control", "GET /query/info"]
    assert emu.requests[start].connection != emu.requests[start - 1].connection


async def test_closed_connection_without_a_pin_means_reading_first(
    venstar_emulator_factory: VenstarEmulatorFactory, client_factory: ClientFactory
) -> None:
    """An unpinned certificate proves nothing: only the kept-alive connection does."""
    emu = await venstar_emulator_factory(https=True)
    client = client_factory(emu, expected_identity=IDENTITY)
    await client.info()
    assert trusted(client)
    emu.drop_connections()
    await settle()
    await client.info()  # a poll over a new connection proves it again
    assert trusted(client)
    emu.drop_connections()
    await settle()
    assert not trusted(client)
    start = len(emu.requests)
    await client.set_fan(FanMode.ON)
    assert paths(emu, start) == ["GET /query/info", "POST /control", "GET /query/info"]


class Hook:
    """A pacing sleep that runs `action` once, while the client waits to send a request.

    The client decided to write on the remembered state; the connection changes before
    the write starts. `when` picks the wait (by what the emulator has seen so far).
    """

    def __init__(
        self,
        action: Callable[[], None],
        when: Callable[[], bool],
    ) -> None:
        self.action = action
        self.when = when
        self.armed = False
        self.fired = False

    async def __call__(self, seconds: float) -> None:
        if self.armed and not self.fired and self.when():
            self.fired = True
            self.action()
        await settle()


def paced_client(
    client_factory: ClientFactory, emu: VenstarEmulator, hook: Hook
) -> VenstarClient:
    return client_factory(
        emu,
        expected_identity=IDENTITY,
        clock=Clock(),
        sleep=hook,
        min_request_gap=1.0,
    )


async def test_connection_lost_before_the_write_starts_reads_first(
    client_factory: ClientFactory, venstar_emulator: VenstarEmulator
) -> None:
    hook = Hook(venstar_emulator.drop_connections, lambda: True)
    client = paced_client(client_factory, venstar_emulator, hook)
    await client.info()
    assert trusted(client)
    hook.armed = True
    start = len(venstar_emulator.requests)
    info = await client.set_fan(FanMode.ON)
    assert hook.fired
    assert info.fan is FanMode.ON
    assert paths(venstar_emulator, start) == [
        "GET /query/info",
        "POST /control",
        "GET /query/info",
    ]


async def test_ip_moved_between_the_decision_and_the_write_nothing_is_sent(
    client_factory: ClientFactory, venstar_emulator: VenstarEmulator
) -> None:
    def move() -> None:
        venstar_emulator.identity = {"name": OTHER}

    hook = Hook(move, lambda: True)
    client = paced_client(client_factory, venstar_emulator, hook)
    await client.info()
    hook.armed = True
    start = len(venstar_emulator.requests)
    with pytest.raises(VenstarWrongDeviceError):
        await client.set_fan(FanMode.ON)
    assert paths(venstar_emulator, start) == ["GET /query/info"]
    assert venstar_emulator.state.fan == 0


async def test_connection_lost_between_two_steps_checks_identity_then_goes_on(
    client_factory: ClientFactory, venstar_emulator: VenstarEmulator
) -> None:
    venstar_emulator.state.schedule = 1
    hook = Hook(
        venstar_emulator.drop_connections,
        lambda: "/settings" in writes(venstar_emulator),
    )
    client = paced_client(client_factory, venstar_emulator, hook)
    await client.info()
    hook.armed = True
    start = len(venstar_emulator.requests)
    info = await client.set_hvac_mode(HvacMode.COOL)
    assert (info.mode, info.schedule_enabled) == (HvacMode.COOL, False)
    assert paths(venstar_emulator, start) == [
        "POST /settings",
        "GET /query/info",
        "POST /control",
        "GET /query/info",
    ]


async def test_ip_moved_between_two_steps_the_rest_is_not_sent(
    client_factory: ClientFactory, venstar_emulator: VenstarEmulator
) -> None:
    venstar_emulator.state.schedule = 1

    def move() -> None:
        venstar_emulator.identity = {"name": OTHER}

    hook = Hook(move, lambda: "/settings" in writes(venstar_emulator))
    client = paced_client(client_factory, venstar_emulator, hook)
    await client.info()
    hook.armed = True
    start = len(venstar_emulator.requests)
    with pytest.raises(VenstarWrongDeviceError):
        await client.set_hvac_mode(HvacMode.COOL)
    assert paths(venstar_emulator, start) == ["POST /settings", "GET /query/info"]
    assert client.last_info is None
    assert not trusted(client)


async def test_undo_after_a_lost_write_checks_who_answers_first(
    client_factory: ClientFactory, venstar_emulator: VenstarEmulator
) -> None:
    """The mode write's connection was reset: the schedule is switched back on, on ours."""
    venstar_emulator.state.schedule = 1
    client = client_factory(venstar_emulator, expected_identity=IDENTITY)
    await client.info()
    venstar_emulator.faults.reset(path="/control", count=1)
    start = len(venstar_emulator.requests)
    with pytest.raises(VenstarConnectionError):
        await client.set_hvac_mode(HvacMode.COOL)
    # After a failure the identity is read in full (``GET /`` too) before the undo.
    assert paths(venstar_emulator, start) == [
        "POST /settings",
        "POST /control",
        "GET /",
        "GET /query/info",
        "POST /settings",
    ]
    assert venstar_emulator.requests[-1].form == {"schedule": "1"}
    assert venstar_emulator.state.schedule == 1


async def test_undo_is_never_sent_to_another_device(
    client_factory: ClientFactory,
    venstar_emulator: VenstarEmulator,
    caplog: pytest.LogCaptureFixture,
) -> None:
    venstar_emulator.state.schedule = 1
    hook = Hook(
        lambda: setattr(venstar_emulator, "identity", {"name": OTHER}),
        lambda: "/control" in writes(venstar_emulator),
    )
    client = paced_client(client_factory, venstar_emulator, hook)
    await client.info()
    hook.armed = True
    venstar_emulator.faults.reset(path="/control", count=1)
    start = len(venstar_emulator.requests)
    with pytest.raises(VenstarConnectionError):
        await client.set_hvac_mode(HvacMode.COOL)
    assert paths(venstar_emulator, start) == [
        "POST /settings",
        "POST /control",
        "GET /",
        "GET /query/info",
    ]
    assert venstar_emulator.state.schedule == 0
    assert "Could not undo" in caplog.text
    assert client.last_info is None
