"""Mutable device state of an emulated thermostat: info fields, sensors, alerts, runtimes.

Everything here is plain data that tests may edit directly; the server turns it into the
JSON bodies of the local API, in the key order and number types of the emulated profile.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Info fields that hold temperatures (display units); they are floats on ColorTouch and ints on T2000.
TEMPERATURE_KEYS = (
    "spacetemp",
    "heattemp",
    "cooltemp",
    "cooltempmin",
    "cooltempmax",
    "heattempmin",
    "heattempmax",
    "setpointdelta",
)

RUNTIME_KEYS = ("heat1", "heat2", "cool1", "cool2", "aux1", "aux2", "fc")


@dataclass
class DeviceState:
    """The fields of `GET /query/info`; which of them are served depends on the profile."""

    name: str = "COLORTOUCH"
    mode: int = 1
    state: int = 0
    fan: int = 0
    fanstate: int = 0
    tempunits: int = 0
    schedule: int = 0
    schedulepart: int = 255
    away: int = 0
    holiday: int = 0
    override: int = 0
    overridetime: int = 0
    forceunocc: int = 0
    spacetemp: float = 71.0
    heattemp: float = 69.0
    cooltemp: float = 74.0
    cooltempmin: float = 35.0
    cooltempmax: float = 99.0
    heattempmin: float = 35.0
    heattempmax: float = 99.0
    activestage: int = 0
    hum_active: int = 0
    hum: int = 41
    hum_setpoint: int = 30
    dehum_setpoint: int = 99
    setpointdelta: float = 2.0
    availablemodes: int = 0

    def get(self, key: str) -> Any:
        """Return one info field by its API name."""
        return getattr(self, key)


# The built-in sensors that measure the room: they report the info's space temperature.
ROOM_SENSORS = ("Thermostat", "Space Temp")


@dataclass
class Sensor:
    """One entry of `GET /query/sensors`; remote sensors also carry id, battery and type.

    IAQ models add ``co2`` (ppm) and ``iaq`` (an air quality index) to the local sensor.
    """

    name: str
    temp: float
    hum: int | None = None
    id: int | None = None
    battery: int | None = None
    type: str | None = None
    co2: int | None = None
    iaq: int | None = None

    @property
    def is_remote(self) -> bool:
        """Remote (wireless) sensors are the ones with an id."""
        return self.id is not None

    @property
    def measures_room(self) -> bool:
        """Whether this is a built-in room sensor (its temperature is the space temperature)."""
        return not self.is_remote and self.name in ROOM_SENSORS


@dataclass
class Alert:
    """One entry of `GET /query/alerts`."""

    name: str
    active: bool


@dataclass
class RuntimeDay:
    """One entry of `GET /query/runtimes`: minutes per stage for the day ending at `ts`.

    Seconds are accumulated so that minutes are exact after many short simulation steps.
    """

    ts: int
    seconds: dict[str, float] = field(default_factory=dict)

    def minutes(self, key: str) -> int:
        """Whole minutes run for one stage key."""
        return int(self.seconds.get(key, 0.0) // 60)

    @classmethod
    def from_minutes(cls, ts: int, minutes: dict[str, int]) -> RuntimeDay:
        """Build an entry from minute figures (as in a capture)."""
        return cls(ts=ts, seconds={key: value * 60.0 for key, value in minutes.items()})
