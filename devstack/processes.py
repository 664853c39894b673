"""Child processes of the demo: started in their own process group, stopped with everything they spawned.

Every process of the stack (Home Assistant, the Venstar emulator, the two Z-Wave simulator
processes) is started by `spawn` and stopped by `stop_process_group`, so none outlives the stack.
"""

from __future__ import annotations

from collections.abc import Mapping
import contextlib
from dataclasses import dataclass
import os
from pathlib import Path
import signal
import subprocess
import sys
from typing import Final

from .ports import wait_for_port

REPO_ROOT: Final = Path(__file__).resolve().parent.parent
STOP_TIMEOUT: Final = 10.0


def spawn(
    command: list[str],
    log_file: Path,
    *,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
) -> subprocess.Popen[bytes]:
    """Start `command` in a process group of its own, its output appended to `log_file`.

    Without `cwd` and `env` the process inherits ours.
    """
    log_file.parent.mkdir(parents=True, exist_ok=True)
    with log_file.open("ab") as log:
        return subprocess.Popen(  # noqa: S603 - commands built from our own arguments
            command,
            cwd=cwd,
            env=None if env is None else dict(env),
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )


def stop_process_group(
    process: subprocess.Popen[bytes], timeout: float = STOP_TIMEOUT
) -> None:
    """SIGTERM the process's group, SIGKILL it after `timeout` seconds, and reap the process.

    A process that has already exited is only reaped.
    """
    if process.poll() is None:
        _signal_group(process, signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            _signal_group(process, signal.SIGKILL)
    process.wait()


def _signal_group(process: subprocess.Popen[bytes], signum: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signum)


@dataclass
class ManagedProcess:
    """A started child process and how to stop it."""

    name: str
    process: subprocess.Popen[bytes]

    @property
    def running(self) -> bool:
        """Tell whether the process is alive."""
        return self.process.poll() is None

    def stop(self) -> None:
        """Stop the process and everything it started."""
        stop_process_group(self.process)


def start_venstar_emulator(
    port: int, log_file: Path, *, time_scale: float = 30.0
) -> ManagedProcess:
    """Start the ColorTouch emulator on loopback and wait until it answers."""
    emulator = ManagedProcess(
        "Venstar emulator",
        spawn(
            [
                sys.executable,
                "-m",
                "emulators.venstar",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--profile",
                "colortouch",
                "--time-scale",
                str(time_scale),
            ],
            log_file,
            cwd=REPO_ROOT,
        ),
    )
    try:
        wait_for_port(port, 20, what="Venstar emulator")
    except BaseException:
        emulator.stop()
        raise
    return emulator
