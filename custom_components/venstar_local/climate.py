"""The thermostat as a climate entity.

Every command goes through the client, which checks it against the device's rules before
sending and returns the state the thermostat confirms; that state is shown at once. Nothing
here is optimistic: if the device refuses, the entity keeps showing what the device says.
A value the device reported unreadable shows as unknown (its attribute is None); the rest of
the entity keeps working.
"""

from __future__ import annotations

from typing import Any, override

from homeassistant.components.climate import ClimateEntity, ClimateEntityDescription
from homeassistant.components.climate.const import (
    ATTR_HVAC_MODE,
    ATTR_TARGET_TEMP_HIGH,
    ATTR_TARGET_TEMP_LOW,
    FAN_AUTO,
    FAN_ON,
    PRESET_AWAY,
    PRESET_HOME,
    ClimateEntityFeature,
    HVACAction,
    HVACMode,
)
from homeassistant.const import (
    ATTR_TEMPERATURE,
    PRECISION_HALVES,
    PRECISION_TENTHS,
    PRECISION_WHOLE,
    UnitOfTemperature,
)
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .api import FanMode, HvacMode, OperatingState, TemperatureUnit, ThermostatInfo
from .const import DOMAIN
from .coordinator import VenstarConfigEntry, VenstarCoordinator
from .entity import VenstarEntity

# No limit across thermostats: each thermostat's client already sends one request at a time
# (in call order), and HA's limit would be shared by every thermostat, so one that does not
# answer would hold back commands to the others (an alarm switches them all off at once).
PARALLEL_UPDATES = 0

HUMIDIFY_MIN = 0
HUMIDIFY_MAX = 60

_TO_HA_MODE = {
    HvacMode.OFF: HVACMode.OFF,
    HvacMode.HEAT: HVACMode.HEAT,
    HvacMode.COOL: HVACMode.COOL,
    HvacMode.AUTO: HVACMode.HEAT_COOL,
}
_FROM_HA_MODE = {value: key for key, value in _TO_HA_MODE.items()}
_TO_HA_FAN = {FanMode.AUTO: FAN_AUTO, FanMode.ON: FAN_ON}
_FROM_HA_FAN = {value: key for key, value in _TO_HA_FAN.items()}
_ACTIONS = {
    OperatingState.HEATING: HVACAction.HEATING,
    OperatingState.COOLING: HVACAction.COOLING,
}
# Preference when turning on a thermostat that has not been on since HA started.
_TURN_ON_ORDER = (HvacMode.AUTO, HvacMode.HEAT, HvacMode.COOL)

THERMOSTAT = ClimateEntityDescription(key="thermostat", name=None)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: VenstarConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the thermostat's climate entity."""
    async_add_entities([VenstarClimate(entry.runtime_data.coordinator, THERMOSTAT)])


