"""Fault injection and overlap detection, seen from a plain aiohttp client."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import aiohttp
import pytest

from emulators.venstar import FaultKind, VenstarEmulator

from .helpers import get_json, info


async def _get(
    emu: VenstarEmulator, path: str = "query/info", **kwargs: Any
) -> tuple[int, bytes]:
    async with (
        aiohttp.ClientSession() as session,
        session.get(emu.base_url + path, **kwargs) as response,
    ):
        return response.status, await response.read()


async def test_latency_delays_the_answer(venstar_emulator: VenstarEmulator) -> None:
    venstar_emulator.faults.latency(0.05, count=1)
    assert (await info(venstar_emulator))["name"] == "COLORTOUCH"
    record = venstar_emulator.requests[-1]
    assert record.end is not None
    assert record.end - record.start >= 0.05
    assert venstar_emulator.faults.active == []


async def test_timeout_hangs_until_client_gives_up(
    venstar_emulator: VenstarEmulator,
) -> None:
    venstar_emulator.faults.timeout(count=1)
    with pytest.raises(TimeoutError):
        await _get(venstar_emulator, timeout=aiohttp.ClientTimeout(total=0.1))
    # The next request is answered normally.
    assert (await info(venstar_emulator))["mode"] == 1


async def test_timeout_released_by_stop(venstar_emulator_factory: Any) -> None:
    emu = await venstar_emulator_factory()
    emu.faults.timeout()
    pending = asyncio.ensure_future(_get(emu))
    for _ in range(100):
        if emu.requests:
            break
        await asyncio.sleep(0.01)
    await emu.stop()
    with pytest.raises(aiohttp.ClientError):
        await pending


async def test_reset_drops_the_connection(venstar_emulator: VenstarEmulator) -> None:
    # aiohttp retries an idempotent request once after a reset, so reset both attempts.
    venstar_emulator.faults.reset(count=2)
    with pytest.raises((aiohttp.ClientOSError, aiohttp.ServerDisconnectedError)):
        await _get(venstar_emulator)
    assert [r.status for r in venstar_emulator.requests] == [None, None]
    assert (await info(venstar_emulator))["mode"] == 1


async def test_reset_of_a_write(venstar_emulator: VenstarEmulator) -> None:
    venstar_emulator.faults.reset(count=1, path="/control")
    async with aiohttp.ClientSession() as session:
        with pytest.raises((aiohttp.ClientOSError, aiohttp.ServerDisconnectedError)):
            await session.post(venstar_emulator.base_url + "control", data={"fan": 1})
    assert venstar_emulator.state.fan == 0


async def test_http_500(venstar_emulator: VenstarEmulator) -> None:
    venstar_emulator.faults.http_500(count=2)
    assert (await _get(venstar_emulator))[0] == 500
    assert (await _get(venstar_emulator))[0] == 500
    assert (await _get(venstar_emulator))[0] == 200


async def test_malformed_json(venstar_emulator: VenstarEmulator) -> None:
    venstar_emulator.faults.malformed_json(count=1)
    status, body = await _get(venstar_emulator)
    assert status == 200
    with pytest.raises(json.JSONDecodeError):
        json.loads(body)


async def test_truncated_json(venstar_emulator: VenstarEmulator) -> None:
    full = (await _get(venstar_emulator))[1]
    venstar_emulator.faults.truncated_json(count=1)
    status, body = await _get(venstar_emulator)
    assert status == 200
    assert body
    assert full.startswith(body)
    assert len(body) < len(full)
    with pytest.raises(json.JSONDecodeError):
        json.loads(body)


async def test_unauthorized_without_auth_configured(
    venstar_emulator: VenstarEmulator,
) -> None:
    venstar_emulator.faults.unauthorized(count=1)
    async with (
        aiohttp.ClientSession() as session,
        session.get(venstar_emulator.base_url) as response,
    ):
        assert response.status == 401
        assert response.headers["WWW-Authenticate"].startswith(
            'Digest realm="thermostat"'
        )
    assert (await _get(venstar_emulator, ""))[0] == 200


async def test_identity_switch(venstar_emulator: VenstarEmulator) -> None:
    venstar_emulator.faults.identity(
        name="Garage", model="T2000", firmware="4.38", count=2
    )
    root = await get_json(venstar_emulator, "")
    assert (root["model"], root["firmware"]) == ("T2000", "4.38")
    assert (await info(venstar_emulator))["name"] == "Garage"
    assert (await get_json(venstar_emulator, ""))["model"] == "COLORTOUCH"
    assert (await info(venstar_emulator))["name"] == "COLORTOUCH"


async def test_fault_limited_to_a_path(venstar_emulator: VenstarEmulator) -> None:
    venstar_emulator.faults.http_500(path="/query/alerts")
    assert (await _get(venstar_emulator, "query/info"))[0] == 200
    assert (await _get(venstar_emulator, "query/alerts"))[0] == 500
    assert (await _get(venstar_emulator, "query/alerts"))[0] == 500
    venstar_emulator.faults.clear(FaultKind.HTTP_500)
    assert (await _get(venstar_emulator, "query/alerts"))[0] == 200


async def test_clear_all(venstar_emulator: VenstarEmulator) -> None:
    venstar_emulator.faults.http_500()
    venstar_emulator.faults.malformed_json()
    venstar_emulator.faults.clear()
    assert venstar_emulator.faults.active == []
    assert (await _get(venstar_emulator))[0] == 200


def test_fault_arguments_checked(venstar_emulator_factory: Any) -> None:
    emu = VenstarEmulator()
    with pytest.raises(ValueError, match="count"):
        emu.faults.http_500(count=0)
    with pytest.raises(ValueError, match="delay"):
        emu.faults.latency(-1.0)
    with pytest.raises(ValueError):
        emu.faults.add("earthquake")
    with pytest.raises(ValueError):
        emu.faults.busy("maybe")


async def _overlapping(emu: VenstarEmulator) -> tuple[Any, Any]:
    """Send a slow request, then a second one while the first is in flight."""
    emu.faults.latency(0.3, count=1, path="/query/info")
    async with aiohttp.ClientSession() as session:

        async def first() -> int:
            async with session.get(emu.base_url + "query/info") as response:
                await response.read()
                return response.status

        slow = asyncio.ensure_future(first())
        for _ in range(200):
            if emu.requests:
                break
            await asyncio.sleep(0.005)
        try:
            async with session.get(emu.base_url + "query/alerts") as response:
                second: Any = response.status
        except aiohttp.ClientError as err:
            second = err
        return await slow, second


async def test_busy_answers_503_to_overlapping_request(
    venstar_emulator: VenstarEmulator,
) -> None:
    venstar_emulator.faults.busy("503")
    first, second = await _overlapping(venstar_emulator)
    assert (first, second) == (200, 503)
    assert venstar_emulator.max_concurrent_requests == 2
    # Sequential requests are not refused.
    assert (await _get(venstar_emulator, "query/alerts"))[0] == 200


async def test_busy_resets_overlapping_request(
    venstar_emulator: VenstarEmulator,
) -> None:
    venstar_emulator.faults.busy("reset")
    first, second = await _overlapping(venstar_emulator)
    assert first == 200
    assert isinstance(second, aiohttp.ClientError)


async def test_overlap_is_measured_without_faults(
    venstar_emulator: VenstarEmulator,
) -> None:
    first, second = await _overlapping(venstar_emulator)
    assert (first, second) == (200, 200)
    assert venstar_emulator.max_concurrent_requests == 2


async def test_sequential_requests_never_overlap(
    venstar_emulator: VenstarEmulator,
) -> None:
    for path in ("", "query/info", "query/sensors", "query/alerts", "query/runtimes"):
        await get_json(venstar_emulator, path)
    assert venstar_emulator.max_concurrent_requests == 1


async def test_requests_are_recorded(venstar_emulator: VenstarEmulator) -> None:
    async with aiohttp.ClientSession() as session:
        async with session.get(venstar_emulator.base_url + "query/info?pin=1234"):
            pass
        async with session.post(
            venstar_emulator.base_url + "control", data={"fan": "1"}
        ) as response:
            await response.read()
    get, post = venstar_emulator.requests
    assert (get.method, get.path, get.query, get.form, get.status) == (
        "GET",
        "/query/info",
        {"pin": "1234"},
        {},
        200,
    )
    assert (post.method, post.path, post.form) == ("POST", "/control", {"fan": "1"})
    assert post.end is not None
    assert post.start <= post.end


@pytest.mark.parametrize("service_time", [0.0, 0.2])
async def test_concurrent_client_is_detected(
    venstar_emulator_factory: Any, service_time: float
) -> None:
    emu = await venstar_emulator_factory(service_time=service_time)
    async with aiohttp.ClientSession() as session:

        async def fetch(path: str) -> int:
            async with session.get(emu.base_url + path) as response:
                await response.read()
                return response.status

        statuses = await asyncio.gather(fetch("query/info"), fetch("query/sensors"))
    assert list(statuses) == [200, 200]
    assert emu.max_concurrent_requests == 2


def test_service_time_must_not_be_negative() -> None:
    with pytest.raises(ValueError, match="service_time"):
        VenstarEmulator(service_time=-1)
