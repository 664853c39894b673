"""Names the response shares with its integration (kept here: no imports from the parent)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Final

from homeassistant.util.hass_dict import HassKey

if TYPE_CHECKING:
    from .controller import ResponseController

DOMAIN: Final = "firstalert_zwave"
LOGGER = logging.getLogger(__package__)

# The controller of each loaded household entry, by entry id.
DATA_CONTROLLERS: HassKey[dict[str, ResponseController]] = HassKey(f"{DOMAIN}_response")
