"""One detector: its identity, the Z-Wave variables it reported and what they mean."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from .codes import (
    ALARM_CHECK_IN,
    ALARM_LEVEL_KEY,
    ALARM_TYPE_KEY,
    BATTERY_REPLACE,
    CO_DETECTED,
    CO_TEST,
    HARDWARE_FAILURE,
    LEGACY_FRAMES,
    LEVEL_ON,
    REPLACEMENT_REQUIRED,
    SILENCED,
    SMOKE_DETECTED,
    SMOKE_TEST,
    VALUE_VARIABLES,
    WAKE_UP_INTERVAL_KEY,
    Variable,
)
from .reports import ValueReport
from .settings import DEFAULT_WAKE_UP_INTERVAL, HealthSettings


class DetectorState(StrEnum):
    """The one-word state of a detector, most important first."""

    SMOKE = "smoke"
    CO = "co"
    TEST = "test"
    SILENCED = "silenced"
    OFFLINE = "offline"
    END_OF_LIFE = "end_of_life"
    IDLE = "idle"


@dataclass(frozen=True, slots=True)
class DetectorIdentity:
    """Who a detector is: bound to the zwave_js device's hardware identity.

    ``key`` is zwave_js's device identifier ``{home_id}-{node_id}-{manufacturer}:{type}:{id}``,
    so a node id reused by other hardware is a different detector.
    """

    key: str
    node_id: int
    manufacturer_id: int
    product_type: int
    product_id: int
    device_id: str | None = None
    name: str = ""
    area: str | None = None


@dataclass(frozen=True, slots=True)
class DetectorView:
    """What a detector's variables mean, at one moment."""

    smoke: bool = False
    co: bool = False
    smoke_test: bool = False
    co_test: bool = False
    smoke_silenced: bool = False
    co_silenced: bool = False
    end_of_life: bool = False
    battery_low: bool = False
    hardware_failure: bool = False
    offline: bool = False

    @property
    def test(self) -> bool:
        """Return whether any alarm test runs."""
        return self.smoke_test or self.co_test

    @property
    def silenced(self) -> bool:
        """Return whether any alarm is silenced."""
        return self.smoke_silenced or self.co_silenced

    @property
    def state(self) -> DetectorState:
        """Return the most important state (a real alarm always wins)."""
        for flag, state in (
            (self.smoke, DetectorState.SMOKE),
            (self.co, DetectorState.CO),
            (self.test, DetectorState.TEST),
            (self.silenced, DetectorState.SILENCED),
            (self.offline, DetectorState.OFFLINE),
            (self.end_of_life, DetectorState.END_OF_LIFE),
        ):
            if flag:
                return state
        return DetectorState.IDLE


def _as_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


@dataclass(slots=True)
class Detector:
    """Mutable record of one detector; the engine owns it."""

    identity: DetectorIdentity
    tracking_since: datetime
    listening: bool = False
    dead: bool = False
    wake_up_interval: float | None = None
    last_check_in: datetime | None = None
    offline: bool = False
    variables: dict[Variable, int] = field(default_factory=dict)
    _v1_half: tuple[str, int] | None = None

    def view(self) -> DetectorView:
        """Return what the variables mean now."""
        var = self.variables.get
        return DetectorView(
            smoke=var(Variable.SMOKE_SENSOR) in SMOKE_DETECTED,
            co=var(Variable.CO_SENSOR) in CO_DETECTED,
            smoke_test=var(Variable.SMOKE_ALARM) == SMOKE_TEST,
            co_test=var(Variable.CO_TEST) == CO_TEST,
            smoke_silenced=var(Variable.SMOKE_ALARM) == SILENCED,
            co_silenced=var(Variable.CO_ALARM) == SILENCED,
            end_of_life=var(Variable.SMOKE_MAINTENANCE) in REPLACEMENT_REQUIRED
            or var(Variable.CO_MAINTENANCE) in REPLACEMENT_REQUIRED,
            battery_low=bool(var(Variable.BATTERY_LOW))
            or var(Variable.BATTERY_MAINTENANCE) in BATTERY_REPLACE,
            hardware_failure=var(Variable.HARDWARE) == HARDWARE_FAILURE,
            offline=self.offline,
        )

    def load(self, reports: list[ValueReport]) -> None:
        """Replace every variable with current values (a sync, not a stream of reports)."""
        self.variables.clear()
        self._v1_half = None
        for report in reports:
            self._store(report)

    def apply(self, report: ValueReport, *, frame: bool = True) -> bool:
        """Apply one report; return True when it completed a legacy check-in frame.

        ``frame`` is False for values that did not arrive in a frame from the device (a
        value merely added, e.g. during a re-interview): legacy alarmType/alarmLevel values
        are then history, not news, and are not interpreted.
        """
        key = (report.command_class, report.property, report.property_key)
        if key in (ALARM_TYPE_KEY, ALARM_LEVEL_KEY):
            if not frame:
                self._v1_half = None
                return False
            return self._apply_v1_half(str(report.property), _as_int(report.value))
        self._v1_half = None
        self._store(report)
        return False

    def _store(self, report: ValueReport) -> None:
        key = (report.command_class, report.property, report.property_key)
        if key == WAKE_UP_INTERVAL_KEY:
            interval = _as_int(report.value)
            self.wake_up_interval = float(interval) if interval else None
            return
        if (variable := VALUE_VARIABLES.get(key)) is None:
            return
        value = _as_int(report.value)
        if value is None:
            self.variables.pop(variable, None)
        else:
            self.variables[variable] = value

    def _apply_v1_half(self, prop: str, value: int | None) -> bool:
        """Pair alarmType with alarmLevel of the same frame, in whichever order they come.

        zwave-js stores both values of a V1 frame back to back. Pairing only adjacent halves
        means a new level is never combined with an older frame's type (which could turn a
        test end into smoke).
        """
        half = self._v1_half
        if value is None:
            self._v1_half = None
            return False
        if half is None or half[0] == prop:
            self._v1_half = (prop, value)
            return False
        self._v1_half = None
        alarm_type, level = (
            (half[1], value) if prop == "alarmLevel" else (value, half[1])
        )
        for variable, new_value in LEGACY_FRAMES.get((alarm_type, level), ()):
            self.variables[variable] = new_value
        return (alarm_type, level) == (ALARM_CHECK_IN, LEVEL_ON)

    def is_offline(self, now: datetime, settings: HealthSettings) -> bool:
        """Return whether the detector missed too many wake-ups (or zwave-js says dead)."""
        if self.dead:
            return True
        if self.listening:
            return False
        interval = self.wake_up_interval or DEFAULT_WAKE_UP_INTERVAL
        reference = self.last_check_in or self.tracking_since
        return now - reference > timedelta(
            seconds=interval * settings.offline_multiplier
        )

    def offline_deadline(self, settings: HealthSettings) -> datetime | None:
        """Return when a silent sleeping detector becomes offline (None if it cannot)."""
        if self.dead or self.listening:
            return None
        interval = self.wake_up_interval or DEFAULT_WAKE_UP_INTERVAL
        reference = self.last_check_in or self.tracking_since
        return reference + timedelta(seconds=interval * settings.offline_multiplier)
