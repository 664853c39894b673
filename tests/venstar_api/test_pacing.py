"""Request pacing and retry backoff, with an injected clock and sleep (no real waiting)."""

from __future__ import annotations

import asyncio

import aiohttp
import pytest

from custom_components.venstar_local.api import VenstarApiError
from emulators.venstar import VenstarEmulator
from tests.venstar_fixtures import VenstarEmulatorFactory

from .conftest import ClientFactory


class FakeTime:
    """A clock that only moves when the client sleeps (or the test says so)."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(round(seconds, 6))
        self.now += seconds
        await asyncio.sleep(0)


async def test_minimum_gap_between_requests(
    client_factory: ClientFactory, venstar_emulator: VenstarEmulator
) -> None:
    fake = FakeTime()
    client = client_factory(
        venstar_emulator, min_request_gap=0.25, clock=fake.clock, sleep=fake.sleep
    )
    await client.api_info()
    await client.alerts()
    fake.now += 0.1  # the caller was busy for a while: only the rest is waited
    await client.runtimes()
    fake.now += 5  # long idle: no wait at all
    await client.alerts()
    assert fake.sleeps == [0.25, 0.15]
    assert len(venstar_emulator.requests) == 4


async def test_retry_backoff_doubles(
    client_factory: ClientFactory, venstar_emulator: VenstarEmulator
) -> None:
    fake = FakeTime()
    client = client_factory(
        venstar_emulator,
        min_request_gap=0,
        retries=3,
        retry_backoff=0.5,
        clock=fake.clock,
        sleep=fake.sleep,
    )
    venstar_emulator.faults.http_500()
    with pytest.raises(VenstarApiError):
        await client.info()
    assert fake.sleeps == [0.5, 1.0, 2.0]
    assert len(venstar_emulator.requests) == 4


async def test_no_retries_when_disabled(
    client_factory: ClientFactory, venstar_emulator: VenstarEmulator
) -> None:
    client = client_factory(venstar_emulator, retries=0)
    venstar_emulator.faults.http_500(count=1)
    with pytest.raises(VenstarApiError):
        await client.api_info()
    assert (await client.api_info()).api_version == 7


async def test_busy_without_retries_reports_503(
    client_factory: ClientFactory, venstar_emulator: VenstarEmulator
) -> None:
    client = client_factory(venstar_emulator, retries=0)
    venstar_emulator.faults.busy()
    venstar_emulator.faults.latency(0.1, path="/", count=1)

    async def other_controller() -> None:
        async with (
            aiohttp.ClientSession() as session,
            session.get(venstar_emulator.base_url) as response,
        ):
            await response.read()

    other = asyncio.create_task(other_controller())
    while not venstar_emulator.requests:
        await asyncio.sleep(0.005)
    with pytest.raises(VenstarApiError) as err:
        await client.alerts()
    assert err.value.status == 503
    await other


async def test_clients_share_the_lock_of_their_thermostat(
    client_factory: ClientFactory,
    venstar_emulator: VenstarEmulator,
    venstar_emulator_factory: VenstarEmulatorFactory,
) -> None:
    other_emulator = await venstar_emulator_factory()
    first = client_factory(venstar_emulator)
    second = client_factory(venstar_emulator)
    elsewhere = client_factory(other_emulator)
    assert first._transport.device_lock is second._transport.device_lock
    assert first._transport.device_lock is not elsewhere._transport.device_lock


async def test_cancelled_while_waiting_for_the_gap_sends_nothing(
    client_factory: ClientFactory, venstar_emulator: VenstarEmulator
) -> None:
    client = client_factory(venstar_emulator, min_request_gap=30)
    await client.api_info()
    waiting = asyncio.create_task(client.alerts())
    await asyncio.sleep(0.05)
    waiting.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiting
    assert [r.path for r in venstar_emulator.requests] == ["/"]
    assert not client._transport.device_lock.mutex.locked()
