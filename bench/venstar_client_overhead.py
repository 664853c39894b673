"""Requests per poll cycle and per-request overhead of the Venstar client on the emulator.

Run: python bench/venstar_client_overhead.py [--requests 400] [--rounds 5]
Prints how many HTTP requests one poll cycle and one command cost (plain HTTP and HTTPS with
digest auth), and the time per `GET /query/info` through the client versus raw aiohttp
(same session, same emulator, JSON decoded in both), i.e. what the lock, pacing check,
cancellation shield, URL building and model parsing add.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Awaitable, Callable
import json
from pathlib import Path
import statistics
import sys
import time

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from custom_components.venstar_local.api import VenstarClient
from custom_components.venstar_local.api.parsers import parse_info
from emulators.venstar import VenstarEmulator

ROOT = Path(__file__).resolve().parent.parent
INFO_BODY = json.loads(
    (ROOT / "tests/fixtures/venstar/colortouch_info.json").read_text()
)


async def _poll_cycle(client: VenstarClient) -> None:
    await client.info()
    await client.sensors()
    await client.runtimes()
    await client.alerts()


async def _request_counts(session: aiohttp.ClientSession, secure: bool) -> None:
    options = (
        {"https": True, "username": "admin", "password": "pw", "pin": "0042"}
        if secure
        else {}
    )
    async with VenstarEmulator(**options) as emu:  # type: ignore[arg-type]
        client = VenstarClient(
            "127.0.0.1",
            session,
            port=emu.port,
            https=secure,
            username="admin" if secure else None,
            password="pw" if secure else None,
            pin="0042" if secure else None,
            certificate_fingerprint=emu.certificate_fingerprint,
            min_request_gap=0,
        )
        label = "HTTPS+digest+PIN" if secure else "HTTP"
        await _poll_cycle(client)
        first = client.request_count
        await _poll_cycle(client)
        steady = client.request_count - first
        before = client.request_count
        await client.set_setpoints(heat=70)
        command = client.request_count - before
        print(
            f"{label:>17}: first poll cycle {first} requests, steady poll cycle {steady}, "
            f"setpoint command {command}"
        )


async def _time_per_request(
    call: Callable[[], Awaitable[object]], requests: int
) -> float:
    start = time.perf_counter()
    for _ in range(requests):
        await call()
    return (time.perf_counter() - start) / requests * 1e6


async def _overhead(session: aiohttp.ClientSession, requests: int, rounds: int) -> None:
    async with VenstarEmulator() as emu:
        client = VenstarClient("127.0.0.1", session, port=emu.port, min_request_gap=0)
        url = f"{emu.base_url}query/info"

        async def raw() -> None:
            async with session.get(url) as response:
                json.loads(await response.read())

        await client.info()  # learn the model once, warm the connection
        await raw()
        raw_times, client_times = [], []
        for _ in range(rounds):
            raw_times.append(await _time_per_request(raw, requests))
            client_times.append(await _time_per_request(client.info, requests))
        body = INFO_BODY
        start = time.perf_counter()
        for _ in range(requests * 10):
            parse_info(body)
        parse_us = (time.perf_counter() - start) / (requests * 10) * 1e6
    raw_median = statistics.median(raw_times)
    client_median = statistics.median(client_times)
    print(
        f"raw aiohttp GET /query/info: {raw_median:8.1f} µs/request (median of {rounds} x {requests})"
    )
    print(f"client.info():               {client_median:8.1f} µs/request")
    print(
        f"client overhead:             {client_median - raw_median:8.1f} µs/request "
        f"({(client_median / raw_median - 1) * 100:.0f} %), of which parse_info {parse_us:.1f} µs"
    )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    async with aiohttp.ClientSession() as session:
        await _request_counts(session, secure=False)
        await _request_counts(session, secure=True)
        await _overhead(session, args.requests, args.rounds)


if __name__ == "__main__":
    asyncio.run(main())
