"""First-start provisioning of the demo: owner, integrations through their config flows, residents home."""

from __future__ import annotations

from typing import Any

import aiohttp

from .rest import HomeAssistantRest, RestError

RESIDENT_PHONES = ("device_tracker.alex_phone", "device_tracker.sam_phone")


async def provision_demo(
    base_url: str, venstar_port: int, zwave_url: str | None
) -> None:
    """Bring a fresh demo config dir to a working house; a no-op for what already exists."""
    async with aiohttp.ClientSession() as session:
        rest = HomeAssistantRest(base_url, session)
        if await rest.onboarding_done():
            await rest.login()
        else:
            await rest.onboard()
        configured = {entry["domain"] for entry in await rest.entries()}
        if "venstar_local" not in configured:
            await rest.config_flow(
                "venstar_local",
                {"host": "127.0.0.1", "port": venstar_port, "https": False},
            )
        if zwave_url is not None and "zwave_js" not in configured:
            await rest.config_flow("zwave_js", {"url": zwave_url})
        if zwave_url is not None and "firstalert_zwave" not in configured:
            await rest.config_flow("firstalert_zwave", {})
        for phone in RESIDENT_PHONES:
            await rest.request(
                "POST",
                f"/api/states/{phone}",
                json={"state": "home", "attributes": {"source_type": "router"}},
            )
