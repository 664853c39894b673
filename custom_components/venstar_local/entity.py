"""Base entity: one device per thermostat, sub-devices for wireless remote sensors."""

from __future__ import annotations

from typing import Any, override

from homeassistant.core import callback
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.entity import EntityDescription
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .const import CONF_MAC, DOMAIN, MANUFACTURER
from .coordinator import VenstarCoordinator


def thermostat_device_info(coordinator: VenstarCoordinator) -> DeviceInfo:
    """Describe the thermostat: model, firmware and, when discovery told us, its MAC.

    No configuration URL: the thermostat's web server only speaks the JSON API.
    """
    entry = coordinator.config_entry
    data = coordinator.data
    api_info = data.api_info
    model = api_info.model
    device = DeviceInfo(
        identifiers={thermostat_identifier(entry.entry_id)},
        manufacturer=MANUFACTURER,
        model=f"{model} ({api_info.device_type.value})" if model else None,
        model_id=model,
        name=data.info.name or entry.title,
        sw_version=api_info.firmware_version,
    )
    if mac := entry.data.get(CONF_MAC):
        device["connections"] = {(dr.CONNECTION_NETWORK_MAC, mac)}
    return device


def thermostat_identifier(entry_id: str) -> tuple[str, str]:
    """Device registry identifier of the thermostat (stable across MAC upgrades)."""
    return (DOMAIN, entry_id)


def remote_sensor_identifier(entry_id: str, sensor_id: int) -> tuple[str, str]:
    """Device registry identifier of one wireless remote sensor."""
    return (DOMAIN, f"{entry_id}_sensor_{sensor_id}")


_NOT_WRITTEN = object()


class VenstarEntity(CoordinatorEntity[VenstarCoordinator]):
    """An entity of the thermostat device, described by its description, unique per key.

    A poll changes a few values (the room temperature, the equipment); every entity hears
    about it, but only those whose own values changed write their state: writing a state is
    most of what a poll costs Home Assistant.
    """

    _attr_has_entity_name = True
    _written: Any = _NOT_WRITTEN

    def __init__(
        self,
        coordinator: VenstarCoordinator,
        description: EntityDescription,
        *,
        unique_key: str | None = None,
    ) -> None:
        """Attach the entity to the thermostat device.

        Unique ids are built on the config entry id, which stays the same when a manually
        added thermostat is later upgraded to its MAC by discovery, and on `unique_key`
        (the description's key unless given).
        """
        super().__init__(coordinator)
        self.entity_description = description
        key = description.key if unique_key is None else unique_key
        self._attr_unique_id = f"{coordinator.config_entry.entry_id}_{key}"
        self._attr_device_info = thermostat_device_info(coordinator)

    def _shown_values(self) -> Any:
        """Return what this entity shows from the coordinator's data (None: always write)."""
        return None

    @callback
    @override
    def _handle_coordinator_update(self) -> None:
        """Write the state only when what the entity shows changed."""
        shown = self._shown_values()
        if shown is not None:
            shown = (self.available, shown)
            if shown == self._written:
                return
        self._written = shown
        super()._handle_coordinator_update()
