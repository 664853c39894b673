"""Clients wired to emulators over real loopback sockets."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
import json
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from custom_components.venstar_local.api import (
    DeviceIdentity,
    DeviceType,
    VenstarClient,
)
from emulators.venstar import VenstarEmulator

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "venstar"

type ClientFactory = Callable[..., VenstarClient]

# Who the default emulator (a ColorTouch) says it is.
IDENTITY = DeviceIdentity(
    name="COLORTOUCH", model="COLORTOUCH", device_type=DeviceType.RESIDENTIAL
)


class Clock:
    """Monotonic time the test moves by hand."""

    def __init__(self) -> None:
        self.now = 5000.0

    def __call__(self) -> float:
        return self.now


def paths(emu: VenstarEmulator, since: int = 0) -> list[str]:
    """The requests `emu` received since the `since`-th, as "METHOD /path"."""
    return [f"{r.method} {r.path}" for r in emu.requests[since:]]


def trusted(client: VenstarClient) -> bool:
    """Whether a command made now would skip reading the state (read afresh each time)."""
    return client._trusted_info() is not None


def load_fixture(name: str) -> Any:
    """A real ColorTouch capture, decoded."""
    return json.loads((FIXTURES / name).read_text())


@pytest.fixture
async def session(socket_enabled: None) -> AsyncIterator[aiohttp.ClientSession]:
    """A client session for the test, closed at teardown."""
    async with aiohttp.ClientSession() as client_session:
        yield client_session


@pytest.fixture
def client_factory(session: aiohttp.ClientSession) -> ClientFactory:
    """Build a client for an emulator: fast (no gap, no backoff) unless told otherwise."""

    def factory(emu: VenstarEmulator, **kwargs: Any) -> VenstarClient:
        options: dict[str, Any] = {
            "port": emu.port,
            "https": emu.https,
            "min_request_gap": 0,
            "retry_backoff": 0,
            "timeout": 2.0,
        }
        options.update(kwargs)
        return VenstarClient("127.0.0.1", session, **options)

    return factory


@pytest.fixture
def client(
    venstar_emulator: VenstarEmulator, client_factory: ClientFactory
) -> VenstarClient:
    """A client for the default ColorTouch emulator."""
    return client_factory(venstar_emulator)
