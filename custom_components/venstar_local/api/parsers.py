"""Turn decoded JSON from the thermostat into models, tolerating what real devices send.

Real devices differ by model and API version: fields go missing, numbers come as ints or
floats, unknown fields appear. Missing optional fields get documented defaults, unknown
fields land in ``extra``.

Tolerance is per field (see `schema` for kinds and plausible ranges): a field that cannot
be read - wrong type, an undocumented code, a number no thermostat could report - becomes
None and is described in the model's ``invalid``, so only what uses it is affected. Only a
body that is not the expected JSON object (or list of objects) raises
`VenstarInvalidResponseError`, as does a root document whose product line cannot be read:
the product line is part of the thermostat's identity, which must never be guessed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime
from enum import IntEnum
import json
import math
import re
from types import MappingProxyType
from typing import Any

from . import schema
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
from .models import Alert, ApiInfo, FieldProblem, RuntimeDay, Sensor, ThermostatInfo
from .schema import FieldSpec, Kind

# Limits assumed when a device does not report them ("usually 35-99 °F, 2-37 °C").
_DEFAULT_LIMITS = {
    TemperatureUnit.FAHRENHEIT: (35.0, 99.0, 2.0),
    TemperatureUnit.CELSIUS: (2.0, 37.0, 1.0),
}
# A heat limit this high cannot be °C: how unknown models' units are inferred.
_FAHRENHEIT_LIMIT_THRESHOLD = 40.0
_FIRMWARE = re.compile(r"\d+(?:\.\d+)*")
_MAX_FIRMWARE_PARTS = 6
_MAX_FIRMWARE_DIGITS = 6
_MAX_FIRMWARE_TEXT = 64
# Integers longer than this are not numbers a thermostat sends; they are kept as text so
# the field is reported unreadable instead of costing the whole document.
_MAX_INTEGER_DIGITS = 24
_RAW_LENGTH = 80
_SENSOR_TYPES = {member.value.lower(): member for member in SensorType}
# Info fields every thermostat sends: missing ones are reported like unreadable ones.
_REQUIRED_INFO = (
    ("mode", "mode"),
    ("state", "state"),
    ("fan", "fan"),
    ("spacetemp", "space_temperature"),
    ("heattemp", "heat_setpoint"),
    ("cooltemp", "cool_setpoint"),
)
_BUILTIN_SENSORS = {
    "thermostat": SensorType.LOCAL,
    "space temp": SensorType.CONTROL,
    "outdoor": SensorType.OUTDOOR,
}


class _OversizedInteger(str):
    """The digits of a JSON integer too long to be a reading (kept as text, never a number)."""

    __slots__ = ()


def _parse_int(text: str) -> int | str:
    if len(text.lstrip("-")) > _MAX_INTEGER_DIGITS:
        return _OversizedInteger(text[:_MAX_INTEGER_DIGITS] + "…")
    return int(text)


def decode_json(body: bytes) -> Any:
    """Decode a response body as JSON (the device does not always label it as such)."""
    try:
        return json.loads(body.decode("utf-8"), parse_int=_parse_int)
    except (UnicodeDecodeError, ValueError, RecursionError) as err:
        raise VenstarInvalidResponseError(
            f"Response is not valid JSON ({len(body)} bytes)"
        ) from err


def raw_text(value: object) -> str:
    """Render a raw value short and safe, for logs and diagnostics."""
    text = repr(value)
    return text if len(text) <= _RAW_LENGTH else text[: _RAW_LENGTH - 1] + "…"


class _InvalidFieldError(VenstarInvalidResponseError):
    """A field's value cannot be used; `reason` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _number(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _InvalidFieldError("not a number")
    try:
        result = float(value)
    except OverflowError:
        raise _InvalidFieldError("number out of range") from None
    if not math.isfinite(result):
        raise _InvalidFieldError("not a finite number")
    return result


def _whole(value: float) -> int:
    if not value.is_integer():
        raise _InvalidFieldError("not a whole number")
    return int(value)


