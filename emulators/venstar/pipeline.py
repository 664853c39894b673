"""Request pipeline of the device routes: record, measure overlap, auth, faults.

Every request to the local API passes here before its route runs. The control endpoint
(`/_emulator/`) is let through untouched.

A connection belongs to the device that answered its first request. A request arriving over
it when another device answers here (the identity switched, an identity fault) is reset
unanswered and unrecorded, as a device that took over an address resets the connections of
the one that left: nothing sent over a connection ever reaches another device.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
import contextlib
from dataclasses import dataclass
import itertools
import json
import socket
import struct
from urllib.parse import parse_qsl

from aiohttp import web

from .auth import DigestAuthority
from .device_api import FORM_KEY, IDENTITY_KEY
from .faults import BusyResponse, Fault, FaultKind, Faults
from .recording import RecordedRequest, RequestLog

CONTROL_PREFIX = "/_emulator/"
MAX_HANG = 600.0  # a timeout fault gives up after this many real seconds at most
HANG_POLL = 0.05  # how often a hanging request looks whether its client is gone
OVERLAP_YIELDS = (
    3  # event-loop turns a request stays in flight, so concurrent arrivals meet
)
MALFORMED_BODY = b'{"name": "COLORTOUCH", "mode": 1,, state: ]'

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
type Owner = tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class _Connection:
    """A client connection: its number and the identity of the device it belongs to."""

    number: int
    owner: Owner


def _owner(identity: Mapping[str, str]) -> Owner:
    return tuple(sorted(identity.items()))


async def read_form(request: web.Request) -> dict[str, str]:
    """Read a POST's form fields the way the thermostat does.

    Real units parse the body as ``key=value&...`` whatever the ``Content-Type`` says, and
    third-party clients (HA core's ``venstarcolortouch``) send the form with no
    ``Content-Type`` at all; aiohttp's ``post()`` would see no fields in that body.
    """
    if request.content_type in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        body = await request.post()
        return {key: str(value) for key, value in body.items()}
    text = (await request.read()).decode("utf-8", errors="replace")
    return dict(parse_qsl(text, keep_blank_values=True))


_PLACEHOLDER = "\u0000venstar-emulator-field\u0000"


def _replace_field(body: bytes, fault: Fault) -> bytes:
    """Return the JSON answer with one field (of one list entry) replaced by raw JSON."""
    data = json.loads(body)
    target = data
    if fault.index is not None:
        (entries,) = (value for value in data.values() if isinstance(value, list))
        target = entries[fault.index]
    target[fault.field] = _PLACEHOLDER
    text = json.dumps(data).replace(json.dumps(_PLACEHOLDER), str(fault.value))
    return text.encode()


class RequestPipeline:
    """aiohttp middleware of one emulator."""

    def __init__(
        self,
        *,
        faults: Faults,
        log: RequestLog,
        identity: Callable[[], Mapping[str, str]],
        digest: DigestAuthority | None,
        service_time: float,
        catch_up: Callable[[], None],
        stopping: asyncio.Event,
    ) -> None:
        """Serve requests to one device.

        `identity` tells who answers here now ({}: the device itself), `digest` checks the
        credentials (None: no auth), `service_time` is the real seconds an answer takes and
        `catch_up` runs the device model up to now before a route reads it. Setting `stopping`
        releases requests that hang or wait.
        """
        self._faults = faults
        self._log = log
        self._identity = identity
        self._digest = digest
        self._service_time = service_time
        self._catch_up = catch_up
        self._stopping = stopping
        self.in_flight = 0
        self._connections: dict[web.RequestHandler, _Connection] = {}
        self._numbers = itertools.count(1)

    @web.middleware
    async def middleware(
        self, request: web.Request, handler: Handler
    ) -> web.StreamResponse:
        """Record the request and keep it counted as in flight until its answer is written."""
        if request.path.startswith(CONTROL_PREFIX):
            return await handler(request)
        connection = self._connection(request)
        if connection is None:
            return self._reset(request)
        loop = asyncio.get_running_loop()
        self.in_flight += 1
        record = RecordedRequest(
            method=request.method,
            path=request.path,
            query=dict(request.query),
            form={},
            start=loop.time(),
            headers=dict(request.headers),
            connection=connection.number,
        )
        self._log.add(record, in_flight=self.in_flight)
        try:
            if request.method == "POST":
                record.form = await read_form(request)
            request[FORM_KEY] = record.form
            response = await self._serve(request, handler)
            transport = request.transport
            if transport is None or transport.is_closing():
                return response
            record.status = response.status
            await response.prepare(request)
            await response.write_eof()
            return response
        finally:
            self.in_flight -= 1
            record.end = loop.time()

    def _connection(self, request: web.Request) -> _Connection | None:
        """Return the request's connection, None if it belongs to a device gone from here."""
        fault = self._faults.peek(FaultKind.IDENTITY, request.path)
        owner = _owner(fault.identity if fault else self._identity())
        known = self._connections.get(request.protocol)
        if known is None:
            # Forget connections that ended (handlers drop their transport when closed).
            for handler in [h for h in self._connections if h.transport is None]:
                del self._connections[handler]
            known = _Connection(next(self._numbers), owner)
            self._connections[request.protocol] = known
        return known if known.owner == owner else None

    async def _serve(
        self, request: web.Request, handler: Handler
    ) -> web.StreamResponse:
        faults = self._faults
        path = request.path
        if (
            self.in_flight > 1
            and (busy := faults.take(FaultKind.BUSY, path)) is not None
        ):
            if busy.busy_response == BusyResponse.RESET:
                return self._reset(request)
            return web.Response(status=503, text="Busy")
        delay = sum(fault.delay for fault in faults.take_all(FaultKind.LATENCY, path))
        if delay:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), delay)
        if faults.take(FaultKind.TIMEOUT, path) is not None:
            await self._hang(request)
            return self._reset(request)
        if faults.take(FaultKind.RESET, path) is not None:
            return self._reset(request)
        if faults.take(FaultKind.UNAUTHORIZED, path) is not None:
            return self._unauthorized()
        if self._digest is not None:
            accepted, stale = self._digest.check(
                request.headers.get("Authorization"), request.method, request.raw_path
            )
            if not accepted:
                return self._unauthorized(stale=stale)
        if faults.take(FaultKind.HTTP_500, path) is not None:
            return web.Response(
                status=500,
                text="<html><body>500 Internal Server Error</body></html>",
                content_type="text/html",
            )
        identity_fault = faults.take(FaultKind.IDENTITY, path)
        request[IDENTITY_KEY] = (
            identity_fault.identity if identity_fault else self._identity()
        )
        if self._service_time:
            await asyncio.sleep(self._service_time)
        for _ in range(OVERLAP_YIELDS):
            await asyncio.sleep(0)
        self._catch_up()
        response = await handler(request)
        return self._mangle(response, path)

    def _mangle(self, response: web.StreamResponse, path: str) -> web.StreamResponse:
        faults = self._faults
        if not isinstance(response, web.Response) or not isinstance(
            response.body, bytes
        ):
            return response
        if faults.take(FaultKind.MALFORMED_JSON, path) is not None:
            return web.Response(body=MALFORMED_BODY, content_type="application/json")
        body = response.body
        changed = False
        for fault in faults.take_all(FaultKind.FIELD, path):
            body = _replace_field(body, fault)
            changed = True
        if faults.take(FaultKind.TRUNCATED_JSON, path) is not None:
            return web.Response(
                body=body[: len(body) // 2], content_type="application/json"
            )
        if changed:
            return web.Response(body=body, content_type="application/json")
        return response

    def _unauthorized(self, *, stale: bool = False) -> web.Response:
        response = web.Response(status=401, text="Unauthorized")
        authority = self._digest or DigestAuthority("-", "-")
        for challenge in authority.challenges(stale=stale):
            response.headers.add("WWW-Authenticate", challenge)
        return response

    @staticmethod
    def _reset(request: web.Request) -> web.Response:
        # SO_LINGER 0 makes close() send a TCP RST instead of an orderly FIN.
        transport = request.transport
        if transport is not None:
            sock = transport.get_extra_info("socket")
            if sock is not None:
                with contextlib.suppress(OSError):
                    sock.setsockopt(
                        socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
                    )
            transport.abort()
        return web.Response(status=500)

    async def _hang(self, request: web.Request) -> None:
        loop = asyncio.get_running_loop()
        give_up = loop.time() + MAX_HANG
        while not self._stopping.is_set() and loop.time() < give_up:
            transport = request.transport
            if transport is None or transport.is_closing():
                return
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), HANG_POLL)
