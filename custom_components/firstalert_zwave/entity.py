"""Base entities: detector entities live on the zwave_js device, household ones on ours."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from homeassistant.core import callback
from homeassistant.helpers.device_registry import DeviceEntryType, DeviceInfo
from homeassistant.helpers.entity import Entity, EntityDescription

from .const import DOMAIN, ZWAVE_JS_DOMAIN
from .household_alarm import HouseholdAlarm
from .model import DetectorView, HouseholdView


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
    def available(self) -> bool:
        """Return whether the detector is still known."""
        return self._detector_key in self.household.model

    @property
    def detector(self) -> DetectorView:
        """Return the detector's view."""
        return self.household.model.detector(self._detector_key)

    @property
    def held(self) -> bool:
        """Return whether the detector's state is held (its zwave_js entry is away)."""
        return not self.household.model.live(self._detector_key)

    async def async_will_remove_from_hass(self) -> None:
        """Let the platform create this entity again if the detector comes back."""
        self._forget_entity(self._detector_key)


class HouseholdEntity(FirstAlertEntity):
    """An entity of the household, on the integration's own service device."""

    def __init__(
        self, household: HouseholdAlarm, description: EntityDescription
    ) -> None:
        """Bind to the household."""
        super().__init__(household, description)
        entry = household.entry
        self._attr_unique_id = f"{entry.entry_id}_{description.key}"
        self._attr_device_info = DeviceInfo(
            identifiers={(DOMAIN, entry.entry_id)},
            entry_type=DeviceEntryType.SERVICE,
            manufacturer="First Alert",
            model="Household smoke/CO alarm",
            name="First Alert household",
        )

    @property
    def available(self) -> bool:
        """Return whether detector values were ever read (zwave_js was loaded)."""
        return self.household.model.synced

    @property
    def view(self) -> HouseholdView:
        """Return the household view."""
        return self.household.model.household()

    def involvement(self, keys: tuple[str, ...], since: Any) -> dict[str, Any]:
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
