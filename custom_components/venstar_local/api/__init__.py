"""Async client for the Venstar thermostat local API (no Home Assistant imports).

Typical use::

    client = VenstarClient("192.168.1.20", session, pin="0042")
    info = await client.info()
    info = await client.set_hvac_mode(HvacMode.HEAT, heat=69)
"""

from __future__ import annotations

from .client import DEFAULT_STATE_MAX_AGE, DEFAULT_TIMEOUT, VenstarClient
from .commands import format_setpoint, round_setpoint
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
from .errors import (
    REJECTION_PLACEHOLDERS,
    VenstarApiError,
    VenstarAuthenticationError,
    VenstarCertificateMismatchError,
    VenstarCommandRejectedError,
    VenstarConnectionError,
    VenstarError,
    VenstarInvalidResponseError,
    VenstarNotConfirmedError,
    VenstarTimeoutError,
    VenstarWrongDeviceError,
)
from .models import (
    Alert,
    ApiInfo,
    DeviceIdentity,
    FieldProblem,
    RuntimeDay,
    Sensor,
    SsdpDevice,
    ThermostatInfo,
    format_firmware,
)
from .pacing import request_gap
from .quirks import detect_quirks
from .ssdp import SEARCH_TARGETS, normalize_mac, parse_ssdp
from .transport import normalize_fingerprint, normalize_pin

__all__ = [
    "DEFAULT_STATE_MAX_AGE",
    "DEFAULT_TIMEOUT",
    "REJECTION_PLACEHOLDERS",
    "SEARCH_TARGETS",
    "Alert",
    "ApiInfo",
    "AvailableModes",
    "DeviceIdentity",
    "DeviceType",
    "FanMode",
    "FieldProblem",
    "HvacMode",
    "OperatingState",
    "Quirk",
    "RuntimeDay",
    "SchedulePart",
    "Sensor",
    "SensorType",
    "SsdpDevice",
    "TemperatureUnit",
    "ThermostatInfo",
    "VenstarApiError",
    "VenstarAuthenticationError",
    "VenstarCertificateMismatchError",
    "VenstarClient",
    "VenstarCommandRejectedError",
    "VenstarConnectionError",
    "VenstarError",
    "VenstarInvalidResponseError",
    "VenstarNotConfirmedError",
    "VenstarTimeoutError",
    "VenstarWrongDeviceError",
    "detect_quirks",
    "format_firmware",
    "format_setpoint",
    "normalize_fingerprint",
    "normalize_mac",
    "normalize_pin",
    "parse_ssdp",
    "request_gap",
    "round_setpoint",
]
