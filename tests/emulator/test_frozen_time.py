"""The emulator keeps answering in HA tests that freeze time with `freezer`."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import aiohttp
from freezegun.api import FrozenDateTimeFactory

from .helpers import get_json


async def test_answers_with_frozen_clock(
    venstar_emulator_factory: Any, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to("2026-01-10 12:00:00+00:00")
    emu = await venstar_emulator_factory(clock=time.time)
    runtimes = (await get_json(emu, "query/runtimes"))["runtimes"]
    frozen = 1768046400
    assert runtimes[-1]["ts"] == frozen
    freezer.tick(3600)
    runtimes = (await get_json(emu, "query/runtimes"))["runtimes"]
    assert runtimes[-1]["ts"] == frozen + 3600
    async with aiohttp.ClientSession() as session:

        async def fetch(path: str) -> None:
            async with session.get(emu.base_url + path) as response:
                await response.read()

        await asyncio.gather(fetch("query/info"), fetch("query/alerts"))
    assert emu.max_concurrent_requests == 2
