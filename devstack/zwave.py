"""The simulated Z-Wave network: zwave-js `mock-server` feeding `zwave-server`, on loopback only.

Two Node.js processes from `simulators/zwave/` (installed with `npm ci`, see SETUP_COMMAND):

1. `mock-server` simulates the USB stick as a TCP serial port and the two First Alert detectors
   (node 2 ZCOMBO-G, node 3 legacy ZCOMBO). Its config also starts a small HTTP control server
   that makes a detector report smoke, CO, a test press or its battery.
2. `zwave-server` runs the real zwave-js driver against that port and offers the websocket API that
   Home Assistant's `zwave_js` integration (and `zwave_js_server.client.Client`) connects to.

zwave-server exits when it cannot reach the mock or loses it, and the mock accepts one client, so
they start in this order and stop in reverse. Each runs in its own process group, its output goes
to a log file in the state dir, and `stop()` leaves no process behind.

Run `python -m devstack.zwave` to keep the network up until Ctrl-C.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Callable, Sequence
import contextlib
import hashlib
import json
import os
from pathlib import Path
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from types import TracebackType
from typing import Any, Final, Self

import aiohttp

from .ports import LOOPBACK, port_in_use

REPO_ROOT: Final = Path(__file__).resolve().parent.parent
SIMULATOR_DIR: Final = REPO_ROOT / "simulators" / "zwave"
SETUP_COMMAND: Final = "npm ci --prefix simulators/zwave --no-audit --no-fund"

MOCK_CONFIG: Final = SIMULATOR_DIR / "first_alert_mock.cjs"
NO_MDNS_PRELOAD: Final = SIMULATOR_DIR / "no-mdns.cjs"
MOCK_SERVER_BIN: Final = Path("node_modules", "zwave-js", "bin", "mock-server.cjs")
ZWAVE_SERVER_BIN: Final = Path(
    "node_modules", "@zwave-js", "server", "dist-esm", "bin", "server.js"
)

DEFAULT_SERIAL_PORT: Final = 5555
DEFAULT_SERVER_PORT: Final = 3000
DEFAULT_CONTROL_PORT: Final = 5580
# Node ids of the simulated detectors (1 is the controller).
SIMULATED_NODES: Final = (2, 3)

START_TIMEOUT: Final = 60.0
STOP_TIMEOUT: Final = 10.0
_POLL_INTERVAL: Final = 0.05
_MOCK_READY_LINES: Final = ("Server listening on tcp://", "Control server listening on")


class ZwaveSimulatorError(RuntimeError):
    """The simulated network is not installed, could not start, or refused a request."""


def simulator_installed() -> bool:
    """Tell whether Node.js and the simulator's npm packages are present."""
    return shutil.which("node") is not None and all(
        (SIMULATOR_DIR / binary).is_file()
        for binary in (MOCK_SERVER_BIN, ZWAVE_SERVER_BIN)
    )


def default_ports() -> dict[str, int]:
    """Return the usual ports (as `ZwaveSimulator` keyword arguments) for the demo."""
    return {
        "serial_port": DEFAULT_SERIAL_PORT,
        "server_port": DEFAULT_SERVER_PORT,
        "control_port": DEFAULT_CONTROL_PORT,
    }


def _free_ports(count: int) -> list[int]:
    """Return distinct free loopback ports (the sockets are open together, so none repeats)."""
    with contextlib.ExitStack() as stack:
        sockets = [stack.enter_context(socket.socket()) for _ in range(count)]
        for sock in sockets:
            sock.bind((LOOPBACK, 0))
        return [int(sock.getsockname()[1]) for sock in sockets]


def _log_tail(path: Path, lines: int = 25) -> str:
    """Return the end of a log file to put into an error message."""
    try:
        text = path.read_text(errors="replace")
    except FileNotFoundError:
        return "(no output)"
    return "\n".join(text.splitlines()[-lines:])


