"""The simulator's installed files and the command lines of its two Node.js processes."""

from __future__ import annotations

from pathlib import Path
import shutil
from typing import Final

from devstack.ports import LOOPBACK
from devstack.processes import REPO_ROOT

SIMULATOR_DIR: Final = REPO_ROOT / "simulators" / "zwave"
SETUP_COMMAND: Final = "npm ci --prefix simulators/zwave --no-audit --no-fund"

MOCK_CONFIG: Final = SIMULATOR_DIR / "first_alert_mock.cjs"
NO_MDNS_PRELOAD: Final = SIMULATOR_DIR / "no-mdns.cjs"
MOCK_SERVER_BIN: Final = Path("node_modules", "zwave-js", "bin", "mock-server.cjs")
ZWAVE_SERVER_BIN: Final = Path(
    "node_modules", "@zwave-js", "server", "dist-esm", "bin", "server.js"
)


def simulator_installed() -> bool:
    """Tell whether Node.js and the simulator's npm packages are present."""
    return shutil.which("node") is not None and all(
        (SIMULATOR_DIR / binary).is_file()
        for binary in (MOCK_SERVER_BIN, ZWAVE_SERVER_BIN)
    )


def mock_command(serial_port: int) -> list[str]:
    """Return the command of mock-server: the stick on `serial_port` and the detectors."""
    return [
        "node",
        "--require",
        str(NO_MDNS_PRELOAD),
        str(MOCK_SERVER_BIN),
        "--interface",
        LOOPBACK,
        "--port",
        str(serial_port),
        "--config",
        str(MOCK_CONFIG),
    ]


def server_command(serial_port: int, server_port: int, config: Path) -> list[str]:
    """Return the command of zwave-server, driving the stick on `serial_port`."""
    return [
        "node",
        str(ZWAVE_SERVER_BIN),
        f"tcp://{LOOPBACK}:{serial_port}",
        "--host",
        LOOPBACK,
        "--port",
        str(server_port),
        "--disable-dns-sd",
        "--config",
        str(config),
    ]
