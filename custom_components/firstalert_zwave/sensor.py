"""Sensors: household alarm (enum), per-detector alarm state (enum) and last check-in."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
)
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .entity import DetectorEntity, HouseholdEntity
from .household_alarm import HouseholdAlarm
from .model import AlarmModel, DetectorState, HouseholdState
from .runtime_data import FirstAlertConfigEntry

PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class DetectorSensorDescription(SensorEntityDescription):
    """A per-detector sensor."""

    value_fn: Callable[[AlarmModel, str], str | datetime | None]


DETECTOR_SENSORS: tuple[DetectorSensorDescription, ...] = (
    DetectorSensorDescription(
        key="alarm_state",
        translation_key="alarm_state",
        device_class=SensorDeviceClass.ENUM,
        options=[state.value for state in DetectorState],
        # None (unknown): a smoke/CO sensor of the detector was never read.
        value_fn=lambda model, key: (
            state.value if (state := model.detector(key).state) else None
        ),
    ),
    DetectorSensorDescription(
        key="last_check_in",
        translation_key="last_check_in",
        device_class=SensorDeviceClass.TIMESTAMP,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda model, key: model.last_check_in(key),
    ),
)

HOUSEHOLD_ALARM = SensorEntityDescription(
    key="alarm",
    translation_key="household_alarm",
    device_class=SensorDeviceClass.ENUM,
    options=[state.value for state in HouseholdState],
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: FirstAlertConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the household alarm sensor now and detector sensors as detectors appear."""
    household = entry.runtime_data.household
    async_add_entities([HouseholdAlarmSensor(household, HOUSEHOLD_ALARM)])
    created: set[str] = set()

    @callback
    def add_detector(key: str) -> None:
        if key in created:
            return
        created.add(key)
        async_add_entities(
            DetectorSensor(household, description, key, created.discard)
            for description in DETECTOR_SENSORS
        )

    entry.async_on_unload(household.async_add_detector_listener(add_detector))


class DetectorSensor(DetectorEntity, SensorEntity):
    """A sensor of one detector."""

    entity_description: DetectorSensorDescription

    def __init__(
        self,
        household: HouseholdAlarm,
        description: DetectorSensorDescription,
        key: str,
        on_remove: Callable[[str], None],
    ) -> None:
        """Bind the description to the detector."""
        super().__init__(household, description, key, on_remove)

    @property
    def native_value(self) -> str | datetime | None:
        """Return the detector's value."""
        if not self.available:
            return None
        return self.entity_description.value_fn(
            self.household.model, self._detector_key
        )

    @property
    def extra_state_attributes(self) -> dict[str, Any] | None:
        """Return the flags behind the alarm state (several can be true at once)."""
        if self.entity_description.key != "alarm_state" or not self.available:
            return None
        view = self.detector
        return {
            "smoke": view.smoke,
            "co": view.co,
            "test": view.test,
            "silenced": view.silenced,
            "held": self.held,
        }


class HouseholdAlarmSensor(HouseholdEntity, SensorEntity):
    """clear / smoke / co / smoke_and_co / test for the whole household."""

    @property
    def native_value(self) -> str:
        """Return the household alarm state."""
        return self.view.state.value

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """Return the detectors and areas involved and since when."""
        view = self.view
        return self.involvement(view.involved, view.since)
