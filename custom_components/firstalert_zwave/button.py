"""Button: the safety checkup of the alarm response (a dry run, nothing is switched)."""

from __future__ import annotations

from typing import override

from homeassistant.components.button import ButtonEntity, ButtonEntityDescription
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .entity import household_device_info
from .runtime_data import FirstAlertConfigEntry

PARALLEL_UPDATES = 0

SAFETY_CHECKUP = ButtonEntityDescription(
    key="safety_checkup",
    translation_key="safety_checkup",
    entity_category=EntityCategory.DIAGNOSTIC,
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: FirstAlertConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the safety checkup button to the household device."""
    async_add_entities([SafetyCheckupButton(entry, SAFETY_CHECKUP)])


class SafetyCheckupButton(ButtonEntity):
    """Dry-run the response for smoke and CO now; the result is a notification.

    Always available: the checkup reads the house as it is, synced or not.
    """

    _attr_has_entity_name = True

    def __init__(
        self, entry: FirstAlertConfigEntry, description: ButtonEntityDescription
    ) -> None:
        """Attach to the household device of the entry."""
        self.entity_description = description
        self._response = entry.runtime_data.response
        self._attr_unique_id = f"{entry.entry_id}_{description.key}"
        self._attr_device_info = household_device_info(entry)

    @override
    async def async_press(self) -> None:
        """Run the checkup."""
        self._response.async_checkup(notify=True)
