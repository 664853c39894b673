"""The running demo house as a user sees it: HA states over REST, the thermostat, the detectors.

Every check reads a real process: Home Assistant's REST/websocket API, the Venstar emulator's own
`/query/info` (what the thermostat itself says), and the Z-Wave simulator's control server.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
import time
from typing import Any

import aiohttp

from devstack.rest import HomeAssistantRest
from devstack.stack import ProductStack

ZCOMBO_G = 2  # "ZCombo-G Smoke/CO Alarm", Hallway
ZCOMBO = 3  # legacy "Smoke and Carbon Monoxide Alarm", Bedroom
HOUSEHOLD_SMOKE = "binary_sensor.first_alert_household_smoke"
HOUSEHOLD_CO = "binary_sensor.first_alert_household_carbon_monoxide"
HOUSEHOLD_ALARM = "sensor.first_alert_household_alarm"
THERMOSTAT = "climate.colortouch"
LOCKS = ("lock.front_door", "lock.back_door")
LIGHTS = ("light.hallway", "light.stairs")
PHONES = ("device_tracker.alex_phone", "device_tracker.sam_phone")
PERSONS = ("person.alex", "person.sam")
JAM = "input_boolean.demo_back_door_jammed"
# Venstar /query/info codes.
MODE_OFF, MODE_HEAT = 0, 1
FAN_AUTO, FAN_ON = 0, 1
# Generous: a real alarm reaches every action in well under a second (see bench/).
WAIT = 15.0
POLL = 0.1


class NotReachedError(AssertionError):
    """A condition a user would expect did not come true in time."""


@dataclass
class DemoHouse:
    """One logged-in view of the running product."""

    stack: ProductStack
    rest: HomeAssistantRest
    session: aiohttp.ClientSession

    async def states(self) -> dict[str, dict[str, Any]]:
        """Every entity state, keyed by entity id."""
        return await self.rest.states()

    async def state(self, entity_id: str) -> str:
        """One entity's state ("missing" when HA has no such entity)."""
        return (await self.states()).get(entity_id, {}).get("state", "missing")

    async def thermostat(self) -> dict[str, Any]:
        """What the emulated thermostat itself reports (`GET /query/info`)."""
        async with self.session.get(f"{self.stack.venstar_url}/query/info") as resp:
            info: dict[str, Any] = await resp.json(content_type=None)
        return info

    async def notifications(self) -> list[dict[str, Any]]:
        """The persistent notifications shown in HA's sidebar."""
        (found,) = await self.rest.websocket({"type": "persistent_notification/get"})
        return list(found)

    async def notification_text(self) -> str:
        """Titles and messages of every notification, one per line."""
        return "\n".join(
            f"{item['title']}: {item['message']}" for item in await self.notifications()
        )

    async def response(self) -> dict[str, Any]:
        """The alarm response as its diagnostics show it (configuration, memory, actions)."""
        (entry,) = await self.rest.entries("firstalert_zwave")
        found = await self.rest.request(
            "GET", f"/api/diagnostics/config_entry/{entry['entry_id']}"
        )
        response: dict[str, Any] = found["data"]["response"]
        return response

    async def logbook(self, entity_id: str) -> list[str]:
        """The logbook messages about one entity over the last hour."""
        since = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - 3600))
        entries = await self.rest.request(
            "GET", f"/api/logbook/{since}", params={"entity": entity_id}
        )
        return [str(entry.get("message", "")) for entry in entries]

    async def wait_handed_back(self) -> float:
        """Wait until the alarm response has handed the house back (no alarm remembered)."""

        async def check() -> bool:
            response = await self.response()
            return (
                response["config"] is not None and response["memory"]["episode"] is None
            )

        return await self.wait_for("the alarm response handed the house back", check)

    async def trigger(self, action: str, node: int, **params: int) -> None:
        """Make a simulated detector report something (simulators/zwave/README.md)."""
        assert self.stack.zwave is not None
        await self.stack.zwave.trigger(action, node=node, **params)

    async def call(self, domain: str, service: str, **data: Any) -> None:
        """Call an action as the UI does."""
        await self.rest.call_service(domain, service, data)

    async def set_phones(self, state: str) -> None:
        """Move both residents' phones (router trackers) home or away."""
        for phone in PHONES:
            await self.rest.request(
                "POST",
                f"/api/states/{phone}",
                json={"state": state, "attributes": {"source_type": "router"}},
            )

    async def wait_for(
        self,
        what: str,
        check: Callable[[], Awaitable[bool]],
        within: float = WAIT,
    ) -> float:
        """Poll `check` until it holds; return the seconds it took."""
        began = time.monotonic()
        while not await check():
            if time.monotonic() - began > within:
                raise NotReachedError(f"not within {within:.0f} s: {what}")
            await asyncio.sleep(POLL)
        return time.monotonic() - began

    async def wait_state(self, entity_id: str, expected: str) -> float:
        """Wait until an entity shows `expected`."""

        async def check() -> bool:
            return await self.state(entity_id) == expected

        return await self.wait_for(f"{entity_id} is {expected}", check)

    async def wait_thermostat(self, **expected: int) -> float:
        """Wait until the thermostat itself reports these `/query/info` values."""

        async def check() -> bool:
            info = await self.thermostat()
            return all(info.get(key) == value for key, value in expected.items())

        return await self.wait_for(f"thermostat reports {expected}", check)

    async def wait_notification(self, text: str) -> float:
        """Wait until a notification containing `text` is shown."""

        async def check() -> bool:
            return text in await self.notification_text()

        return await self.wait_for(f"a notification says {text!r}", check)

    async def reset(self) -> None:
        """Bring the house to a quiet evening: detectors idle, doors locked, heat on, fan on."""
        await self.call("input_boolean", "turn_off", entity_id=JAM)
        for node in (ZCOMBO_G, ZCOMBO):
            await self.trigger("clear", node)
        await self.wait_state(HOUSEHOLD_ALARM, "clear")
        await self.wait_handed_back()
        await self.set_phones("home")
        for person in PERSONS:
            await self.wait_state(person, "home")
        await self.call("lock", "lock", entity_id=list(LOCKS))
        await self.call("light", "turn_off", entity_id=list(LIGHTS))
        await self.call("persistent_notification", "dismiss_all")
        await self.call(
            "climate", "set_hvac_mode", entity_id=THERMOSTAT, hvac_mode="heat"
        )
        await self.call("climate", "set_fan_mode", entity_id=THERMOSTAT, fan_mode="on")
        await self.wait_thermostat(mode=MODE_HEAT, fan=FAN_ON)
        for lock in LOCKS:
            await self.wait_state(lock, "locked")
