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
        flows: list[tuple[str, dict[str, Any]]] = [
            (
                "venstar_local",
                {"host": "127.0.0.1", "port": venstar_port, "https": False},
            )
        ]
        if zwave_url is not None:
            flows += [("zwave_js", {"url": zwave_url}), ("firstalert_zwave", {})]
        for domain, user_input in flows:
            if domain in configured:
                continue
            result = await rest.config_flow(domain, user_input)
            if result.get("type") != "create_entry":
                raise RestError(f"adding {domain} did not create an entry: {result}")
        for phone in RESIDENT_PHONES:
            await rest.request(
                "POST",
                f"/api/states/{phone}",
                json={"state": "home", "attributes": {"source_type": "router"}},
            )
