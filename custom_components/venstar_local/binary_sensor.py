"""Binary sensors: maintenance alerts, fan running, humidification, commercial states."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, override

from homeassistant.components.binary_sensor import (
    BinarySensorDeviceClass,
    BinarySensorEntity,
    BinarySensorEntityDescription,
)
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.util import slugify

from .coordinator import VenstarConfigEntry
from .data import VenstarData
from .entity import VenstarEntity

# Read-only platform: the coordinator does all fetching.
PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class VenstarBinarySensorEntityDescription(BinarySensorEntityDescription):
    """A binary sensor read from the coordinator's data."""

    value_fn: Callable[[VenstarData], bool | None]
    exists_fn: Callable[[VenstarData], bool] = lambda _: True


def _alert(name: str) -> Callable[[VenstarData], bool | None]:
    def value(data: VenstarData) -> bool | None:
        return next((a.active for a in data.alerts if a.name == name), None)

    return value


# Alerts with a known meaning get their own translated name; others use the device's name.
_ALERT_KEYS = {"Air Filter": "filter", "UV Lamp": "uv_lamp", "Service": "service"}

STATE_SENSORS: tuple[VenstarBinarySensorEntityDescription, ...] = (
    VenstarBinarySensorEntityDescription(
        key="fan_running",
        translation_key="fan_running",
        device_class=BinarySensorDeviceClass.RUNNING,
        exists_fn=lambda data: data.info.has("fan_running"),
        value_fn=lambda data: data.info.fan_running,
    ),
    VenstarBinarySensorEntityDescription(
        key="humidification",
        translation_key="humidification",
        exists_fn=lambda data: data.info.has("humidification_enabled"),
        value_fn=lambda data: (
            None
            if data.info.humidification_enabled is None
            else data.info.humidification_enabled == 1
        ),
    ),
    VenstarBinarySensorEntityDescription(
        key="holiday",
        translation_key="holiday",
        exists_fn=lambda data: data.info.has("holiday"),
        value_fn=lambda data: data.info.holiday,
    ),
    VenstarBinarySensorEntityDescription(
        key="override",
        translation_key="override",
        exists_fn=lambda data: data.info.has("override"),
        value_fn=lambda data: data.info.override,
    ),
    VenstarBinarySensorEntityDescription(
        key="force_unoccupied",
        translation_key="force_unoccupied",
        exists_fn=lambda data: data.info.has("force_unoccupied"),
        value_fn=lambda data: data.info.force_unoccupied,
    ),
)


def alert_description(name: str) -> VenstarBinarySensorEntityDescription:
    """Describe the problem sensor for one maintenance alert."""
    key = _ALERT_KEYS.get(name)
    return VenstarBinarySensorEntityDescription(
        key=f"alert_{key or slugify(name)}",
        translation_key=f"alert_{key}" if key else "alert",
        translation_placeholders=None if key else {"name": name},
        device_class=BinarySensorDeviceClass.PROBLEM,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=_alert(name),
    )


async def async_setup_entry(
    hass: HomeAssistant,
    entry: VenstarConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the binary sensors this thermostat supports; alerts that appear later too."""
    coordinator = entry.runtime_data.coordinator
    data = coordinator.data
    async_add_entities(
        VenstarBinarySensorEntity(coordinator, description)
        for description in STATE_SENSORS
        if description.exists_fn(data)
    )
    known: set[str] = set()

    @callback
    def add_alerts() -> None:
        """Add a problem sensor for every alert name not seen before."""
        new = [a.name for a in coordinator.data.alerts if a.name not in known]
        known.update(new)
        if new:
            async_add_entities(
                VenstarBinarySensorEntity(coordinator, alert_description(name))
                for name in new
            )

    add_alerts()
    entry.async_on_unload(coordinator.async_add_listener(add_alerts))


class VenstarBinarySensorEntity(VenstarEntity, BinarySensorEntity):
    """A binary sensor of the thermostat."""

    entity_description: VenstarBinarySensorEntityDescription

    @property
    @override
    def is_on(self) -> bool | None:
        """Value from the last confirmed data."""
        return self.entity_description.value_fn(self.coordinator.data)

    def _shown_values(self) -> Any:
        return (self.is_on,)
