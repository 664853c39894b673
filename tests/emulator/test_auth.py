"""Digest auth (MD5, SHA-256), HTTPS with a self-signed certificate, and the PIN."""

from __future__ import annotations

import asyncio
import hashlib
import ssl
from typing import Any

import aiohttp
import pytest

from .helpers import digest_header, get_json, info, parse_challenge, post_form

USER, PASSWORD = "admin", "s3cret"


async def _challenge(session: aiohttp.ClientSession, url: str) -> list[str]:
    async with session.get(url) as response:
        assert response.status == 401
        return response.headers.getall("WWW-Authenticate")


@pytest.mark.parametrize("algorithm", ["MD5", "SHA-256"])
async def test_digest_accepts_correct_credentials(
    venstar_emulator_factory: Any, algorithm: str
) -> None:
    emu = await venstar_emulator_factory(
        https=True, username=USER, password=PASSWORD, digest_algorithms=(algorithm,)
    )
    async with aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(ssl=False)
    ) as session:
        (header,) = await _challenge(session, emu.base_url + "query/info")
        challenge = parse_challenge(header)
        assert challenge["realm"] == "thermostat"
        assert challenge["qop"] == "auth"
        assert challenge["algorithm"] == algorithm
        auth = digest_header(
            challenge=challenge,
            username=USER,
            password=PASSWORD,
            method="GET",
            uri="/query/info",
            algorithm=algorithm,
        )
        async with session.get(
            emu.base_url + "query/info", headers={"Authorization": auth}
        ) as r:
            assert r.status == 200
            assert (await r.json())["name"] == "COLORTOUCH"
        # The next request on the same nonce needs a higher nonce count.
        replay = auth
        async with session.get(
            emu.base_url + "query/info", headers={"Authorization": replay}
        ) as r:
            assert r.status == 401
        second = digest_header(
            challenge=challenge,
            username=USER,
            password=PASSWORD,
            method="POST",
            uri="/control",
            algorithm=algorithm,
            nc=2,
        )
        async with session.post(
            emu.base_url + "control", data={"fan": 1}, headers={"Authorization": second}
        ) as r:
            assert await r.json() == {"success": True}
    assert emu.state.fan == 1


async def test_challenge_offers_several_algorithms(
    venstar_emulator_factory: Any,
) -> None:
    emu = await venstar_emulator_factory(
        https=True,
        username=USER,
        password=PASSWORD,
        digest_algorithms=("SHA-256", "MD5"),
    )
    async with aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(ssl=False)
    ) as session:
        headers = await _challenge(session, emu.base_url)
    assert [parse_challenge(h)["algorithm"] for h in headers] == ["SHA-256", "MD5"]


@pytest.mark.parametrize(
    ("changes", "status_stale"),
    [
        ({"password": "wrong"}, None),
        ({"username": "root"}, None),
        ({"uri": "/query/alerts"}, None),
        ({"algorithm": "SHA-256"}, None),
        ({"nonce": "0" * 32}, "TRUE"),
    ],
)
async def test_digest_rejects_wrong_answers(
    venstar_emulator_factory: Any, changes: dict[str, str], status_stale: str | None
) -> None:
    emu = await venstar_emulator_factory(https=True, username=USER, password=PASSWORD)
    async with aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(ssl=False)
    ) as session:
        challenge = parse_challenge(
            (await _challenge(session, emu.base_url + "query/info"))[0]
        )
        if "nonce" in changes:
            challenge["nonce"] = changes["nonce"]
        auth = digest_header(
            challenge=challenge,
            username=changes.get("username", USER),
            password=changes.get("password", PASSWORD),
            method="GET",
            uri=changes.get("uri", "/query/info"),
            algorithm=changes.get("algorithm", "MD5"),
        )
        if "algorithm" in changes:
            # Claims MD5 but computed with SHA-256: the response cannot match.
            auth = auth.replace("algorithm=SHA-256", "algorithm=MD5")
        async with session.get(
            emu.base_url + "query/info", headers={"Authorization": auth}
        ) as r:
            assert r.status == 401
            assert (
                parse_challenge(r.headers["WWW-Authenticate"]).get("stale")
                == status_stale
            )


@pytest.mark.parametrize(
    "authorization",
    [
        "Basic YWRtaW46czNjcmV0",
        'Digest username="admin", realm="thermostat", nonce="x", uri="/", response="y"',
        'Digest username="admin", realm="thermostat", nonce="x", uri="/", qop=auth, algorithm=MD5-sess',
    ],
)
async def test_other_schemes_and_incomplete_digest_refused(
    venstar_emulator_factory: Any, authorization: str
) -> None:
    emu = await venstar_emulator_factory(https=True, username=USER, password=PASSWORD)
    async with (
        aiohttp.ClientSession(connector=aiohttp.TCPConnector(ssl=False)) as session,
        session.get(emu.base_url, headers={"Authorization": authorization}) as r,
    ):
        assert r.status == 401
    assert emu.requests[-1].status == 401


