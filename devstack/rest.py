"""Talk to a running Home Assistant over REST the way the UI does: onboarding, config flows, states."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
import time
from typing import Any

import aiohttp

DEMO_OWNER = {
    "name": "Demo Owner",
    "username": "demo",
    "password": "demo-only-password",
}


# Onboarding integrations that need no requirements, so their entry is always created.
ONBOARDING_ENTRY_DOMAINS = frozenset({"google_translate", "shopping_list"})
ONBOARDING_SETTLE = 15.0


class RestError(RuntimeError):
    """Home Assistant answered a REST call with an unexpected status."""


class WebsocketError(RestError):
    """A websocket command failed; `code` is HA's error code (e.g. `config_not_found`)."""

    def __init__(self, command: str, error: dict[str, Any] | None) -> None:
        """Keep HA's error code for callers that expect some errors."""
        super().__init__(f"websocket {command}: {error}")
        self.code = (error or {}).get("code")


@dataclass
class HomeAssistantRest:
    """A REST session against one HA server, authenticated after `onboard()` or `login()`."""

    base_url: str
    session: aiohttp.ClientSession
    token: str | None = None

    @property
    def client_id(self) -> str:
        """The OAuth client id HA expects: the frontend's own URL."""
        return f"{self.base_url}/"

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    async def request(self, method: str, path: str, **kwargs: Any) -> Any:
        """Call the API and return the decoded JSON body (or None)."""
        async with self.session.request(
            method, f"{self.base_url}{path}", headers=self._headers(), **kwargs
        ) as resp:
            if resp.status >= 400:
                raise RestError(f"{method} {path}: {resp.status} {await resp.text()}")
            if resp.content_type == "application/json":
                return await resp.json()
            return None

    async def onboarding_done(self) -> bool:
        """Tell whether the owner was already created (the onboarding view is gone then)."""
        async with self.session.get(f"{self.base_url}/api/onboarding") as resp:
            if resp.status == 404:
                return True
            steps = await resp.json()
        return all(step["done"] for step in steps if step["step"] == "user")

    async def onboard(self, owner: dict[str, str] | None = None) -> None:
        """Run every onboarding step over REST and keep the owner's access token."""
        owner = owner or DEMO_OWNER
        created = await self.request(
            "POST",
            "/api/onboarding/users",
            json={"client_id": self.client_id, "language": "en", **owner},
        )
        await self._exchange_code(created["auth_code"])
        await self.request("POST", "/api/onboarding/core_config")
        await self.request("POST", "/api/onboarding/analytics")
        await self.request(
            "POST",
            "/api/onboarding/integration",
            json={
                "client_id": self.client_id,
                "redirect_uri": f"{self.base_url}/?auth_callback=1",
            },
        )
        await self._remove_onboarding_entries()

    async def login(self, owner: dict[str, str] | None = None) -> None:
        """Log in with the local username/password provider."""
        owner = owner or DEMO_OWNER
        flow = await self.request(
            "POST",
            "/auth/login_flow",
            json={
                "client_id": self.client_id,
                "handler": ["homeassistant", None],
                "redirect_uri": f"{self.base_url}/?auth_callback=1",
            },
        )
        result = await self.request(
            "POST",
            f"/auth/login_flow/{flow['flow_id']}",
            json={
                "client_id": self.client_id,
                "username": owner["username"],
                "password": owner["password"],
            },
        )
        await self._exchange_code(result["result"])

    async def _exchange_code(self, code: str) -> None:
        async with self.session.post(
            f"{self.base_url}/auth/token",
            data={
                "grant_type": "authorization_code",
                "code": code,
                "client_id": self.client_id,
            },
        ) as resp:
            if resp.status != 200:
                raise RestError(
                    f"token exchange failed: {resp.status} {await resp.text()}"
                )
            self.token = (await resp.json())["access_token"]

    async def _remove_onboarding_entries(self) -> None:
        """Remove the entries onboarding adds (weather, radio, TTS, shopping list).

        The core_config step starts their flows as background tasks, so an entry can appear
        after this call began. Without pip, only `ONBOARDING_ENTRY_DOMAINS` can finish theirs
        (their config flows import nothing from PyPI; met and radio_browser lack their
        requirements and fail): wait until each of those was removed.
        """
        deadline = time.monotonic() + ONBOARDING_SETTLE
        removed: set[str] = set()
        while True:
            for entry in await self.entries():
                if entry["source"] == "onboarding":
                    await self.request(
                        "DELETE",
                        f"/api/config/config_entries/entry/{entry['entry_id']}",
                    )
                    removed.add(entry["domain"])
            if removed >= ONBOARDING_ENTRY_DOMAINS or time.monotonic() > deadline:
                return
            await asyncio.sleep(0.2)

    async def config(self) -> dict[str, Any]:
        """Return `/api/config` (location, version, state)."""
        result: dict[str, Any] = await self.request("GET", "/api/config")
        return result

    async def entries(self, domain: str | None = None) -> list[dict[str, Any]]:
        """Return the config entries, optionally of one domain."""
        path = "/api/config/config_entries/entry"
        if domain:
            path += f"?domain={domain}"
        result: list[dict[str, Any]] = await self.request("GET", path)
        return result

    async def config_flow(self, handler: str, *steps: dict[str, Any]) -> dict[str, Any]:
        """Start a config flow and submit one form per step, as a user's clicks would."""
        result: dict[str, Any] = await self.request(
            "POST", "/api/config/config_entries/flow", json={"handler": handler}
        )
        for step in steps:
            if result.get("type") != "form":
                break
            result = await self.request(
                "POST",
                f"/api/config/config_entries/flow/{result['flow_id']}",
                json=step,
            )
        return result

    async def states(self) -> dict[str, dict[str, Any]]:
        """Return every entity state keyed by entity id."""
        states = await self.request("GET", "/api/states")
        return {state["entity_id"]: state for state in states}

    async def call_service(
        self, domain: str, service: str, data: dict[str, Any]
    ) -> Any:
        """Call an action like the UI does."""
        return await self.request(
            "POST", f"/api/services/{domain}/{service}", json=data
        )

    @asynccontextmanager
    async def connect_websocket(self) -> AsyncIterator[aiohttp.ClientWebSocketResponse]:
        """Open HA's websocket API, authenticated; message ids are the caller's."""
        ws_url = self.base_url.replace("http", "ws", 1) + "/api/websocket"
        async with self.session.ws_connect(ws_url) as ws:
            await ws.receive_json()  # auth_required
            await ws.send_json({"type": "auth", "access_token": self.token})
            if (await ws.receive_json())["type"] != "auth_ok":
                raise RestError("websocket authentication failed")
            yield ws

    async def websocket(self, *commands: dict[str, Any]) -> list[Any]:
        """Run websocket API commands (registries have no REST API) and return their results."""
        results: list[Any] = []
        async with self.connect_websocket() as ws:
            for number, command in enumerate(commands, start=1):
                await ws.send_json({"id": number, **command})
                while (reply := await ws.receive_json()).get("id") != number:
                    continue
                if not reply.get("success"):
                    raise WebsocketError(command["type"], reply.get("error"))
                results.append(reply.get("result"))
        return results
