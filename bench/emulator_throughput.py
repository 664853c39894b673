"""Requests per second the Venstar emulator serves on loopback.

Run: python bench/emulator_throughput.py [--seconds 3]
Prints figures for sequential and concurrent clients, HTTP and HTTPS, GET and POST, without
and with the default per-answer service time.
"""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path
import sys
import time

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from emulators.venstar import VenstarEmulator


async def _run(
    emu: VenstarEmulator, seconds: float, workers: int, method: str, path: str
) -> tuple[int, float]:
    verify: bool = not emu.https  # the certificate is self-signed
    data = {"fan": "0"} if method == "POST" else None
    count = 0
    deadline = time.perf_counter() + seconds
    connector = aiohttp.TCPConnector(limit=workers)
    async with aiohttp.ClientSession(connector=connector) as session:

        async def worker() -> None:
            nonlocal count
            while time.perf_counter() < deadline:
                async with session.request(
                    method, emu.base_url + path, data=data, ssl=verify
                ) as response:
                    await response.read()
                    assert response.status == 200
                count += 1

        start = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(workers)))
        elapsed = time.perf_counter() - start
    return count, elapsed


async def main(seconds: float) -> None:
    print(
        f"{'scheme':6} {'service':>7} {'method':6} {'path':15} {'clients':>7} "
        f"{'requests':>9} {'req/s':>9}"
    )
    for https, service_time in ((False, 0.0), (True, 0.0), (False, 0.005)):
        emu = VenstarEmulator(https=https, service_time=service_time)
        await emu.start()
        try:
            for method, path in (("GET", "query/info"), ("POST", "control")):
                for workers in (1, 8):
                    count, elapsed = await _run(emu, seconds, workers, method, path)
                    scheme = "https" if https else "http"
                    print(
                        f"{scheme:6} {service_time:7.3f} {method:6} /{path:14} {workers:7} "
                        f"{count:9} {count / elapsed:9.0f}"
                    )
            print(f"{'':6} max concurrent requests seen: {emu.max_concurrent_requests}")
        finally:
            await emu.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--seconds", type=float, default=2.0, help="duration of each run"
    )
    asyncio.run(main(parser.parse_args().seconds))
