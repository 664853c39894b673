"""The detectors' control server (routes in simulators/zwave/README.md)."""

from __future__ import annotations

from typing import Any

import aiohttp

from .errors import ZwaveSimulatorError


async def post_control(
    control_url: str, path: str, params: dict[str, int]
) -> dict[str, Any]:
    """POST to the control server and return its JSON answer; a refusal raises."""
    async with (
        aiohttp.ClientSession() as session,
        session.post(
            f"{control_url}{path}",
            params={key: str(value) for key, value in params.items()},
        ) as response,
    ):
        body: dict[str, Any] = await response.json()
    if response.status != 200:
        raise ZwaveSimulatorError(f"control server refused {path}: {body.get('error')}")
    return body
