"""JSON answers in the device's compact form."""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web


def _compact(body: Any) -> str:
    return json.dumps(body, separators=(",", ":"))


def json_answer(body: Any) -> web.Response:
    """Build a JSON answer without spaces, like the thermostat sends."""
    return web.json_response(body, dumps=_compact)
