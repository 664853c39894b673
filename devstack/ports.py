"""Loopback port helpers shared by the demo launcher and the end-to-end tests."""

from __future__ import annotations

import contextlib
import socket
import time

LOOPBACK = "127.0.0.1"


def free_port() -> int:
    """Return a TCP port on loopback that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        return int(sock.getsockname()[1])


def free_ports(count: int) -> list[int]:
    """Return distinct free loopback ports (the sockets are open together, so none repeats)."""
    with contextlib.ExitStack() as stack:
        sockets = [stack.enter_context(socket.socket()) for _ in range(count)]
        for sock in sockets:
            sock.bind((LOOPBACK, 0))
        return [int(sock.getsockname()[1]) for sock in sockets]


def port_in_use(port: int) -> bool:
    """Tell whether something already listens on the loopback port."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.2)
        return sock.connect_ex((LOOPBACK, port)) == 0


def wait_for_port(port: int, within: float, *, what: str) -> None:
    """Wait until a server accepts connections on the loopback port."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if port_in_use(port):
            return
        time.sleep(0.1)
    raise TimeoutError(
        f"{what} did not listen on {LOOPBACK}:{port} within {within:.0f} s"
    )
