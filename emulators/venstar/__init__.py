"""Venstar thermostat emulator (local API, SSDP, faults) for development and tests."""

from __future__ import annotations

from .emulator import VenstarEmulator
from .faults import BusyResponse, Fault, FaultKind, Faults
from .profiles import PROFILES
from .recording import RecordedRequest
from .state import Alert, DeviceState, RuntimeDay, Sensor

__all__ = [
    "PROFILES",
    "Alert",
    "BusyResponse",
    "DeviceState",
    "Fault",
    "FaultKind",
    "Faults",
    "RecordedRequest",
    "RuntimeDay",
    "Sensor",
    "VenstarEmulator",
]
