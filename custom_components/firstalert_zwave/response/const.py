"""Names the response shares with its integration (kept here: no imports from the parent)."""

from __future__ import annotations

import logging
from typing import Final

DOMAIN: Final = "firstalert_zwave"
LOGGER = logging.getLogger(__package__)
