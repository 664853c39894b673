"""What a Venstar thermostat sends: every field of every document, its kind and plausible range.

This is the single description of the device's documents. The parser reads each field by it
(type, allowed codes, plausible range), and the tests check every emulator profile against it
(each served field is in the schema and plausible; each schema field is served by some
profile unless `FieldSpec.emulated` says why not), so the emulator cannot lag the client.

A value outside its plausible range is physically impossible for a thermostat (a room at
-573 °C, a setpoint of 2760 °C, 250 % humidity) and is treated like an unreadable one: the
field becomes unknown, nothing else does. Ranges are deliberately wide; they are not the
device's own setpoint limits (those come from ``/query/info``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from .enums import TemperatureUnit


class Kind(StrEnum):
    """How a field's value is read."""

    TEXT = "text"  # a string
    CODE = "code"  # an integer from `FieldSpec.codes`
    FLAG = "flag"  # 0 or 1
    BOOLEAN = "boolean"  # JSON true/false (0/1 accepted)
    FIRMWARE = "firmware"  # dotted version text
    TEMPERATURE = "temperature"  # a measured temperature, thermostat's unit
    SETPOINT = "setpoint"  # a setpoint or setpoint limit, thermostat's unit
    TEMPERATURE_DELTA = "temperature_delta"  # a difference of temperatures
    NUMBER = "number"  # any other number, range in `FieldSpec.low`/`high`


# Plausible temperatures per unit: (low, high).
TEMPERATURE_RANGES: Mapping[Kind, Mapping[TemperatureUnit, tuple[float, float]]] = (
    MappingProxyType(
        {
            # Rooms, outdoor air, supply and return air.
            Kind.TEMPERATURE: {
                TemperatureUnit.FAHRENHEIT: (-60.0, 160.0),
                TemperatureUnit.CELSIUS: (-51.0, 71.0),
            },
            # Setpoints and their limits (devices allow about 35-99 °F / 2-37 °C).
            Kind.SETPOINT: {
                TemperatureUnit.FAHRENHEIT: (0.0, 120.0),
                TemperatureUnit.CELSIUS: (-18.0, 49.0),
            },
            Kind.TEMPERATURE_DELTA: {
                TemperatureUnit.FAHRENHEIT: (0.0, 20.0),
                TemperatureUnit.CELSIUS: (0.0, 11.0),
            },
        }
    )
)


@dataclass(frozen=True, kw_only=True, slots=True)
class FieldSpec:
    """One field of one document.

    `low`/`high` bound a `Kind.NUMBER`; `integer` requires a whole number there.
    `emulated` is None when some emulator profile serves the field, else the reason none does.
    """

    key: str
    kind: Kind
    meaning: str
    codes: tuple[int, ...] = ()
    low: float | None = None
    high: float | None = None
    integer: bool = False
    emulated: str | None = None

    def plausible_range(
        self, unit: TemperatureUnit | None = None
    ) -> tuple[float, float] | None:
        """Return the (low, high) a value must lie in, or None for non-numeric kinds."""
        if self.kind in TEMPERATURE_RANGES:
            return TEMPERATURE_RANGES[self.kind][unit or TemperatureUnit.FAHRENHEIT]
        if self.kind is Kind.NUMBER and self.low is not None and self.high is not None:
            return (self.low, self.high)
        return None


def _fields(*specs: FieldSpec) -> Mapping[str, FieldSpec]:
    return MappingProxyType({spec.key: spec for spec in specs})


def _percent(key: str, meaning: str, *, integer: bool = False) -> FieldSpec:
    return FieldSpec(
        key=key, kind=Kind.NUMBER, meaning=meaning, low=0, high=100, integer=integer
    )


def _minutes(key: str, meaning: str) -> FieldSpec:
    return FieldSpec(
        key=key, kind=Kind.NUMBER, meaning=meaning, low=0, high=1440, integer=True
    )


ROOT: Mapping[str, FieldSpec] = _fields(
    FieldSpec(
        key="api_ver",
        kind=Kind.NUMBER,
        meaning="API version",
        low=1,
        high=99,
        integer=True,
    ),
    FieldSpec(key="type", kind=Kind.TEXT, meaning="residential or commercial"),
    FieldSpec(key="model", kind=Kind.TEXT, meaning="model family (absent on API 3)"),
    FieldSpec(key="firmware", kind=Kind.FIRMWARE, meaning="firmware version"),
)

