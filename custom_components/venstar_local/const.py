"""Constants for the Venstar Local integration."""

from __future__ import annotations

from datetime import timedelta
import logging
from typing import Final

DOMAIN: Final = "venstar_local"
LOGGER = logging.getLogger(__package__)

MANUFACTURER: Final = "Venstar"

CONF_HTTPS: Final = "https"
CONF_PIN: Final = "pin"
CONF_MAC: Final = "mac"
CONF_IDENTITY: Final = "identity"
CONF_POLL_INTERVAL: Final = "poll_interval"
CONF_CERT_FINGERPRINT: Final = "certificate_fingerprint"

DEFAULT_HTTP_PORT: Final = 80
DEFAULT_HTTPS_PORT: Final = 443

# The thermostat's state (/query/info: room temperature, mode, setpoints, equipment) is read
# at this interval when nothing happens; the user can choose faster polling (options).
DEFAULT_POLL_INTERVAL: Final = 60
MIN_POLL_INTERVAL: Final = 15
MAX_POLL_INTERVAL: Final = 300
# After a command the equipment reacts within seconds to a minute (the confirmed state is
# already shown): the state is read this many times at the follow-up interval.
FOLLOW_UP_INTERVAL: Final = timedelta(seconds=15)
FOLLOW_UP_POLLS: Final = 3

# Slower-moving documents are refreshed on their own, longer cadence inside the same
# coordinator tick, so the device never sees more than one request at a time. The sensors
# list only repeats /query/info unless the thermostat has other sensors (outdoor, return,
# supply, remote, IAQ); then it is read more often.
SENSORS_INTERVAL: Final = timedelta(minutes=30)
EXTRA_SENSORS_INTERVAL: Final = timedelta(minutes=5)
RUNTIMES_INTERVAL: Final = timedelta(minutes=30)
ALERTS_INTERVAL: Final = timedelta(minutes=30)

# Seconds between two requests: None keeps each model's own gap (see api/pacing.py: none
# for ColorTouch and Explorer Mini, 1 s for older and unknown models).
MIN_REQUEST_GAP: Final[float | None] = None
REQUEST_TIMEOUT: Final = 10.0
# Reads are retried on connection drops and HTTP 5xx (Wi-Fi jitter), writes never are.
REQUEST_RETRIES: Final = 2
RETRY_BACKOFF: Final = 1.0

# Learned recovery rates reach storage at most this long (seconds) after they change.
LEARNER_SAVE_DELAY: Final = 300

ISSUE_WRONG_DEVICE: Final = "wrong_device"
ISSUE_CERTIFICATE_CHANGED: Final = "certificate_changed"
