"""Constants for the First Alert Z-Wave integration."""

from __future__ import annotations

import logging
from typing import Final

DOMAIN: Final = "firstalert_zwave"
LOGGER = logging.getLogger(__package__)

ZWAVE_JS_DOMAIN: Final = "zwave_js"

EVENT_ALARM: Final = "firstalert_zwave_alarm"

CONF_OFFLINE_MULTIPLIER: Final = "offline_multiplier"
CONF_REPAIR_END_OF_LIFE: Final = "repair_end_of_life"
CONF_REPAIR_OFFLINE: Final = "repair_offline"

DEFAULT_REPAIR_END_OF_LIFE: Final = True
DEFAULT_REPAIR_OFFLINE: Final = True

ISSUE_END_OF_LIFE: Final = "end_of_life"
ISSUE_OFFLINE: Final = "offline"
ISSUE_KEPT_SMOKE: Final = "kept_smoke"
ISSUE_KEPT_CO: Final = "kept_co"

# Facts that must survive a restart (kept alarms, what was announced), one file per entry.
STORAGE_VERSION: Final = 1
STORAGE_KEY: Final = "firstalert_zwave.{entry_id}"
