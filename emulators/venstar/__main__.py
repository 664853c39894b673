"""Command line: run one emulated thermostat until Ctrl-C.

python -m emulators.venstar --port 8080 --profile colortouch [--https]
    [--user U --password P] [--pin 1234] [--time-scale 60] [--ssdp] [--host 127.0.0.1]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import sys
import time

from .emulator import VenstarEmulator
from .profiles import PROFILES


def build_parser() -> argparse.ArgumentParser:
    """Arguments of the command line."""
    parser = argparse.ArgumentParser(
        prog="python -m emulators.venstar",
        description="Emulated Venstar thermostat (local API) for development and demos.",
    )
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)"
    )
    parser.add_argument(
        "--port", type=int, default=8080, help="TCP port (0 = any free port)"
    )
    parser.add_argument("--profile", choices=sorted(PROFILES), default="colortouch")
    parser.add_argument(
        "--https", action="store_true", help="serve HTTPS (self-signed)"
    )
    parser.add_argument("--user", help="Digest auth username")
    parser.add_argument("--password", help="Digest auth password")
    parser.add_argument("--pin", help="4-digit screen-lock PIN required on writes")
    parser.add_argument("--name", help="thermostat name (default: the profile's)")
    parser.add_argument(
        "--mac", default="00:23:a7:3a:b2:72", help="MAC announced over SSDP"
    )
    parser.add_argument("--celsius", action="store_true", help="show °C (0.5 steps)")
    parser.add_argument(
        "--time-scale", type=float, default=1.0, help="device seconds per real second"
    )
    parser.add_argument(
        "--capture-time",
        action="store_true",
        help="start at the capture time of the ColorTouch data instead of now",
    )
    parser.add_argument(
        "--ssdp", action="store_true", help="answer SSDP M-SEARCH on loopback"
    )
    parser.add_argument(
        "--ssdp-port", type=int, default=1900, help="UDP port for --ssdp"
    )
    return parser


async def serve(args: argparse.Namespace) -> None:
    """Start the emulator, print where it listens, run until SIGINT/SIGTERM."""
    emulator = VenstarEmulator(
        args.profile,
        https=args.https,
        username=args.user,
        password=args.password,
        pin=args.pin,
        mac=args.mac,
        name=args.name,
        time_scale=args.time_scale,
        auto_tick=True,
        clock=None if args.capture_time else time.time,
        celsius=args.celsius,
    )
    await emulator.start(host=args.host, port=args.port)
    print(
        f"Venstar emulator ({args.profile}) listening on {emulator.base_url}",
        flush=True,
    )
    if emulator.certificate_fingerprint:
        print(f"certificate sha256 {emulator.certificate_fingerprint}", flush=True)
    if args.ssdp:
        port = await emulator.start_ssdp(host=args.host, port=args.ssdp_port)
        print(f"SSDP responder on udp://{args.host}:{port}", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        await emulator.stop()
        print("stopped", flush=True)


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the process exit code."""
    args = build_parser().parse_args(argv)
    if (args.user is None) != (args.password is None):
        print("--user and --password go together", file=sys.stderr)
        return 2
    try:
        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(serve(args))
    except (ValueError, OSError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
