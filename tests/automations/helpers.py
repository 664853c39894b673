"""Time and loop helpers shared by the blueprint tests."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import async_fire_time_changed


async def settle(hass: HomeAssistant) -> None:
    """Let every ready callback run (person → zone → trigger → service call → state).

    Yielding to the loop is enough for in-process entities; it also never waits for an
    automation run that sits in a delay, a wait or a lock retry.
    """
    for _ in range(50):
        await asyncio.sleep(0)


async def tick(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, **delta: float
) -> None:
    """Move the frozen clock and fire what became due."""
    freezer.tick(timedelta(**delta))
    async_fire_time_changed(hass)
    await settle(hass)