def _measure(value: float) -> float:
    """Whole readings as int (``41``), others as float (``41.5``)."""
    return int(value) if value.is_integer() else value


class _Fields:
    """Reads typed fields out of one JSON object; remembers used keys and unusable fields."""

    def __init__(self, data: object, what: str) -> None:
        if not isinstance(data, dict):
            raise VenstarInvalidResponseError(
                f"{what}: expected an object, got {type(data).__name__}"
            )
        self._data: dict[str, Any] = data
        self._used: set[str] = set()
        self.invalid: dict[str, FieldProblem] = {}

    def has(self, key: str) -> bool:
        return self._data.get(key) is not None

    def raw(self, key: str) -> Any:
        self._used.add(key)
        return self._data.get(key)

    def mark(self, attribute: str, key: str, value: object, reason: str) -> None:
        """Record a field as unusable under the model attribute it would have filled."""
        self.invalid[attribute] = FieldProblem(
            key=key, raw=raw_text(value), reason=reason
        )

    def read(
        self,
        spec: FieldSpec,
        attribute: str,
        unit: TemperatureUnit | None = None,
    ) -> Any:
        """Return the field's value by its schema kind; None when absent or unusable."""
        value = self.raw(spec.key)
        if value is None:
            return None
        try:
            return _convert(spec, value, unit)
        except _InvalidFieldError as err:
            self.mark(attribute, spec.key, value, err.reason)
            return None

    def require(self, key: str, attribute: str) -> None:
        """Record a field every such document has as unusable when it is missing."""
        if self._data.get(key) is None and attribute not in self.invalid:
            self.mark(attribute, key, None, "missing")

    def extra(self) -> Mapping[str, Any]:
        return MappingProxyType(
            {key: value for key, value in self._data.items() if key not in self._used}
        )

    def problems(self) -> Mapping[str, FieldProblem]:
        return MappingProxyType(dict(self.invalid))


def _convert(spec: FieldSpec, value: object, unit: TemperatureUnit | None) -> Any:
    kind = spec.kind
    if kind is Kind.TEXT:
        if not isinstance(value, str) or isinstance(value, _OversizedInteger):
            raise _InvalidFieldError("not text")
        return value
    if kind is Kind.FIRMWARE:
        return parse_firmware(value)
    if kind in (Kind.FLAG, Kind.BOOLEAN):
        if value in (0, 1) and not isinstance(value, float):
            return bool(value)
        raise _InvalidFieldError("not 0 or 1")
    number = _number(value)
    if kind is Kind.CODE:
        code = _whole(number)
        if code not in spec.codes:
            raise _InvalidFieldError("undocumented code")
        return code
    plausible = spec.plausible_range(unit)
    if plausible is not None and not plausible[0] <= number <= plausible[1]:
        raise _InvalidFieldError(
            f"outside the plausible {plausible[0]:g} to {plausible[1]:g}"
        )
    if kind is Kind.NUMBER:
        return _whole(number) if spec.integer else _measure(number)
    return number


def _code[E: IntEnum](
    fields: _Fields, key: str, enum: type[E], attribute: str
) -> E | None:
    code = fields.read(schema.INFO[key], attribute)
    return None if code is None else enum(code)


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


def parse_firmware(value: object) -> tuple[int, ...]:
    """Parse ``"5.10"`` into ``(5, 10)`` so versions compare numerically.

    The first dotted number in the text counts (``"VH6.79"`` is 6.79); raises `_InvalidFieldError`
    for anything without one.
    """
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise _InvalidFieldError("not a version")
    match = _FIRMWARE.search(str(value)[:_MAX_FIRMWARE_TEXT])
    parts = [] if match is None else match.group(0).split(".")
    if not 0 < len(parts) <= _MAX_FIRMWARE_PARTS or any(
        len(part) > _MAX_FIRMWARE_DIGITS for part in parts
    ):
        raise _InvalidFieldError("not a version")
    return tuple(int(part) for part in parts)


