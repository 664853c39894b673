"""Notifications across restarts and reloads: never lost, never sent twice."""

from __future__ import annotations

from pathlib import Path

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
import pytest

from custom_components.firstalert_zwave.response.runner import BACKOFF

from .house import PHONES, House, advance, async_respond, default_inputs
from .test_restart import AGAIN, Again

CAROL = "notify.carol_phone"


@pytest.mark.parametrize("again", AGAIN)
async def test_a_notification_cut_short_by_a_restart_is_sent_after_it_once(
    hass: HomeAssistant,
    house: House,
    tmp_path: Path,
    freezer: FrozenDateTimeFactory,
    again: Again,
) -> None:
    carol = house.phone("carol_phone", HomeAssistantError("no network"))
    await async_respond(
        hass, tmp_path, default_inputs(notify_actions=[PHONES[0], CAROL])
    )
    await house.smoke()
    assert house.said("Smoke detected") == 1
    assert house.said("Smoke detected", CAROL) == 0  # her first attempt failed

    await again(hass, house)  # while her retry waits
    carol.fail = None
    await advance(hass, freezer, BACKOFF[0] + 1, step=1)

    assert house.said("Smoke detected", CAROL) == 1
    assert house.said("Unlocked: Front door, Back door.", CAROL) == 1
    assert house.said("Smoke detected") == 1  # Alice's was delivered: not again
    assert house.controller.memory.outbox == {}
    await advance(hass, freezer, 120, step=5)
    assert house.said("Smoke detected", CAROL) == 1


async def test_a_notification_is_given_up_after_its_attempts_across_restarts(
    hass: HomeAssistant, house: House, tmp_path: Path, freezer: FrozenDateTimeFactory
) -> None:
    house.phone("carol_phone", HomeAssistantError("no network"))
    await async_respond(hass, tmp_path, default_inputs(notify_actions=[CAROL]))
    await house.smoke()
    await advance(hass, freezer, BACKOFF[0] + 1, step=1)  # two attempts failed
    for again in AGAIN:
        await again.values[0](hass, house)
    await advance(hass, freezer, 120, step=2)

    failures = [m for m in house.logged() if "could not notify notify.carol_phone" in m]
    # Two messages (the alarm, the doors), five attempts each in all, then given up.
    assert len(failures) == 2 * 5
    assert house.controller.memory.outbox == {}


async def test_the_alarm_is_shown_again_after_home_assistant_restarts(
    hass: HomeAssistant, responding: House
) -> None:
    house = responding
    await house.smoke()
    shown = house.notifications()
    assert "firstalert_zwave_response_alarm_smoke" in shown
    # Home Assistant forgets its notifications when it stops.
    await hass.services.async_call(
        "persistent_notification", "dismiss_all", {}, blocking=True
    )

    await AGAIN[0].values[0](hass, house)

    assert house.notifications() == shown
    assert house.said("Smoke detected") == 1
