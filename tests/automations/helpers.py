"""Time and loop helpers shared by the blueprint tests."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import async_fire_time_changed

# Rounds of "fire what is due, let it run" per tick: a timer started by a fired callback for a
# moment already past (a `for:` of 0, a chained delay, a controller's re-check) fires too.
_FIRE_ROUNDS = 3


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
    """Move the frozen clock and fire what became due.

    Whatever is pending runs first, at the old time: a state set just before the call starts
    its `for:` timers from that moment, so they fire in this tick instead of being scheduled
    from the new time (and silently never firing within it).
    """
    await settle(hass)
    freezer.tick(timedelta(**delta))
    for _ in range(_FIRE_ROUNDS):
        async_fire_time_changed(hass)
        await settle(hass)