def parse_api_info(data: object) -> ApiInfo:
    """Parse ``GET /``; model and firmware are None on API 3 firmware."""
    raise_for_device_error(data)
    fields = _Fields(data, "API info")
    device_type_text = fields.raw("type")
    try:
        device_type = DeviceType(str(device_type_text or "residential").strip().lower())
    except ValueError:
        # The product line is part of the identity: never guess it.
        raise VenstarInvalidResponseError("API info: unknown device type") from None
    api_version = fields.read(schema.ROOT["api_ver"], "api_version")
    if api_version is None and "api_version" not in fields.invalid:
        raise VenstarInvalidResponseError("API info: no API version")
    return ApiInfo(
        api_version=api_version,
        device_type=device_type,
        model=fields.read(schema.ROOT["model"], "model") or None,
        firmware=fields.read(schema.ROOT["firmware"], "firmware"),
        extra=fields.extra(),
        invalid=fields.problems(),
    )


def _effective_unit(
    fields: _Fields,
    display_unit: TemperatureUnit | None,
    quirks: Quirk,
    model_known: bool,
) -> TemperatureUnit:
    if Quirk.ALWAYS_CELSIUS in quirks:
        return TemperatureUnit.CELSIUS
    if not model_known or display_unit is None:
        heat_max = fields.raw("heattempmax")
        if isinstance(heat_max, int | float) and not isinstance(heat_max, bool):
            if heat_max >= _FAHRENHEIT_LIMIT_THRESHOLD:
                return TemperatureUnit.FAHRENHEIT
            return TemperatureUnit.CELSIUS
    return display_unit or TemperatureUnit.FAHRENHEIT


def _limits(
    fields: _Fields, unit: TemperatureUnit, low_key: str, high_key: str, which: str
) -> tuple[float | None, float | None]:
    """Read a setpoint range: defaults when absent, both unknown when min is above max."""
    default_min, default_max, _ = _DEFAULT_LIMITS[unit]
    low_attr, high_attr = f"{which}_setpoint_min", f"{which}_setpoint_max"
    low = fields.read(schema.INFO[low_key], low_attr, unit)
    high = fields.read(schema.INFO[high_key], high_attr, unit)
    if low is None and low_attr not in fields.invalid:
        low = default_min
    if high is None and high_attr not in fields.invalid:
        high = default_max
    if low is not None and high is not None and low > high:
        reason = f"{low_key} above {high_key}"
        fields.mark(low_attr, low_key, fields.raw(low_key), reason)
        fields.mark(high_attr, high_key, fields.raw(high_key), reason)
        return None, None
    return low, high


