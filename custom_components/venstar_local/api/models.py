"""Typed, immutable views of what the thermostat reports.

All models are frozen, keyword-only, slotted dataclasses. Fields the device sent but this
package does not know are kept in `extra` (read-only mapping) so nothing is lost.
Temperatures are in `temperature_unit` of the thermostat, never converted.

Tolerance is per field: a field the device sent but that cannot be read, or that is
physically implausible (see `schema`), is None and described in `invalid` (by attribute
name), so only what uses that field becomes unknown.
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


@dataclass(frozen=True, kw_only=True, slots=True)
class FieldProblem:
    """A field the device sent that is unusable: its key, the raw value (shortened) and why."""

    key: str
    raw: str
    reason: str


def _reported(model: Any, attribute: str) -> bool:
    """Whether the device sent a field, readable (not None) or not (in `invalid`)."""
    return getattr(model, attribute) is not None or attribute in model.invalid


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

    api_version: int | None
    device_type: DeviceType
    model: str | None
    firmware: tuple[int, ...] | None
    extra: Mapping[str, Any] = field(default=_EMPTY)
    invalid: Mapping[str, FieldProblem] = field(default=_EMPTY)

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
    on the other product line; humidity fields are None on models without humidity. Any
    field is also None when the device sent it unreadable or implausible (`invalid` says
    which and why); `has` tells those apart from fields the model does not have.
    """

    name: str
    mode: HvacMode | None
    state: OperatingState | None
    fan: FanMode | None
    fan_running: bool | None
    temperature_unit: TemperatureUnit
    display_unit: TemperatureUnit
    schedule_enabled: bool | None
    schedule_part: SchedulePart | None
    away: bool | None
    space_temperature: float | None
    heat_setpoint: float | None
    cool_setpoint: float | None
    heat_setpoint_min: float | None
    heat_setpoint_max: float | None
    cool_setpoint_min: float | None
    cool_setpoint_max: float | None
    setpoint_delta: float | None
    active_stage: int | None
    humidity: float | None
    humidification_enabled: int | None
    humidify_setpoint: int | None
    dehumidify_setpoint: int | None
    available_modes: AvailableModes | None
    holiday: bool | None = None
    override: bool | None = None
    override_minutes: int | None = None
    force_unoccupied: bool | None = None
    quirks: Quirk = Quirk.NONE
    extra: Mapping[str, Any] = field(default=_EMPTY)
    invalid: Mapping[str, FieldProblem] = field(default=_EMPTY)

    def has(self, attribute: str) -> bool:
        """Whether the device reports this field at all (readable now or not)."""
        return _reported(self, attribute)

    @property
    def hvac_modes(self) -> tuple[HvacMode, ...]:
        """Modes this thermostat may be set to (all of them while that is unknown)."""
        return (self.available_modes or AvailableModes.ALL).modes

    @property
    def supports_humidity_setpoints(self) -> bool:
        """Whether humidify/dehumidify setpoints can be read and set."""
        return self.has("humidify_setpoint") or self.has("dehumidify_setpoint")

    @property
    def supports_away(self) -> bool:
        """Whether the unit has an away mode (residential units report ``away``)."""
        return self.has("away")

    @property
    def is_commercial(self) -> bool:
        """Whether the unit reports the commercial fields (override/holiday instead of away)."""
        return self.has("override") or self.has("holiday")


@dataclass(frozen=True, kw_only=True, slots=True)
class Sensor:
    """One entry of ``GET /query/sensors``; temperatures in the thermostat's unit."""

    name: str
    type: SensorType
    temperature: float | None
    temperature_unit: TemperatureUnit | None = None
    humidity: float | None = None
    id: int | None = None
    battery: float | None = None
    co2: float | None = None
    iaq: float | None = None
    extra: Mapping[str, Any] = field(default=_EMPTY)
    invalid: Mapping[str, FieldProblem] = field(default=_EMPTY)

    def has(self, attribute: str) -> bool:
        """Whether the sensor reports this reading at all (readable now or not)."""
        return _reported(self, attribute)


@dataclass(frozen=True, kw_only=True, slots=True)
class RuntimeDay:
    """One day of ``GET /query/runtimes``: minutes each stage ran in the 24 h before `timestamp`.

    The last entry of a response is "today so far" (its timestamp is the sample time).
    A stage the device does not report ran 0 minutes; an unreadable figure is None.
    """

    timestamp: datetime | None
    heat1: int | None = 0
    heat2: int | None = 0
    cool1: int | None = 0
    cool2: int | None = 0
    aux1: int | None = 0
    aux2: int | None = 0
    free_cooling: int | None = 0
    override: int | None = None
    filter_hours: float | None = None
    filter_days: int | None = None
    extra: Mapping[str, Any] = field(default=_EMPTY)
    invalid: Mapping[str, FieldProblem] = field(default=_EMPTY)


@dataclass(frozen=True, kw_only=True, slots=True)
class Alert:
    """One maintenance alert of ``GET /query/alerts`` (`active` None when unreadable)."""

    name: str
    active: bool | None
    invalid: Mapping[str, FieldProblem] = field(default=_EMPTY)


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
