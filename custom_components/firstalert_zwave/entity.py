"""Base entities: detector entities live on the zwave_js device, household ones on ours."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, override

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import callback
from homeassistant.helpers.device_registry import DeviceEntryType, DeviceInfo
from homeassistant.helpers.entity import Entity, EntityDescription
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .const import DOMAIN, ZWAVE_JS_DOMAIN
from .household_alarm import HouseholdAlarm
from .model import DetectorView, HouseholdView
from .runtime_data import FirstAlertConfigEntry


def household_device_info(entry: ConfigEntry) -> DeviceInfo:
    """Return the integration's own device, which holds the household entities."""
    return DeviceInfo(
        identifiers={(DOMAIN, entry.entry_id)},
        entry_type=DeviceEntryType.SERVICE,
        manufacturer="First Alert",
        model="Household smoke/CO alarm",
        name="First Alert household",
    )


class FirstAlertEntity(Entity):
    """Push entity updated by the household alarm."""

    _attr_has_entity_name = True
    _attr_should_poll = False
    _listen_key: str | None = None

    def __init__(
        self, household: HouseholdAlarm, description: EntityDescription
    ) -> None:
        """Store the household alarm and description."""
        self.household = household
        self.entity_description = description

    @override
    async def async_added_to_hass(self) -> None:
        """Follow the household alarm."""
        await super().async_added_to_hass()
        self.async_on_remove(
            self.household.async_add_listener(self._listen_key, self._handle_update)
        )

    @callback
    def _handle_update(self) -> None:
        self.async_write_ha_state()


class DetectorEntity(FirstAlertEntity):
    """An entity of one detector, attached to the detector's zwave_js device."""

    def __init__(
        self,
        household: HouseholdAlarm,
        description: EntityDescription,
        key: str,
        on_remove: Callable[[str], None],
    ) -> None:
        """Bind to detector ``key`` (the zwave_js device identifier)."""
        super().__init__(household, description)
        self._listen_key = key
        self._detector_key = key
        self._forget_entity = on_remove
        self._attr_unique_id = f"{key}_{description.key}"
        self._attr_device_info = DeviceInfo(identifiers={(ZWAVE_JS_DOMAIN, key)})

    @property
    @override
    def available(self) -> bool:
        """Return whether the detector is still known."""
        return self._detector_key in self.household.model

    @property
    def detector(self) -> DetectorView:
        """Return the detector's view."""
        return self.household.model.detector(self._detector_key)

    @override
    async def async_will_remove_from_hass(self) -> None:
        """Let the platform create this entity again if the detector comes back."""
        self._forget_entity(self._detector_key)


@callback
def async_add_detector_entities(
    entry: FirstAlertConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
    entity_class: type[DetectorEntity],
    descriptions: tuple[EntityDescription, ...],
) -> None:
    """Add a detector's entities once its zwave_js device exists (again after removal)."""
    household = entry.runtime_data.household
    created: set[str] = set()

    @callback
    def add_detector(key: str) -> None:
        if key in created:
            return
        created.add(key)
        async_add_entities(
            entity_class(household, description, key, created.discard)
            for description in descriptions
        )

    entry.async_on_unload(household.async_add_detector_listener(add_detector))


class HouseholdEntity(FirstAlertEntity):
    """An entity of the household, on the integration's own service device."""

    def __init__(
        self, household: HouseholdAlarm, description: EntityDescription
    ) -> None:
        """Bind to the household."""
        super().__init__(household, description)
        self._attr_unique_id = f"{household.entry.entry_id}_{description.key}"
        self._attr_device_info = household_device_info(household.entry)

    @property
    @override
    def available(self) -> bool:
        """Return whether detector values were ever read (zwave_js was loaded)."""
        return self.household.model.synced

    @property
    def view(self) -> HouseholdView:
        """Return the household view."""
        return self.household.model.household()

    def involvement(
        self, keys: tuple[str, ...], since: datetime | None
    ) -> dict[str, Any]:
        """Return attributes naming the detectors and areas behind a state."""
        model = self.household.model
        identities = [model.identity(key) for key in keys if key in model]
        return {
            "detectors": [identity.name for identity in identities],
            "areas": sorted(
                {identity.area for identity in identities if identity.area}
            ),
            "since": since.isoformat() if since else None,
            "held": model.held,
        }