def parse_info(
    data: object, *, quirks: Quirk = Quirk.NONE, model_known: bool = True
) -> ThermostatInfo:
    """Parse ``GET /query/info``, correcting the firmware defects named in `quirks`.

    `model_known` is False when ``GET /`` gave no model; the unit is then inferred from
    ``heattempmax`` instead of trusting ``tempunits`` (as it is when ``tempunits`` itself
    is unreadable).
    """
    raise_for_device_error(data)
    fields = _Fields(data, "Thermostat info")
    info = schema.INFO
    display_code = fields.read(info["tempunits"], "display_unit")
    display_unit = None if display_code is None else TemperatureUnit(display_code)
    unit = _effective_unit(fields, display_unit, quirks, model_known)
    if display_unit is None:
        display_unit = unit

    def temperature(key: str, attribute: str) -> float | None:
        value: float | None = fields.read(info[key], attribute, unit)
        return value

    heat_min, heat_max = _limits(fields, unit, "heattempmin", "heattempmax", "heat")
    cool_min, cool_max = _limits(fields, unit, "cooltempmin", "cooltempmax", "cool")
    delta = temperature("setpointdelta", "setpoint_delta")
    if delta is None and "setpoint_delta" not in fields.invalid:
        delta = _DEFAULT_LIMITS[unit][2]

    fan_key, fanstate_key = "fan", "fanstate"
    if Quirk.FAN_SWAPPED in quirks:
        fan_key, fanstate_key = fanstate_key, fan_key
    fan_code = fields.read(replace(info["fan"], key=fan_key), "fan")
    fan_running = fields.read(
        replace(info["fanstate"], key=fanstate_key), "fan_running"
    )
    state = _code(fields, "state", OperatingState, "state")
    if Quirk.STATE_SWAPPED in quirks and state in (
        OperatingState.HEATING,
        OperatingState.COOLING,
    ):
        state = (
            OperatingState.COOLING
            if state is OperatingState.HEATING
            else OperatingState.HEATING
        )
    humidification: int | None
    if Quirk.HUMIDITY_MISLABELLED in quirks:
        # The room humidity arrives as hum_setpoint (hum stays 0), the humidify setpoint
        # as dehum_setpoint and the dehumidify setpoint as hum_active.
        humidity = fields.read(info["hum_setpoint"], "humidity")
        humidify = fields.read(info["dehum_setpoint"], "humidify_setpoint")
        dehumidify = fields.read(info["hum_active"], "dehumidify_setpoint")
        humidification = None
        fields.raw("hum")
    else:
        humidity = fields.read(info["hum"], "humidity")
        humidify = fields.read(info["hum_setpoint"], "humidify_setpoint")
        dehumidify = fields.read(info["dehum_setpoint"], "dehumidify_setpoint")
        humidification = fields.read(info["hum_active"], "humidification_enabled")
    schedule_part = _code(fields, "schedulepart", SchedulePart, "schedule_part")
    if schedule_part is None and not fields.has("schedulepart"):
        schedule_part = SchedulePart.INACTIVE
    available = _code(fields, "availablemodes", AvailableModes, "available_modes")
    if available is None and not fields.has("availablemodes"):
        available = AvailableModes.ALL
    name = fields.read(info["name"], "name")
    for key, attribute in _REQUIRED_INFO:
        fields.require(key, attribute)
    return ThermostatInfo(
        name=name or "",
        mode=_code(fields, "mode", HvacMode, "mode"),
        state=state,
        fan=None if fan_code is None else FanMode(fan_code),
        fan_running=fan_running,
        temperature_unit=unit,
        display_unit=display_unit,
        schedule_enabled=_schedule(fields),
        schedule_part=schedule_part,
        away=fields.read(info["away"], "away"),
        space_temperature=temperature("spacetemp", "space_temperature"),
        heat_setpoint=temperature("heattemp", "heat_setpoint"),
        cool_setpoint=temperature("cooltemp", "cool_setpoint"),
        heat_setpoint_min=heat_min,
        heat_setpoint_max=heat_max,
        cool_setpoint_min=cool_min,
        cool_setpoint_max=cool_max,
        setpoint_delta=delta,
        active_stage=fields.read(info["activestage"], "active_stage"),
        humidity=humidity,
        humidification_enabled=humidification,
        humidify_setpoint=humidify,
        dehumidify_setpoint=dehumidify,
        available_modes=available,
        holiday=fields.read(info["holiday"], "holiday"),
        override=fields.read(info["override"], "override"),
        override_minutes=fields.read(info["overridetime"], "override_minutes"),
        force_unoccupied=fields.read(info["forceunocc"], "force_unoccupied"),
        quirks=quirks,
        extra=fields.extra(),
        invalid=fields.problems(),
    )


def _schedule(fields: _Fields) -> bool | None:
    """Whether the schedule runs; a unit that does not say has none running."""
    value: bool | None = fields.read(schema.INFO["schedule"], "schedule_enabled")
    if value is None and "schedule_enabled" not in fields.invalid:
        return False
    return value


