"""Peak memory of reading hostile answers: a 50 MB body and a gzip bomb, before and after.

Run: python bench/venstar_body_limits.py [--bomb-mb 1] [--skip-before]

A hostile server on 127.0.0.1 serves three answers to ``GET /``: a 50 MB body with a
Content-Length, the same 50 MB chunked (no length), and a gzip bomb (``--bomb-mb`` MB of
gzip that inflates about 1000-fold) labelled ``Content-Encoding: gzip``. Each is read in a
fresh process, so its peak RSS (``VmHWM``) is its own:

* "before": what the client did before bodies were bounded - aiohttp's default session
  (decompression on), ``response.read()``, then JSON decoding of the whole body;
* "after": the Venstar client (``VenstarClient.api_info``), which asks for no compression,
  refuses a compressed answer unread and stops reading past its body limit.

Printed per case: peak RSS growth during the request, wall time and how it ended.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
from pathlib import Path
import resource
import sys
import time
import zlib

import aiohttp
from aiohttp import web

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BIG = 50 * 1024 * 1024
CASES = ("50MB-length", "50MB-chunked", "gzip-bomb")


def _peak_mb() -> float:
    """This process's peak resident set (VmHWM; unlike ru_maxrss not inherited on exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# ----- the hostile server (parent process) ------------------------------------------------
def _bodies(bomb_mb: int) -> dict[str, bytes]:
    big = b'{"api_ver": 7, "pad": "' + b"x" * (BIG - 30) + b'"}'
    # Zeros compress about 1000:1: bomb_mb MB of gzip inflates to about bomb_mb GB.
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)  # 31: gzip framing
    zeros = b"\0" * (1 << 20)
    parts = [packer.compress(zeros) for _ in range(bomb_mb * 1000)]
    bomb = b"".join([*parts, packer.flush()])
    return {"big": big, "bomb": bomb}


async def _serve(bodies: dict[str, bytes]) -> tuple[web.AppRunner, int]:
    async def handler(request: web.Request) -> web.StreamResponse:
        case = request.headers.get("X-Case", "")
        if case == "gzip-bomb":
            return web.Response(
                body=bodies["bomb"],
                headers={"Content-Encoding": "gzip"},
                content_type="application/json",
            )
        if case == "50MB-chunked":
            response = web.StreamResponse()
            response.enable_chunked_encoding()
            await response.prepare(request)
            view = memoryview(bodies["big"])
            for start in range(0, len(view), 1 << 20):
                await response.write(bytes(view[start : start + (1 << 20)]))
            await response.write_eof()
            return response
        return web.Response(body=bodies["big"], content_type="application/json")

    app = web.Application()
    app.router.add_get("/", handler)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    return runner, int(runner.addresses[0][1])


# ----- one measurement (child process) -----------------------------------------------------
async def _before(port: int, case: str) -> str:
    async with (
        aiohttp.ClientSession() as session,
        session.get(f"http://127.0.0.1:{port}/", headers={"X-Case": case}) as response,
    ):
        body = await response.read()
    try:
        json.loads(body.decode("utf-8"))
    except ValueError as err:
        return f"read {len(body) / 1e6:.0f} MB, then {type(err).__name__}"
    return f"read {len(body) / 1e6:.0f} MB"


async def _after(port: int, case: str) -> str:
    from custom_components.venstar_local.api import VenstarClient, VenstarError

    # The case header (session default) tells the bench server what to answer.
    async with aiohttp.ClientSession(headers={"X-Case": case}) as session:
        client = VenstarClient(
            "127.0.0.1", session, port=port, retries=0, timeout=60, min_request_gap=0
        )
        try:
            await client.api_info()
        except VenstarError as err:
            return f"refused: {err}"
    return "accepted"


def _measure(mode: str, port: int, case: str) -> None:
    import custom_components.venstar_local.api  # noqa: F401 - imported before the baseline

    baseline = _peak_mb()
    started = time.perf_counter()
    outcome = asyncio.run((_before if mode == "before" else _after)(port, case))
    elapsed = time.perf_counter() - started
    print(
        json.dumps(
            {
                "baseline_mb": baseline,
                "growth_mb": _peak_mb() - baseline,
                "seconds": elapsed,
                "outcome": outcome,
            }
        )
    )


async def _run_child(mode: str, port: int, case: str) -> dict[str, object]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        __file__,
        "--child",
        mode,
        str(port),
        case,
        stdout=asyncio.subprocess.PIPE,
    )
    stdout, _ = await process.communicate()
    result: dict[str, object] = json.loads(stdout.decode().strip().splitlines()[-1])
    return result


async def main(bomb_mb: int, skip_before: bool) -> None:
    # A client that stops reading makes the server's writes fail; that is the point here.
    logging.getLogger("aiohttp.server").setLevel(logging.CRITICAL)
    bodies = _bodies(bomb_mb)
    runner, port = await _serve(bodies)
    print(
        f"hostile answers: 50 MB body; gzip bomb {len(bodies['bomb']) / 1e6:.1f} MB "
        f"inflating to {bomb_mb * 1000} MB"
    )
    print(
        f"{'case':<14} {'reader':<7} {'RSS before MB':>13} {'peak growth MB':>14} "
        f"{'seconds':>8}  outcome"
    )
    try:
        for case in CASES:
            for mode in ("before", "after"):
                if mode == "before" and skip_before:
                    continue
                result = await _run_child(mode, port, case)
                print(
                    f"{case:<14} {mode:<7} {result['baseline_mb']:>13.1f} "
                    f"{result['growth_mb']:>14.1f} {result['seconds']:>8.2f}  "
                    f"{result['outcome']}"
                )
    finally:
        await runner.cleanup()


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--child":
        _measure(sys.argv[2], int(sys.argv[3]), sys.argv[4])
        sys.exit(0)
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--bomb-mb", type=int, default=1)
    parser.add_argument("--skip-before", action="store_true")
    args = parser.parse_args()
    asyncio.run(main(args.bomb_mb, args.skip_before))
