"""How long a thermostat needs between two requests, by model.

No Venstar document states a rate limit; what is known comes from clients that have run
against real units for years (the evidence per model is in the integration's documentation,
"Request gap"): ColorTouch (``COLORTOUCH``) and Explorer Mini (``T2000``) take requests back
to back; everything else (older units without a ``model`` key, Voyager, unknown models) gets
1 s, which no client reports failing.

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
