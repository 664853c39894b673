"""Device profiles: what each emulated model answers at start and which features it has.

The ColorTouch profile reproduces the captures of a real T7850 (API 7, firmware 5.1) field for
field; the other profiles follow the model differences described in the local API reference
and real answers of those models (the T2000's: API 7, decimal temperatures in info - half
degrees in °C - with an integer ``setpointdelta``, integer sensor temperatures). Every field a
profile serves is checked against the client's device schema by the tests, and every schema
field must be served by some profile.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .state import Alert, DeviceState, RuntimeDay, Sensor

# Sample time of the ColorTouch runtimes capture; the emulator's virtual clock starts here so the
# runtimes served at start equal the capture.
CAPTURE_EPOCH = 1637921499

_CAPTURE_RUNTIME_DAYS: tuple[tuple[int, int], ...] = (
    (1637452800, 156),
    (1637539200, 216),
    (1637625600, 234),
    (1637712000, 225),
    (1637798400, 153),
    (1637884800, 94),
    (CAPTURE_EPOCH, 12),
)

_RESIDENTIAL_INFO_KEYS = (
    "name",
    "mode",
    "state",
    "fan",
    "fanstate",
    "tempunits",
    "schedule",
    "schedulepart",
    "away",
    "spacetemp",
    "heattemp",
    "cooltemp",
    "cooltempmin",
    "cooltempmax",
    "heattempmin",
    "heattempmax",
    "activestage",
    "hum_active",
    "hum",
    "hum_setpoint",
    "dehum_setpoint",
    "setpointdelta",
    "availablemodes",
)
_HUMIDITY_KEYS = ("hum_active", "hum", "hum_setpoint", "dehum_setpoint")
_COMMERCIAL_KEYS = ("holiday", "override", "overridetime", "forceunocc")


# Key order of a real T2000 answer: activestage follows state, no humidity fields.
_T2000_INFO_KEYS = (
    "name",
    "mode",
    "state",
    "activestage",
    "fan",
    "fanstate",
    "tempunits",
    "schedule",
    "schedulepart",
    "away",
    "spacetemp",
    "heattemp",
    "cooltemp",
    "cooltempmin",
    "cooltempmax",
    "heattempmin",
    "heattempmax",
    "setpointdelta",
    "availablemodes",
)


def _without(keys: tuple[str, ...], *drop: str) -> tuple[str, ...]:
    return tuple(key for key in keys if key not in drop)


def _commercial_keys() -> tuple[str, ...]:
    keys = list(_RESIDENTIAL_INFO_KEYS)
    index = keys.index("away")
    keys[index : index + 1] = _COMMERCIAL_KEYS
    return tuple(keys)


@dataclass(frozen=True)
class Profile:
    """Static description of one emulated model."""

    key: str
    root: dict[str, Any]
    info_keys: tuple[str, ...]
    initial_state: DeviceState
    sensors: tuple[Sensor, ...]
    alerts: tuple[Alert, ...]
    runtime_keys: tuple[str, ...]
    # Info fields sent as JSON integers (all others as decimals, as the ColorTouch does).
    int_info_keys: frozenset[str] = frozenset()
    # Whether sensor temperatures are JSON integers (whole degrees, rounded down).
    int_sensor_temps: bool = False
    supports_auth: bool = True
    humidity: bool = True
    commercial: bool = False
    # T5900 firmware 4.08 (API 5, no model): room humidity served as hum_setpoint (hum is 0),
    # the humidify setpoint as dehum_setpoint, the dehumidify setpoint as hum_active.
    mislabelled_humidity: bool = False

    def initial_runtimes(self) -> list[RuntimeDay]:
        """Seven days as in the capture (cool1 minutes), other stage keys zero."""
        days = []
        for ts, cool1 in _CAPTURE_RUNTIME_DAYS:
            minutes = dict.fromkeys(self.runtime_keys, 0)
            minutes["cool1"] = cool1
            days.append(RuntimeDay.from_minutes(ts, minutes))
        return days


_RUNTIME_KEYS = ("heat1", "heat2", "cool1", "cool2", "aux1", "aux2", "fc")

COLORTOUCH = Profile(
    key="colortouch",
    root={
        "api_ver": 7,
        "type": "residential",
        "model": "COLORTOUCH",
        "firmware": "5.1",
    },
    info_keys=_RESIDENTIAL_INFO_KEYS,
    initial_state=DeviceState(),
    sensors=(
        Sensor(name="Thermostat", temp=70.0, hum=41),
        Sensor(name="Space Temp", temp=70.0),
    ),
    alerts=(
        Alert(name="Air Filter", active=True),
        Alert(name="UV Lamp", active=False),
        Alert(name="Service", active=False),
    ),
    runtime_keys=_RUNTIME_KEYS,
)

T2000 = Profile(
    key="t2000",
    root={"api_ver": 7, "type": "residential", "model": "T2000", "firmware": "5.65"},
    info_keys=_T2000_INFO_KEYS,
    initial_state=DeviceState(
        name="Explorer Mini",
        mode=2,
        spacetemp=72.0,
        heattemp=68.0,
        cooltemp=76.0,
        hum=0,
        hum_setpoint=0,
        dehum_setpoint=0,
    ),
    sensors=(
        Sensor(name="Thermostat", temp=72.0),
        Sensor(name="Space Temp", temp=72.0),
    ),
    alerts=(
        Alert(name="Air Filter", active=False),
        Alert(name="UV Lamp", active=False),
        Alert(name="Service", active=False),
    ),
    runtime_keys=_RUNTIME_KEYS,
    int_info_keys=frozenset({"setpointdelta"}),
    int_sensor_temps=True,
    supports_auth=False,
    humidity=False,
)

LEGACY = Profile(
    key="legacy",
    root={"api_ver": 3, "type": "residential"},
    info_keys=_without(_RESIDENTIAL_INFO_KEYS, "activestage", *_HUMIDITY_KEYS),
    initial_state=DeviceState(name="T5800", hum=0, hum_setpoint=0, dehum_setpoint=0),
    sensors=(
        Sensor(name="Thermostat", temp=71.0),
        Sensor(name="Space Temp", temp=71.0),
    ),
    alerts=(
        Alert(name="Air Filter", active=False),
        Alert(name="Service", active=False),
    ),
    runtime_keys=_RUNTIME_KEYS,
    supports_auth=False,
    humidity=False,
)

T5900 = Profile(
    key="t5900",
    root={"api_ver": 5, "type": "residential", "firmware": "4.08"},
    info_keys=_without(_RESIDENTIAL_INFO_KEYS, "activestage"),
    initial_state=DeviceState(name="T5900", hum=44, hum_setpoint=35, dehum_setpoint=55),
    sensors=(
        Sensor(name="Thermostat", temp=71.0, hum=44),
        Sensor(name="Space Temp", temp=71.0),
    ),
    alerts=(
        Alert(name="Air Filter", active=False),
        Alert(name="Service", active=False),
    ),
    runtime_keys=_RUNTIME_KEYS,
    supports_auth=False,
    mislabelled_humidity=True,
)

COMMERCIAL = Profile(
    key="commercial",
    root={
        "api_ver": 7,
        "type": "commercial",
        "model": "COLORTOUCH",
        "firmware": "5.10",
    },
    info_keys=_commercial_keys(),
    initial_state=DeviceState(name="Office", mode=3, heattemp=68.0, cooltemp=74.0),
    # With an IAQ sensor: CO2 and an air quality index on the local sensor.
    sensors=(
        Sensor(name="Thermostat", temp=71.0, hum=41, co2=650, iaq=42),
        Sensor(name="Space Temp", temp=71.0),
    ),
    alerts=(
        Alert(name="Air Filter", active=False),
        Alert(name="UV Lamp", active=False),
        Alert(name="Service", active=False),
    ),
    runtime_keys=(*_RUNTIME_KEYS, "ov"),
    commercial=True,
)

PROFILES: dict[str, Profile] = {
    profile.key: profile for profile in (COLORTOUCH, T2000, LEGACY, T5900, COMMERCIAL)
}


def get_profile(key: str) -> Profile:
    """Look a profile up by name; unknown names are a programming error of the caller."""
    try:
        return PROFILES[key]
    except KeyError:
        raise ValueError(
            f"unknown profile {key!r}; choose one of {', '.join(PROFILES)}"
        ) from None
