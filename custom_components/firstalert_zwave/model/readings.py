"""Reading a raw zwave-js value: a meaningful number, or *unreadable*.

zwave-js hands over whatever JSON it has (``None`` for a value it does not know, and in
principle anything else). Only values a detector can actually mean are readable: an int of a
known state for notification variables, a real bool for "battery is low", an int in range for
levels and intervals. Booleans are never numbers here, so ``True`` is never state 1.
Unreadable values change nothing (the last known value is kept); the caller records them.
"""

from __future__ import annotations

from typing import Any, Final

from .codes import MAX_WAKE_UP_INTERVAL, NOTIFICATION_STATES, Variable

_MAX_RAW_TEXT: Final = 80


def _plain_int(value: Any) -> int | None:
    """Return ``value`` if it is an int and not a bool (bool is an int subclass)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return None


def _in_range(value: Any, low: int, high: int) -> int | None:
    number = _plain_int(value)
    if number is None or not low <= number <= high:
        return None
    return number


def read(variable: Variable, value: Any) -> int | bool | None:
    """Return what ``value`` means for ``variable``, or None when it cannot be read."""
    if (states := NOTIFICATION_STATES.get(variable)) is not None:
        number = _plain_int(value)
        return number if number in states else None
    if variable is Variable.BATTERY_LOW:
        return value if isinstance(value, bool) else None
    if variable is Variable.BATTERY_LEVEL:
        return _in_range(value, 0, 100)
    if variable in (Variable.ALARM_TYPE, Variable.ALARM_LEVEL):
        return _in_range(value, 0, 255)
    if variable is Variable.WAKE_UP_INTERVAL:
        return _in_range(value, 0, MAX_WAKE_UP_INTERVAL)
    return None  # pragma: no cover - every variable is handled above


def describe(value: Any) -> str:
    """Return a short, safe text of a raw value for logs and diagnostics."""
    try:
        text = repr(value)
    except Exception:  # noqa: BLE001 - a hostile __repr__ must not break logging
        text = f"<{type(value).__name__}>"
    if len(text) > _MAX_RAW_TEXT:
        text = text[: _MAX_RAW_TEXT - 1] + "…"
    return text
