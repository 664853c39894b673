"""Restart and reload in the middle of an alarm, at every stage: the response resumes.

A restart here is what Home Assistant does: our entry and zwave_js unload (the memory is
saved), Home Assistant is starting again, our entry is set up before zwave_js has read the
detectors (household entities unavailable) and before any automation has run, then zwave_js
connects and Home Assistant reports it has started. A reload is our entry alone.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
import copy
from pathlib import Path
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import EVENT_HOMEASSISTANT_STARTED
from homeassistant.core import CoreState, HomeAssistant
import pytest

from custom_components.firstalert_zwave.response.runner import BACKOFF
from custom_components.firstalert_zwave.response.storage import STORAGE_KEY
from tests.firstalert_zwave.harness import SMOKE_SENSOR, ZwaveNetwork

from .house import (
    BACK,
    FRONT,
    HALLWAY,
    KITCHEN,
    LIVING,
    SCHEDULE,
    UPSTAIRS,
    House,
    advance,
    async_build_house,
    async_respond,
    default_inputs,
    settle,
)

CLEAR_DELAY = 5 * 60


async def restart(hass: HomeAssistant, house: House) -> None:
    """Stop and start Home Assistant (gracefully: the memory is saved on the way down)."""
    assert house.entry is not None
    zwave = hass.config_entries.async_entries("zwave_js")[0]
    assert await hass.config_entries.async_unload(house.entry.entry_id)
    assert await hass.config_entries.async_unload(zwave.entry_id)
    await settle(hass)
    hass.set_state(CoreState.starting)
    assert await hass.config_entries.async_setup(house.entry.entry_id)
    await settle(hass)
    assert await hass.config_entries.async_setup(zwave.entry_id)
    await settle(hass)
    hass.set_state(CoreState.running)
    hass.bus.async_fire(EVENT_HOMEASSISTANT_STARTED)
    await settle(hass)


async def reload(hass: HomeAssistant, house: House) -> None:
    """Reload our entry (zwave_js stays)."""
    assert house.entry is not None
    assert await hass.config_entries.async_reload(house.entry.entry_id)
    await settle(hass)


AGAIN = [
    pytest.param(restart, id="restart"),
    pytest.param(reload, id="reload"),
]
type Again = Callable[[HomeAssistant, House], Awaitable[None]]


async def test_an_alarm_already_on_at_start_is_acted_on_from_the_stored_configuration(
    hass: HomeAssistant,
    zwave_network: ZwaveNetwork,
    hass_storage: dict[str, Any],
) -> None:
    """Before the snapshot: smoke began while Home Assistant was down."""
    config = default_inputs()
    config.pop("notify_actions")
    hass_storage[STORAGE_KEY] = {
        "version": 1,
        "minor_version": 1,
        "key": STORAGE_KEY,
        "data": {
            "config": {**config, "notify_actions": ["notify.alice_phone"]},
            "memory": {"sensors": {}, "episode": None},
        },
    }
    hass.set_state(CoreState.starting)
    house = await async_build_house(
        hass, zwave_network, alarm=[(KITCHEN, SMOKE_SENSOR, 2)]
    )

    # No automation has run: the stored configuration is enough.
    assert hass.states.get("automation.alarm_response") is None
    assert house.is_(FRONT) == "unlocked"
    assert house.thermostat(LIVING) == ("off", "auto")
    episode = house.controller.memory.episode
    assert episode is not None
    assert episode.snapshot[LIVING].mode == "heat"  # saved before it was switched off
    assert house.said("Smoke detected: smoke at Kitchen alarm (Kitchen).") == 1
    hass.set_state(CoreState.running)
    assert await hass.config_entries.async_unload(house.entry.entry_id)  # type: ignore[union-attr]


@pytest.mark.parametrize("again", AGAIN)
async def test_before_the_snapshot_a_thermostat_that_returns_is_saved_then_switched_off(
    hass: HomeAssistant,
    responding: House,
    freezer: FrozenDateTimeFactory,
    again: Again,
) -> None:
    house = responding
    house.upstairs.set_available(False)
    await house.smoke()
    episode = house.controller.memory.episode
    assert episode is not None
    assert UPSTAIRS not in episode.snapshot

    await again(hass, house)
    house.upstairs.set_available(True)
    await settle(hass)

    assert house.thermostat(UPSTAIRS) == ("off", "auto")
    await house.smoke(False)
    await advance(hass, freezer, CLEAR_DELAY + 30, step=10)
    assert house.thermostat(UPSTAIRS) == ("heat", "on")
    assert house.thermostat(LIVING) == ("heat", "on")


@pytest.mark.parametrize("again", AGAIN)
async def test_during_the_lock_retries_the_retries_go_on_and_nothing_is_said_twice(
    hass: HomeAssistant,
    responding: House,
    freezer: FrozenDateTimeFactory,
    again: Again,
) -> None:
    house = responding
    house.back.jam()
    await house.smoke()
    await advance(hass, freezer, BACKOFF[0] + 1, step=1)
    assert house.back.unlock_calls == 2

    await again(hass, house)
    assert house.back.unlock_calls == 3  # tried again at once
    await advance(hass, freezer, 2, step=1)

    assert house.said("Smoke detected") == 1
    assert house.said("FAILED to unlock: Back door") == 1
    assert house.thermostat(LIVING) == ("off", "auto")
    house.back.free()
    await advance(hass, freezer, BACKOFF[-1] + 1, step=1)
    assert house.is_(BACK) == "unlocked"
    assert house.said("Unlocked: Front door, Back door.") == 1


@pytest.mark.parametrize("again", AGAIN)
async def test_during_the_clear_delay_the_restore_comes_when_the_delay_ends(
    hass: HomeAssistant,
    responding: House,
    freezer: FrozenDateTimeFactory,
    again: Again,
) -> None:
    house = responding
    await house.smoke()
    await house.smoke(False)
    await advance(hass, freezer, 120, step=10)

    await again(hass, house)
    await advance(hass, freezer, CLEAR_DELAY - 120 - 20, step=10)
    assert house.thermostat(LIVING) == ("off", "auto")
    await advance(hass, freezer, 40, step=5)

    assert house.thermostat(LIVING) == ("heat", "on")
    assert house.said("HVAC restored") == 1
    assert house.said("Smoke detected") == 1


@pytest.mark.parametrize("again", AGAIN)
async def test_during_the_restore_it_finishes_after_the_restart(
    hass: HomeAssistant,
    responding: House,
    freezer: FrozenDateTimeFactory,
    again: Again,
) -> None:
    house = responding
    await house.smoke()
    await house.smoke(False)
    house.upstairs.fail_mode = "hang"
    await advance(hass, freezer, CLEAR_DELAY + 1, step=10)
    assert house.thermostat(LIVING) == ("heat", "on")
    assert house.thermostat(UPSTAIRS) == ("off", "auto")

    await again(hass, house)  # the restore's call in flight is cancelled
    house.upstairs.release()
    await settle(hass)
    await advance(hass, freezer, BACKOFF[0] + 1, step=1)

    assert house.thermostat(UPSTAIRS) == ("heat", "on")
    assert house.is_(SCHEDULE) == "on"
    assert house.said("HVAC restored") == 1
    assert house.controller.memory.episode is None


async def test_a_crash_after_switching_off_never_restores_the_switched_off_state_as_heating(
    hass: HomeAssistant,
    responding: House,
    freezer: FrozenDateTimeFactory,
    hass_storage: dict[str, Any],
) -> None:
    """Power lost between switching off and saving: heating stays off (fail safe)."""
    house = responding
    assert house.entry is not None
    before = copy.deepcopy(hass_storage[STORAGE_KEY])
    await house.smoke()
    assert house.thermostat(LIVING) == ("off", "auto")
    assert await hass.config_entries.async_unload(house.entry.entry_id)
    hass_storage[STORAGE_KEY] = before  # what was on disk before the alarm
    assert await hass.config_entries.async_setup(house.entry.entry_id)
    await settle(hass)

    assert house.controller.memory.episode is not None
    assert house.controller.memory.episode.snapshot[LIVING].mode == "off"
    await house.smoke(False)
    await advance(hass, freezer, CLEAR_DELAY + 30, step=10)
    assert house.thermostat(LIVING)[0] == "off"


@pytest.mark.parametrize("again", AGAIN)
async def test_a_co_alarm_is_remembered_across_restarts_and_never_restored(
    hass: HomeAssistant,
    responding: House,
    freezer: FrozenDateTimeFactory,
    again: Again,
) -> None:
    house = responding
    await house.co()
    await house.co(False)
    await again(hass, house)
    await advance(hass, freezer, CLEAR_DELAY + 30, step=10)

    assert house.thermostat(LIVING) == ("off", "on")
    assert house.said("Heating stays OFF") == 1
    assert house.said("Carbon monoxide detected") == 1


async def test_unload_waits_for_a_call_in_flight_and_leaves_nothing_running(
    hass: HomeAssistant, house: House, tmp_path: Path
) -> None:
    carol = house.phone("carol_phone", "hang")
    await async_respond(
        hass,
        tmp_path,
        default_inputs(notify_actions=["notify.carol_phone", "notify.alice_phone"]),
    )
    house.back.fail = "hang"
    await house.smoke()
    assert house.is_(HALLWAY) == "on"
    assert house.said("Smoke detected") == 1
    assert house.entry is not None

    unloading = hass.async_create_task(
        hass.config_entries.async_unload(house.entry.entry_id)
    )
    await settle(hass)
    assert not unloading.done()  # the back door's unlock is still being sent

    house.back.release()
    await settle(hass)
    assert not unloading.done()  # and so is Carol's notification
    carol.release()
    await settle(hass)
    assert unloading.done()
    assert house.sent["notify.carol_phone"]  # it was delivered, not cut off
    assert unloading.result() is True
    assert house.entry.state is ConfigEntryState.NOT_LOADED
    assert house.back.unlock_calls == 1  # not tried again after the unload began


async def test_an_unreadable_saved_state_starts_empty_and_is_logged(
    hass: HomeAssistant,
    zwave_network: ZwaveNetwork,
    hass_storage: dict[str, Any],
    caplog: pytest.LogCaptureFixture,
) -> None:
    hass_storage[STORAGE_KEY] = {
        "version": 1,
        "minor_version": 1,
        "key": STORAGE_KEY,
        "data": {
            "config": {"alarm_sensors": ["binary_sensor.x"]},
            "memory": {"episode": {"kinds": ["fire"]}},
        },
    }
    house = await async_build_house(hass, zwave_network)
    assert house.controller.config is None
    assert house.controller.memory.episode is None
    assert "Stored alarm response state is unreadable" in caplog.text
    assert house.entry is not None
    assert await hass.config_entries.async_unload(house.entry.entry_id)


async def test_a_failure_inside_the_response_is_logged_and_it_tries_again(
    hass: HomeAssistant,
    responding: House,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    from custom_components.firstalert_zwave.response import controller

    house = responding
    real = controller.read_facts
    failures = iter([RuntimeError("a bug")])

    def flaky(*args: Any, **kwargs: Any) -> Any:
        if (error := next(failures, None)) is not None:
            raise error
        return real(*args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(controller, "read_facts", flaky)
        await house.smoke()
        assert "Alarm response reconcile failed; trying again" in caplog.text
        await advance(hass, freezer, 11, step=1)
    assert house.is_(FRONT) == "unlocked"
    assert house.thermostat(LIVING) == ("off", "auto")
