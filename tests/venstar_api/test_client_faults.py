"""Every fault the emulator can inject, as the client reports it."""

from __future__ import annotations

import asyncio

import aiohttp
import pytest

from custom_components.venstar_local.api import (
    DeviceIdentity,
    DeviceType,
    FanMode,
    VenstarApiError,
    VenstarAuthenticationError,
    VenstarClient,
    VenstarConnectionError,
    VenstarInvalidResponseError,
    VenstarTimeoutError,
    VenstarWrongDeviceError,
)
from emulators.venstar import VenstarEmulator
from tests.venstar_fixtures import VenstarEmulatorFactory

from .conftest import ClientFactory


def statuses(emu: VenstarEmulator, path: str) -> list[int | None]:
    return [r.status for r in emu.requests if r.path == path]


async def test_latency_within_timeout(
    client: VenstarClient, venstar_emulator: VenstarEmulator
) -> None:
    venstar_emulator.faults.latency(0.1)
    assert (await client.alerts())[0].name == "Air Filter"


async def test_timeout_is_retried_then_reported(
    client_factory: ClientFactory, venstar_emulator: VenstarEmulator
) -> None:
    client = client_factory(venstar_emulator, timeout=0.2)
    venstar_emulator.faults.timeout(path="/query/sensors", count=1)
    assert len(await client.sensors()) == 2
    venstar_emulator.faults.timeout(path="/query/sensors")
    with pytest.raises(VenstarTimeoutError, match="/query/sensors") as raised:
        await client.sensors()
    assert len(statuses(venstar_emulator, "/query/sensors")) == 2 + 3
    # A caller that handles "cannot reach the thermostat" handles a timeout with it.
    assert isinstance(raised.value, VenstarConnectionError)


async def test_reset_is_retried_then_reported(
    client: VenstarClient, venstar_emulator: VenstarEmulator
) -> None:
    venstar_emulator.faults.reset(path="/query/runtimes", count=2)
    assert len(await client.runtimes()) == 7
    venstar_emulator.faults.reset(path="/query/runtimes")
    with pytest.raises(VenstarConnectionError):
        await client.runtimes()


async def test_http_500_is_retried_then_reported(
    client: VenstarClient, venstar_emulator: VenstarEmulator
) -> None:
    venstar_emulator.faults.http_500(path="/query/alerts", count=1)
    assert len(await client.alerts()) == 3
    venstar_emulator.faults.http_500(path="/query/alerts")
    with pytest.raises(VenstarApiError) as err:
        await client.alerts()
    assert (err.value.status, err.value.reason) == (500, "HTTP 500")
    assert statuses(venstar_emulator, "/query/alerts") == [500, 200, 500, 500, 500]


async def test_writes_are_never_retried(
    client: VenstarClient, venstar_emulator: VenstarEmulator
) -> None:
    venstar_emulator.faults.reset(path="/control", count=1)
    with pytest.raises(VenstarConnectionError):
        await client.set_fan(FanMode.ON)
    assert len([r for r in venstar_emulator.requests if r.path == "/control"]) == 1
    assert client.last_info is None  # unknown whether the device acted


@pytest.mark.parametrize("fault", ["malformed_json", "truncated_json"])
async def test_bad_json_is_an_invalid_response(
    client: VenstarClient, venstar_emulator: VenstarEmulator, fault: str
) -> None:
    venstar_emulator.faults.add(fault, path="/query/info", count=1)
    with pytest.raises(VenstarInvalidResponseError):
        await client.info()
    assert statuses(venstar_emulator, "/query/info") == [200]
    assert (await client.info()).name == "COLORTOUCH"


async def test_unauthorized_without_credentials(
    client: VenstarClient, venstar_emulator: VenstarEmulator
) -> None:
    venstar_emulator.faults.unauthorized()
    with pytest.raises(VenstarAuthenticationError, match="requires a username"):
        await client.api_info()