class VenstarClimate(VenstarEntity, ClimateEntity):
    """A Venstar thermostat."""

    _attr_fan_modes = [FAN_AUTO, FAN_ON]
    _attr_min_humidity = HUMIDIFY_MIN
    _attr_max_humidity = HUMIDIFY_MAX

    def __init__(
        self, coordinator: VenstarCoordinator, description: ClimateEntityDescription
    ) -> None:
        """Attach to the thermostat device; turn_on starts from the mode it is in."""
        super().__init__(coordinator, description)
        self._last_on_mode: HvacMode | None = None
        self._remember_on_mode()

    @property
    def _info(self) -> ThermostatInfo:
        return self.coordinator.data.info

    def _remember_on_mode(self) -> None:
        """Keep the last mode other than off, for turn_on."""
        if self._info.mode not in (HvacMode.OFF, None):
            self._last_on_mode = self._info.mode

    @callback
    @override
    def _handle_coordinator_update(self) -> None:
        """Track the last "on" mode, then write the state."""
        self._remember_on_mode()
        super()._handle_coordinator_update()

    def _shown_values(self) -> Any:
        # Everything the entity shows comes from the state; HA's unit system only from the
        # configuration, which a poll does not change.
        return (self._info, self.hass.config.units.temperature_unit)

    @property
    @override
    def supported_features(self) -> ClimateEntityFeature:
        """Single target in heat/cool, a range in auto; presets only on residential units.

        While off both are accepted: the thermostat keeps its setpoints, and a single target
        goes to the mode it returns to.
        """
        info = self._info
        features = (
            ClimateEntityFeature.FAN_MODE
            | ClimateEntityFeature.TURN_ON
            | ClimateEntityFeature.TURN_OFF
        )
        if info.mode in (HvacMode.HEAT, HvacMode.COOL, HvacMode.OFF):
            features |= ClimateEntityFeature.TARGET_TEMPERATURE
        if info.mode in (HvacMode.AUTO, HvacMode.OFF):
            features |= ClimateEntityFeature.TARGET_TEMPERATURE_RANGE
        if info.supports_away:
            features |= ClimateEntityFeature.PRESET_MODE
        if info.has("humidify_setpoint"):
            features |= ClimateEntityFeature.TARGET_HUMIDITY
        return features

    @property
    @override
    def temperature_unit(self) -> str:
        """The unit the thermostat's numbers are in."""
        if self._info.temperature_unit is TemperatureUnit.CELSIUS:
            return UnitOfTemperature.CELSIUS
        return UnitOfTemperature.FAHRENHEIT

    @property
    @override
    def precision(self) -> float:
        """Half degrees for a °C thermostat; for °F, whole degrees unless HA shows °C."""
        if self._info.temperature_unit is TemperatureUnit.CELSIUS:
            return PRECISION_HALVES
        if self.hass.config.units.temperature_unit == UnitOfTemperature.CELSIUS:
            return PRECISION_TENTHS
        return PRECISION_WHOLE

    @property
    @override
    def target_temperature_step(self) -> float:
        """The device's step (0.5 °C / 1 °F), or the nearest sensible one in HA's unit.

        The client rounds whatever arrives to the device's own step before sending.
        """
        if self.hass.config.units.temperature_unit == self.temperature_unit:
            return self._info.temperature_unit.step
        if self.hass.config.units.temperature_unit == UnitOfTemperature.CELSIUS:
            return 0.5
        return 1.0

    @property
    @override
    def min_temp(self) -> float:
        """Lowest setpoint the device allows in the current mode (HA's default if unknown)."""
        info = self._info
        known = self._limits_in_mode(info.heat_setpoint_min, info.cool_setpoint_min)
        return min(known) if known else super().min_temp

    @property
    @override
    def max_temp(self) -> float:
        """Highest setpoint the device allows in the current mode (HA's default if unknown)."""
        info = self._info
        known = self._limits_in_mode(info.heat_setpoint_max, info.cool_setpoint_max)
        return max(known) if known else super().max_temp

    def _limits_in_mode(self, heat: float | None, cool: float | None) -> list[float]:
        """Return the known setpoint limits of the current mode (heat's, cool's, or both)."""
        mode = self._info.mode
        if mode is HvacMode.HEAT:
            limits = [heat]
        elif mode is HvacMode.COOL:
            limits = [cool]
        else:
            limits = [heat, cool]
        return [limit for limit in limits if limit is not None]

    @property
    @override
    def current_temperature(self) -> float | None:
        """The control (space) temperature."""
        return self._info.space_temperature

    @property
    @override
    def current_humidity(self) -> float | None:
        """Indoor humidity where the model measures it."""
        return self._info.humidity

    @property
    @override
    def target_humidity(self) -> float | None:
        """Humidify setpoint where the model has one."""
        return self._info.humidify_setpoint

    @property
    @override
    def target_temperature(self) -> float | None:
        """The setpoint in force in heat or cool."""
        info = self._info
        if info.mode is HvacMode.HEAT:
            return info.heat_setpoint
        if info.mode is HvacMode.COOL:
            return info.cool_setpoint
        return None

    @property
    @override
    def target_temperature_low(self) -> float | None:
        """Heat setpoint in auto."""
        return self._info.heat_setpoint if self._info.mode is HvacMode.AUTO else None

    @property
    @override
    def target_temperature_high(self) -> float | None:
        """Cool setpoint in auto."""
        return self._info.cool_setpoint if self._info.mode is HvacMode.AUTO else None

    @property
    @override
    def hvac_mode(self) -> HVACMode | None:
        """Current mode."""
        mode = self._info.mode
        return None if mode is None else _TO_HA_MODE[mode]

    @property
    @override
    def hvac_modes(self) -> list[HVACMode]:
        """The modes the installer allowed (``availablemodes``), off included."""
        return [_TO_HA_MODE[mode] for mode in self._info.hvac_modes]

    @property
    @override
    def hvac_action(self) -> HVACAction | None:
        """What the equipment does; lockout and error show as idle (see the state sensor)."""
        info = self._info
        if info.mode is HvacMode.OFF:
            return HVACAction.OFF
        if info.state is None:
            return None
        if action := _ACTIONS.get(info.state):
            return action
        if info.fan_running:
            return HVACAction.FAN
        return HVACAction.IDLE

    @property
    @override
    def fan_mode(self) -> str | None:
        """Fan setting."""
        fan = self._info.fan
        return None if fan is None else _TO_HA_FAN[fan]

    @property
    @override
    def preset_modes(self) -> list[str] | None:
        """Home and away (eco) on residential units."""
        return [PRESET_HOME, PRESET_AWAY] if self._info.supports_away else None

    @property
    @override
    def preset_mode(self) -> str | None:
        """Away when the thermostat is in away, else home."""
        away = self._info.away
        if away is None:
            return None
        return PRESET_AWAY if away else PRESET_HOME

    @override
    async def async_set_hvac_mode(self, hvac_mode: HVACMode) -> None:
        """Change mode; a running schedule is stopped first (the device requires it)."""
        await self._set_mode(_FROM_HA_MODE[hvac_mode], None, None)

    async def _set_mode(
        self, mode: HvacMode, heat: float | None, cool: float | None
    ) -> None:
        client = self.coordinator.client
        await self.coordinator.async_command(
            lambda: client.set_hvac_mode(mode, heat=heat, cool=cool)
        )

    @override
    async def async_set_temperature(self, **kwargs: Any) -> None:
        """Set the single target (heat or cool) or the auto range, optionally with a mode.

        While off the setpoints are changed without turning the thermostat on; a single
        target then goes to the mode `turn_on` returns to.
        """
        mode = self._info.mode
        if (ha_mode := kwargs.get(ATTR_HVAC_MODE)) is not None:
            mode = _FROM_HA_MODE[ha_mode]
        heat: float | None = kwargs.get(ATTR_TARGET_TEMP_LOW)
        cool: float | None = kwargs.get(ATTR_TARGET_TEMP_HIGH)
        if (temperature := kwargs.get(ATTR_TEMPERATURE)) is not None:
            target_mode = self._turn_on_mode() if mode is HvacMode.OFF else mode
            if target_mode is HvacMode.HEAT:
                heat = temperature
            elif target_mode is HvacMode.COOL:
                cool = temperature
            else:
                raise ServiceValidationError(
                    translation_domain=DOMAIN,
                    translation_key="single_setpoint_needs_heat_or_cool",
                )
        if mode is not None and mode is not self._info.mode:
            await self._set_mode(mode, heat, cool)
            return
        client = self.coordinator.client
        await self.coordinator.async_command(
            lambda: client.set_setpoints(heat=heat, cool=cool)
        )

    @override
    async def async_set_fan_mode(self, fan_mode: str) -> None:
        """Fan auto or on."""
        client = self.coordinator.client
        fan = _FROM_HA_FAN[fan_mode]
        await self.coordinator.async_command(lambda: client.set_fan(fan))

    @override
    async def async_set_preset_mode(self, preset_mode: str) -> None:
        """Away puts the thermostat in its eco (away) setpoints; home leaves away."""
        client = self.coordinator.client
        away = preset_mode == PRESET_AWAY
        await self.coordinator.async_command(lambda: client.set_away(away))

    @override
    async def async_set_humidity(self, humidity: int) -> None:
        """Set the humidify setpoint (the dehumidify setpoint is kept)."""
        client = self.coordinator.client
        await self.coordinator.async_command(
            lambda: client.set_humidity_setpoints(humidify=humidity)
        )

    def _turn_on_mode(self) -> HvacMode:
        """Return the last mode used, or the most capable one available."""
        mode = self._last_on_mode
        if mode is None or mode not in self._info.hvac_modes:
            mode = next(m for m in _TURN_ON_ORDER if m in self._info.hvac_modes)
        return mode

    @override
    async def async_turn_on(self) -> None:
        """Return to the last mode used, or the most capable one available."""
        await self._set_mode(self._turn_on_mode(), None, None)

    @override
    async def async_turn_off(self) -> None:
        """Switch the thermostat off."""
        await self._set_mode(HvacMode.OFF, None, None)
