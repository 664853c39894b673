"""The escape doors: who counts as home, and doors that do not stay unlocked.

Doors are unlocked only when someone is home, and a door that locks itself again is
unlocked again, without ever flooding the lock's network with commands.
"""

from __future__ import annotations

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import Event, EventStateChangedData, HomeAssistant, callback
from homeassistant.helpers.event import async_track_state_change_event

from custom_components.firstalert_zwave.response.controller import RELOCKS_REPORTED

from .house import BACK, FRONT, House, advance


async def test_a_door_that_locks_itself_again_is_unlocked_again_with_growing_pauses(
    hass: HomeAssistant, responding: House, freezer: FrozenDateTimeFactory
) -> None:
    house = responding
    relocking = True

    @callback
    def auto_relock(event: Event[EventStateChangedData]) -> None:
        new = event.data["new_state"]
        if relocking and new is not None and new.state == "unlocked":
            hass.loop.call_soon(relock)

    def relock() -> None:
        house.back._attr_is_locked = True
        house.back.async_write_ha_state()

    unsubscribe = async_track_state_change_event(hass, [BACK], auto_relock)
    await house.smoke()
    await advance(hass, freezer, 300, step=1)

    # Unlocked again and again, but with pauses: a handful of commands, not a flood.
    assert 6 <= house.back.unlock_calls <= 12
    assert house.is_(FRONT) == "unlocked"
    relocked = [m for m in house.logged(BACK) if m.startswith("locked again")]
    assert relocked[:3] == [
        "locked again soon after the alarm response unlocked it; unlocking again in 2 s",
        "locked again soon after the alarm response unlocked it; unlocking again in 5 s",
        "locked again soon after the alarm response unlocked it; unlocking again in 10 s",
    ]
    assert house.said(f"Back door locked itself again {RELOCKS_REPORTED} times") == 1

    relocking = False  # its auto-relock is turned off
    await advance(hass, freezer, 61, step=1)
    assert house.is_(BACK) == "unlocked"
    unsubscribe()
