"""The shared time helper fires what a test set up just before moving the clock."""

from __future__ import annotations

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import async_mock_service

from .helpers import settle, tick


async def _automation_with_for(hass: HomeAssistant) -> list[ServiceCall]:
    calls = async_mock_service(hass, "test", "fired")
    hass.states.async_set("sensor.door", "closed")
    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": {
                "triggers": {
                    "trigger": "state",
                    "entity_id": "sensor.door",
                    "to": "open",
                    "for": {"seconds": 60},
                },
                "actions": {"action": "test.fired"},
            }
        },
    )
    await settle(hass)
    return calls


async def test_tick_fires_a_for_timer_started_by_a_state_set_just_before_it(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    calls = await _automation_with_for(hass)
    hass.states.async_set(
        "sensor.door", "open"
    )  # no settle: the timer starts inside tick
    await tick(hass, freezer, seconds=61)
    assert len(calls) == 1


async def test_tick_does_not_fire_a_for_timer_before_it_is_due(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    calls = await _automation_with_for(hass)
    hass.states.async_set("sensor.door", "open")
    await tick(hass, freezer, seconds=59)
    assert calls == []
    await tick(hass, freezer, seconds=2)
    assert len(calls) == 1
