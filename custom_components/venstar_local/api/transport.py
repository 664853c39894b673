"""One HTTP exchange with a thermostat: URL, PIN, auth, TLS, timeout, retries, pacing.

The caller (`VenstarClient`) serialises calls on the device's lock (see `device_lock`); this module
makes each call well-behaved:

* a minimum gap between the end of one request and the start of the next (older units
  cannot take rapid sequential connections), measured with an injectable clock and sleep;
* a per-request timeout covering connect, headers and body;
* bounded retries with exponential backoff, for idempotent GETs only;
* a cancelled request is finished before the call returns: the in-flight exchange runs in its
  own task and the caller waits (shielded, at most the request timeout) until the answer is
  read and the connection released, so the next request never overlaps it on the device;
* bounded answers: no compression is asked for or accepted (a compressed body is refused
  unread, so nothing is ever inflated) and a body larger than `MAX_BODY_BYTES` is refused
  after reading at most that much - real answers are a few hundred bytes;
* the screen-lock PIN only on writes (reads never need it), in the URL query and in the form
  body (firmware is known that reads it only from the URL, and a client that sends it only in
  the body), and only over HTTPS, like the username and password (`VenstarClient` refuses
  them for plain HTTP); HTTP Digest answered by `digest.HttpAuth`, which never falls back to
  Basic once Digest was used; HTTPS without verification or pinned to a SHA-256 fingerprint.

Errors are mapped to the package's exceptions, and their messages never carry the URL's
query (the PIN) or credentials. `session_breaks` counts what suggests the device restarted
(a failed exchange, a fresh authentication challenge), so the client can re-detect it.

**Proven connections.** `last_connection` is the connection that carried the last answer; the
client `vouch`es for it once that answer showed the expected thermostat. `identity_proven`
tells whether the next request reaches the thermostat vouched for: over HTTPS with a pinned
certificate any connection does (another device cannot complete the handshake), otherwise
only the vouched connection, still kept alive and the one the pool hands out next
(`keepalive`). A write sent with ``proven_only`` is checked in the very step it starts and
raises `ConnectionNotProvenError`, unsent, when that no longer holds.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
import logging
import re
from typing import Any
from urllib.parse import urlencode

import aiohttp
from yarl import URL

from .device_lock import DeviceLock, device_lock_for
from .digest import AuthDowngradeError, HttpAuth, UnsupportedChallengeError
from .errors import (
    VenstarApiError,
    VenstarAuthenticationError,
    VenstarCertificateMismatchError,
    VenstarConnectionError,
    VenstarError,
    VenstarInvalidResponseError,
    VenstarTimeoutError,
)
from .keepalive import connection_of, reuses
from .parsers import decode_json

_LOGGER = logging.getLogger(__name__)
_FINGERPRINT = re.compile(r"^[0-9a-f]{64}$")
# The largest answer accepted. A thermostat's biggest document (20 remote sensors) is about
# 2 KB; anything this large is not a thermostat talking.
MAX_BODY_BYTES = 64 * 1024
_READ_CHUNK = 16 * 1024
_IDENTITY_ENCODINGS = ("", "identity")

type Form = tuple[tuple[str, str], ...]


def normalize_pin(pin: str | int) -> str:
    """Return the screen-lock PIN as the device expects it: 4 digits, zero-padded."""
    text = str(pin).strip()
    if isinstance(pin, bool) or not text.isdigit() or not 1 <= len(text) <= 4:
        raise ValueError("The PIN has 1 to 4 digits")
    return text.zfill(4)


def normalize_fingerprint(fingerprint: str | bytes) -> bytes:
    """Return a SHA-256 certificate fingerprint (hex, colons allowed, or raw) as bytes."""
    if isinstance(fingerprint, bytes):
        if len(fingerprint) != 32:
            raise ValueError("A SHA-256 fingerprint is 32 bytes")
        return fingerprint
    text = fingerprint.replace(":", "").replace(" ", "").lower()
    if not _FINGERPRINT.match(text):
        raise ValueError("A SHA-256 fingerprint is 64 hex digits")
    return bytes.fromhex(text)


class ConnectionNotProvenError(Exception):
    """A write was not sent: nothing proves who would answer it (see `identity_proven`)."""


@dataclass(frozen=True, kw_only=True, slots=True)
class RetryPolicy:
    """How often and how patiently idempotent reads are retried."""

    retries: int = 2
    backoff: float = 0.5


class Transport:
    """Performs requests against one thermostat; callers hold `device_lock.mutex` around each call."""

    def __init__(
        self,
        *,
        session: aiohttp.ClientSession,
        base_url: URL,
        auth: HttpAuth | None,
        pin: str | None,
        ssl: aiohttp.Fingerprint | bool,
        timeout: float,
        min_request_gap: float,
        retry: RetryPolicy,
        clock: Callable[[], float],
        sleep: Callable[[float], Awaitable[None]],
    ) -> None:
        """Store the connection settings; no I/O happens here."""
        self._session = session
        self._base_url = base_url
        self._auth = auth
        self._pin = pin
        self._ssl = ssl
        self._timeout = timeout
        # Seconds kept between two requests; the client sets it once the model is known.
        self.gap = min_request_gap
        self._retry = retry
        self._clock = clock
        self._sleep = sleep
        self._device_lock: DeviceLock | None = None
        self.request_count = 0
        self.session_breaks = 0
        # The connection that carried the last answer, and the one vouched for.
        self.last_connection: object | None = None
        self._vouched: object | None = None

    @property
    def device_lock(self) -> DeviceLock:
        """The thermostat's shared lock (mutex and pacing), found on first use."""
        if self._device_lock is None:
            host = self._base_url.host or ""
            self._device_lock = device_lock_for(host, self._base_url.port or 0)
        return self._device_lock

    @property
    def pinned(self) -> bool:
        """Whether every connection checks the thermostat's pinned certificate."""
        return isinstance(self._ssl, aiohttp.Fingerprint)

    def vouch(self, connection: object | None) -> None:
        """Record that `connection` carried an answer from the expected thermostat."""
        self._vouched = connection

    def identity_proven(self) -> bool:
        """Whether a request made now reaches the thermostat last vouched for."""
        return self.pinned or reuses(
            self._session, self._base_url, self._ssl, self._vouched
        )

    async def get(self, path: str) -> Any:
        """GET `path` and return the decoded JSON; retried on transient failures."""
        attempt = 0
        while True:
            try:
                return await self._exchange("GET", path, None)
            except (VenstarConnectionError, VenstarApiError) as err:
                self.session_breaks += 1
                if not _transient(err) or attempt >= self._retry.retries:
                    raise
                delay = self._retry.backoff * 2**attempt
                attempt += 1
                _LOGGER.debug(
                    "GET %s failed (%s), retry %s in %.2fs", path, err, attempt, delay
                )
                await self._sleep(delay)

    async def post(self, path: str, form: Form, *, proven_only: bool = False) -> Any:
        """POST a form (never retried: the device may have acted on it); the PIN goes along.

        With `proven_only` the form is only sent over a proven connection; otherwise
        `ConnectionNotProvenError` is raised and nothing is sent.
        """
        try:
            return await self._exchange("POST", path, form, proven_only=proven_only)
        except VenstarConnectionError:
            self.session_breaks += 1
            raise

    async def _exchange(
        self, method: str, path: str, form: Form | None, *, proven_only: bool = False
    ) -> Any:
        """One request including at most one answer to an auth challenge."""
        answered_challenge = False
        while True:
            # Waiting for the gap may be cancelled freely: nothing has been sent yet.
            await self._pace()
            status, headers, payload = await _finish_even_if_cancelled(
                self._attempt(method, path, form, proven_only=proven_only)
            )
            if status != 401:
                break
            if self._auth is None:
                raise VenstarAuthenticationError(
                    "The thermostat requires a username and password"
                )
            if self._auth.has_challenge:
                # The device forgot the nonce it gave us: it restarted, or it expired.
                self.session_breaks += 1
            try:
                self._auth.update(headers)
            except AuthDowngradeError:
                raise VenstarAuthenticationError(
                    "The thermostat asked for weaker authentication than it used before;"
                    " refused"
                ) from None
            except UnsupportedChallengeError:
                raise VenstarAuthenticationError(
                    "The thermostat asked for an unsupported authentication scheme"
                ) from None
            if answered_challenge:
                raise VenstarAuthenticationError(
                    "The thermostat rejected the username or password"
                )
            answered_challenge = True
        if status >= 400:
            raise VenstarApiError(f"HTTP {status}", status=status)
        return decode_json(payload)

    async def _pace(self) -> None:
        last_finished = self.device_lock.last_finished
        if last_finished is None or self.gap <= 0:
            return
        wait = last_finished + self.gap - self._clock()
        if wait > 0:
            await self._sleep(wait)

    async def _attempt(
        self, method: str, path: str, form: Form | None, *, proven_only: bool = False
    ) -> tuple[int, list[str], bytes]:
        """Send one request; return status, auth challenges and body."""
        self.last_connection = None
        url = self._base_url.with_path(path)
        body: str | None = None
        headers = {aiohttp.hdrs.ACCEPT_ENCODING: "identity"}
        if form is not None:
            if self._pin is not None:
                url = url.with_query(pin=self._pin)
                form = (*form, ("pin", self._pin))
            body = urlencode(form)
            headers[aiohttp.hdrs.CONTENT_TYPE] = "application/x-www-form-urlencoded"
        if self._auth is not None:
            authorization = self._auth.authorization(method, url.raw_path_qs)
            if authorization is not None:
                headers[aiohttp.hdrs.AUTHORIZATION] = authorization
        # Checked right before the request starts, in the same event-loop step as the pool
        # hands out its connection (see `keepalive`): nothing can change in between.
        if proven_only and not self.identity_proven():
            raise ConnectionNotProvenError
        self.request_count += 1
        try:
            async with asyncio.timeout(self._timeout):
                async with self._session.request(
                    method,
                    url,
                    data=body,
                    headers=headers,
                    ssl=self._ssl,
                    allow_redirects=False,
                    auto_decompress=False,
                ) as response:
                    connection = connection_of(response)
                    payload = await _read_bounded(response, method, path)
                    challenges = response.headers.getall(
                        aiohttp.hdrs.WWW_AUTHENTICATE, []
                    )
                    _LOGGER.debug("%s %s -> %s", method, path, response.status)
                    self.last_connection = connection
                    return response.status, challenges, payload
        except TimeoutError:
            raise VenstarTimeoutError(
                f"No answer to {method} {path} within {self._timeout:g}s"
            ) from None
        except aiohttp.ServerFingerprintMismatch:
            raise VenstarCertificateMismatchError(
                "The thermostat's certificate does not match the pinned fingerprint"
            ) from None
        except (aiohttp.ClientError, OSError) as err:
            raise VenstarConnectionError(
                f"{method} {path} failed: {type(err).__name__}"
            ) from None
        finally:
            self.device_lock.last_finished = self._clock()


