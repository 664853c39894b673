"""Turning a setting into one climate action, for any climate entity.

A thermostat that offers the chosen preset gets the preset; any other gets setpoints for the
mode it is in (one setpoint in heat or cool, the range in heat/cool or auto). For home, a
thermostat without the home preset but with Home Assistant's `none` (no preset: the
thermostat's normal program) gets `none`: setpoints alone would leave it in its away preset. Setpoints are in
Home Assistant's temperature unit, which the climate actions expect; a setpoint left empty uses
a default for that unit, so a °C house never receives °F numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from homeassistant.components.climate.const import (
    ATTR_MAX_TEMP,
    ATTR_MIN_TEMP,
    ATTR_PRESET_MODE,
    ATTR_PRESET_MODES,
    ATTR_TARGET_TEMP_HIGH,
    ATTR_TARGET_TEMP_LOW,
    ATTR_TARGET_TEMP_STEP,
    PRESET_NONE,
    SERVICE_SET_PRESET_MODE,
    SERVICE_SET_TEMPERATURE,
    ClimateEntityFeature,
    HVACMode,
)
from homeassistant.const import (
    ATTR_SUPPORTED_FEATURES,
    ATTR_TEMPERATURE,
    STATE_UNAVAILABLE,
    STATE_UNKNOWN,
    UnitOfTemperature,
)
from homeassistant.core import State

from .model import Setting

# Defaults for setpoints left empty, per Home Assistant unit: (heat, cool).
DEFAULT_SETPOINTS: dict[str, dict[Setting, tuple[float, float]]] = {
    UnitOfTemperature.FAHRENHEIT: {
        Setting.HOME: (68.0, 75.0),
        Setting.AWAY: (62.0, 82.0),
        Setting.VACATION: (55.0, 85.0),
    },
    UnitOfTemperature.CELSIUS: {
        Setting.HOME: (20.0, 24.0),
        Setting.AWAY: (17.0, 28.0),
        Setting.VACATION: (13.0, 29.5),
    },
}

# Attributes whose change by someone else is a change to the thermostat's setting.
SETTING_ATTRIBUTES = (
    ATTR_PRESET_MODE,
    ATTR_TEMPERATURE,
    ATTR_TARGET_TEMP_LOW,
    ATTR_TARGET_TEMP_HIGH,
)


@dataclass(frozen=True, slots=True)
class Plan:
    """What to send to reach a setting: a climate action, or nothing and why."""

    service: str | None
    data: dict[str, Any] = field(default_factory=dict)
    summary: str = ""
    note: str = ""
    # The chosen preset, when the thermostat offers presets but not this one.
    missing_preset: str | None = None


def is_available(state: State | None) -> bool:
    """Whether the thermostat can be written now."""
    return state is not None and state.state not in (STATE_UNAVAILABLE, STATE_UNKNOWN)


# The least gap between a heating and a cooling setpoint filled in from a default.
DEFAULT_GAP: dict[str, float] = {
    UnitOfTemperature.FAHRENHEIT: 2.0,
    UnitOfTemperature.CELSIUS: 1.0,
}


def setpoints_for(
    setting: Setting,
    configured: dict[Setting, tuple[float | None, float | None]],
    unit: str,
) -> tuple[float, float]:
    """Heat and cool setpoints for a setting, defaults filled in for the house's unit.

    A default never crosses the setpoint the user chose: a home heating setpoint of 76 °F
    with the cooling one left empty cools from 78 °F, not from the default 75 °F (a range
    with heating above cooling is refused by every thermostat).
    """
    defaults = DEFAULT_SETPOINTS.get(
        unit, DEFAULT_SETPOINTS[UnitOfTemperature.CELSIUS]
    )[setting]
    gap = DEFAULT_GAP.get(unit, DEFAULT_GAP[UnitOfTemperature.CELSIUS])
    heat, cool = configured.get(setting, (None, None))
    if heat is None:
        if cool is None:
            return defaults
        return min(defaults[0], cool - gap), cool
    if cool is None:
        return heat, max(defaults[1], heat + gap)
    return heat, cool


def plan(
    state: State,
    setting: Setting,
    presets: dict[Setting, str],
    setpoints: dict[Setting, tuple[float | None, float | None]],
    unit: str,
) -> Plan:
    """Plan reaching `setting` from the thermostat's current state (no action if already there)."""
    attributes = state.attributes
    preset = presets.get(setting, setting.value)
    offered = attributes.get(ATTR_PRESET_MODES) or []
    if preset not in offered and setting is Setting.HOME and PRESET_NONE in offered:
        preset = PRESET_NONE
    if preset in offered:
        if attributes.get(ATTR_PRESET_MODE) == preset:
            return Plan(None, summary=f"{setting} ({preset})", note="already there")
        return Plan(
            SERVICE_SET_PRESET_MODE,
            {ATTR_PRESET_MODE: preset},
            summary=f"{setting} ({preset})",
        )
    missing = preset if offered else None
    heat, cool = setpoints_for(setting, setpoints, unit)
    features = ClimateEntityFeature(attributes.get(ATTR_SUPPORTED_FEATURES, 0))
    mode = state.state
    symbol = unit
    if mode in (HVACMode.HEAT, HVACMode.COOL) and (
        features & ClimateEntityFeature.TARGET_TEMPERATURE
    ):
        wanted = _clamp(heat if mode == HVACMode.HEAT else cool, attributes)
        summary = f"{setting} ({wanted:g} {symbol})"
        if _close(attributes.get(ATTR_TEMPERATURE), wanted, attributes, unit):
            return Plan(
                None, summary=summary, note="already there", missing_preset=missing
            )
        return Plan(
            SERVICE_SET_TEMPERATURE,
            {ATTR_TEMPERATURE: wanted},
            summary,
            missing_preset=missing,
        )
    if mode in (HVACMode.HEAT_COOL, HVACMode.AUTO) and (
        features & ClimateEntityFeature.TARGET_TEMPERATURE_RANGE
    ):
        low, high = _clamp(heat, attributes), _clamp(cool, attributes)
        summary = f"{setting} ({low:g}-{high:g} {symbol})"
        if _close(
            attributes.get(ATTR_TARGET_TEMP_LOW), low, attributes, unit
        ) and _close(attributes.get(ATTR_TARGET_TEMP_HIGH), high, attributes, unit):
            return Plan(
                None, summary=summary, note="already there", missing_preset=missing
            )
        return Plan(
            SERVICE_SET_TEMPERATURE,
            {ATTR_TARGET_TEMP_LOW: low, ATTR_TARGET_TEMP_HIGH: high},
            summary,
            missing_preset=missing,
        )
    return Plan(
        None,
        summary=str(setting),
        note=f"the thermostat has no {preset!r} preset and no setpoint to set in mode {mode}",
        missing_preset=missing,
    )


def _clamp(value: float, attributes: Any) -> float:
    """Keep a setpoint within the thermostat's limits (it would refuse anything else)."""
    low = _number(attributes.get(ATTR_MIN_TEMP))
    high = _number(attributes.get(ATTR_MAX_TEMP))
    if low is not None and value < low:
        return low
    if high is not None and value > high:
        return high
    return value


def _close(actual: Any, wanted: float, attributes: Any, unit: str) -> bool:
    """Whether the shown setpoint is the wanted one within half the thermostat's step."""
    shown = _number(actual)
    if shown is None:
        return False
    step = _number(attributes.get(ATTR_TARGET_TEMP_STEP)) or (
        1.0 if unit == UnitOfTemperature.FAHRENHEIT else 0.5
    )
    return abs(shown - wanted) <= step / 2 + 1e-6


def _number(value: Any) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return None
