"""Pure household alarm model for First Alert / BRK Z-Wave smoke and CO alarms.

Nothing here imports Home Assistant or zwave-js: inputs are plain value reports and times,
outputs are detector/household views and alarm events. That keeps the life-safety rules
(what counts as smoke, what a test is, what may never clear an alarm, how a missed clear is
recovered) testable on their own and identical whichever way the values reach us.
"""

from .alarm_model import AlarmModel, Update
from .codes import Variable
from .detector import (
    DetectorIdentity,
    DetectorState,
    DetectorView,
    KeptReason,
    variable_of,
)
from .events import AlarmEvent, EventReason, EventType, Kind
from .household import HouseholdState, HouseholdView
from .products import Product, is_detector, product
from .reports import ValueReport
from .settings import HealthSettings

__all__ = [
    "AlarmEvent",
    "AlarmModel",
    "DetectorIdentity",
    "DetectorState",
    "DetectorView",
    "EventReason",
    "EventType",
    "HealthSettings",
    "HouseholdState",
    "HouseholdView",
    "KeptReason",
    "Kind",
    "Product",
    "Update",
    "ValueReport",
    "Variable",
    "is_detector",
    "product",
    "variable_of",
]