async def _read_bounded(
    response: aiohttp.ClientResponse, method: str, path: str
) -> bytes:
    """Read a body of at most `MAX_BODY_BYTES`, never inflating a compressed one.

    A refused body is not drained: the connection is closed instead.
    """
    encoding = response.headers.get(aiohttp.hdrs.CONTENT_ENCODING, "")
    if encoding.strip().lower() not in _IDENTITY_ENCODINGS:
        response.close()
        raise VenstarInvalidResponseError(
            f"{method} {path}: compressed answer ({encoding[:20]!r}) refused"
        )
    length = response.content_length
    if length is not None and length > MAX_BODY_BYTES:
        response.close()
        raise VenstarInvalidResponseError(
            f"{method} {path}: answer of {length} bytes refused (limit {MAX_BODY_BYTES})"
        )
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.content.iter_chunked(_READ_CHUNK):
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            response.close()
            raise VenstarInvalidResponseError(
                f"{method} {path}: answer larger than {MAX_BODY_BYTES} bytes refused"
            )
        chunks.append(chunk)
    return b"".join(chunks)


def _transient(err: VenstarError) -> bool:
    if isinstance(err, VenstarCertificateMismatchError):
        return False
    if isinstance(err, VenstarApiError):
        return err.status is not None and err.status >= 500
    return True


async def _finish_even_if_cancelled[T](coro: Coroutine[Any, Any, T]) -> T:
    """Await `coro` in its own task; if the caller is cancelled, let the exchange end first.

    The request is not torn down mid-way: it completes (bounded by the request timeout),
    its response is read and released, and only then is the cancellation re-raised. A
    thermostat that cannot serve two connections therefore never sees the next request
    while it is still answering the abandoned one.
    """
    task = asyncio.ensure_future(coro)
    try:
        return await asyncio.shield(task)
    except asyncio.CancelledError:
        await wait_shielded(task)
        raise


async def wait_shielded(task: asyncio.Future[Any]) -> None:
    """Wait until `task` is done, ignoring cancellations of the waiting task meanwhile.

    The caller re-raises its own cancellation afterwards; the task's outcome is retrieved so
    it is never reported as unhandled.
    """
    while not task.done():
        try:
            await asyncio.wait({task})
        except asyncio.CancelledError:
            continue
    if not task.cancelled():
        task.exception()