class ZwaveSimulator:
    """Start, observe and stop the simulated Z-Wave network in one state directory.

    Ports left out are picked free on loopback. The driver cache lives in `state_dir/cache`
    and is wiped whenever the mock config changed, because a cached interview would hide
    changed device capabilities.
    """

    def __init__(
        self,
        state_dir: Path,
        *,
        serial_port: int | None = None,
        server_port: int | None = None,
        control_port: int | None = None,
        start_timeout: float = START_TIMEOUT,
    ) -> None:
        """Describe the network; nothing starts before `start()`."""
        self.state_dir = Path(state_dir)
        self.start_timeout = start_timeout
        free = _free_ports(3)
        self.serial_port = serial_port or free[0]
        self.server_port = server_port or free[1]
        self.control_port = control_port or free[2]
        self._mock: subprocess.Popen[bytes] | None = None
        self._server: subprocess.Popen[bytes] | None = None

    @property
    def server_url(self) -> str:
        """Websocket URL of zwave-server, as entered in HA's Z-Wave JS config flow."""
        return f"ws://{LOOPBACK}:{self.server_port}"

    @property
    def control_url(self) -> str:
        """Base URL of the detectors' control server (routes in simulators/zwave/README.md)."""
        return f"http://{LOOPBACK}:{self.control_port}"

    @property
    def mock_log(self) -> Path:
        """Output of mock-server and the control server."""
        return self.state_dir / "mock-server.log"

    @property
    def server_log(self) -> Path:
        """Output of zwave-server, including the zwave-js driver log."""
        return self.state_dir / "zwave-server.log"

    @property
    def running(self) -> bool:
        """Tell whether both processes are alive."""
        return all(
            process is not None and process.poll() is None
            for process in (self._mock, self._server)
        )

    # ----- start --------------------------------------------------------------------------

    async def start(self, *, wait_for_nodes: bool = True) -> None:
        """Start mock-server, then zwave-server, then (optionally) wait for the nodes' interviews.

        Gives up after `start_timeout` seconds. On any failure both processes are stopped
        before the error propagates.
        """
        self._check_can_start()
        try:
            async with asyncio.timeout(self.start_timeout):
                self._prepare_state_dir()
                self._mock = self._spawn(self._mock_command(), self.mock_log)
                await self._wait_for_mock(self._mock)
                self._server = self._spawn(self._server_command(), self.server_log)
                await self._wait_for_server_port(self._server)
                if wait_for_nodes:
                    await self.wait_for_nodes()
        except TimeoutError as err:
            await self.stop()
            raise ZwaveSimulatorError(
                "the simulated Z-Wave network did not get ready within "
                f"{self.start_timeout:.0f} s; "
                f"see {self.mock_log} and {self.server_log}"
            ) from err
        except BaseException:
            await self.stop()
            raise

    def start_blocking(self, *, wait_for_nodes: bool = True) -> None:
        """Start the network from synchronous code (the processes do not depend on a loop)."""
        asyncio.run(self.start(wait_for_nodes=wait_for_nodes))

    def _check_can_start(self) -> None:
        if self._mock is not None or self._server is not None:
            raise ZwaveSimulatorError("the simulated Z-Wave network is already started")
        if shutil.which("node") is None:
            raise ZwaveSimulatorError(
                "Node.js (node >= 20) is not on PATH; it runs the simulated Z-Wave network"
            )
        if not simulator_installed():
            raise ZwaveSimulatorError(
                f"the Z-Wave simulator's npm packages are missing in {SIMULATOR_DIR}; "
                f"install them from the repository root with: {SETUP_COMMAND}"
            )
        ports = {
            "mock serial": self.serial_port,
            "zwave-server": self.server_port,
            "control": self.control_port,
        }
        if len(set(ports.values())) != len(ports):
            raise ZwaveSimulatorError(f"the three ports must differ: {ports}")
        taken = [f"{name} {port}" for name, port in ports.items() if port_in_use(port)]
        if taken:
            raise ZwaveSimulatorError(
                f"ports already in use on {LOOPBACK}: {', '.join(taken)}"
            )

    def _prepare_state_dir(self) -> None:
        """Write zwave-server's config and drop a driver cache made for another mock config."""
        self.state_dir.mkdir(parents=True, exist_ok=True)
        cache_dir = self.state_dir / "cache"
        stamp = self.state_dir / "mock-config.sha256"
        digest = hashlib.sha256(MOCK_CONFIG.read_bytes()).hexdigest()
        if not stamp.exists() or stamp.read_text() != digest:
            shutil.rmtree(cache_dir, ignore_errors=True)
            stamp.write_text(digest)
        # The detectors are non-secure, but zwave-server refuses a config without S0 key;
        # random keys per start keep real network keys out of the state dir.
        config = {
            "securityKeys": {
                name: secrets.token_hex(16)
                for name in (
                    "S0_Legacy",
                    "S2_Unauthenticated",
                    "S2_Authenticated",
                    "S2_AccessControl",
                )
            },
            "storage": {"cacheDir": str(cache_dir)},
            # Without forceConsole the driver logs nothing when stdout is not a TTY.
            "logConfig": {"enabled": True, "forceConsole": True, "level": "info"},
        }
        path = self.state_dir / "zwave-server.json"
        path.write_text(json.dumps(config, indent=2))
        path.chmod(0o600)

    def _mock_command(self) -> list[str]:
        return [
            "node",
            "--require",
            str(NO_MDNS_PRELOAD),
            str(MOCK_SERVER_BIN),
            "--interface",
            LOOPBACK,
            "--port",
            str(self.serial_port),
            "--config",
            str(MOCK_CONFIG),
        ]

    def _server_command(self) -> list[str]:
        return [
            "node",
            str(ZWAVE_SERVER_BIN),
            f"tcp://{LOOPBACK}:{self.serial_port}",
            "--host",
            LOOPBACK,
            "--port",
            str(self.server_port),
            "--disable-dns-sd",
            "--config",
            str(self.state_dir / "zwave-server.json"),
        ]

    def _spawn(self, command: list[str], log_file: Path) -> subprocess.Popen[bytes]:
        env = {
            **os.environ,
            "ZJ_CONTROL_PORT": str(self.control_port),
            # The mock exits when this process dies without stopping it (no orphans).
            "ZJ_PARENT_PID": str(os.getpid()),
        }
        with log_file.open("ab") as log:
            return subprocess.Popen(  # noqa: S603 - fixed commands from this module
                command,
                cwd=SIMULATOR_DIR,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def _raise_if_exited(self, process: subprocess.Popen[bytes], log: Path) -> None:
        if process.poll() is not None:
            raise ZwaveSimulatorError(
                f"{log.stem} exited with code {process.returncode}:\n{_log_tail(log)}"
            )

    async def _wait_for_mock(self, process: subprocess.Popen[bytes]) -> None:
        """Wait for mock-server's own log lines rather than probing its single-client port."""
        offset = self.mock_log.stat().st_size if self.mock_log.exists() else 0
        while True:
            self._raise_if_exited(process, self.mock_log)
            with self.mock_log.open("rb") as log:
                log.seek(offset)
                text = log.read().decode(errors="replace")
            if all(line in text for line in _MOCK_READY_LINES):
                return
            await asyncio.sleep(_POLL_INTERVAL)

    async def _wait_for_server_port(self, process: subprocess.Popen[bytes]) -> None:
        while True:
            self._raise_if_exited(process, self.server_log)
            try:
                _, writer = await asyncio.open_connection(LOOPBACK, self.server_port)
            except OSError:
                await asyncio.sleep(_POLL_INTERVAL)
                continue
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()
            return

    async def wait_for_nodes(self, node_ids: Sequence[int] = SIMULATED_NODES) -> None:
        """Wait until the driver reports every given node as ready (interview complete).

        Uses zwave-server's websocket protocol directly: the `start_listening` state tells
        which nodes are ready already, and a node `ready` event announces the others.
        """
        waiting = set(node_ids)
        async with (
            aiohttp.ClientSession() as session,
            session.ws_connect(self.server_url) as ws,
        ):
            await self._receive(ws)  # the server's version message
            await ws.send_json(
                {"messageId": "devstack-ready", "command": "start_listening"}
            )
            while waiting:
                message = await self._receive(ws)
                if message.get("messageId") == "devstack-ready":
                    if not message.get("success"):
                        raise ZwaveSimulatorError(f"start_listening failed: {message}")
                    for node in message["result"]["state"]["nodes"]:
                        if node.get("ready"):
                            waiting.discard(node["nodeId"])
                event = message.get("event") or {}
                if event.get("source") == "node" and event.get("event") == "ready":
                    waiting.discard(event["nodeId"])

    async def _receive(self, ws: aiohttp.ClientWebSocketResponse) -> dict[str, Any]:
        message = await ws.receive()
        if message.type is not aiohttp.WSMsgType.TEXT:
            raise ZwaveSimulatorError(
                f"zwave-server closed the websocket ({message.type.name}):\n"
                f"{_log_tail(self.server_log)}"
            )
        decoded: dict[str, Any] = json.loads(message.data)
        return decoded

    # ----- control ------------------------------------------------------------------------

    async def trigger(self, action: str, *, node: int, **params: int) -> dict[str, Any]:
        """Make a simulated detector report something, e.g. `trigger("smoke/on", node=2)`.

        Query parameters go as keywords: `trigger("alarm", node=3, type=1, level=255)`.
        Returns the control server's JSON answer (frames sent, detector state).
        """
        return await self._control(f"/node/{node}/{action.strip('/')}", params)

    async def detector_state(self) -> dict[str, Any]:
        """Return what each simulated detector currently reports (`/state`)."""
        return await self._control("/state", {})

    async def _control(self, path: str, params: dict[str, int]) -> dict[str, Any]:
        async with (
            aiohttp.ClientSession() as session,
            session.post(
                f"{self.control_url}{path}",
                params={key: str(value) for key, value in params.items()},
            ) as response,
        ):
            body: dict[str, Any] = await response.json()
        if response.status != 200:
            raise ZwaveSimulatorError(
                f"control server refused {path}: {body.get('error')}"
            )
        return body

    # ----- stop ---------------------------------------------------------------------------

    async def stop(self) -> None:
        """Stop zwave-server, then mock-server; a no-op for what is not running."""
        for process in self._take_processes():
            if _terminate(process):
                await _wait_for_exit(process, STOP_TIMEOUT)
                _kill_if_alive(process)

    def stop_blocking(self) -> None:
        """Stop both processes from synchronous code."""
        for process in self._take_processes():
            if _terminate(process):
                with contextlib.suppress(subprocess.TimeoutExpired):
                    process.wait(STOP_TIMEOUT)
                _kill_if_alive(process)

    def _take_processes(self) -> list[subprocess.Popen[bytes]]:
        """Hand over the started processes in stop order and forget them."""
        processes = [p for p in (self._server, self._mock) if p is not None]
        self._server = self._mock = None
        return processes

    async def __aenter__(self) -> Self:
        """Start the network for an `async with` block."""
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Stop the network whatever happened in the block."""
        await self.stop()


def _terminate(process: subprocess.Popen[bytes]) -> bool:
    """SIGTERM the process group; tell whether there was anything to stop."""
    if process.poll() is not None:
        return False
    _signal_group(process, signal.SIGTERM)
    return True


async def _wait_for_exit(process: subprocess.Popen[bytes], within: float) -> None:
    """Poll (and so reap) a child process until it exits or `within` seconds pass."""
    deadline = time.monotonic() + within
    while True:
        if process.poll() is not None or time.monotonic() >= deadline:
            return
        await asyncio.sleep(_POLL_INTERVAL)


def _kill_if_alive(process: subprocess.Popen[bytes]) -> None:
    """SIGKILL the group of a process that did not stop in time, and reap it."""
    if process.poll() is None:
        _signal_group(process, signal.SIGKILL)
    process.wait()


def _signal_group(process: subprocess.Popen[bytes], signum: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signum)


# ----- command line -----------------------------------------------------------------------


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