async def test_bad_nonce_count_refused(venstar_emulator_factory: Any) -> None:
    emu = await venstar_emulator_factory(https=True, username=USER, password=PASSWORD)
    async with aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(ssl=False)
    ) as session:
        challenge = parse_challenge((await _challenge(session, emu.base_url))[0])
        auth = digest_header(
            challenge=challenge, username=USER, password=PASSWORD, method="GET", uri="/"
        ).replace("nc=00000001", "nc=zz")
        async with session.get(emu.base_url, headers={"Authorization": auth}) as r:
            assert r.status == 401


async def test_https_serves_self_signed_certificate(
    venstar_emulator_factory: Any,
) -> None:
    emu = await venstar_emulator_factory(https=True)
    assert emu.base_url == f"https://127.0.0.1:{emu.port}/"
    assert await get_json(emu, "", ssl=False) == {
        "api_ver": 7,
        "type": "residential",
        "model": "COLORTOUCH",
        "firmware": "5.1",
    }
    # A verifying client refuses the self-signed certificate.
    async with aiohttp.ClientSession() as session:
        with pytest.raises(aiohttp.ClientConnectorCertificateError):
            await session.get(emu.base_url)
    # Pinning the fingerprint works.
    fingerprint = bytes.fromhex(emu.certificate_fingerprint)
    async with (
        aiohttp.ClientSession() as session,
        session.get(emu.base_url, ssl=aiohttp.Fingerprint(fingerprint)) as r,
    ):
        assert r.status == 200
    pem = await asyncio.to_thread(ssl.get_server_certificate, ("127.0.0.1", emu.port))
    der = ssl.PEM_cert_to_DER_cert(pem)
    assert hashlib.sha256(der).hexdigest() == emu.certificate_fingerprint


async def test_https_with_digest(venstar_emulator_factory: Any) -> None:
    emu = await venstar_emulator_factory(https=True, username=USER, password=PASSWORD)
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    async with aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(ssl=False)
    ) as session:
        async with session.get(emu.base_url, ssl=context) as r:
            assert r.status == 401
            challenge = parse_challenge(r.headers["WWW-Authenticate"])
        auth = digest_header(
            challenge=challenge, username=USER, password=PASSWORD, method="GET", uri="/"
        )
        async with session.get(
            emu.base_url, ssl=context, headers={"Authorization": auth}
        ) as r:
            assert r.status == 200


async def test_pin_accepted_as_query_or_form(venstar_emulator_factory: Any) -> None:
    emu = await venstar_emulator_factory(pin="0042")
    invalid = {"error": True, "reason": "Invalid PIN"}
    assert await post_form(emu, "control", {"fan": 1}) == invalid
    assert await post_form(emu, "control", {"fan": 1, "pin": "0041"}) == invalid
    assert await post_form(emu, "settings", {"away": 1}) == invalid
    assert emu.state.fan == 0
    assert emu.state.away == 0
    assert await post_form(emu, "control", {"fan": 1, "pin": "0042"}) == {
        "success": True
    }
    assert await post_form(emu, "settings?pin=0042", {"away": 1}) == {"success": True}
    # Reads need no PIN but accept one.
    assert (await info(emu))["fan"] == 1
    assert (await get_json(emu, "query/info?pin=0042"))["away"] == 1


async def test_oldest_nonces_are_forgotten(
    venstar_emulator_factory: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("emulators.venstar.auth.MAX_NONCES", 2)
    emu = await venstar_emulator_factory(https=True, username=USER, password=PASSWORD)
    async with aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(ssl=False)
    ) as session:
        first = parse_challenge((await _challenge(session, emu.base_url))[0])
        await _challenge(session, emu.base_url)
        await _challenge(session, emu.base_url)
        auth = digest_header(
            challenge=first, username=USER, password=PASSWORD, method="GET", uri="/"
        )
        async with session.get(emu.base_url, headers={"Authorization": auth}) as r:
            assert r.status == 401
            assert parse_challenge(r.headers["WWW-Authenticate"])["stale"] == "TRUE"


async def test_digest_uri_includes_query_string(venstar_emulator_factory: Any) -> None:
    emu = await venstar_emulator_factory(
        https=True, username=USER, password=PASSWORD, pin="0042"
    )
    async with aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(ssl=False)
    ) as session:
        challenge = parse_challenge((await _challenge(session, emu.base_url))[0])
        uri = "/settings?pin=0042"
        auth = digest_header(
            challenge=challenge,
            username=USER,
            password=PASSWORD,
            method="POST",
            uri=uri,
        )
        async with session.post(
            emu.base_url + uri.lstrip("/"),
            data={"away": 1},
            headers={"Authorization": auth},
        ) as r:
            assert await r.json() == {"success": True}
    assert emu.state.away == 1
