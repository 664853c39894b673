"""Temperature units: display resolution (whole °F, half °C) and conversion between units."""

from __future__ import annotations

import math

FAHRENHEIT = 0
CELSIUS = 1


def resolution(tempunits: int) -> float:
    """Smallest step the device shows: 1 °F or 0.5 °C."""
    return 0.5 if tempunits == CELSIUS else 1.0


def round_to_display(value: float, tempunits: int) -> float:
    """Round a temperature to what the device displays (halves round up, like a display)."""
    step = resolution(tempunits)
    return math.floor(value / step + 0.5) * step


def f_to_c(value: float) -> float:
    """Convert a Fahrenheit temperature to Celsius."""
    return (value - 32.0) * 5.0 / 9.0


def c_to_f(value: float) -> float:
    """Convert a Celsius temperature to Fahrenheit."""
    return value * 9.0 / 5.0 + 32.0


def convert(value: float, from_units: int, to_units: int) -> float:
    """Convert an absolute temperature between the device's unit codes."""
    if from_units == to_units:
        return value
    return f_to_c(value) if to_units == CELSIUS else c_to_f(value)


def convert_delta(value: float, from_units: int, to_units: int) -> float:
    """Convert a temperature difference (or rate) between the device's unit codes."""
    if from_units == to_units:
        return value
    return value * 5.0 / 9.0 if to_units == CELSIUS else value * 9.0 / 5.0
