"""Small HTTP helpers for emulator tests (plain aiohttp, no client library)."""

from __future__ import annotations

import hashlib
import re
from typing import Any

import aiohttp

from emulators.venstar import VenstarEmulator


async def get_json(emu: VenstarEmulator, path: str, **kwargs: Any) -> Any:
    async with (
        aiohttp.ClientSession(connector=aiohttp.TCPConnector(ssl=False)) as session,
        session.get(emu.base_url + path, **kwargs) as response,
    ):
        assert response.status == 200, await response.text()
        return await response.json()


async def post_form(emu: VenstarEmulator, path: str, data: dict[str, Any]) -> Any:
    async with (
        aiohttp.ClientSession(connector=aiohttp.TCPConnector(ssl=False)) as session,
        session.post(emu.base_url + path, data=data) as response,
    ):
        assert response.status == 200, await response.text()
        return await response.json()


async def info(emu: VenstarEmulator) -> dict[str, Any]:
    body: dict[str, Any] = await get_json(emu, "query/info")
    return body


def parse_challenge(header: str) -> dict[str, str]:
    assert header.startswith("Digest ")
    return {
        key: quoted or token
        for key, quoted, token in re.findall(r'(\w+)=(?:"([^"]*)"|([^\s,]+))', header)
    }


def digest_header(
    *,
    challenge: dict[str, str],
    username: str,
    password: str,
    method: str,
    uri: str,
    algorithm: str = "MD5",
    nc: int = 1,
    cnonce: str = "0a4f113b",
) -> str:
    """Authorization header computed independently of the emulator's own code (RFC 7616)."""
    hash_fn = hashlib.md5 if algorithm == "MD5" else hashlib.sha256

    def h(text: str) -> str:
        return hash_fn(text.encode()).hexdigest()

    nc_text = f"{nc:08x}"
    ha1 = h(f"{username}:{challenge['realm']}:{password}")
    ha2 = h(f"{method}:{uri}")
    response = h(f"{ha1}:{challenge['nonce']}:{nc_text}:{cnonce}:auth:{ha2}")
    return (
        f'Digest username="{username}", realm="{challenge["realm"]}", '
        f'nonce="{challenge["nonce"]}", uri="{uri}", algorithm={algorithm}, '
        f'response="{response}", qop=auth, nc={nc_text}, cnonce="{cnonce}", '
        f'opaque="{challenge.get("opaque", "")}"'
    )
