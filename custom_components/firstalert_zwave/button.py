"""Button: the safety checkup of the alarm response (a dry run, nothing is switched)."""

from __future__ import annotations

from homeassistant.components.button import ButtonEntity, ButtonEntityDescription
from homeassistant.config_entries import ConfigEntry
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .const import DOMAIN
from .response.services import controller_of

PARALLEL_UPDATES = 0

SAFETY_CHECKUP = ButtonEntityDescription(
    key="safety_checkup",
    translation_key="safety_checkup",
    entity_category=EntityCategory.DIAGNOSTIC,
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: ConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the safety checkup button to the household device."""
    async_add_entities([SafetyCheckupButton(entry)])


class SafetyCheckupButton(ButtonEntity):
    """Dry-run the response for smoke and CO now; the result is a notification."""

    _attr_has_entity_name = True
    entity_description = SAFETY_CHECKUP

    def __init__(self, entry: ConfigEntry) -> None:
        """Attach to the household device of the entry."""
        self._attr_unique_id = f"{entry.entry_id}_{SAFETY_CHECKUP.key}"
        self._attr_device_info = DeviceInfo(identifiers={(DOMAIN, entry.entry_id)})

    async def async_press(self) -> None:
        """Run the checkup."""
        controller_of(self.hass).async_checkup(notify=True)
