"""How long a thermostat needs between two requests, by model.

No Venstar document states a rate limit. What is known comes from clients that have run
against real units for years:

* ColorTouch (``COLORTOUCH``: T7850, T7900, T8850, T8900) — requests back to back, no pause:
  the openHAB binding reads ``/query/sensors`` then ``/query/info`` in one go; toggledbits'
  Hubitat driver (T7850/T7900) posts ``schedule=0`` to ``/settings`` and then the mode to
  ``/control`` immediately; his Vera plugin polls ``/query/info`` every 5 s.
* Explorer Mini (``T2000``) — back to back: homebridge-venstar-explorer-mini reads
  ``/query/info``, posts ``/control`` and reads ``/query/info`` again without pausing.
* Everything else — older units without a ``model`` key (API 3, T5800/T5900), Voyager and
  unknown models — 1 s, as Home Assistant core's venstar integration waits between reads
  ("older venstars sometimes cannot handle rapid sequential connections"; core first used
  3 s, then 1 s). No client reports these units failing with 1 s.

Requests are never concurrent whatever the gap (see `device_lock`).
"""

from __future__ import annotations

from .models import ApiInfo

UNKNOWN_MODEL_GAP = 1.0
MODEL_GAPS: dict[str, float] = {
    "COLORTOUCH": 0.0,
    "T2000": 0.0,
}


def request_gap(api_info: ApiInfo | None) -> float:
    """Seconds to keep between two requests to the thermostat described by `api_info`.

    Before ``GET /`` has answered the model is unknown and the cautious gap applies.
    API 3 roots carry no model: such units are the "older venstars".
    """
    if api_info is None or api_info.model is None:
        return UNKNOWN_MODEL_GAP
    return MODEL_GAPS.get(api_info.model.upper(), UNKNOWN_MODEL_GAP)
