"""The thermostat's schedule as a switch (off = hold the current setpoints)."""

from __future__ import annotations

from typing import Any, override

from homeassistant.components.switch import SwitchEntity, SwitchEntityDescription
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .coordinator import VenstarConfigEntry
from .entity import VenstarEntity

# No limit across thermostats: each thermostat's client already sends one request at a time
# (in call order), and HA's limit would be shared by every thermostat, so one that does not
# answer would hold back commands to the others (an alarm switches them all off at once).
PARALLEL_UPDATES = 0

SCHEDULE = SwitchEntityDescription(
    key="schedule",
    translation_key="schedule",
    entity_category=EntityCategory.CONFIG,
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: VenstarConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the schedule switch."""
    async_add_entities(
        [VenstarScheduleSwitch(entry.runtime_data.coordinator, SCHEDULE)]
    )


class VenstarScheduleSwitch(VenstarEntity, SwitchEntity):
    """Run the thermostat's own schedule, or hold."""

    @property
    @override
    def is_on(self) -> bool | None:
        """Whether the schedule runs (None while the device reports it unreadable)."""
        return self.coordinator.data.info.schedule_enabled

    def _shown_values(self) -> Any:
        return (self.is_on,)

    @override
    async def async_turn_on(self, **kwargs: Any) -> None:
        """Start the schedule (refused by the thermostat while away)."""
        client = self.coordinator.client
        await self.coordinator.async_command(lambda: client.set_schedule(True))

    @override
    async def async_turn_off(self, **kwargs: Any) -> None:
        """Stop the schedule and hold the current setpoints."""
        client = self.coordinator.client
        await self.coordinator.async_command(lambda: client.set_schedule(False))
