"""Event entity: one event per alarm transition (the same data as the bus event)."""

from __future__ import annotations

from typing import Any, override

from homeassistant.components.event import EventEntity, EventEntityDescription
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .entity import HouseholdEntity
from .model import AlarmEvent, EventType
from .runtime_data import FirstAlertConfigEntry

PARALLEL_UPDATES = 0

ALARM_EVENTS = EventEntityDescription(
    key="alarm_events",
    translation_key="alarm_events",
    event_types=[event_type.value for event_type in EventType],
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: FirstAlertConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the household alarm event entity."""
    async_add_entities([AlarmEventEntity(entry.runtime_data.household, ALARM_EVENTS)])


class AlarmEventEntity(HouseholdEntity, EventEntity):
    """Started / cleared / test started / test ended / silenced, per detector."""

    @override
    async def async_added_to_hass(self) -> None:
        """Follow alarm events."""
        await super().async_added_to_hass()
        self.async_on_remove(self.household.async_add_event_listener(self._on_event))

    _written_available: bool | None = None

    @callback
    @override
    def _handle_update(self) -> None:
        """Household changes only matter here when availability changes."""
        if self.available != self._written_available:
            self.async_write_ha_state()

    @callback
    @override
    def async_write_ha_state(self) -> None:
        """Remember the availability that was written."""
        self._written_available = self.available
        super().async_write_ha_state()

    @callback
    def _on_event(self, event: AlarmEvent, payload: dict[str, Any]) -> None:
        attributes = {key: value for key, value in payload.items() if key != "type"}
        self._trigger_event(event.type.value, attributes)
        self.async_write_ha_state()
