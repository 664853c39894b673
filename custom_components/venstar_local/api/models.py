"""Typed, immutable views of what the thermostat reports.

All models are frozen, keyword-only, slotted dataclasses. Fields the device sent but this
package does not know are kept in `extra` (read-only mapping) so nothing is lost.
Temperatures are in `temperature_unit` of the thermostat, never converted.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType
from typing import Any

from .enums import (
    AvailableModes,
    DeviceType,
    FanMode,
    HvacMode,
    OperatingState,
    Quirk,
    SchedulePart,
    SensorType,
    TemperatureUnit,
)

_EMPTY: Mapping[str, Any] = MappingProxyType({})


def format_firmware(firmware: tuple[int, ...] | None) -> str | None:
    """Render a firmware tuple the way the device writes it (``(5, 10)`` → ``"5.10"``)."""
    if firmware is None:
        return None
    return ".".join(str(part) for part in firmware)


@dataclass(frozen=True, kw_only=True, slots=True)
class ApiInfo:
    """``GET /``: API version, product line, model and firmware.

    API 3 firmware sends neither model nor firmware; both are then None.
    """

    api_version: int
    device_type: DeviceType
    model: str | None
    firmware: tuple[int, ...] | None
    extra: Mapping[str, Any] = field(default=_EMPTY)

    @property
    def firmware_version(self) -> str | None:
        """Firmware as dotted text, or None when the device does not say."""
        return format_firmware(self.firmware)


@dataclass(frozen=True, kw_only=True, slots=True)
class ThermostatInfo:
    """``GET /query/info``: state, mode, setpoints and their limits.

    `temperature_unit` is the unit the temperatures really are in (after the known firmware
    defects are corrected); `display_unit` is what the device claims in ``tempunits``.
    Residential-only (`away`) and commercial-only (`holiday`, `override`, …) fields are None
    on the other product line; humidity fields are None on models without humidity.
    """

    name: str
    mode: HvacMode
    state: OperatingState
    fan: FanMode
    fan_running: bool | None
    temperature_unit: TemperatureUnit
    display_unit: TemperatureUnit
    schedule_enabled: bool
    schedule_part: SchedulePart
    away: bool | None
    space_temperature: float
    heat_setpoint: float
    cool_setpoint: float
    heat_setpoint_min: float
    heat_setpoint_max: float
    cool_setpoint_min: float
    cool_setpoint_max: float
    setpoint_delta: float
    active_stage: int | None
    humidity: int | None
    humidification_enabled: int | None
    humidify_setpoint: int | None
    dehumidify_setpoint: int | None
    available_modes: AvailableModes
    holiday: bool | None = None
    override: bool | None = None
    override_minutes: int | None = None
    force_unoccupied: bool | None = None
    quirks: Quirk = Quirk.NONE
    extra: Mapping[str, Any] = field(default=_EMPTY)

    @property
    def hvac_modes(self) -> tuple[HvacMode, ...]:
        """Modes this thermostat may be set to."""
        return self.available_modes.modes

    @property
    def supports_humidity_setpoints(self) -> bool:
        """Whether humidify/dehumidify setpoints can be read and set."""
        return (
            self.humidify_setpoint is not None or self.dehumidify_setpoint is not None
        )

    @property
    def supports_away(self) -> bool:
        """Whether the unit has an away mode (residential units report ``away``)."""
        return self.away is not None

    @property
    def is_commercial(self) -> bool:
        """Whether the unit reports the commercial fields (override/holiday instead of away)."""
        return self.override is not None or self.holiday is not None


@dataclass(frozen=True, kw_only=True, slots=True)
class Sensor:
    """One entry of ``GET /query/sensors``; temperatures in the thermostat's unit."""

    name: str
    type: SensorType
    temperature: float | None
    temperature_unit: TemperatureUnit | None = None
    humidity: int | None = None
    id: int | None = None
    battery: int | None = None
    co2: float | None = None
    iaq: float | None = None
    extra: Mapping[str, Any] = field(default=_EMPTY)


@dataclass(frozen=True, kw_only=True, slots=True)
class RuntimeDay:
    """One day of ``GET /query/runtimes``: minutes each stage ran in the 24 h before `timestamp`.

    The last entry of a response is "today so far" (its timestamp is the sample time).
    """

    timestamp: datetime
    heat1: int = 0
    heat2: int = 0
    cool1: int = 0
    cool2: int = 0
    aux1: int = 0
    aux2: int = 0
    free_cooling: int = 0
    override: int | None = None
    filter_hours: float | None = None
    filter_days: int | None = None
    extra: Mapping[str, Any] = field(default=_EMPTY)


@dataclass(frozen=True, kw_only=True, slots=True)
class Alert:
    """One maintenance alert of ``GET /query/alerts``."""

    name: str
    active: bool


@dataclass(frozen=True, kw_only=True, slots=True)
class DeviceIdentity:
    """What tells one thermostat from another.

    The HTTP API reports no serial number or MAC; the MAC is only known from SSDP and is
    None otherwise. Two identities match when every field known on both sides agrees,
    except firmware and API version, which change with updates.
    """

    name: str
    model: str | None
    device_type: DeviceType
    firmware: tuple[int, ...] | None = None
    api_version: int | None = None
    mac: str | None = None

    def matches(self, other: DeviceIdentity) -> bool:
        """Return whether `other` describes the same thermostat as this identity."""
        if self.mac is not None and other.mac is not None:
            return self.mac == other.mac
        if self.device_type is not other.device_type or self.name != other.name:
            return False
        return self.model is None or other.model is None or self.model == other.model


@dataclass(frozen=True, kw_only=True, slots=True)
class SsdpDevice:
    """A thermostat found by SSDP (``venstar:thermostat:ecp`` or legacy ``colortouch:ecp``)."""

    mac: str
    name: str
    device_type: DeviceType | None
    base_url: str
    host: str
    port: int
    https: bool
