"""Pytest plugin: Venstar emulators on real loopback HTTP for any test in the project.

`venstar_emulator` is a ColorTouch (HTTP, no auth) on 127.0.0.1 with a free port;
`venstar_emulator_factory` starts emulators with any constructor arguments. Everything started
is stopped at teardown.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest

from emulators.venstar import VenstarEmulator

type VenstarEmulatorFactory = Callable[..., Awaitable[VenstarEmulator]]


@pytest.fixture
async def venstar_emulator_factory(
    socket_enabled: None,
) -> AsyncIterator[VenstarEmulatorFactory]:
    """Start emulators on 127.0.0.1 (free port) with the given constructor kwargs."""
    started: list[VenstarEmulator] = []

    async def factory(**kwargs: Any) -> VenstarEmulator:
        host = kwargs.pop("host", "127.0.0.1")
        port = kwargs.pop("port", 0)
        emulator = VenstarEmulator(**kwargs)
        await emulator.start(host=host, port=port)
        started.append(emulator)
        return emulator

    yield factory
    for emulator in reversed(started):
        await emulator.stop()


@pytest.fixture
async def venstar_emulator(
    venstar_emulator_factory: VenstarEmulatorFactory,
) -> VenstarEmulator:
    """A started ColorTouch emulator (HTTP, no auth, no PIN) at `emulator.base_url`."""
    return await venstar_emulator_factory()


async def requested(emu: VenstarEmulator, path: str) -> None:
    """Return once `emu` has received a request for `path` (it may still be in flight)."""
    while not any(r.path == path for r in emu.requests):
        await asyncio.sleep(0.01)
