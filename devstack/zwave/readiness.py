"""Waiting for the network: mock-server's log, zwave-server's port, the detectors' interviews."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
import contextlib
import json
from pathlib import Path
import subprocess
from typing import Any, Final

import aiohttp

from devstack.ports import LOOPBACK

from .errors import ZwaveSimulatorError

POLL_INTERVAL: Final = 0.05
_MOCK_READY_LINES: Final = ("Server listening on tcp://", "Control server listening on")


def log_tail(path: Path, lines: int = 25) -> str:
    """Return the end of a log file to put into an error message."""
    try:
        text = path.read_text(errors="replace")
    except FileNotFoundError:
        return "(no output)"
    return "\n".join(text.splitlines()[-lines:])


def _raise_if_exited(process: subprocess.Popen[bytes], log: Path) -> None:
    if process.poll() is not None:
        raise ZwaveSimulatorError(
            f"{log.stem} exited with code {process.returncode}:\n{log_tail(log)}"
        )


async def wait_for_mock(
    process: subprocess.Popen[bytes], log: Path, offset: int
) -> None:
    """Wait for mock-server's own log lines (after `offset`) rather than probing its single-client port."""
    while True:
        _raise_if_exited(process, log)
        with log.open("rb") as file:
            file.seek(offset)
            text = file.read().decode(errors="replace")
        if all(line in text for line in _MOCK_READY_LINES):
            return
        await asyncio.sleep(POLL_INTERVAL)


async def wait_for_server_port(
    process: subprocess.Popen[bytes], port: int, log: Path
) -> None:
    """Wait until zwave-server accepts connections on `port`."""
    while True:
        _raise_if_exited(process, log)
        try:
            _, writer = await asyncio.open_connection(LOOPBACK, port)
        except OSError:
            await asyncio.sleep(POLL_INTERVAL)
            continue
        writer.close()
        with contextlib.suppress(OSError):
            await writer.wait_closed()
        return


async def wait_for_nodes(server_url: str, node_ids: Sequence[int], log: Path) -> None:
    """Wait until the driver reports every given node as ready (interview complete).

    Uses zwave-server's websocket protocol directly: the `start_listening` state tells
    which nodes are ready already, and a node `ready` event announces the others.
    """
    waiting = set(node_ids)
    async with (
        aiohttp.ClientSession() as session,
        session.ws_connect(server_url) as ws,
    ):
        await _receive(ws, log)  # the server's version message
        await ws.send_json(
            {"messageId": "devstack-ready", "command": "start_listening"}
        )
        while waiting:
            message = await _receive(ws, log)
            if message.get("messageId") == "devstack-ready":
                if not message.get("success"):
                    raise ZwaveSimulatorError(f"start_listening failed: {message}")
                for node in message["result"]["state"]["nodes"]:
                    if node.get("ready"):
                        waiting.discard(node["nodeId"])
            event = message.get("event") or {}
            if event.get("source") == "node" and event.get("event") == "ready":
                waiting.discard(event["nodeId"])


async def _receive(ws: aiohttp.ClientWebSocketResponse, log: Path) -> dict[str, Any]:
    message = await ws.receive()
    if message.type is not aiohttp.WSMsgType.TEXT:
        raise ZwaveSimulatorError(
            f"zwave-server closed the websocket ({message.type.name}):\n{log_tail(log)}"
        )
    decoded: dict[str, Any] = json.loads(message.data)
    return decoded
