"""Enumerations of the codes the Venstar local API uses.

Integer enums carry the device's own code as value, so a value can be sent back unchanged.
"""

from __future__ import annotations

from enum import Flag, IntEnum, StrEnum, auto


class DeviceType(StrEnum):
    """Product line reported by ``GET /``; decides which settings exist."""

    RESIDENTIAL = "residential"
    COMMERCIAL = "commercial"


class HvacMode(IntEnum):
    """Thermostat mode (``mode``)."""

    OFF = 0
    HEAT = 1
    COOL = 2
    AUTO = 3


class OperatingState(IntEnum):
    """What the equipment is doing now (``state``)."""

    IDLE = 0
    HEATING = 1
    COOLING = 2
    LOCKOUT = 3
    ERROR = 4


class FanMode(IntEnum):
    """Fan setting (``fan``); whether the fan runs is a separate flag."""

    AUTO = 0
    ON = 1


class TemperatureUnit(IntEnum):
    """Temperature unit (``tempunits`` codes)."""

    FAHRENHEIT = 0
    CELSIUS = 1

    @property
    def step(self) -> float:
        """Smallest setpoint step the device accepts in this unit."""
        return 1.0 if self is TemperatureUnit.FAHRENHEIT else 0.5

    @property
    def symbol(self) -> str:
        """Unit symbol used in messages."""
        return "°F" if self is TemperatureUnit.FAHRENHEIT else "°C"


class SchedulePart(IntEnum):
    """Current schedule period (``schedulepart``); residential names, commercial in comments."""

    MORNING = 0  # commercial: occupied 1
    DAY = 1  # commercial: occupied 2
    EVENING = 2  # commercial: occupied 3
    NIGHT = 3  # commercial: unoccupied
    INACTIVE = 255  # schedule off


class AvailableModes(IntEnum):
    """Which modes the installer allowed (``availablemodes``)."""

    ALL = 0
    HEAT_COOL = 1
    HEAT_ONLY = 2
    COOL_ONLY = 3

    @property
    def modes(self) -> tuple[HvacMode, ...]:
        """The modes that may be set, Off always included."""
        return _MODES_BY_AVAILABILITY[self]


_MODES_BY_AVAILABILITY: dict[AvailableModes, tuple[HvacMode, ...]] = {
    AvailableModes.ALL: (HvacMode.OFF, HvacMode.HEAT, HvacMode.COOL, HvacMode.AUTO),
    AvailableModes.HEAT_COOL: (HvacMode.OFF, HvacMode.HEAT, HvacMode.COOL),
    AvailableModes.HEAT_ONLY: (HvacMode.OFF, HvacMode.HEAT),
    AvailableModes.COOL_ONLY: (HvacMode.OFF, HvacMode.COOL),
}


class SensorType(StrEnum):
    """Kind of a sensor in ``/query/sensors``.

    Remote sensors report their type; the built-in ones do not and are recognised by name
    (``Thermostat`` is the local sensor, ``Space Temp`` the control temperature).
    """

    LOCAL = "Local"
    CONTROL = "Control"
    OUTDOOR = "Outdoor"
    RETURN = "Return"
    REMOTE = "Remote"
    SUPPLY = "Supply"
    UNKNOWN = "Unknown"


class Quirk(Flag):
    """Firmware defects the parser corrects for (see `quirks.detect_quirks`)."""

    NONE = 0
    ALWAYS_CELSIUS = auto()
    FAN_SWAPPED = auto()
    STATE_SWAPPED = auto()
    HUMIDITY_MISLABELLED = auto()