async def test_unauthorized_whatever_the_credentials(
    client_factory: ClientFactory, venstar_emulator_factory: VenstarEmulatorFactory
) -> None:
    emu = await venstar_emulator_factory(https=True)
    client = client_factory(emu, username="admin", password="pw")
    emu.faults.unauthorized()
    with pytest.raises(VenstarAuthenticationError, match="rejected"):
        await client.api_info()
    assert statuses(emu, "/") == [401, 401]


async def test_other_device_answering(
    client_factory: ClientFactory, venstar_emulator: VenstarEmulator
) -> None:
    expected = DeviceIdentity(
        name="COLORTOUCH", model="COLORTOUCH", device_type=DeviceType.RESIDENTIAL
    )
    client = client_factory(venstar_emulator, expected_identity=expected)
    identity = await client.identify()
    assert expected.matches(identity)
    assert (identity.firmware, identity.api_version, identity.mac) == ((5, 1), 7, None)
    venstar_emulator.faults.identity()
    with pytest.raises(VenstarWrongDeviceError):
        await client.identify()
    venstar_emulator.faults.identity(path="/query/info", count=1)
    with pytest.raises(VenstarWrongDeviceError):
        await client.info()
    # What the other device said never replaces what is known about ours.
    assert client.last_info is not None
    assert client.last_info.name == "COLORTOUCH"


async def test_other_device_without_expectation_is_just_reported(
    client: VenstarClient, venstar_emulator: VenstarEmulator
) -> None:
    venstar_emulator.faults.identity()
    identity = await client.identify()
    assert (identity.name, identity.model, identity.firmware) == (
        "Other Thermostat",
        "T2000",
        (4, 38),
    )


async def test_busy_never_fires_for_one_client(
    client: VenstarClient, venstar_emulator: VenstarEmulator
) -> None:
    venstar_emulator.faults.busy()
    venstar_emulator.faults.latency(0.01)
    results = await asyncio.gather(*(client.sensors() for _ in range(20)))
    assert all(len(result) == 2 for result in results)
    assert venstar_emulator.max_concurrent_requests == 1
    assert set(statuses(venstar_emulator, "/query/sensors")) == {200}


async def test_two_clients_for_one_thermostat_never_overlap(
    client_factory: ClientFactory, venstar_emulator: VenstarEmulator
) -> None:
    first = client_factory(venstar_emulator)
    second = client_factory(venstar_emulator)
    venstar_emulator.faults.busy()
    venstar_emulator.faults.latency(0.01)
    results = await asyncio.gather(
        *(client.alerts() for _ in range(10) for client in (first, second))
    )
    assert all(len(result) == 3 for result in results)
    assert venstar_emulator.max_concurrent_requests == 1


async def _other_controller_request(emu: VenstarEmulator) -> asyncio.Task[None]:
    """Start a slow request from another program on the network; return once it arrived."""

    async def request() -> None:
        async with (
            aiohttp.ClientSession() as session,
            session.get(emu.base_url + "query/alerts") as response,
        ):
            await response.read()

    emu.faults.latency(0.1, path="/query/alerts", count=1)
    task = asyncio.create_task(request())
    while not emu.requests:
        await asyncio.sleep(0.005)
    return task


@pytest.mark.parametrize("response", ["503", "reset"])
async def test_busy_because_of_another_controller_is_retried(
    client_factory: ClientFactory, venstar_emulator: VenstarEmulator, response: str
) -> None:
    client = client_factory(venstar_emulator, retry_backoff=0.3)
    await client.info()
    venstar_emulator.requests.clear()
    venstar_emulator.faults.busy(response, count=1)
    other = await _other_controller_request(venstar_emulator)
    assert len(await client.sensors()) == 2
    await other
    refused, answered = statuses(venstar_emulator, "/query/sensors")
    assert refused != 200
    assert answered == 200


async def test_nothing_listening(
    venstar_emulator_factory: VenstarEmulatorFactory, client_factory: ClientFactory
) -> None:
    emu = await venstar_emulator_factory()
    await emu.stop()
    client = client_factory(emu)
    with pytest.raises(VenstarConnectionError, match="ClientConnectorError"):
        await client.api_info()
