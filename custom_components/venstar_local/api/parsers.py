"""Turn decoded JSON from the thermostat into models, tolerating what real devices send.

Real devices differ by model and API version: fields go missing, numbers come as ints or
floats, unknown fields appear. Missing optional fields get documented defaults, unknown
fields land in ``extra``; anything that cannot be read raises `VenstarInvalidResponseError`
and nothing else.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from enum import IntEnum
import json
import math
import re
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
from .errors import VenstarApiError, VenstarInvalidResponseError
from .models import Alert, ApiInfo, RuntimeDay, Sensor, ThermostatInfo

# Limits assumed when a device does not report them ("usually 35-99 °F, 2-37 °C").
_DEFAULT_LIMITS = {
    TemperatureUnit.FAHRENHEIT: (35.0, 99.0, 2.0),
    TemperatureUnit.CELSIUS: (2.0, 37.0, 1.0),
}
# A heat limit this high cannot be °C: how unknown models' units are inferred.
_FAHRENHEIT_LIMIT_THRESHOLD = 40.0
_FIRMWARE = re.compile(r"^\s*(\d+(?:\.\d+)*)")
_SENSOR_TYPES = {member.value.lower(): member for member in SensorType}
_BUILTIN_SENSORS = {
    "thermostat": SensorType.LOCAL,
    "space temp": SensorType.CONTROL,
    "outdoor": SensorType.OUTDOOR,
}


def decode_json(body: bytes) -> Any:
    """Decode a response body as JSON (the device does not always label it as such)."""
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as err:
        raise VenstarInvalidResponseError(
            f"Response is not valid JSON ({len(body)} bytes)"
        ) from err


class _Fields:
    """Reads typed fields out of one JSON object and remembers which keys were used."""

    def __init__(self, data: object, what: str) -> None:
        if not isinstance(data, dict):
            raise VenstarInvalidResponseError(
                f"{what}: expected an object, got {type(data).__name__}"
            )
        self._data: dict[str, Any] = data
        self._used: set[str] = set()
        self._what = what

    def _invalid(self, key: str, expected: str) -> VenstarInvalidResponseError:
        value = self._data.get(key)
        return VenstarInvalidResponseError(
            f"{self._what}: field {key!r} should be {expected}, got {type(value).__name__}"
        )

    def has(self, key: str) -> bool:
        return self._data.get(key) is not None

    def raw(self, key: str) -> Any:
        self._used.add(key)
        return self._data.get(key)

    def number(self, key: str) -> float | None:
        value = self.raw(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self._invalid(key, "a number")
        result = float(value)
        if not math.isfinite(result):
            raise self._invalid(key, "a finite number")
        return result

    def required_number(self, key: str) -> float:
        value = self.number(key)
        if value is None:
            raise VenstarInvalidResponseError(f"{self._what}: field {key!r} is missing")
        return value

    def integer(self, key: str) -> int | None:
        value = self.number(key)
        if value is None:
            return None
        if not value.is_integer():
            raise self._invalid(key, "a whole number")
        return int(value)

    def required_integer(self, key: str) -> int:
        value = self.integer(key)
        if value is None:
            raise VenstarInvalidResponseError(f"{self._what}: field {key!r} is missing")
        return value

    def flag(self, key: str) -> bool | None:
        value = self.raw(key)
        if value is None:
            return None
        if value in (0, 1) and not isinstance(value, float):
            return bool(value)
        raise self._invalid(key, "0 or 1")

    def text(self, key: str) -> str | None:
        value = self.raw(key)
        if value is None:
            return None
        if not isinstance(value, str):
            raise self._invalid(key, "a string")
        return value

    def code[E: IntEnum](self, key: str, enum: type[E], default: E | None = None) -> E:
        value = self.integer(key)
        if value is None:
            if default is None:
                raise VenstarInvalidResponseError(
                    f"{self._what}: field {key!r} is missing"
                )
            return default
        return _enum_member(enum, value, f"{self._what}: field {key!r}")

    def extra(self) -> Mapping[str, Any]:
        return MappingProxyType(
            {key: value for key, value in self._data.items() if key not in self._used}
        )


def _enum_member[E: IntEnum](enum: type[E], value: int, what: str) -> E:
    try:
        return enum(value)
    except ValueError:
        raise VenstarInvalidResponseError(
            f"{what}: unknown {enum.__name__} code {value}"
        ) from None


def raise_for_device_error(data: object) -> None:
    """Raise `VenstarApiError` when the body is the device's ``{"error": true, …}`` answer."""
    if isinstance(data, dict) and data.get("error") is True:
        reason = data.get("reason")
        raise VenstarApiError(
            reason if isinstance(reason, str) and reason else "Unspecified device error"
        )