def _list_of(data: object, key: str, what: str) -> list[Any]:
    raise_for_device_error(data)
    fields = _Fields(data, what)
    value = fields.raw(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise VenstarInvalidResponseError(f"{what}: {key!r} is not a list")
    return value


def _sensor_type(type_text: str | None, name: str) -> SensorType:
    if type_text is None:
        return _BUILTIN_SENSORS.get(name.strip().lower(), SensorType.UNKNOWN)
    return _SENSOR_TYPES.get(type_text.strip().lower(), SensorType.UNKNOWN)


def _parse_sensor(item: object, unit: TemperatureUnit | None) -> Sensor:
    fields = _Fields(item, "Sensor")
    spec = schema.SENSOR
    name = fields.read(spec["name"], "name") or ""
    return Sensor(
        name=name,
        type=_sensor_type(fields.read(spec["type"], "type"), name),
        temperature=fields.read(spec["temp"], "temperature", unit),
        temperature_unit=unit,
        humidity=fields.read(spec["hum"], "humidity"),
        id=fields.read(spec["id"], "id"),
        battery=fields.read(spec["battery"], "battery"),
        co2=fields.read(spec["co2"], "co2"),
        iaq=fields.read(spec["iaq"], "iaq"),
        extra=fields.extra(),
        invalid=fields.problems(),
    )


def parse_sensors(
    data: object, *, unit: TemperatureUnit | None = None
) -> tuple[Sensor, ...]:
    """Parse ``GET /query/sensors``; a null or missing list means no sensors.

    Sensors report no unit of their own: they use the thermostat's (`unit`, from info).
    An entry that is not an object is left out. A remote sensor whose id is unreadable is
    kept with ``id`` None and ``"id"`` in `Sensor.invalid`: it cannot be matched to a
    known sensor, but a caller can tell that one is there.
    """
    return tuple(
        _parse_sensor(item, unit)
        for item in _list_of(data, "sensors", "Sensors")
        if isinstance(item, dict)
    )


def _timestamp(value: int | None) -> datetime | None:
    return None if value is None else datetime.fromtimestamp(value, UTC)


def _parse_runtime(item: object) -> RuntimeDay:
    fields = _Fields(item, "Runtime")
    spec = schema.RUNTIME

    def minutes(key: str, attribute: str) -> int | None:
        value: int | None = fields.read(spec[key], attribute)
        if value is None and attribute not in fields.invalid:
            return 0
        return value

    filter_hours = fields.read(spec["filterHours"], "filter_hours")
    fields.require("ts", "timestamp")
    return RuntimeDay(
        timestamp=_timestamp(fields.read(spec["ts"], "timestamp")),
        heat1=minutes("heat1", "heat1"),
        heat2=minutes("heat2", "heat2"),
        cool1=minutes("cool1", "cool1"),
        cool2=minutes("cool2", "cool2"),
        aux1=minutes("aux1", "aux1"),
        aux2=minutes("aux2", "aux2"),
        free_cooling=minutes("fc", "free_cooling"),
        override=fields.read(spec["ov"], "override"),
        filter_hours=None if filter_hours is None else filter_hours / 100,
        filter_days=fields.read(spec["filterDays"], "filter_days"),
        extra=fields.extra(),
        invalid=fields.problems(),
    )


def parse_runtimes(data: object) -> tuple[RuntimeDay, ...]:
    """Parse ``GET /query/runtimes`` (oldest day first, the last entry is today so far).

    Entries that are not objects are left out.
    """
    return tuple(
        _parse_runtime(item)
        for item in _list_of(data, "runtimes", "Runtimes")
        if isinstance(item, dict)
    )


def _parse_alert(item: dict[str, Any]) -> Alert | None:
    fields = _Fields(item, "Alert")
    name = fields.read(schema.ALERT["name"], "name")
    if not name:
        return None
    active = fields.read(schema.ALERT["active"], "active")
    fields.require("active", "active")
    return Alert(name=name, active=active, invalid=fields.problems())


def parse_alerts(data: object) -> tuple[Alert, ...]:
    """Parse ``GET /query/alerts``; an alert without a readable name is left out."""
    alerts = (
        _parse_alert(item)
        for item in _list_of(data, "alerts", "Alerts")
        if isinstance(item, dict)
    )
    return tuple(alert for alert in alerts if alert is not None)
