"""A real Home Assistant server process: config dir preparation, start, readiness, stop.

The demo (`scripts/develop`) and the end-to-end tests use this same code, so what the tests check is
what a user starts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
import json
import os
from pathlib import Path
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request

from .ports import LOOPBACK, port_in_use
from .processes import REPO_ROOT, spawn, stop_process_group

CONFIG_SOURCE = REPO_ROOT / "config"
BLUEPRINT_AUTHOR = "local_home_bridge"
# Files of the committed demo configuration copied into a fresh config dir.
CONFIG_FILES = ("configuration.yaml", "automations.yaml")
CONFIG_DIRS = ("packages",)
START_TIMEOUT = 120.0
STOP_TIMEOUT = 20.0


def hass_executable() -> Path:
    """Return the `hass` entry point of the interpreter running this code (the project venv)."""
    return Path(sys.executable).with_name("hass")


def _link(target: Path, link: Path) -> None:
    """Point `link` at `target`, replacing a stale link."""
    if link.is_symlink() or link.exists():
        if link.is_symlink() and link.resolve() == target.resolve():
            return
        if link.is_dir() and not link.is_symlink():
            shutil.rmtree(link)
        else:
            link.unlink()
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(target, target_is_directory=target.is_dir())


def prepare_config_dir(config_dir: Path, source: Path = CONFIG_SOURCE) -> None:
    """Make `config_dir` a working config dir for the demo (or another configuration in `source`).

    The repository's own `config/` is used in place; any other dir (tests) gets copies of the committed
    files. Both get links to the integrations and blueprints, and loopback-only networking is seeded
    before the first start so HA never binds or announces on the real network interface.
    """
    config_dir.mkdir(parents=True, exist_ok=True)
    if config_dir.resolve() != source.resolve():
        for name in CONFIG_FILES:
            shutil.copy2(source / name, config_dir / name)
        for name in CONFIG_DIRS:
            shutil.copytree(source / name, config_dir / name, dirs_exist_ok=True)
    _link(REPO_ROOT / "custom_components", config_dir / "custom_components")
    _link(
        REPO_ROOT / "automations",
        config_dir / "blueprints" / "automation" / BLUEPRINT_AUTHOR,
    )
    network = config_dir / ".storage" / "core.network"
    if not network.exists():
        network.parent.mkdir(parents=True, exist_ok=True)
        network.write_text(
            json.dumps(
                {
                    "version": 1,
                    "minor_version": 1,
                    "key": "core.network",
                    "data": {"configured_adapters": ["lo"]},
                }
            )
        )


@dataclass
class HomeAssistantServer:
    """One `hass` process on loopback, started in its own process group."""

    config_dir: Path
    port: int = 8123
    extra_env: dict[str, str] = field(default_factory=dict)
    # Where configuration.yaml, automations.yaml and packages/ come from (benches use their own).
    config_source: Path = CONFIG_SOURCE
    _process: subprocess.Popen[bytes] | None = field(default=None, init=False)

    @property
    def url(self) -> str:
        """Base URL of the server."""
        return f"http://{LOOPBACK}:{self.port}"

    @property
    def log_file(self) -> Path:
        """Where HA's console output goes."""
        return self.config_dir / "hass-console.log"

    def start(self, timeout: float = START_TIMEOUT) -> None:
        """Start HA and wait until its HTTP server answers."""
        if port_in_use(self.port):
            raise RuntimeError(
                f"port {self.port} is already in use: stop whatever listens there first"
            )
        prepare_config_dir(self.config_dir, self.config_source)
        env = {**os.environ, "HA_PORT": str(self.port), **self.extra_env}
        # Compiled bytecode is kept (HA starts about twice as fast with it), in one cache inside
        # the venv: never next to the sources, where a `custom_components/__pycache__` folder
        # would look like an integration without a manifest.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(Path(sys.prefix) / "pycache")
        self._process = spawn(
            [str(hass_executable()), "-c", str(self.config_dir), "--skip-pip"],
            self.log_file,
            env=env,
        )
        try:
            self._wait_ready(timeout)
        except BaseException:
            self.stop()
            raise

    def _wait_ready(self, timeout: float) -> None:
        """Poll `/manifest.json`, which answers without auth once HTTP is up."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process is not None and self._process.poll() is not None:
                raise RuntimeError(
                    f"Home Assistant exited with code {self._process.returncode}; see {self.log_file}"
                )
            try:
                url = f"{self.url}/manifest.json"
                with urllib.request.urlopen(url, timeout=2) as resp:  # noqa: S310
                    if resp.status == 200:
                        return
            except (OSError, urllib.error.URLError):
                pass
            time.sleep(0.25)
        raise TimeoutError(
            f"Home Assistant did not answer on {self.url} within {timeout:.0f} s"
        )

    @property
    def pid(self) -> int | None:
        """Process id of the running server (benches read its CPU time)."""
        return None if self._process is None else self._process.pid

    @property
    def running(self) -> bool:
        """Tell whether the process is alive."""
        return self._process is not None and self._process.poll() is None

    def stop(self) -> None:
        """Stop HA (SIGTERM, then SIGKILL) and everything it started."""
        process, self._process = self._process, None
        if process is not None:
            stop_process_group(process, STOP_TIMEOUT)