def parse_command_result(data: object) -> None:
    """Check a ``/control`` or ``/settings`` answer: success, or the device's reason."""
    raise_for_device_error(data)
    if isinstance(data, dict) and data.get("success") is True:
        return
    raise VenstarInvalidResponseError("Command answer is neither success nor error")


def parse_firmware(value: object) -> tuple[int, ...] | None:
    """Parse ``"5.10"`` into ``(5, 10)`` so versions compare numerically."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise VenstarInvalidResponseError("API info: firmware is not text")
    match = _FIRMWARE.match(str(value))
    if match is None:
        raise VenstarInvalidResponseError("API info: firmware is not a version number")
    try:
        return tuple(int(part) for part in match.group(1).split("."))
    except ValueError as err:  # more digits than int() accepts
        raise VenstarInvalidResponseError("API info: firmware is too long") from err


def parse_api_info(data: object) -> ApiInfo:
    """Parse ``GET /``; model and firmware are None on API 3 firmware."""
    raise_for_device_error(data)
    fields = _Fields(data, "API info")
    device_type_text = fields.text("type")
    try:
        device_type = DeviceType((device_type_text or "residential").lower())
    except ValueError:
        raise VenstarInvalidResponseError("API info: unknown device type") from None
    return ApiInfo(
        api_version=fields.required_integer("api_ver"),
        device_type=device_type,
        model=fields.text("model") or None,
        firmware=parse_firmware(fields.raw("firmware")),
        extra=fields.extra(),
    )


def _effective_unit(
    fields: _Fields, display_unit: TemperatureUnit, quirks: Quirk, model_known: bool
) -> TemperatureUnit:
    if Quirk.ALWAYS_CELSIUS in quirks:
        return TemperatureUnit.CELSIUS
    if not model_known and fields.has("heattempmax"):
        heat_max = fields.required_number("heattempmax")
        if heat_max >= _FAHRENHEIT_LIMIT_THRESHOLD:
            return TemperatureUnit.FAHRENHEIT
        return TemperatureUnit.CELSIUS
    return display_unit


def parse_info(
    data: object, *, quirks: Quirk = Quirk.NONE, model_known: bool = True
) -> ThermostatInfo:
    """Parse ``GET /query/info``, correcting the firmware defects named in `quirks`.

    `model_known` is False when ``GET /`` gave no model; the unit is then inferred from
    ``heattempmax`` instead of trusting ``tempunits``.
    """
    raise_for_device_error(data)
    fields = _Fields(data, "Thermostat info")
    display_unit = fields.code("tempunits", TemperatureUnit, TemperatureUnit.FAHRENHEIT)
    unit = _effective_unit(fields, display_unit, quirks, model_known)
    default_min, default_max, default_delta = _DEFAULT_LIMITS[unit]

    def limit(key: str, default: float) -> float:
        value = fields.number(key)
        return default if value is None else value

    fan_key, fanstate_key = "fan", "fanstate"
    if Quirk.FAN_SWAPPED in quirks:
        fan_key, fanstate_key = fanstate_key, fan_key
    state = fields.code("state", OperatingState)
    if Quirk.STATE_SWAPPED in quirks and state in (
        OperatingState.HEATING,
        OperatingState.COOLING,
    ):
        state = (
            OperatingState.COOLING
            if state is OperatingState.HEATING
            else OperatingState.HEATING
        )
    if Quirk.HUMIDITY_MISLABELLED in quirks:
        humidify = fields.integer("dehum_setpoint")
        dehumidify = fields.integer("hum_active")
        humidification: int | None = None
        fields.raw("hum_setpoint")
    else:
        humidify = fields.integer("hum_setpoint")
        dehumidify = fields.integer("dehum_setpoint")
        humidification = fields.integer("hum_active")
    schedule_enabled = bool(fields.flag("schedule"))
    name = fields.text("name") or ""
    return ThermostatInfo(
        name=name,
        mode=fields.code("mode", HvacMode),
        state=state,
        fan=fields.code(fan_key, FanMode),
        fan_running=fields.flag(fanstate_key),
        temperature_unit=unit,
        display_unit=display_unit,
        schedule_enabled=schedule_enabled,
        schedule_part=fields.code("schedulepart", SchedulePart, SchedulePart.INACTIVE),
        away=fields.flag("away"),
        space_temperature=fields.required_number("spacetemp"),
        heat_setpoint=fields.required_number("heattemp"),
        cool_setpoint=fields.required_number("cooltemp"),
        heat_setpoint_min=limit("heattempmin", default_min),
        heat_setpoint_max=limit("heattempmax", default_max),
        cool_setpoint_min=limit("cooltempmin", default_min),
        cool_setpoint_max=limit("cooltempmax", default_max),
        setpoint_delta=limit("setpointdelta", default_delta),
        active_stage=fields.integer("activestage"),
        humidity=fields.integer("hum"),
        humidification_enabled=humidification,
        humidify_setpoint=humidify,
        dehumidify_setpoint=dehumidify,
        available_modes=fields.code(
            "availablemodes", AvailableModes, AvailableModes.ALL
        ),
        holiday=fields.flag("holiday"),
        override=fields.flag("override"),
        override_minutes=fields.integer("overridetime"),
        force_unoccupied=fields.flag("forceunocc"),
        quirks=quirks,
        extra=fields.extra(),
    )


def _list_of(data: object, key: str, what: str) -> list[Any]:
    raise_for_device_error(data)
    fields = _Fields(data, what)
    value = fields.raw(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise VenstarInvalidResponseError(f"{what}: {key!r} is not a list")
    return value


def _sensor_type(fields: _Fields, name: str) -> SensorType:
    type_text = fields.text("type")
    if type_text is None:
        return _BUILTIN_SENSORS.get(name.strip().lower(), SensorType.UNKNOWN)
    return _SENSOR_TYPES.get(type_text.strip().lower(), SensorType.UNKNOWN)


def _parse_sensor(item: object, unit: TemperatureUnit | None) -> Sensor:
    fields = _Fields(item, "Sensor")
    name = fields.text("name") or ""
    return Sensor(
        name=name,
        type=_sensor_type(fields, name),
        temperature=fields.number("temp"),
        temperature_unit=unit,
        humidity=fields.integer("hum"),
        id=fields.integer("id"),
        battery=fields.integer("battery"),
        co2=fields.number("co2"),
        iaq=fields.number("iaq"),
        extra=fields.extra(),
    )


def parse_sensors(
    data: object, *, unit: TemperatureUnit | None = None
) -> tuple[Sensor, ...]:
    """Parse ``GET /query/sensors``; a null or missing list means no sensors.

    Sensors report no unit of their own: they use the thermostat's (`unit`, from info).
    """
    return tuple(
        _parse_sensor(item, unit) for item in _list_of(data, "sensors", "Sensors")
    )


def _timestamp(value: int) -> datetime:
    try:
        return datetime.fromtimestamp(value, UTC)
    except (OverflowError, OSError, ValueError) as err:
        raise VenstarInvalidResponseError("Runtime: timestamp out of range") from err


def _parse_runtime(item: object) -> RuntimeDay:
    fields = _Fields(item, "Runtime")

    def minutes(key: str) -> int:
        value = fields.integer(key)
        return 0 if value is None else value

    filter_hours = fields.number("filterHours")
    return RuntimeDay(
        timestamp=_timestamp(fields.required_integer("ts")),
        heat1=minutes("heat1"),
        heat2=minutes("heat2"),
        cool1=minutes("cool1"),
        cool2=minutes("cool2"),
        aux1=minutes("aux1"),
        aux2=minutes("aux2"),
        free_cooling=minutes("fc"),
        override=fields.integer("ov"),
        filter_hours=None if filter_hours is None else filter_hours / 100,
        filter_days=fields.integer("filterDays"),
        extra=fields.extra(),
    )


def parse_runtimes(data: object) -> tuple[RuntimeDay, ...]:
    """Parse ``GET /query/runtimes`` (oldest day first, the last entry is today so far)."""
    return tuple(
        _parse_runtime(item) for item in _list_of(data, "runtimes", "Runtimes")
    )


def _parse_alert(item: object) -> Alert:
    fields = _Fields(item, "Alert")
    active = fields.raw("active")
    if active not in (True, False, 0, 1) or isinstance(active, float):
        raise VenstarInvalidResponseError("Alert: field 'active' is not a boolean")
    return Alert(name=fields.text("name") or "", active=bool(active))


def parse_alerts(data: object) -> tuple[Alert, ...]:
    """Parse ``GET /query/alerts``."""
    return tuple(_parse_alert(item) for item in _list_of(data, "alerts", "Alerts"))


PARSERS: Mapping[str, Callable[[object], object]] = MappingProxyType(
    {
        "/": parse_api_info,
        "/query/info": parse_info,
        "/query/sensors": parse_sensors,
        "/query/runtimes": parse_runtimes,
        "/query/alerts": parse_alerts,
    }
)
