"""A small but real entity for blueprint tests: a Venstar-like thermostat.

It goes through HA's own service layer, so presets, fan modes and temperature ranges are
validated exactly as for a real integration.
"""

from __future__ import annotations

import asyncio
from typing import Any

from homeassistant.components.climate import (
    ATTR_HVAC_MODE,
    ATTR_TARGET_TEMP_HIGH,
    ATTR_TARGET_TEMP_LOW,
    ClimateEntity,
    ClimateEntityFeature,
    HVACMode,
)
from homeassistant.const import ATTR_TEMPERATURE, UnitOfTemperature
from homeassistant.exceptions import HomeAssistantError


class FakeThermostat(ClimateEntity):
    """A thermostat shaped like venstar_local's: presets home/away, fan on/auto, °F."""

    _attr_should_poll = False
    _attr_temperature_unit = UnitOfTemperature.FAHRENHEIT
    _attr_min_temp = 40
    _attr_max_temp = 95
    _enable_turn_on_off_backwards_compatibility = False

    def __init__(
        self,
        name: str,
        *,
        presets: list[str] | None = ("home", "away"),  # type: ignore[assignment]
        hvac_mode: HVACMode = HVACMode.HEAT,
        fan_mode: str = "auto",
    ) -> None:
        self._attr_name = name
        self._attr_unique_id = name
        self._attr_hvac_modes = [
            HVACMode.OFF,
            HVACMode.HEAT,
            HVACMode.COOL,
            HVACMode.HEAT_COOL,
        ]
        self._attr_hvac_mode = hvac_mode
        self._attr_fan_modes = ["on", "auto"]
        self._attr_fan_mode = fan_mode
        self._attr_current_temperature = 66
        self._attr_target_temperature = 68
        self._attr_target_temperature_low = 68
        self._attr_target_temperature_high = 75
        features = (
            ClimateEntityFeature.TARGET_TEMPERATURE
            | ClimateEntityFeature.TARGET_TEMPERATURE_RANGE
            | ClimateEntityFeature.FAN_MODE
            | ClimateEntityFeature.TURN_OFF
            | ClimateEntityFeature.TURN_ON
        )
        if presets:
            features |= ClimateEntityFeature.PRESET_MODE
            self._attr_preset_modes = list(presets)
            self._attr_preset_mode = presets[0]
        self._attr_supported_features = features
        self.calls: list[tuple[str, Any]] = []
        # The next this-many writes fail (a thermostat that does not answer); while `stall`
        # is set, writes wait for it (a hung device).
        self.failures = 0
        self.stall: asyncio.Event | None = None

    async def _answer(self) -> None:
        if self.stall is not None:
            await self.stall.wait()
        if self.failures:
            self.failures -= 1
            raise HomeAssistantError(f"{self.name} did not answer")

    def set_available(self, available: bool) -> None:
        """Drop off the network (unavailable) or come back."""
        self._attr_available = available
        self.async_write_ha_state()

    async def async_set_hvac_mode(self, hvac_mode: HVACMode) -> None:
        self.calls.append(("hvac_mode", hvac_mode))
        self._attr_hvac_mode = hvac_mode
        self.async_write_ha_state()

    async def async_set_fan_mode(self, fan_mode: str) -> None:
        self.calls.append(("fan_mode", fan_mode))
        self._attr_fan_mode = fan_mode
        self.async_write_ha_state()

    async def async_set_preset_mode(self, preset_mode: str) -> None:
        self.calls.append(("preset_mode", preset_mode))
        await self._answer()
        self._attr_preset_mode = preset_mode
        self.async_write_ha_state()

    async def async_set_temperature(self, **kwargs: Any) -> None:
        self.calls.append(("temperature", kwargs))
        await self._answer()
        if (mode := kwargs.get(ATTR_HVAC_MODE)) is not None:
            self._attr_hvac_mode = mode
        if (value := kwargs.get(ATTR_TEMPERATURE)) is not None:
            self._attr_target_temperature = value
        if (low := kwargs.get(ATTR_TARGET_TEMP_LOW)) is not None:
            self._attr_target_temperature_low = low
        if (high := kwargs.get(ATTR_TARGET_TEMP_HIGH)) is not None:
            self._attr_target_temperature_high = high
        self.async_write_ha_state()
