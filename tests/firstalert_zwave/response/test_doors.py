"""The escape doors: who counts as home, doors that do not stay unlocked, long alarms.

Doors are unlocked only when someone is home, and a door that locks itself again is
unlocked again, without ever flooding the lock's network with commands. An alarm that
lasts hours with devices that keep failing holds a fixed number of tasks and timers.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import Event, EventStateChangedData, HomeAssistant, callback
from homeassistant.helpers.event import async_track_state_change_event
from homeassistant.util import dt as dt_util

from custom_components.firstalert_zwave.response.controller import RELOCKS_REPORTED

from .house import (
    ALICE,
    BACK,
    BOB,
    FRONT,
    GUEST,
    LIVING,
    House,
    advance,
    async_respond,
    default_inputs,
)
from .test_scenarios import ARRIVAL_CONFIRMATION, DOORS


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


async def test_a_door_a_person_locks_after_an_alarm_is_unlocked_at_once_by_the_next(
    hass: HomeAssistant, house: House, freezer: FrozenDateTimeFactory, tmp_path: Path
) -> None:
    await async_respond(hass, tmp_path, {**default_inputs(), "clear_delay": 0})
    await house.smoke()
    await advance(hass, freezer, 2, step=1)
    assert house.is_(BACK) == "unlocked"
    await house.smoke(False)
    await advance(hass, freezer, 5, step=1)

    # A person locks the door seconds after the alarm ended: not an auto-relock.
    house.back._attr_is_locked = True
    house.back.async_write_ha_state()
    calls = house.back.unlock_calls
    await house.smoke()
    await advance(hass, freezer, 1, step=1)

    assert house.is_(BACK) == "unlocked"
    assert house.back.unlock_calls == calls + 1
    assert not [m for m in house.logged(BACK) if m.startswith("locked again")]


async def test_a_resident_shown_home_for_a_moment_never_gets_the_doors_unlocked(
    hass: HomeAssistant, responding: House, freezer: FrozenDateTimeFactory
) -> None:
    """GPS noise puts a phone at home for a few seconds while nobody is home."""
    house = responding
    await house.move(ALICE, "not_home")
    await house.smoke()
    await advance(hass, freezer, 60)

    for _ in range(3):
        await house.move(ALICE, "home")
        await advance(hass, freezer, 5)
        await house.move(ALICE, "not_home")
        await advance(hass, freezer, 20)
    await advance(hass, freezer, 120, step=5)

    for door in DOORS:
        assert house.is_(door) == "locked"
    assert house.back.unlock_calls == 0
    assert house.said("Someone is home") == 0
    assert house.logged() == []


async def test_a_resident_who_stays_home_gets_the_doors_unlocked_after_the_confirmation(
    hass: HomeAssistant, responding: House, freezer: FrozenDateTimeFactory
) -> None:
    house = responding
    await house.move(ALICE, "not_home")
    await house.smoke()
    await advance(hass, freezer, 60)
    await house.move(ALICE, "home")
    await advance(hass, freezer, ARRIVAL_CONFIRMATION - 2)
    assert house.is_(FRONT) == "locked"

    await advance(hass, freezer, 3)

    for door in DOORS:
        assert house.is_(door) == "unlocked"
    assert house.said("Someone is home during the alarm") == 1


async def test_a_resident_home_just_before_the_alarm_counts_at_once(
    hass: HomeAssistant, responding: House, freezer: FrozenDateTimeFactory
) -> None:
    house = responding
    await house.move(ALICE, "not_home")
    await advance(hass, freezer, 60)
    await house.move(ALICE, "home")
    await advance(hass, freezer, 5)

    await house.smoke()

    for door in DOORS:
        assert house.is_(door) == "unlocked"


async def test_guest_mode_needs_no_arrival_confirmation(
    hass: HomeAssistant, responding: House, freezer: FrozenDateTimeFactory
) -> None:
    house = responding
    await house.move(ALICE, "not_home")
    await house.smoke()
    await advance(hass, freezer, 60)

    await house.toggle(GUEST, True)

    for door in DOORS:
        assert house.is_(door) == "unlocked"


async def test_without_arrival_confirmation_an_arrival_counts_at_once(
    hass: HomeAssistant, house: House, tmp_path: Path, freezer: FrozenDateTimeFactory
) -> None:
    await async_respond(hass, tmp_path, default_inputs(arrival_confirmation=0))
    await house.move(ALICE, "not_home")
    await house.smoke()
    await advance(hass, freezer, 60)

    await house.move(BOB, "home")

    for door in DOORS:
        assert house.is_(door) == "unlocked"


def footprint(hass: HomeAssistant, house: House) -> dict[str, int]:
    """What a running alarm holds: tasks, timers, listeners, remembered items."""
    controller = house.controller
    episode = controller.memory.episode
    assert episode is not None
    return {
        "actions": len(controller._tasks) + len(controller._events),
        "tasks": len(asyncio.all_tasks(hass.loop)),
        "timers": len(hass.loop._scheduled),  # type: ignore[attr-defined]
        "listeners": sum(hass.bus.async_listeners().values()),
        "attempt counters": len(episode.attempts),
        "outbox": len(controller.memory.outbox),
        "shown": len(controller.memory.shown),
    }


async def test_an_alarm_that_lasts_hours_holds_no_more_tasks_timers_or_memory(
    hass: HomeAssistant, house: House, tmp_path: Path, freezer: FrozenDateTimeFactory
) -> None:
    """A jammed lock, a failing light and thermostat, retried for hours."""
    await async_respond(hass, tmp_path, default_inputs())
    house.back.jam()
    house.stairs.fail = RuntimeError("bulb gone")
    house.upstairs.fail_mode = TimeoutError()
    await house.smoke()
    await advance(hass, freezer, 10 * 60, step=60)
    calls = house.back.unlock_calls

    async def largest(minutes: int) -> dict[str, int]:
        """The largest footprint seen over ``minutes`` of the alarm."""
        seen: dict[str, int] = {}
        for _ in range(minutes // 5):
            await advance(hass, freezer, 5 * 60, step=60)
            for key, value in footprint(hass, house).items():
                seen[key] = max(seen.get(key, 0), value)
        return seen

    first = await largest(30)
    await advance(hass, freezer, 3 * 3600, step=60)
    last = await largest(30)

    # Timers and tasks come and go (a save, a retry pause, a health check): their number
    # moves by a few between samples, but never grows with the length of the alarm.
    for key in ("tasks", "timers"):
        assert last.pop(key) <= first.pop(key) + 2, key
    assert last == first
    assert house.back.unlock_calls - calls >= 4 * 60 - 5  # still tried every minute


async def test_a_clock_set_back_during_an_alarm_never_skips_the_arrival_confirmation(
    hass: HomeAssistant, responding: House, freezer: FrozenDateTimeFactory
) -> None:
    """Set back, every new arrival looks older than the alarm: it is not."""
    house = responding
    await house.move(ALICE, "not_home")
    await house.smoke()
    await advance(hass, freezer, 60)
    freezer.move_to(dt_util.utcnow() - timedelta(hours=1))

    await house.move(BOB, "home")
    await advance(hass, freezer, 5)
    await house.move(BOB, "not_home")
    await advance(hass, freezer, 120, step=5)

    for door in DOORS:
        assert house.is_(door) == "locked"


async def test_a_clock_set_back_during_the_clear_delay_restores_after_the_delay_as_ever(
    hass: HomeAssistant, responding: House, freezer: FrozenDateTimeFactory
) -> None:
    """Never before the clear delay has really passed, and not an hour later either."""
    house = responding
    await house.smoke()
    await house.smoke(False)
    await advance(hass, freezer, 60)
    freezer.move_to(dt_util.utcnow() - timedelta(hours=1))
    await house.move(BOB, "home")  # anything that changes: the response looks again

    await advance(hass, freezer, 4 * 60 - 10, step=10)
    assert house.thermostat(LIVING) == ("off", "auto")  # 5 minutes clear: not yet
    await advance(hass, freezer, 60 + 20, step=5)
    assert house.thermostat(LIVING) == ("heat", "on")  # within a delay of the change