INFO: Mapping[str, FieldSpec] = _fields(
    FieldSpec(key="name", kind=Kind.TEXT, meaning="thermostat name"),
    FieldSpec(
        key="mode", kind=Kind.CODE, meaning="off/heat/cool/auto", codes=(0, 1, 2, 3)
    ),
    FieldSpec(
        key="state",
        kind=Kind.CODE,
        meaning="idle/heating/cooling/lockout/error",
        codes=(0, 1, 2, 3, 4),
    ),
    FieldSpec(key="fan", kind=Kind.CODE, meaning="fan auto/on", codes=(0, 1)),
    FieldSpec(key="fanstate", kind=Kind.FLAG, meaning="fan running"),
    FieldSpec(key="tempunits", kind=Kind.CODE, meaning="°F/°C", codes=(0, 1)),
    FieldSpec(key="schedule", kind=Kind.FLAG, meaning="schedule running"),
    FieldSpec(
        key="schedulepart",
        kind=Kind.CODE,
        meaning="schedule period",
        codes=(0, 1, 2, 3, 255),
    ),
    FieldSpec(key="away", kind=Kind.FLAG, meaning="away (residential)"),
    FieldSpec(key="holiday", kind=Kind.FLAG, meaning="holiday (commercial)"),
    FieldSpec(key="override", kind=Kind.FLAG, meaning="override (commercial)"),
    FieldSpec(
        key="overridetime",
        kind=Kind.NUMBER,
        meaning="override minutes left (commercial)",
        low=0,
        high=10080,
        integer=True,
    ),
    FieldSpec(
        key="forceunocc", kind=Kind.FLAG, meaning="forced unoccupied (commercial)"
    ),
    FieldSpec(key="spacetemp", kind=Kind.TEMPERATURE, meaning="space temperature"),
    FieldSpec(key="heattemp", kind=Kind.SETPOINT, meaning="heat setpoint"),
    FieldSpec(key="cooltemp", kind=Kind.SETPOINT, meaning="cool setpoint"),
    FieldSpec(key="heattempmin", kind=Kind.SETPOINT, meaning="lowest heat setpoint"),
    FieldSpec(key="heattempmax", kind=Kind.SETPOINT, meaning="highest heat setpoint"),
    FieldSpec(key="cooltempmin", kind=Kind.SETPOINT, meaning="lowest cool setpoint"),
    FieldSpec(key="cooltempmax", kind=Kind.SETPOINT, meaning="highest cool setpoint"),
    FieldSpec(
        key="setpointdelta",
        kind=Kind.TEMPERATURE_DELTA,
        meaning="least cool-heat gap in auto",
    ),
    FieldSpec(
        key="activestage", kind=Kind.CODE, meaning="active stage", codes=(0, 1, 2)
    ),
    _percent("hum", "room humidity %"),
    # A flag on most units; 99 seen on an API 5 unit, where it is the dehumidify setpoint.
    _percent("hum_active", "humidification enabled", integer=True),
    _percent("hum_setpoint", "humidify setpoint %", integer=True),
    _percent("dehum_setpoint", "dehumidify setpoint %", integer=True),
    FieldSpec(
        key="availablemodes",
        kind=Kind.CODE,
        meaning="modes the installer allows",
        codes=(0, 1, 2, 3),
    ),
)

SENSOR: Mapping[str, FieldSpec] = _fields(
    FieldSpec(key="name", kind=Kind.TEXT, meaning="sensor name"),
    FieldSpec(
        key="id",
        kind=Kind.NUMBER,
        meaning="remote sensor id",
        low=0,
        high=19,
        integer=True,
    ),
    FieldSpec(key="type", kind=Kind.TEXT, meaning="Outdoor/Return/Remote/Supply"),
    FieldSpec(key="temp", kind=Kind.TEMPERATURE, meaning="temperature"),
    _percent("hum", "humidity %"),
    _percent("battery", "battery %"),
    FieldSpec(
        key="co2", kind=Kind.NUMBER, meaning="CO2 ppm (IAQ models)", low=0, high=10000
    ),
    FieldSpec(
        key="iaq",
        kind=Kind.NUMBER,
        meaning="air quality index (IAQ models)",
        low=0,
        high=500,
    ),
)

RUNTIME: Mapping[str, FieldSpec] = _fields(
    FieldSpec(
        key="ts",
        kind=Kind.NUMBER,
        meaning="end of the day (epoch s)",
        # 2000-01-01 to 2100-01-01.
        low=946684800,
        high=4102444800,
        integer=True,
    ),
    _minutes("heat1", "heat stage 1 minutes"),
    _minutes("heat2", "heat stage 2 minutes"),
    _minutes("cool1", "cool stage 1 minutes"),
    _minutes("cool2", "cool stage 2 minutes"),
    _minutes("aux1", "aux heat stage 1 minutes"),
    _minutes("aux2", "aux heat stage 2 minutes"),
    _minutes("fc", "free cooling minutes"),
    _minutes("ov", "override minutes (commercial)"),
    FieldSpec(
        key="filterHours",
        kind=Kind.NUMBER,
        meaning="filter hours x 100",
        low=0,
        high=10_000_000,
        emulated="sent by some firmware; no capture says which model",
    ),
    FieldSpec(
        key="filterDays",
        kind=Kind.NUMBER,
        meaning="filter days",
        low=0,
        high=3650,
        integer=True,
        emulated="sent by some firmware; no capture says which model",
    ),
)

ALERT: Mapping[str, FieldSpec] = _fields(
    FieldSpec(key="name", kind=Kind.TEXT, meaning="alert name"),
    FieldSpec(key="active", kind=Kind.BOOLEAN, meaning="alert active"),
)
