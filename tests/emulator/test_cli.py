"""Command line: starts, prints its URL, serves, stops cleanly on Ctrl-C."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
import signal
import socket
import sys

import aiohttp
import pytest

from emulators.venstar.__main__ import main

ROOT = Path(__file__).resolve().parents[2]


async def _line(stream: asyncio.StreamReader) -> str:
    return (await asyncio.wait_for(stream.readline(), 20)).decode().strip()


async def test_cli_serves_and_stops_on_ctrl_c(socket_enabled: None) -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "emulators.venstar",
        "--port",
        "0",
        "--profile",
        "t2000",
        "--time-scale",
        "60",
        "--ssdp",
        "--ssdp-port",
        "0",
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert process.stdout is not None
    try:
        first = await _line(process.stdout)
        assert first.startswith(
            "Venstar emulator (t2000) listening on http://127.0.0.1:"
        )
        url = first.rsplit(" ", 1)[1]
        assert (await _line(process.stdout)).startswith(
            "SSDP responder on udp://127.0.0.1:"
        )
        async with aiohttp.ClientSession() as session, session.get(url) as response:
            assert (await response.json())["model"] == "T2000"
    finally:
        process.send_signal(signal.SIGINT)
        await asyncio.wait_for(process.wait(), 20)
    assert process.returncode == 0
    assert (await _line(process.stdout)) == "stopped"


def test_cli_refuses_user_without_password(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--user", "admin"]) == 2
    assert "go together" in capsys.readouterr().err


def test_cli_reports_a_busy_port(
    socket_enabled: None, capsys: pytest.CaptureFixture[str]
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        assert main(["--port", str(taken.getsockname()[1])]) == 1
    assert "error:" in capsys.readouterr().err


def test_cli_refuses_https_on_t2000(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--profile", "t2000", "--https"]) == 1
    assert "neither HTTPS nor auth" in capsys.readouterr().err
