"""`python -m devstack.zwave`: run the simulated Z-Wave network until Ctrl-C."""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Callable, Sequence
import contextlib
from pathlib import Path
import shutil
import signal
import sys
import time

from devstack.processes import REPO_ROOT

from .errors import ZwaveSimulatorError
from .simulator import (
    DEFAULT_CONTROL_PORT,
    DEFAULT_SERIAL_PORT,
    DEFAULT_SERVER_PORT,
    ZwaveSimulator,
)


def _parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m devstack.zwave",
        description="Run the simulated Z-Wave network (two First Alert detectors) until Ctrl-C.",
    )
    parser.add_argument(
        "--state-dir",
        type=Path,
        default=REPO_ROOT / ".develop" / "zwave",
        help="logs, zwave-server config and driver cache (default: .develop/zwave)",
    )
    parser.add_argument("--serial-port", type=int, default=DEFAULT_SERIAL_PORT)
    parser.add_argument("--server-port", type=int, default=DEFAULT_SERVER_PORT)
    parser.add_argument("--control-port", type=int, default=DEFAULT_CONTROL_PORT)
    parser.add_argument(
        "--fresh",
        action="store_true",
        help="delete the driver cache first (the nodes are interviewed again)",
    )
    return parser.parse_args(argv)


async def _serve(simulator: ZwaveSimulator, say: Callable[[str], None]) -> int:
    """Run until SIGINT/SIGTERM (exit 0) or until a process dies (exit 1)."""
    loop = asyncio.get_running_loop()
    stop_requested = asyncio.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop_requested.set)
    started = time.monotonic()
    try:
        await simulator.start()
        say(
            f"Simulated Z-Wave network ready after {time.monotonic() - started:.1f} s\n"
            f"  zwave-server:   {simulator.server_url}\n"
            f"  control server: {simulator.control_url}/state\n"
            f"  logs:           {simulator.state_dir}\n"
            "Press Ctrl-C to stop."
        )
        while simulator.running and not stop_requested.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop_requested.wait(), timeout=0.5)
        if not stop_requested.is_set():
            say(f"a simulator process exited; see {simulator.state_dir}")
            return 1
        return 0
    finally:
        await simulator.stop()


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point: `python -m devstack.zwave [--fresh] [--server-port N] …`."""
    args = _parse_args(sys.argv[1:] if argv is None else argv)
    if args.fresh:
        shutil.rmtree(args.state_dir / "cache", ignore_errors=True)
    simulator = ZwaveSimulator(
        args.state_dir,
        serial_port=args.serial_port,
        server_port=args.server_port,
        control_port=args.control_port,
    )

    def say(text: str) -> None:
        sys.stdout.write(f"{text}\n")
        sys.stdout.flush()

    try:
        return asyncio.run(_serve(simulator, say))
    except ZwaveSimulatorError as err:
        sys.stderr.write(f"error: {err}\n")
        return 1


if __name__ == "__main__":
    sys.exit(main())
