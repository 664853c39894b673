"""Child processes of the demo: started in their own process group, stopped with everything they spawned."""

from __future__ import annotations

from dataclasses import dataclass
import os
from pathlib import Path
import signal
import subprocess
import sys

from .homeassistant import REPO_ROOT
from .ports import wait_for_port

STOP_TIMEOUT = 10.0


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
        """SIGTERM the process group, then SIGKILL what is left."""
        if self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(STOP_TIMEOUT)
        except ProcessLookupError:
            return
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def spawn(name: str, command: list[str], log_file: Path) -> ManagedProcess:
    """Start `command` from the repository root with its output in `log_file`."""
    log_file.parent.mkdir(parents=True, exist_ok=True)
    with log_file.open("ab") as log:
        process = subprocess.Popen(  # noqa: S603 - commands built from our own arguments
            command,
            cwd=REPO_ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    return ManagedProcess(name, process)


def start_venstar_emulator(
    port: int, log_file: Path, *, time_scale: float = 30.0
) -> ManagedProcess:
    """Start the ColorTouch emulator on loopback and wait until it answers."""
    emulator = spawn(
        "Venstar emulator",
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
    )
    try:
        wait_for_port(port, 20, what="Venstar emulator")
    except BaseException:
        emulator.stop()
        raise
    return emulator
