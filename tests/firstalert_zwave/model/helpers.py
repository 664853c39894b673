"""Builders for pure model tests."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from custom_components.firstalert_zwave.model import DetectorIdentity, ValueReport

T0 = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)

SMOKE = (113, "Smoke Alarm", "Sensor status")
SMOKE_ALARM = (113, "Smoke Alarm", "Alarm status")
SMOKE_MAINT = (113, "Smoke Alarm", "Maintenance status")
CO = (113, "CO Alarm", "Sensor status")
CO_ALARM = (113, "CO Alarm", "Alarm status")
CO_TEST = (113, "CO Alarm", "Test status")
CO_MAINT = (113, "CO Alarm", "Maintenance status")
POWER = (113, "Power Management", "Battery maintenance status")
HARDWARE = (113, "System", "Hardware status")
ALARM_TYPE = (113, "alarmType", None)
ALARM_LEVEL = (113, "alarmLevel", None)
BATTERY_LOW = (128, "isLow", None)
BATTERY_LEVEL = (128, "level", None)
WAKE_UP = (132, "wakeUpInterval", None)


def report(key: tuple[int, str, str | None], value: Any) -> ValueReport:
    """Return a value report for ``key``."""
    return ValueReport(key[0], key[1], key[2], value)


# Product ids (type 1) of the known detectors.
ZSMOKE = 1
ZCOMBO = 2
ZCOMBO_G = 3


def identity(
    node_id: int = 3,
    product_id: int = ZCOMBO_G,
    name: str = "Kitchen",
    firmware: str | None = "11.0",
) -> DetectorIdentity:
    """Return a detector identity on home 1 (a ZCOMBO-G unless told otherwise)."""
    return DetectorIdentity(
        key=f"1-{node_id}-312:1:{product_id}",
        node_id=node_id,
        manufacturer_id=312,
        product_type=1,
        product_id=product_id,
        firmware=firmware,
        name=name,
    )


def legacy_values(*, co: bool = True) -> list[ValueReport]:
    """Return the current values of an idle legacy ZCOMBO (ZSMOKE: ``co=False``)."""
    return [
        report(SMOKE, 0),
        report(SMOKE_ALARM, 0),
        *([report(CO, 0)] if co else []),
        report(ALARM_TYPE, 13),
        report(ALARM_LEVEL, 255),
        report(BATTERY_LEVEL, 100),
        report(BATTERY_LOW, False),
        report(WAKE_UP, 3600),
    ]


def idle_values() -> list[ValueReport]:
    """Return the current values of an idle ZCOMBO-G."""
    return [
        report(SMOKE, 0),
        report(SMOKE_ALARM, 0),
        report(CO, 0),
        report(CO_ALARM, 0),
        report(CO_MAINT, 0),
        report(HARDWARE, 0),
        report(ALARM_TYPE, 0),
        report(ALARM_LEVEL, 0),
        report(BATTERY_LEVEL, 92),
        report(BATTERY_LOW, False),
        report(WAKE_UP, 4200),
    ]
