"""Hostile servers: no authentication downgrade, bounded bodies, no decompression."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
import gzip
import zlib

import aiohttp
from aiohttp import web
import pytest

from custom_components.venstar_local.api import (
    VenstarAuthenticationError,
    VenstarClient,
    VenstarInvalidResponseError,
)
from custom_components.venstar_local.api.transport import MAX_BODY_BYTES
from emulators.venstar import tls

ROOT = b'{"api_ver":7,"type":"residential","model":"COLORTOUCH","firmware":"5.1"}'
DIGEST_MD5 = 'Digest realm="thermostat", qop="auth", nonce="n1", algorithm=MD5'
DIGEST_SHA256 = 'Digest realm="thermostat", qop="auth", nonce="n2", algorithm=SHA-256'
BASIC = 'Basic realm="thermostat"'

type Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class HostileServer:
    """One HTTPS (or HTTP) server on loopback whose answers a test scripts."""

    def __init__(self, handler: Handler, *, https: bool) -> None:
        self.handler = handler
        self.https = https
        self.authorizations: list[str] = []
        self.accept_encodings: list[str] = []
        self.port = 0
        self._runner: web.AppRunner | None = None

    async def _serve(self, request: web.Request) -> web.StreamResponse:
        self.authorizations.append(request.headers.get("Authorization", ""))
        self.accept_encodings.append(request.headers.get("Accept-Encoding", ""))
        return await self.handler(request)

    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._serve)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(
            self._runner,
            "127.0.0.1",
            0,
            ssl_context=tls.server_ssl_context() if self.https else None,
        )
        await site.start()
        self.port = int(self._runner.addresses[0][1])

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()


type ServerFactory = Callable[..., Awaitable[HostileServer]]


@pytest.fixture
async def hostile_server(socket_enabled: None) -> AsyncIterator[ServerFactory]:
    servers: list[HostileServer] = []

    async def start(handler: Handler, *, https: bool = True) -> HostileServer:
        server = HostileServer(handler, https=https)
        await server.start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        await server.stop()


def client_for(
    server: HostileServer, session: aiohttp.ClientSession, **kwargs: object
) -> VenstarClient:
    return VenstarClient(
        "127.0.0.1",
        session,
        port=server.port,
        https=server.https,
        min_request_gap=0,
        retry_backoff=0,
        retries=0,
        timeout=5,
        **kwargs,  # type: ignore[arg-type]
    )


def challenges(*headers: str) -> web.Response:
    response = web.Response(status=401)
    for header in headers:
        response.headers.add("WWW-Authenticate", header)
    return response


def scripted(*answers: Callable[[web.Request], web.Response]) -> Handler:
    """Answer the n-th request with the n-th function (the last one repeats)."""
    calls = 0

    async def handler(request: web.Request) -> web.Response:
        nonlocal calls
        answer = answers[min(calls, len(answers) - 1)]
        calls += 1
        return answer(request)

    return handler


# ----- authentication never downgrades -----------------------------------------------------
async def test_digest_never_downgrades_to_basic_within_a_session(
    hostile_server: ServerFactory, session: aiohttp.ClientSession
) -> None:
    """After Digest worked, a Basic-only challenge gets nothing (no password in Basic)."""
    server = await hostile_server(
        scripted(
            lambda _: challenges(DIGEST_MD5),
            lambda _: web.Response(body=ROOT, content_type="application/json"),
            lambda _: challenges(BASIC),
        )
    )
    client = client_for(server, session, username="admin", password="s3cret")
    assert (await client.api_info()).model == "COLORTOUCH"
    with pytest.raises(VenstarAuthenticationError, match="weaker"):
        await client.api_info()
    assert server.authorizations[1].startswith("Digest ")
    assert not any(header.startswith("Basic") for header in server.authorizations)


async def test_digest_algorithm_never_downgrades(
    hostile_server: ServerFactory, session: aiohttp.ClientSession
) -> None:
    server = await hostile_server(
        scripted(
            lambda _: challenges(DIGEST_SHA256),
            lambda _: web.Response(body=ROOT, content_type="application/json"),
            lambda _: challenges(DIGEST_MD5),
        )
    )
    client = client_for(server, session, username="admin", password="s3cret")
    await client.api_info()
    with pytest.raises(VenstarAuthenticationError, match="weaker"):
        await client.api_info()
    assert "algorithm=SHA-256" in server.authorizations[1]
    assert len(server.authorizations) == 3  # nothing answered the MD5 challenge


async def test_basic_only_over_https_and_only_without_digest(
    hostile_server: ServerFactory, session: aiohttp.ClientSession
) -> None:
    """A device that only ever offers Basic gets it over (pinned) HTTPS."""

    def basic_root(request: web.Request) -> web.Response:
        if not request.headers.get("Authorization", "").startswith("Basic "):
            return challenges(BASIC)
        return web.Response(body=ROOT, content_type="application/json")

    server = await hostile_server(scripted(basic_root))
    client = client_for(
        server,
        session,
        username="admin",
        password="s3cret",
        certificate_fingerprint=tls.certificate_fingerprint(),
    )
    assert (await client.api_info()).api_version == 7
    assert server.authorizations[1].startswith("Basic ")


async def test_challenge_over_plain_http_gets_no_credentials(
    hostile_server: ServerFactory, session: aiohttp.ClientSession
) -> None:
    """Credentials cannot be configured for HTTP, so a 401 there is answered by nobody."""
    server = await hostile_server(
        scripted(lambda _: challenges(BASIC, DIGEST_MD5)), https=False
    )
    client = client_for(server, session)
    with pytest.raises(VenstarAuthenticationError, match="requires a username"):
        await client.api_info()
    assert server.authorizations == [""]


@pytest.mark.parametrize("header", ['Bearer realm="x"', None])
async def test_unsupported_challenge(
    hostile_server: ServerFactory, session: aiohttp.ClientSession, header: str | None
) -> None:
    server = await hostile_server(
        scripted(lambda _: challenges(*([header] if header else [])))
    )
    client = client_for(server, session, username="u", password="p")
    with pytest.raises(VenstarAuthenticationError, match="unsupported"):
        await client.api_info()


# ----- bounded bodies, no decompression -----------------------------------------------------
async def test_body_larger_than_the_limit_is_refused(
    hostile_server: ServerFactory, session: aiohttp.ClientSession
) -> None:
    # Sized from the documented bound (64 KiB), not from the constant: raising the
    # constant must fail this test.
    big = b"[" + b"1," * (32 * 1024) + b"1]"
    assert len(big) > 64 * 1024

    async def chunked(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse()
        response.enable_chunked_encoding()
        await response.prepare(request)
        for start in range(0, len(big), 4096):
            await response.write(big[start : start + 4096])
        await response.write_eof()
        return response

    for handler in (
        scripted(lambda _: web.Response(body=big, content_type="application/json")),
        chunked,
    ):
        server = await hostile_server(handler, https=False)
        with pytest.raises(VenstarInvalidResponseError, match="refused"):
            await client_for(server, session).api_info()


async def test_body_at_the_limit_is_read(
    hostile_server: ServerFactory, session: aiohttp.ClientSession
) -> None:
    body = ROOT[:-1] + b', "pad": "' + b"x" * (MAX_BODY_BYTES - len(ROOT) - 11) + b'"}'
    assert len(body) == MAX_BODY_BYTES
    server = await hostile_server(
        scripted(lambda _: web.Response(body=body, content_type="application/json")),
        https=False,
    )
    assert (await client_for(server, session).api_info()).extra["pad"][:3] == "xxx"


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "br"])
async def test_compressed_body_is_refused_unread(
    hostile_server: ServerFactory, session: aiohttp.ClientSession, encoding: str
) -> None:
    """Nothing is inflated: a compressed answer (even a small one) is refused."""
    bomb = (
        gzip.compress(b"\0" * 10_000_000) if encoding == "gzip" else zlib.compress(ROOT)
    )
    server = await hostile_server(
        scripted(
            lambda _: web.Response(
                body=bomb,
                headers={"Content-Encoding": encoding},
                content_type="application/json",
            )
        ),
        https=False,
    )
    with pytest.raises(VenstarInvalidResponseError, match="compressed"):
        await client_for(server, session).api_info()
    assert server.accept_encodings == ["identity"]
