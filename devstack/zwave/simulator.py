"""`ZwaveSimulator`: start the network's two processes in order, observe them, stop them in reverse.

zwave-server exits when it cannot reach the mock or loses it, and the mock accepts one client, so
they start in this order and stop in reverse. Each runs in its own process group, its output goes
to a log file in the state dir, and `stop()` leaves no process behind.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
import os
from pathlib import Path
import shutil
import subprocess
from types import TracebackType
from typing import Any, Final, Self

from devstack.ports import LOOPBACK, free_ports, port_in_use
from devstack.processes import spawn, stop_process_group

from .commands import (
    SETUP_COMMAND,
    SIMULATOR_DIR,
    mock_command,
    server_command,
    simulator_installed,
)
from .control import post_control
from .errors import ZwaveSimulatorError
from .readiness import wait_for_mock, wait_for_nodes, wait_for_server_port
from .state_dir import prepare_state_dir

DEFAULT_SERIAL_PORT: Final = 5555
DEFAULT_SERVER_PORT: Final = 3000
DEFAULT_CONTROL_PORT: Final = 5580
# Node ids of the simulated detectors (1 is the controller).
SIMULATED_NODES: Final = (2, 3)

START_TIMEOUT: Final = 60.0
STOP_TIMEOUT: Final = 10.0


def default_ports() -> dict[str, int]:
    """Return the usual ports (as `ZwaveSimulator` keyword arguments) for the demo."""
    return {
        "serial_port": DEFAULT_SERIAL_PORT,
        "server_port": DEFAULT_SERVER_PORT,
        "control_port": DEFAULT_CONTROL_PORT,
    }


class ZwaveSimulator:
    """Start, observe and stop the simulated Z-Wave network in one state directory.

    Ports left out are picked free on loopback. The driver cache lives in `state_dir/cache`
    and is wiped whenever the mock config changed (see `state_dir`).
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
        free = free_ports(3)
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
                config = prepare_state_dir(self.state_dir)
                offset = self.mock_log.stat().st_size if self.mock_log.exists() else 0
                self._mock = self._spawn(mock_command(self.serial_port), self.mock_log)
                await wait_for_mock(self._mock, self.mock_log, offset)
                self._server = self._spawn(
                    server_command(self.serial_port, self.server_port, config),
                    self.server_log,
                )
                await wait_for_server_port(
                    self._server, self.server_port, self.server_log
                )
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

    async def wait_for_nodes(self, node_ids: Sequence[int] = SIMULATED_NODES) -> None:
        """Wait until the driver reports every given node as ready (interview complete)."""
        await wait_for_nodes(self.server_url, node_ids, self.server_log)

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

    def _spawn(self, command: list[str], log_file: Path) -> subprocess.Popen[bytes]:
        env = {
            **os.environ,
            "ZJ_CONTROL_PORT": str(self.control_port),
            # The mock exits when this process dies without stopping it (no orphans).
            "ZJ_PARENT_PID": str(os.getpid()),
        }
        return spawn(command, log_file, cwd=SIMULATOR_DIR, env=env)

    # ----- control ------------------------------------------------------------------------

    async def trigger(self, action: str, *, node: int, **params: int) -> dict[str, Any]:
        """Make a simulated detector report something, e.g. `trigger("smoke/on", node=2)`.

        Query parameters go as keywords: `trigger("alarm", node=3, type=1, level=255)`.
        Returns the control server's JSON answer (frames sent, detector state).
        """
        return await post_control(
            self.control_url, f"/node/{node}/{action.strip('/')}", params
        )

    async def detector_state(self) -> dict[str, Any]:
        """Return what each simulated detector currently reports (`/state`)."""
        return await post_control(self.control_url, "/state", {})

    # ----- stop ---------------------------------------------------------------------------

    async def stop(self) -> None:
        """Stop zwave-server, then mock-server; a no-op for what is not running."""
        for process in self._take_processes():
            await asyncio.to_thread(stop_process_group, process, STOP_TIMEOUT)

    def stop_blocking(self) -> None:
        """Stop both processes from synchronous code."""
        for process in self._take_processes():
            stop_process_group(process, STOP_TIMEOUT)

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
