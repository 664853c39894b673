"""Entity ids and small readers shared by the First Alert tests."""

from __future__ import annotations

from typing import Any

from homeassistant.core import Event, HomeAssistant

HOUSEHOLD_SMOKE = "binary_sensor.first_alert_household_smoke"
HOUSEHOLD_CO = "binary_sensor.first_alert_household_carbon_monoxide"
HOUSEHOLD_ALARM = "sensor.first_alert_household_alarm"
HOUSEHOLD_EVENTS = "event.first_alert_household_alarm_events"


def detector_entity(device_slug: str, what: str) -> str:
    """Return a detector entity id, e.g. ("kitchen", "alarm_state")."""
    platform = "sensor" if what in ("alarm_state", "last_check_in") else "binary_sensor"
    return f"{platform}.{device_slug}_{what}"


def state(hass: HomeAssistant, entity_id: str) -> str:
    """Return an entity's state (fails clearly when the entity does not exist)."""
    current = hass.states.get(entity_id)
    assert current is not None, f"{entity_id} does not exist"
    return current.state


def attrs(hass: HomeAssistant, entity_id: str) -> dict[str, Any]:
    """Return an entity's attributes."""
    current = hass.states.get(entity_id)
    assert current is not None, f"{entity_id} does not exist"
    return dict(current.attributes)


def household(hass: HomeAssistant) -> tuple[str, str, str]:
    """Return (smoke, co, alarm) of the household entities."""
    return (
        state(hass, HOUSEHOLD_SMOKE),
        state(hass, HOUSEHOLD_CO),
        state(hass, HOUSEHOLD_ALARM),
    )


def summary(events: list[Event]) -> list[tuple[str, str, str | None, str]]:
    """Return (type, kind, detector name, reason) of captured alarm events."""
    return [
        (
            event.data["type"],
            event.data["kind"],
            event.data["detector"],
            event.data["reason"],
        )
        for event in events
    ]
