"""The thermostat's documents as the entities show them."""

from __future__ import annotations

from dataclasses import dataclass

from .api import Alert, ApiInfo, RuntimeDay, Sensor, ThermostatInfo


@dataclass(frozen=True, kw_only=True, slots=True)
class VenstarData:
    """Everything the entities show, as last confirmed by the thermostat."""

    api_info: ApiInfo
    info: ThermostatInfo
    sensors: tuple[Sensor, ...]
    runtimes: tuple[RuntimeDay, ...]
    alerts: tuple[Alert, ...]
