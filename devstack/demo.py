"""First-start provisioning of the demo: owner, integrations through their config flows, residents home."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import aiohttp
import yaml

from .homeassistant import CONFIG_SOURCE
from .rest import HomeAssistantRest, RestError, WebsocketError

DASHBOARD_FILE = CONFIG_SOURCE / "dashboard.yaml"

RESIDENT_PHONES = ("device_tracker.alex_phone", "device_tracker.sam_phone")
# Rooms of the demo house, by the device name each integration gives its device.
DEVICE_AREAS = {
    "ZCombo-G Smoke/CO Alarm": "Hallway",
    "Smoke and Carbon Monoxide Alarm": "Bedroom",
    "COLORTOUCH": "Living Room",
}
ZWAVE_DEVICES = ("ZCombo-G Smoke/CO Alarm", "Smoke and Carbon Monoxide Alarm")
DEVICES_WAIT = 30.0


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
        # The thermostat is added by host name, as users often do ("localhost" resolves to
        # 127.0.0.1 only here, so nothing leaves loopback).
        flows: list[tuple[str, dict[str, Any]]] = [
            (
                "venstar_local",
                {"host": "localhost", "port": venstar_port, "https": False},
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
        await _place_devices(rest, with_zwave=zwave_url is not None)
        await _save_dashboard(rest)
        for phone in RESIDENT_PHONES:
            await rest.request(
                "POST",
                f"/api/states/{phone}",
                json={"state": "home", "attributes": {"source_type": "router"}},
            )


async def _place_devices(rest: HomeAssistantRest, *, with_zwave: bool) -> None:
    """Put the demo devices into their rooms (alarm attributes and notifications name the room).

    Z-Wave devices appear once their interview is done, so this waits for them a little.
    """
    wanted = {
        name: area
        for name, area in DEVICE_AREAS.items()
        if with_zwave or name not in ZWAVE_DEVICES
    }
    deadline = time.monotonic() + DEVICES_WAIT
    while True:
        devices, areas = await rest.websocket(
            {"type": "config/device_registry/list"},
            {"type": "config/area_registry/list"},
        )
        by_name = {device["name"]: device for device in devices}
        if set(wanted) <= set(by_name) or time.monotonic() > deadline:
            break
        await asyncio.sleep(0.5)
    area_ids = {area["name"]: area["area_id"] for area in areas}
    for name, area in wanted.items():
        device = by_name.get(name)
        if device is None or device["area_id"]:
            continue
        if area not in area_ids:
            (created,) = await rest.websocket(
                {"type": "config/area_registry/create", "name": area}
            )
            area_ids[area] = created["area_id"]
        await rest.websocket(
            {
                "type": "config/device_registry/update",
                "device_id": device["id"],
                "area_id": area_ids[area],
            }
        )


async def _save_dashboard(rest: HomeAssistantRest) -> None:
    """Make the committed demo dashboard the default one, unless a dashboard was saved already."""
    try:
        await rest.websocket({"type": "lovelace/config"})
    except WebsocketError as err:
        if err.code != "config_not_found":
            raise
    else:
        return
    config = yaml.safe_load(DASHBOARD_FILE.read_text(encoding="utf-8"))
    await rest.websocket({"type": "lovelace/config/save", "config": config})
