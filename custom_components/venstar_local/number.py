"""The dehumidify setpoint, which HA's climate entity has no place for.

The climate entity's target humidity is the humidify setpoint; thermostats that also
dehumidify (through the AC) get this number for the upper bound.
"""

from __future__ import annotations

from typing import Any, override

from homeassistant.components.number import (
    NumberDeviceClass,
    NumberEntity,
    NumberEntityDescription,
    NumberMode,
)
from homeassistant.const import PERCENTAGE, EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .coordinator import VenstarConfigEntry
from .entity import VenstarEntity

# No limit across thermostats: each thermostat's client already sends one request at a time
# (in call order), and HA's limit would be shared by every thermostat, so one that does not
# answer would hold back commands to the others (an alarm switches them all off at once).
PARALLEL_UPDATES = 0

# The range the thermostat accepts for the dehumidify setpoint (99 % means off).
DEHUMIDIFY_MIN = 25
DEHUMIDIFY_MAX = 99

DEHUMIDIFY_SETPOINT = NumberEntityDescription(
    key="dehumidify_setpoint",
    translation_key="dehumidify_setpoint",
    device_class=NumberDeviceClass.HUMIDITY,
    entity_category=EntityCategory.CONFIG,
    native_unit_of_measurement=PERCENTAGE,
    native_min_value=DEHUMIDIFY_MIN,
    native_max_value=DEHUMIDIFY_MAX,
    native_step=1,
    mode=NumberMode.BOX,
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: VenstarConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the dehumidify setpoint where the thermostat reports one."""
    coordinator = entry.runtime_data.coordinator
    if coordinator.data.info.has("dehumidify_setpoint"):
        async_add_entities(
            [VenstarDehumidifySetpoint(coordinator, DEHUMIDIFY_SETPOINT)]
        )


class VenstarDehumidifySetpoint(VenstarEntity, NumberEntity):
    """Relative humidity above which the thermostat dehumidifies."""

    @property
    @override
    def native_value(self) -> float | None:
        """The dehumidify setpoint the device reports."""
        return self.coordinator.data.info.dehumidify_setpoint

    def _shown_values(self) -> Any:
        return (self.native_value,)

    @override
    async def async_set_native_value(self, value: float) -> None:
        """Set it; the client keeps it at least 3 % above the humidify setpoint."""
        client = self.coordinator.client
        await self.coordinator.async_command(
            lambda: client.set_humidity_setpoints(dehumidify=value)
        )
