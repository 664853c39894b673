"""Every action kind failing in every way: nothing delays or stops another action.

A service that raises anything (not only ``HomeAssistantError``), one that does not exist,
one that hangs: each failure is one failed attempt of one action, logged, written to the
logbook, retried with growing pauses and reported; every other action goes on at once.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.notify import (
    DATA_COMPONENT as NOTIFY_COMPONENT,
    NotifyEntity,
)
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import (
    HomeAssistantError,
    ServiceNotFound,
    ServiceValidationError,
)
from homeassistant.helpers.entity_component import EntityComponent
from homeassistant.setup import async_setup_component
import pytest
import voluptuous as vol

from custom_components.firstalert_zwave.response.actions import RESTORE_ATTEMPTS
from custom_components.firstalert_zwave.response.runner import (
    BACKOFF,
    CALL_TIMEOUT,
    WATCH_INTERVAL,
)

from .entities import HANG, Failure, ScriptedNotify
from .house import (
    BACK,
    FRONT,
    HALLWAY,
    KITCHEN_LIGHT,
    LIVING,
    PHONES,
    SCHEDULE,
    STAIRS,
    UPSTAIRS,
    House,
    advance,
    async_respond,
    default_inputs,
)

FAILURES = [
    pytest.param(HomeAssistantError("the device refused"), id="HomeAssistantError"),
    pytest.param(ServiceValidationError("not valid now"), id="ServiceValidationError"),
    pytest.param(ServiceNotFound("lock", "unlock"), id="ServiceNotFound"),
    pytest.param(TimeoutError(), id="TimeoutError"),
    pytest.param(RuntimeError("driver crashed"), id="RuntimeError"),
    pytest.param(KeyError("state"), id="KeyError"),
    pytest.param(vol.Invalid("bad value"), id="vol.Invalid"),
    pytest.param(asyncio.CancelledError(), id="CancelledError"),
    pytest.param(HANG, id="hang"),
]
CAROL = "notify.carol_phone"


def error_text(failure: Failure) -> str:
    """What the logbook says about one failed attempt."""
    if failure == HANG:
        return f"TimeoutError: no answer within {CALL_TIMEOUT:g} s"
    assert isinstance(failure, BaseException)
    text = str(failure).strip()
    name = type(failure).__name__
    return f"{name}: {text}" if text else name


def attempt_time(failure: Failure, attempts: int) -> float:
    """Seconds until ``attempts`` attempts have failed (with the pauses between them)."""
    each = CALL_TIMEOUT + WATCH_INTERVAL if failure == HANG else 0.0
    return attempts * each + sum(BACKOFF[: attempts - 1]) + 1


@pytest.mark.parametrize("failure", FAILURES)
async def test_every_action_kind_failing_never_delays_or_stops_another(
    hass: HomeAssistant,
    house: House,
    tmp_path: Path,
    freezer: FrozenDateTimeFactory,
    failure: Failure,
) -> None:
    carol = house.phone("carol_phone", failure)
    await async_respond(
        hass,
        tmp_path,
        default_inputs(notify_actions=[PHONES[0], CAROL, PHONES[1]]),
    )
    house.back.fail = failure
    house.stairs.fail = failure
    house.living.fail_mode = failure
    house.upstairs.fail_fan = failure

    await house.smoke()

    # Everything that works acted at once, whatever the others do.
    assert house.is_(FRONT) == "unlocked"
    assert house.is_(HALLWAY) == "on"
    assert house.is_(KITCHEN_LIGHT) == "on"
    assert house.thermostat(LIVING) == ("heat", "auto")
    assert house.thermostat(UPSTAIRS) == ("off", "on")
    for phone in PHONES:
        assert house.said("Smoke detected", phone) == 1
    assert house.is_(BACK) == "locked"
    assert house.is_(STAIRS) == "off"

    await advance(hass, freezer, attempt_time(failure, 3), step=1)

    text = error_text(failure)
    for entity_id, what in (
        (BACK, "unlock Back door"),
        (STAIRS, "turn on Stairs"),
        (LIVING, "turn off Living room"),
        (UPSTAIRS, "set the fan of Upstairs to auto"),
    ):
        logged = house.logged(entity_id)
        for attempt in (1, 2, 3):
            expected = f"alarm response could not {what} (attempt {attempt}: {text})"
            assert expected in logged, (expected, logged)
    assert house.said(
        "Doors: smoke alarm: Unlocked: Front door. FAILED to unlock: Back door — use "
        "another exit. Still trying."
    )
    assert house.said(
        f"Could not turn on Stairs after 3 attempts ({text}). Still trying."
    )
    assert house.said(f"Could not turn off Living room after 3 attempts ({text})")
    assert house.said(
        f"Could not set the fan of Upstairs to auto after 3 attempts ({text})"
    )
    assert len(carol.calls) >= 3  # retried too, and never in the way of Bob's phone
    assert house.back.unlock_calls >= 3

    # The faults go away: the house converges on its own.
    for scripted in (house.back, house.stairs, house.living, house.upstairs, carol):
        scripted.release()
        scripted.fail = None
    house.living.fail_mode = None
    house.upstairs.fail_fan = None
    await advance(hass, freezer, BACKOFF[-1] + CALL_TIMEOUT + 5, step=1)

    assert house.is_(BACK) == "unlocked"
    assert house.is_(STAIRS) == "on"
    assert house.thermostat(LIVING) == ("off", "auto")
    assert house.thermostat(UPSTAIRS) == ("off", "auto")
    assert house.said("Doors: smoke alarm: Unlocked: Front door, Back door.")
    assert (
        house.logged(BACK)[-1]
        == "unlocked for escape (smoke at Kitchen alarm (Kitchen))"
    )
    assert house.sent[CAROL]  # delivered once the phone came back


@pytest.mark.parametrize("failure", FAILURES)
async def test_a_failing_restore_step_is_retried_reported_and_never_blocks_the_others(
    hass: HomeAssistant,
    house: House,
    tmp_path: Path,
    freezer: FrozenDateTimeFactory,
    failure: Failure,
) -> None:
    await async_respond(hass, tmp_path, default_inputs(clear_delay=0))
    await house.smoke()
    house.schedule._attr_is_on = False
    house.schedule.async_write_ha_state()
    house.living.fail_mode = failure
    house.schedule.fail = failure

    await house.smoke(False)
    assert house.thermostat(UPSTAIRS) == ("heat", "on")
    await advance(hass, freezer, 2 * attempt_time(failure, RESTORE_ATTEMPTS), step=1)

    assert house.thermostat(LIVING) == ("off", "auto")
    assert house.is_(SCHEDULE) == "off"
    text = error_text(failure)
    assert (
        f"alarm response could not set Living room back to heat "
        f"(attempt {RESTORE_ATTEMPTS}: {text})"
    ) in house.logged(LIVING)
    assert house.messages()[-1] == (
        "Smoke cleared: The detectors are clear. HVAC restored: Upstairs → heat, fan "
        "on. Could NOT restore: Living room → heat, fan on; Living room schedule on — "
        "set it by hand."
    )
    assert house.controller.memory.episode is None
    house.living.release()
    house.schedule.release()


async def test_a_notify_action_that_no_longer_exists_never_stops_the_others(
    hass: HomeAssistant, house: House, tmp_path: Path, freezer: FrozenDateTimeFactory
) -> None:
    await async_respond(
        hass,
        tmp_path,
        default_inputs(notify_actions=["notify.old_phone", *PHONES]),
    )
    await house.smoke()
    await advance(hass, freezer, 120, step=2)

    for phone in PHONES:
        assert house.said("Smoke detected", phone) == 1
        assert house.said("Unlocked: Front door, Back door.", phone) == 1
    failures = [m for m in house.logged() if "notify notify.old_phone" in m]
    assert len(failures) == 2 * 5  # two messages, five attempts each, then given up
    assert "ServiceNotFound" in failures[0]


async def test_a_lock_that_does_not_exist_is_retried_and_reported(
    hass: HomeAssistant, house: House, tmp_path: Path, freezer: FrozenDateTimeFactory
) -> None:
    await async_respond(
        hass, tmp_path, default_inputs(locks=[FRONT, "lock.garage_door"])
    )
    await house.smoke()
    assert house.is_(FRONT) == "unlocked"
    await advance(hass, freezer, 3 * 10 + BACKOFF[0] + BACKOFF[1] + 1, step=1)

    assert house.said(
        "Unlocked: Front door. FAILED to unlock: lock.garage_door — use another exit."
    )
    assert (
        "alarm response could not unlock lock.garage_door (attempt 1: "
        "NotConfirmedError: not confirmed within 10 s)"
    ) in house.logged("lock.garage_door")


async def test_a_lock_that_never_confirms_is_unlocked_again_until_it_does(
    hass: HomeAssistant, house: House, tmp_path: Path, freezer: FrozenDateTimeFactory
) -> None:
    house.back.confirm = False
    await async_respond(hass, tmp_path, default_inputs())
    await house.smoke()
    await advance(hass, freezer, 3 * 10 + BACKOFF[0] + BACKOFF[1] + 1, step=1)
    assert house.back.unlock_calls == 3
    assert house.said("FAILED to unlock: Back door")

    house.back.confirm = True
    await advance(hass, freezer, BACKOFF[2] + 1, step=1)
    assert house.is_(BACK) == "unlocked"
    assert house.said("Unlocked: Front door, Back door.")


async def test_notify_entities_are_targets_too_each_on_its_own(
    hass: HomeAssistant, house: House, tmp_path: Path, freezer: FrozenDateTimeFactory
) -> None:
    """A notify entity (notify.send_message) next to a notify action; one of them fails."""
    kitchen_display, hall_display = (
        ScriptedNotify("Kitchen display"),
        ScriptedNotify("Hall display"),
    )
    kitchen_display.fail = RuntimeError("display crashed")

    assert await async_setup_component(hass, "notify", {})
    component: EntityComponent[NotifyEntity] = hass.data[NOTIFY_COMPONENT]
    await component.async_add_entities([kitchen_display, hall_display])
    await async_respond(
        hass,
        tmp_path,
        default_inputs(
            notify_actions=[
                "notify.kitchen_display",
                "notify.hall_display",
                "notify.alice_phone",
            ]
        ),
    )
    await house.smoke()

    assert hall_display.received[0][0] == "Smoke alarm"
    assert house.said("Smoke detected") == 1
    await advance(hass, freezer, 10, step=1)
    failures = house.logged()
    assert (
        "alarm response could not notify notify.kitchen_display "
        "(attempt 1: RuntimeError: display crashed)"
    ) in failures
    kitchen_display.fail = None
    await advance(hass, freezer, 20, step=1)
    assert {title for title, _ in kitchen_display.received} == {
        "Smoke alarm",
        "Doors: smoke alarm",
    }
