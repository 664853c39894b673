"""`scripts/develop`: the whole product on simulated devices, on loopback, until Ctrl-C.

Start order (each waits for the previous one to be ready): Venstar emulator, simulated Z-Wave network,
Home Assistant. On the first start of the config dir the demo owner is onboarded and the integrations
are added through the same config flows a user clicks through.
"""

from __future__ import annotations

import argparse
import signal
import sys
import time
from types import FrameType

from .homeassistant import CONFIG_SOURCE
from .stack import ProductStack, StackPorts
from .zwave import simulator_installed


def _parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8123, help="Home Assistant port")
    parser.add_argument(
        "--venstar-port", type=int, default=8180, help="Venstar emulator port"
    )
    parser.add_argument(
        "--no-zwave",
        action="store_true",
        help="do not start the simulated Z-Wave network",
    )
    return parser.parse_args(argv)


def _raise_interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    """Start everything, print where to look, and stop everything on Ctrl-C."""
    args = _parse_args(sys.argv[1:] if argv is None else argv)
    with_zwave = not args.no_zwave
    if with_zwave and not simulator_installed():
        print("Z-Wave simulator not installed (run scripts/setup); starting without it")
        with_zwave = False
    stack = ProductStack(
        CONFIG_SOURCE,
        CONFIG_SOURCE / ".develop",
        StackPorts.demo(args.port, args.venstar_port),
        with_zwave=with_zwave,
    )
    signal.signal(signal.SIGTERM, _raise_interrupt)
    # Ctrl-C stops everything even when a launcher started us with SIGINT ignored (background jobs).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        stack.start()
        print(
            f"\nReady in {stack.timings['provisioned']:.1f} s. Open http://localhost:{args.port}\n"
            f"  Venstar emulator: {stack.venstar_url}/query/info\n"
            + (
                f"  Z-Wave control:   {stack.zwave.control_url}/state\n"
                if stack.zwave
                else ""
            )
            + "Press Ctrl-C to stop everything."
        )
        while stack.running:
            time.sleep(0.5)
    except KeyboardInterrupt:
        print("\nStopping…")
        return 0
    except RuntimeError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    else:
        print("a process exited; stopping everything", file=sys.stderr)
        return 1
    finally:
        stack.stop()


if __name__ == "__main__":
    sys.exit(main())
