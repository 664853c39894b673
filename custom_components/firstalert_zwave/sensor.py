"""Sensors: household alarm (enum), per-detector alarm state (enum) and last check-in."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, override

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
)
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .entity import DetectorEntity, HouseholdEntity, async_add_detector_entities
from .model import AlarmModel, DetectorState, HouseholdState
from .runtime_data import FirstAlertConfigEntry

PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class DetectorSensorDescription(SensorEntityDescription):
    """A per-detector sensor: its value and extra attributes, read from the model by key."""

    value_fn: Callable[[AlarmModel, str], str | datetime | None]
    attributes_fn: Callable[[AlarmModel, str], dict[str, Any]] | None = None


def _alarm_state(model: AlarmModel, key: str) -> str | None:
    """Return the detector's state; None (unknown): a smoke/CO sensor was never read."""
    state = model.detector(key).state
    return state.value if state else None


def _alarm_flags(model: AlarmModel, key: str) -> dict[str, Any]:
    """Return the flags behind the alarm state (several can be true at once)."""
    view = model.detector(key)
    return {
        "smoke": view.smoke,
        "co": view.co,
        "test": view.test,
        "silenced": view.silenced,
        "held": not model.live(key),
    }


DETECTOR_SENSORS: tuple[DetectorSensorDescription, ...] = (
    DetectorSensorDescription(
        key="alarm_state",
        translation_key="alarm_state",
        device_class=SensorDeviceClass.ENUM,
        options=[state.value for state in DetectorState],
        value_fn=_alarm_state,
        attributes_fn=_alarm_flags,
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
    async_add_entities(
        [HouseholdAlarmSensor(entry.runtime_data.household, HOUSEHOLD_ALARM)]
    )
    async_add_detector_entities(
        entry, async_add_entities, DetectorSensor, DETECTOR_SENSORS
    )


class DetectorSensor(DetectorEntity, SensorEntity):
    """A sensor of one detector."""

    entity_description: DetectorSensorDescription

    @property
    @override
    def native_value(self) -> str | datetime | None:
        """Return the detector's value."""
        if not self.available:
            return None
        return self.entity_description.value_fn(
            self.household.model, self._detector_key
        )

    @property
    @override
    def extra_state_attributes(self) -> dict[str, Any] | None:
        """Return the description's attributes of the detector."""
        attributes_fn = self.entity_description.attributes_fn
        if attributes_fn is None or not self.available:
            return None
        return attributes_fn(self.household.model, self._detector_key)


class HouseholdAlarmSensor(HouseholdEntity, SensorEntity):
    """clear / smoke / co / smoke_and_co / test for the whole household."""

    @property
    @override
    def native_value(self) -> str:
        """Return the household alarm state."""
        return self.view.state.value

    @property
    @override
    def extra_state_attributes(self) -> dict[str, Any]:
        """Return the detectors and areas involved and since when."""
        view = self.view
        return self.involvement(view.involved, view.since)
