"""Entities of a small test integration whose actions can fail in every way a device can.

Each entity goes through Home Assistant's own service layer (schemas, feature checks,
state writes). ``fail`` makes the next calls raise (an exception instance, raised each
time) or hang (``HANG``: the call never returns); ``confirm=False`` makes a lock or light
accept the call without ever reporting the new state.
"""

from __future__ import annotations

import asyncio
from typing import Any, Final

from homeassistant.components.climate import (
    ClimateEntity,
    ClimateEntityFeature,
    HVACMode,
)
from homeassistant.components.light import ColorMode, LightEntity
from homeassistant.components.lock import LockEntity
from homeassistant.components.notify import NotifyEntity
from homeassistant.components.switch import SwitchEntity
from homeassistant.const import UnitOfTemperature

HANG: Final = "hang"

type Failure = BaseException | str | None


class Scripted:
    """Failure injection shared by the entities."""

    fail: Failure = None
    calls: list[tuple[str, Any]]
    _release: asyncio.Event | None = None

    async def _act(self, name: str, value: Any = None) -> None:
        self.calls.append((name, value))
        failure = self.fail
        if failure == HANG:
            if self._release is None:
                self._release = asyncio.Event()
            await self._release.wait()
        if isinstance(failure, BaseException):
            raise failure

    def set_available(self, available: bool) -> None:
        """Drop off the network, or come back."""
        self._attr_available = available
        self.async_write_ha_state()  # type: ignore[attr-defined]

    def release(self) -> None:
        """Let every hanging call return (and stop hanging)."""
        if self.fail == HANG:
            self.fail = None
        for attribute in ("fail_mode", "fail_fan"):
            if getattr(self, attribute, None) == HANG:
                setattr(self, attribute, None)
        if self._release is not None:
            self._release.set()
            self._release = None


class ScriptedLock(Scripted, LockEntity):
    """A door lock; ``jam`` makes it report jammed and raise on unlock."""

    _attr_should_poll = False

    def __init__(self, name: str, *, confirm: bool = True) -> None:
        self._attr_name = name
        self._attr_unique_id = f"lock_{name}"
        self._attr_is_locked = True
        self.confirm = confirm
        self.calls = []

    @property
    def unlock_calls(self) -> int:
        return sum(1 for name, _ in self.calls if name == "unlock")

    async def async_lock(self, **kwargs: Any) -> None:
        self._attr_is_locked = True
        self._attr_is_jammed = False
        self.async_write_ha_state()

    async def async_unlock(self, **kwargs: Any) -> None:
        await self._act("unlock")
        if self.confirm:
            self._attr_is_locked = False
            self._attr_is_jammed = False
            self.async_write_ha_state()

    def jam(self) -> None:
        """Jam: unlocking raises, the lock reports jammed."""
        from homeassistant.exceptions import HomeAssistantError

        self.fail = HomeAssistantError(f"{self.name} is jammed")
        self._attr_is_jammed = True
        self.async_write_ha_state()

    def free(self) -> None:
        """The jam is gone."""
        self.fail = None
        self._attr_is_jammed = False
        self.async_write_ha_state()


class ScriptedLight(Scripted, LightEntity):
    """A dimmable light."""

    _attr_should_poll = False
    _attr_color_mode = ColorMode.BRIGHTNESS
    _attr_supported_color_modes = {ColorMode.BRIGHTNESS}

    def __init__(self, name: str) -> None:
        self._attr_name = name
        self._attr_unique_id = f"light_{name}"
        self._attr_is_on = False
        self._attr_brightness = 0
        self.calls = []

    async def async_turn_on(self, **kwargs: Any) -> None:
        await self._act("turn_on", kwargs.get("brightness"))
        self._attr_is_on = True
        self._attr_brightness = kwargs.get("brightness", 255)
        self.async_write_ha_state()

    async def async_turn_off(self, **kwargs: Any) -> None:
        self._attr_is_on = False
        self.async_write_ha_state()


class ScriptedThermostat(Scripted, ClimateEntity):
    """A thermostat shaped like venstar_local's: off/heat/cool/heat_cool, fan on/auto."""

    _attr_should_poll = False
    _attr_temperature_unit = UnitOfTemperature.CELSIUS
    _attr_target_temperature = 20
    _attr_current_temperature = 19
    _attr_hvac_modes = [HVACMode.OFF, HVACMode.HEAT, HVACMode.COOL, HVACMode.HEAT_COOL]
    _attr_fan_modes = ["on", "auto"]
    _attr_supported_features = (
        ClimateEntityFeature.TARGET_TEMPERATURE
        | ClimateEntityFeature.FAN_MODE
        | ClimateEntityFeature.TURN_OFF
        | ClimateEntityFeature.TURN_ON
    )
    _enable_turn_on_off_backwards_compatibility = False

    def __init__(
        self, name: str, *, hvac_mode: HVACMode = HVACMode.HEAT, fan_mode: str = "on"
    ) -> None:
        self._attr_name = name
        self._attr_unique_id = f"climate_{name}"
        self._attr_hvac_mode = hvac_mode
        self._attr_fan_mode = fan_mode
        self.calls = []
        self.fail_mode: Failure = None
        self.fail_fan: Failure = None

    async def async_set_hvac_mode(self, hvac_mode: HVACMode) -> None:
        self.fail = self.fail_mode
        await self._act("hvac_mode", hvac_mode)
        self._attr_hvac_mode = hvac_mode
        self.async_write_ha_state()

    async def async_set_fan_mode(self, fan_mode: str) -> None:
        self.fail = self.fail_fan
        await self._act("fan_mode", fan_mode)
        self._attr_fan_mode = fan_mode
        self.async_write_ha_state()

    def set_by_hand(self, hvac_mode: HVACMode) -> None:
        """A person changes the mode on the device."""
        self._attr_hvac_mode = hvac_mode
        self.async_write_ha_state()


class ScriptedSwitch(Scripted, SwitchEntity):
    """A thermostat schedule switch."""

    _attr_should_poll = False

    def __init__(self, name: str, *, on: bool = True) -> None:
        self._attr_name = name
        self._attr_unique_id = f"switch_{name}"
        self._attr_is_on = on
        self.calls = []

    async def async_turn_on(self, **kwargs: Any) -> None:
        await self._act("turn_on")
        self._attr_is_on = True
        self.async_write_ha_state()

    async def async_turn_off(self, **kwargs: Any) -> None:
        self._attr_is_on = False
        self.async_write_ha_state()


class ScriptedNotify(Scripted, NotifyEntity):
    """A notify entity (the modern notify platform): records what it was sent."""

    _attr_should_poll = False

    def __init__(self, name: str) -> None:
        self._attr_name = name
        self._attr_unique_id = f"notify_{name}"
        self.calls = []
        self.received: list[tuple[str | None, str]] = []

    async def async_send_message(self, message: str, title: str | None = None) -> None:
        await self._act("send_message", title)
        self.received.append((title, message))
