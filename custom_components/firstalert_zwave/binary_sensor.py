"""Binary sensors: household smoke and CO, and per-detector health problems."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, override

from homeassistant.components.binary_sensor import (
    BinarySensorDeviceClass,
    BinarySensorEntity,
    BinarySensorEntityDescription,
)
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .entity import DetectorEntity, HouseholdEntity, async_add_detector_entities
from .model import DetectorView, HouseholdView
from .runtime_data import FirstAlertConfigEntry

PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class DetectorBinaryDescription(BinarySensorEntityDescription):
    """A per-detector problem sensor."""

    is_on_fn: Callable[[DetectorView], bool]


@dataclass(frozen=True, kw_only=True)
class HouseholdBinaryDescription(BinarySensorEntityDescription):
    """A household alarm sensor: which detectors and since when."""

    detectors_fn: Callable[[HouseholdView], tuple[str, ...]]
    since_fn: Callable[[HouseholdView], datetime | None]


DETECTOR_BINARY_SENSORS: tuple[DetectorBinaryDescription, ...] = (
    DetectorBinaryDescription(
        key="battery_low",
        translation_key="battery_low",
        device_class=BinarySensorDeviceClass.BATTERY,
        entity_category=EntityCategory.DIAGNOSTIC,
        is_on_fn=lambda view: view.battery_low,
    ),
    DetectorBinaryDescription(
        key="end_of_life",
        translation_key="end_of_life",
        device_class=BinarySensorDeviceClass.PROBLEM,
        entity_category=EntityCategory.DIAGNOSTIC,
        is_on_fn=lambda view: view.end_of_life,
    ),
    DetectorBinaryDescription(
        key="offline",
        translation_key="offline",
        device_class=BinarySensorDeviceClass.PROBLEM,
        entity_category=EntityCategory.DIAGNOSTIC,
        is_on_fn=lambda view: view.offline,
    ),
)

HOUSEHOLD_BINARY_SENSORS: tuple[HouseholdBinaryDescription, ...] = (
    HouseholdBinaryDescription(
        key="smoke",
        translation_key="household_smoke",
        device_class=BinarySensorDeviceClass.SMOKE,
        detectors_fn=lambda household: household.smoke_detectors,
        since_fn=lambda household: household.smoke_since,
    ),
    HouseholdBinaryDescription(
        key="co",
        translation_key="household_co",
        device_class=BinarySensorDeviceClass.CO,
        detectors_fn=lambda household: household.co_detectors,
        since_fn=lambda household: household.co_since,
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: FirstAlertConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add household sensors now and detector sensors as detectors appear."""
    household = entry.runtime_data.household
    async_add_entities(
        HouseholdBinarySensor(household, description)
        for description in HOUSEHOLD_BINARY_SENSORS
    )
    async_add_detector_entities(
        entry, async_add_entities, DetectorBinarySensor, DETECTOR_BINARY_SENSORS
    )


class DetectorBinarySensor(DetectorEntity, BinarySensorEntity):
    """A health problem of one detector."""

    entity_description: DetectorBinaryDescription

    @property
    @override
    def is_on(self) -> bool | None:
        """Return whether the problem is present."""
        if not self.available:
            return None
        return self.entity_description.is_on_fn(self.detector)


class HouseholdBinarySensor(HouseholdEntity, BinarySensorEntity):
    """Smoke or CO anywhere in the household (tests, silenced and end-of-life never count)."""

    entity_description: HouseholdBinaryDescription

    @property
    @override
    def is_on(self) -> bool:
        """Return whether any detector reports it."""
        return bool(self.entity_description.detectors_fn(self.view))

    @property
    @override
    def extra_state_attributes(self) -> dict[str, Any]:
        """Return the detectors and areas reporting it and since when."""
        view = self.view
        return self.involvement(
            self.entity_description.detectors_fn(view),
            self.entity_description.since_fn(view),
        )
