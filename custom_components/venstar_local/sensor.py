"""Sensors: temperatures, humidity, air quality, runtimes, schedule and time to temperature.

Daily runtimes: the sensor state is today's minutes so far (``total_increasing``, so HA's
long-term statistics sum it correctly across the daily reset), and the previous days the
thermostat still remembers are in the ``history`` attribute keyed by date. Attributes keep
the exact figures the device reports, which an external statistics import could not do
without guessing the hour each minute ran; the attribute is not recorded, because every
value in it is already in the recorder as an earlier day's state.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, override

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import (
    CONCENTRATION_PARTS_PER_MILLION,
    PERCENTAGE,
    EntityCategory,
    UnitOfTemperature,
    UnitOfTime,
)
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.typing import StateType

from .api import (
    OperatingState,
    RuntimeDay,
    SchedulePart,
    Sensor,
    SensorType,
    TemperatureUnit,
    ThermostatInfo,
)
from .const import MANUFACTURER
from .coordinator import VenstarConfigEntry, VenstarCoordinator
from .data import VenstarData
from .entity import VenstarEntity, remote_sensor_identifier, thermostat_identifier
from .time_to_temperature import TimeToTemperature

# Read-only platform: the coordinator does all fetching.
PARALLEL_UPDATES = 0

_UNITS = {
    TemperatureUnit.FAHRENHEIT: UnitOfTemperature.FAHRENHEIT,
    TemperatureUnit.CELSIUS: UnitOfTemperature.CELSIUS,
}


def temperature_unit(
    data: VenstarData, sensor: Sensor | None = None
) -> UnitOfTemperature:
    """Return the unit a temperature is really in (the sensor's own when it says)."""
    if sensor is not None and sensor.temperature_unit is not None:
        return _UNITS[sensor.temperature_unit]
    return _UNITS[data.info.temperature_unit]


@dataclass(frozen=True, kw_only=True)
class VenstarSensorEntityDescription(SensorEntityDescription):
    """A thermostat-level sensor read from the coordinator's data.

    `unit_fn` gives a unit that depends on the data (temperatures follow the thermostat);
    without it the description's unit holds. `attributes_fn` gives extra attributes.
    """

    value_fn: Callable[[VenstarData], StateType]
    exists_fn: Callable[[VenstarData], bool] = lambda _: True
    unit_fn: Callable[[VenstarData], str | None] | None = None
    attributes_fn: Callable[[VenstarData], Mapping[str, Any]] | None = None


_RESIDENTIAL_PERIODS = {
    SchedulePart.MORNING: "morning",
    SchedulePart.DAY: "day",
    SchedulePart.EVENING: "evening",
    SchedulePart.NIGHT: "night",
    SchedulePart.INACTIVE: "inactive",
}
_COMMERCIAL_PERIODS = {
    SchedulePart.MORNING: "occupied_1",
    SchedulePart.DAY: "occupied_2",
    SchedulePart.EVENING: "occupied_3",
    SchedulePart.NIGHT: "unoccupied",
    SchedulePart.INACTIVE: "inactive",
}
_OPERATING_STATES = {
    OperatingState.IDLE: "idle",
    OperatingState.HEATING: "heating",
    OperatingState.COOLING: "cooling",
    OperatingState.LOCKOUT: "lockout",
    OperatingState.ERROR: "error",
}
_ACTIVE_STAGES = {0: "idle", 1: "first_stage", 2: "second_stage"}


def _wired(data: VenstarData, kind: SensorType) -> Sensor | None:
    """Return the wired (id-less) sensor of one kind, if the thermostat has one."""
    return next(
        (s for s in data.sensors if not s.has("id") and s.type is kind),
        None,
    )


def _wired_temperature(kind: SensorType) -> Callable[[VenstarData], StateType]:
    def value(data: VenstarData) -> StateType:
        sensor = _wired(data, kind)
        return sensor.temperature if sensor else None

    return value


def _wired_unit(kind: SensorType) -> Callable[[VenstarData], str | None]:
    """Return the unit a wired sensor's temperature is in (its own when it says)."""

    def unit(data: VenstarData) -> str | None:
        return temperature_unit(data, _wired(data, kind))

    return unit


def _local_value(field: str) -> Callable[[VenstarData], StateType]:
    def value(data: VenstarData) -> StateType:
        sensor = _wired(data, SensorType.LOCAL)
        result: StateType = getattr(sensor, field) if sensor else None
        return result

    return value


def _local_has(field: str) -> Callable[[VenstarData], bool]:
    def exists(data: VenstarData) -> bool:
        sensor = _wired(data, SensorType.LOCAL)
        return sensor is not None and sensor.has(field)

    return exists


def _lookup[K, V](table: dict[K, V], key: K | None) -> V | None:
    """Look a code up in the table; None while the code is unknown."""
    return None if key is None else table.get(key)


def _wired_description(
    kind: SensorType, key: str, *, enabled: bool = True
) -> VenstarSensorEntityDescription:
    return VenstarSensorEntityDescription(
        key=key,
        translation_key=key,
        device_class=SensorDeviceClass.TEMPERATURE,
        state_class=SensorStateClass.MEASUREMENT,
        unit_fn=_wired_unit(kind),
        entity_registry_enabled_default=enabled,
        exists_fn=lambda data: _wired(data, kind) is not None,
        value_fn=_wired_temperature(kind),
    )


THERMOSTAT_SENSORS: tuple[VenstarSensorEntityDescription, ...] = (
    VenstarSensorEntityDescription(
        key="space_temperature",
        translation_key="space_temperature",
        device_class=SensorDeviceClass.TEMPERATURE,
        state_class=SensorStateClass.MEASUREMENT,
        unit_fn=temperature_unit,
        value_fn=lambda data: data.info.space_temperature,
    ),
    VenstarSensorEntityDescription(
        key="humidity",
        device_class=SensorDeviceClass.HUMIDITY,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=PERCENTAGE,
        exists_fn=lambda data: data.info.has("humidity"),
        value_fn=lambda data: data.info.humidity,
    ),
    _wired_description(SensorType.LOCAL, "thermostat_temperature", enabled=False),
    _wired_description(SensorType.OUTDOOR, "outdoor_temperature"),
    _wired_description(SensorType.SUPPLY, "supply_temperature"),
    _wired_description(SensorType.RETURN, "return_temperature"),
    VenstarSensorEntityDescription(
        key="co2",
        device_class=SensorDeviceClass.CO2,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=CONCENTRATION_PARTS_PER_MILLION,
        exists_fn=_local_has("co2"),
        value_fn=_local_value("co2"),
    ),
    VenstarSensorEntityDescription(
        key="iaq",
        device_class=SensorDeviceClass.AQI,
        state_class=SensorStateClass.MEASUREMENT,
        exists_fn=_local_has("iaq"),
        value_fn=_local_value("iaq"),
    ),
    VenstarSensorEntityDescription(
        key="schedule_part",  # the unique id of the first release
        translation_key="residential_schedule_period",
        device_class=SensorDeviceClass.ENUM,
        options=list(_RESIDENTIAL_PERIODS.values()),
        exists_fn=lambda data: not data.info.is_commercial,
        value_fn=lambda data: _lookup(_RESIDENTIAL_PERIODS, data.info.schedule_part),
    ),
    VenstarSensorEntityDescription(
        key="schedule_period",
        translation_key="commercial_schedule_period",
        device_class=SensorDeviceClass.ENUM,
        options=list(_COMMERCIAL_PERIODS.values()),
        exists_fn=lambda data: data.info.is_commercial,
        value_fn=lambda data: _lookup(_COMMERCIAL_PERIODS, data.info.schedule_part),
    ),
    VenstarSensorEntityDescription(
        key="operating_state",
        translation_key="operating_state",
        device_class=SensorDeviceClass.ENUM,
        options=list(_OPERATING_STATES.values()),
        value_fn=lambda data: _lookup(_OPERATING_STATES, data.info.state),
    ),
    VenstarSensorEntityDescription(
        key="active_stage",
        translation_key="active_stage",
        device_class=SensorDeviceClass.ENUM,
        options=list(_ACTIVE_STAGES.values()),
        entity_category=EntityCategory.DIAGNOSTIC,
        exists_fn=lambda data: data.info.has("active_stage"),
        value_fn=lambda data: _lookup(_ACTIVE_STAGES, data.info.active_stage),
    ),
    VenstarSensorEntityDescription(
        key="override_remaining",
        translation_key="override_remaining",
        device_class=SensorDeviceClass.DURATION,
        native_unit_of_measurement=UnitOfTime.MINUTES,
        exists_fn=lambda data: data.info.has("override_minutes"),
        value_fn=lambda data: data.info.override_minutes,
    ),
)


def _minutes(day: RuntimeDay, stage: str) -> int | float | None:
    """Return the day's minutes of one stage (None when unreadable)."""
    value: int | float | None = getattr(day, stage)
    return value


def _runtime(stage: str, *, enabled: bool) -> VenstarSensorEntityDescription:
    """Minutes one stage ran today (the last runtimes entry); earlier days as `history`."""

    def today(data: VenstarData) -> int | float | None:
        return _minutes(data.runtimes[-1], stage) if data.runtimes else None

    def reported(data: VenstarData) -> bool:
        """Whether the device reports this stage (readable or not)."""
        day = data.runtimes[-1] if data.runtimes else None
        return day is not None and (
            _minutes(day, stage) is not None or stage in day.invalid
        )

    def history(data: VenstarData) -> Mapping[str, Any]:
        """Minutes per earlier day, keyed by date (each entry covers the 24 h before it)."""
        return {
            "history": {
                (day.timestamp - timedelta(days=1)).date().isoformat(): (
                    _minutes(day, stage)
                )
                for day in data.runtimes[:-1]
                if day.timestamp is not None
            }
        }

    return VenstarSensorEntityDescription(
        key=f"runtime_{stage}",
        translation_key=f"runtime_{stage}",
        device_class=SensorDeviceClass.DURATION,
        state_class=SensorStateClass.TOTAL_INCREASING,
        native_unit_of_measurement=UnitOfTime.MINUTES,
        entity_registry_enabled_default=enabled,
        exists_fn=reported,
        value_fn=today,
        attributes_fn=history,
    )


# The device does not say which stages are wired; the common first stages are enabled,
# the rest exist disabled so a user with a two-stage or dual-fuel system can turn them on.
RUNTIME_SENSORS: tuple[VenstarSensorEntityDescription, ...] = (
    _runtime("heat1", enabled=True),
    _runtime("heat2", enabled=False),
    _runtime("cool1", enabled=True),
    _runtime("cool2", enabled=False),
    _runtime("aux1", enabled=False),
    _runtime("aux2", enabled=False),
    _runtime("free_cooling", enabled=False),
    _runtime("override", enabled=True),
)


@dataclass(frozen=True, kw_only=True)
class VenstarRemoteSensorEntityDescription(SensorEntityDescription):
    """One reading of a wireless remote sensor (the `Sensor` attribute named by the key).

    `unit_fn` gives a unit that depends on the data and the sensor (temperatures).
    """

    unit_fn: Callable[[VenstarData, Sensor | None], str | None] | None = None

    def value_fn(self, sensor: Sensor) -> StateType:
        """Return the reading (None when unreported or unreadable)."""
        value: StateType = getattr(sensor, self.key)
        return value


REMOTE_SENSORS: tuple[VenstarRemoteSensorEntityDescription, ...] = (
    VenstarRemoteSensorEntityDescription(
        key="temperature",
        device_class=SensorDeviceClass.TEMPERATURE,
        state_class=SensorStateClass.MEASUREMENT,
        unit_fn=temperature_unit,
    ),
    VenstarRemoteSensorEntityDescription(
        key="humidity",
        device_class=SensorDeviceClass.HUMIDITY,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=PERCENTAGE,
    ),
    VenstarRemoteSensorEntityDescription(
        key="battery",
        device_class=SensorDeviceClass.BATTERY,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=PERCENTAGE,
        entity_category=EntityCategory.DIAGNOSTIC,
    ),
    VenstarRemoteSensorEntityDescription(
        key="co2",
        device_class=SensorDeviceClass.CO2,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=CONCENTRATION_PARTS_PER_MILLION,
    ),
    VenstarRemoteSensorEntityDescription(
        key="iaq",
        device_class=SensorDeviceClass.AQI,
        state_class=SensorStateClass.MEASUREMENT,
    ),
)


@dataclass(frozen=True, kw_only=True)
class VenstarEstimateEntityDescription(SensorEntityDescription):
    """A sensor of the learned time-to-temperature estimate at the thermostat's state."""

    value_fn: Callable[[TimeToTemperature, ThermostatInfo], StateType]
    attributes_fn: Callable[[TimeToTemperature, ThermostatInfo], Mapping[str, Any]]


def _minutes_to_home(estimate: TimeToTemperature, info: ThermostatInfo) -> StateType:
    """Return the minutes to the home setpoint, None while the thermostat is off."""
    minutes = estimate.minutes_to_home(info)
    return None if minutes is None else round(minutes, 1)


def _estimate_basis(
    estimate: TimeToTemperature, info: ThermostatInfo
) -> Mapping[str, Any]:
    """Return the target and the rates used, so automations can explain their timing."""
    return {
        "target_temperature": estimate.home_target(info),
        "heat_rate": round(estimate.learner.heat_rate, 2),
        "cool_rate": round(estimate.learner.cool_rate, 2),
        "learned_heating_runs": estimate.learner.heat_samples,
        "learned_cooling_runs": estimate.learner.cool_samples,
    }


TIME_TO_TEMPERATURE = VenstarEstimateEntityDescription(
    key="time_to_temperature",
    translation_key="time_to_temperature",
    device_class=SensorDeviceClass.DURATION,
    native_unit_of_measurement=UnitOfTime.MINUTES,
    suggested_display_precision=0,
    value_fn=_minutes_to_home,
    attributes_fn=_estimate_basis,
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: VenstarConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Create the thermostat's sensors and follow remote sensors as they come and go."""
    coordinator = entry.runtime_data.coordinator
    data = coordinator.data
    entities: list[SensorEntity] = [
        VenstarSensorEntity(coordinator, description)
        for description in THERMOSTAT_SENSORS
        if description.exists_fn(data)
    ]
    entities.extend(
        VenstarSensorEntity(coordinator, description)
        for description in RUNTIME_SENSORS
        if description.exists_fn(data)
    )
    entities.append(VenstarEstimateSensorEntity(coordinator, TIME_TO_TEMPERATURE))
    async_add_entities(entities)

    known: set[int] = set()

    @callback
    def add_remote_sensors() -> None:
        """Add entities for remote sensors seen for the first time."""
        new: list[SensorEntity] = []
        for sensor in coordinator.data.sensors:
            if sensor.id is None or sensor.id in known:
                continue
            known.add(sensor.id)
            new.extend(
                VenstarRemoteSensorEntity(coordinator, sensor, sensor.id, description)
                for description in REMOTE_SENSORS
                if sensor.has(description.key)
            )
        if new:
            async_add_entities(new)

    @callback
    def forget_removed() -> None:
        """Let a remote sensor that vanished be added again if it comes back.

        While some sensor's id is unreadable, nobody knows which one it is: forget none.
        """
        sensors = coordinator.data.sensors
        if any(s.id is None and s.has("id") for s in sensors):
            return
        known.intersection_update({s.id for s in sensors if s.id is not None})

    add_remote_sensors()
    entry.async_on_unload(coordinator.async_add_listener(forget_removed))
    entry.async_on_unload(coordinator.async_add_listener(add_remote_sensors))


class VenstarSensorEntity(VenstarEntity, SensorEntity):
    """A sensor of the thermostat itself."""

    entity_description: VenstarSensorEntityDescription
    # Runtimes: every earlier day is already recorded as that day's state.
    _unrecorded_attributes = frozenset({"history"})

    @property
    @override
    def native_unit_of_measurement(self) -> str | None:
        """The description's unit, or the one its data says (temperatures)."""
        description = self.entity_description
        if description.unit_fn is not None:
            return description.unit_fn(self.coordinator.data)
        return description.native_unit_of_measurement

    @property
    @override
    def native_value(self) -> StateType:
        """Current value from the last confirmed data."""
        return self.entity_description.value_fn(self.coordinator.data)

    @property
    @override
    def extra_state_attributes(self) -> Mapping[str, Any] | None:
        """Attributes from the last confirmed data, for sensors that have them."""
        attributes_fn = self.entity_description.attributes_fn
        return None if attributes_fn is None else attributes_fn(self.coordinator.data)

    def _shown_values(self) -> Any:
        return (
            self.native_value,
            self.native_unit_of_measurement,
            self.extra_state_attributes,
        )


class VenstarEstimateSensorEntity(VenstarEntity, SensorEntity):
    """A sensor of the learned estimate (not of the thermostat's documents)."""

    entity_description: VenstarEstimateEntityDescription

    @property
    @override
    def native_value(self) -> StateType:
        """Value of the estimate at the last confirmed state."""
        coordinator = self.coordinator
        return self.entity_description.value_fn(
            coordinator.time_to_temperature, coordinator.data.info
        )

    @property
    @override
    def extra_state_attributes(self) -> Mapping[str, Any]:
        """What the value is based on."""
        coordinator = self.coordinator
        return self.entity_description.attributes_fn(
            coordinator.time_to_temperature, coordinator.data.info
        )


class VenstarRemoteSensorEntity(VenstarEntity, SensorEntity):
    """One reading of a wireless remote sensor, on the sensor's own device."""

    entity_description: VenstarRemoteSensorEntityDescription

    def __init__(
        self,
        coordinator: VenstarCoordinator,
        sensor: Sensor,
        sensor_id: int,
        description: VenstarRemoteSensorEntityDescription,
    ) -> None:
        """Attach the reading to a sub-device linked to the thermostat."""
        self._sensor_id = sensor_id
        super().__init__(
            coordinator,
            description,
            unique_key=f"sensor_{sensor_id}_{description.key}",
        )
        entry_id = coordinator.config_entry.entry_id
        self._attr_device_info = DeviceInfo(
            identifiers={remote_sensor_identifier(entry_id, sensor_id)},
            name=sensor.name,
            manufacturer=MANUFACTURER,
            model=f"{sensor.type.value} sensor",
            via_device=thermostat_identifier(entry_id),
        )

    @property
    def _sensor(self) -> Sensor | None:
        return next(
            (s for s in self.coordinator.data.sensors if s.id == self._sensor_id),
            None,
        )

    @property
    @override
    def available(self) -> bool:
        """Unavailable while the thermostat does not report this sensor."""
        return super().available and self._sensor is not None

    @property
    @override
    def native_unit_of_measurement(self) -> str | None:
        """The description's unit, or the one the sensor's data says (temperatures)."""
        description = self.entity_description
        if description.unit_fn is not None:
            return description.unit_fn(self.coordinator.data, self._sensor)
        return description.native_unit_of_measurement

    @property
    @override
    def native_value(self) -> StateType:
        """The reading from the last sensors list."""
        sensor = self._sensor
        return self.entity_description.value_fn(sensor) if sensor else None

    def _shown_values(self) -> Any:
        return (self.native_value, self.native_unit_of_measurement)
