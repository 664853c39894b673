"""Reason strings of `{"error": true, "reason": ...}` answers.

The first group is verbatim from real devices (typos included). The second group is invented
for cases where no real text was ever recorded; README.md lists them as invented.
"""

from __future__ import annotations

# Verbatim device strings.
BOTH_SETPOINTS_REQUIRED = "Both Setpoints are required"
MODE_CHANGE_WHILE_SCHEDULE = "Mode change is not allowed when running schedule"
BELOW_MIN = "New value less than alowed min"
WRONG_SETPOINTS = "Wrong Setpoints"

# Invented strings (no real capture exists).
HUMIDITY_SEPARATION = "Dehumidify setpoint needs to be 3% more than humidify setpoint"
SCHEDULE_WHILE_AWAY = "Schedule change is not allowed while away"
MODE_NOT_AVAILABLE = "Mode is not available on this thermostat"
INVALID_PIN = "Invalid PIN"
NOTHING_TO_CHANGE = "No parameters"


def invalid_value(key: str) -> str:
    """Invented: a known parameter with a value outside its range or not a number."""
    return f"Invalid value for {key}"


def unknown_parameter(key: str) -> str:
    """Invented: a parameter this thermostat does not know."""
    return f"Unknown parameter {key}"
