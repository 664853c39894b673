"""Z-Wave value semantics for First Alert / BRK detectors.

Maps (command class, property, property key) to the detector variable it carries, the states
each variable can take, and the legacy V1 Alarm codes (alarmType/alarmLevel) of ZSMOKE/ZCOMBO.
Numbers come from the zwave-js notification registry and the devices' ``alarmMapping``.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final

NOTIFICATION_CC: Final = 113
BATTERY_CC: Final = 128
WAKE_UP_CC: Final = 132

IDLE: Final = 0


class Variable(StrEnum):
    """A piece of detector state that one Z-Wave value carries."""

    SMOKE_SENSOR = "smoke_sensor"
    SMOKE_ALARM = "smoke_alarm"
    SMOKE_MAINTENANCE = "smoke_maintenance"
    CO_SENSOR = "co_sensor"
    CO_TEST = "co_test"
    CO_ALARM = "co_alarm"
    CO_MAINTENANCE = "co_maintenance"
    BATTERY_MAINTENANCE = "battery_maintenance"
    HARDWARE = "hardware"
    BATTERY_LOW = "battery_low"
    BATTERY_LEVEL = "battery_level"
    ALARM_TYPE = "alarm_type"
    ALARM_LEVEL = "alarm_level"
    WAKE_UP_INTERVAL = "wake_up_interval"


VALUE_VARIABLES: Final[dict[tuple[int, str | int, str | int | None], Variable]] = {
    (NOTIFICATION_CC, "Smoke Alarm", "Sensor status"): Variable.SMOKE_SENSOR,
    (NOTIFICATION_CC, "Smoke Alarm", "Alarm status"): Variable.SMOKE_ALARM,
    (NOTIFICATION_CC, "Smoke Alarm", "Maintenance status"): Variable.SMOKE_MAINTENANCE,
    (NOTIFICATION_CC, "CO Alarm", "Sensor status"): Variable.CO_SENSOR,
    (NOTIFICATION_CC, "CO Alarm", "Test status"): Variable.CO_TEST,
    (NOTIFICATION_CC, "CO Alarm", "Alarm status"): Variable.CO_ALARM,
    (NOTIFICATION_CC, "CO Alarm", "Maintenance status"): Variable.CO_MAINTENANCE,
    (
        NOTIFICATION_CC,
        "Power Management",
        "Battery maintenance status",
    ): Variable.BATTERY_MAINTENANCE,
    (NOTIFICATION_CC, "System", "Hardware status"): Variable.HARDWARE,
    (NOTIFICATION_CC, "alarmType", None): Variable.ALARM_TYPE,
    (NOTIFICATION_CC, "alarmLevel", None): Variable.ALARM_LEVEL,
    (BATTERY_CC, "isLow", None): Variable.BATTERY_LOW,
    (BATTERY_CC, "level", None): Variable.BATTERY_LEVEL,
    (WAKE_UP_CC, "wakeUpInterval", None): Variable.WAKE_UP_INTERVAL,
}

# The notification variables that say whether there is smoke or CO.
SENSORS: Final = frozenset({Variable.SMOKE_SENSOR, Variable.CO_SENSOR})
# The V1 Alarm halves of a legacy frame.
V1_HALVES: Final = frozenset({Variable.ALARM_TYPE, Variable.ALARM_LEVEL})

# Notification states (zwave-js registry).
SMOKE_DETECTED: Final = frozenset({1, 2})
CO_DETECTED: Final = frozenset({1, 2})
SMOKE_TEST: Final = 3
# "Carbon monoxide test" (3). The variable has only this state and an enum parameter, so
# zwave-js stores the parameter instead when the report carries one: 1 Test OK, 2 Test failed.
CO_TEST_STATES: Final = frozenset({1, 2, 3})
SILENCED: Final = 6
REPLACEMENT_REQUIRED: Final = frozenset({4, 5})
BATTERY_REPLACE: Final = frozenset({10, 11, 17})
HARDWARE_FAILURE: Final = frozenset({1, 3})

# Every state a notification variable can take (idle included). A number outside its set
# is not something the detector can mean: it is unreadable, never an alarm.
NOTIFICATION_STATES: Final[dict[Variable, frozenset[int]]] = {
    Variable.SMOKE_SENSOR: frozenset({IDLE}) | SMOKE_DETECTED,
    Variable.SMOKE_ALARM: frozenset({IDLE, SMOKE_TEST, SILENCED}),
    Variable.SMOKE_MAINTENANCE: frozenset({IDLE}) | REPLACEMENT_REQUIRED,
    Variable.CO_SENSOR: frozenset({IDLE}) | CO_DETECTED,
    Variable.CO_TEST: frozenset({IDLE}) | CO_TEST_STATES,
    Variable.CO_ALARM: frozenset({IDLE, SILENCED}),
    Variable.CO_MAINTENANCE: frozenset({IDLE}) | REPLACEMENT_REQUIRED,
    Variable.BATTERY_MAINTENANCE: frozenset({IDLE}) | BATTERY_REPLACE,
    Variable.HARDWARE: frozenset({IDLE}) | HARDWARE_FAILURE,
}

# Wake Up CC carries the interval in 24 bits (seconds).
MAX_WAKE_UP_INTERVAL: Final = 0xFFFFFF

# Legacy V1 Alarm frames (compat.alarmMapping of ZSMOKE/ZCOMBO).
ALARM_SMOKE: Final = 1
ALARM_CO: Final = 2
ALARM_TEST: Final = 12
ALARM_CHECK_IN: Final = 13
LEVEL_ON: Final = 255
LEVEL_OFF: Final = 0

TEST_END_FRAME: Final = (ALARM_TEST, LEVEL_OFF)
CHECK_IN_FRAME: Final = (ALARM_CHECK_IN, LEVEL_ON)

# (alarmType, alarmLevel) -> variable changes. A test end only ends the test: unlike the
# driver's mapping (which idles every Smoke variable) it does not clear real smoke.
LEGACY_FRAMES: Final[dict[tuple[int, int], tuple[tuple[Variable, int], ...]]] = {
    (ALARM_SMOKE, LEVEL_ON): ((Variable.SMOKE_SENSOR, 2),),
    (ALARM_SMOKE, LEVEL_OFF): ((Variable.SMOKE_SENSOR, IDLE),),
    (ALARM_CO, LEVEL_ON): ((Variable.CO_SENSOR, 2),),
    (ALARM_CO, LEVEL_OFF): ((Variable.CO_SENSOR, IDLE),),
    (ALARM_TEST, LEVEL_ON): ((Variable.SMOKE_ALARM, SMOKE_TEST),),
    TEST_END_FRAME: ((Variable.SMOKE_ALARM, IDLE),),
    # Check-in / all clear: the detector is fine, so any smoke state it still shows here
    # is a clear we missed. CO is left alone: only an explicit CO clear (2/0) clears it.
    CHECK_IN_FRAME: (
        (Variable.SMOKE_SENSOR, IDLE),
        (Variable.SMOKE_ALARM, IDLE),
    ),
}
