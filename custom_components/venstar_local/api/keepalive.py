"""Whether the next request to a thermostat goes over a given kept-alive connection.

A thermostat's IP address can be handed to another device; an established TCP connection
cannot: a device that takes over the address has no part in it (it answers the connection's
packets with a reset), and a thermostat that restarts loses it. A write sent over the
connection that carried an answer identifying the thermostat therefore reaches that
thermostat or nobody.

aiohttp offers no public way to know beforehand which connection a request will use, so this
module reads the connector's pool the way ``BaseConnector._get`` uses it (unchanged from 3.11
to 3.14): per connection key, a deque of (protocol, time it was released), taken oldest first;
an entry is reused when its protocol is still connected and it was released at most the
connector's ``keepalive_timeout`` ago, by the connector's own ``monotonic``. The answer is
"no" - and the caller reads the thermostat first - whenever it cannot be told for sure:

* the pool does not look like that (another aiohttp), or the connection is not the first
  one the connector would reuse, or it has less than `EXPIRY_MARGIN` of keep-alive left;
* the session could send the request another way (a proxy, environment settings), or could
  suspend between the check and the pool lookup (trace hooks, client middlewares).

The check must run in the same event-loop step as the request starts: without the settings
above, ``ClientSession._request`` reaches the pool lookup without suspending, so nothing (a
connection closing included) can change the pool in between. aiohttp never sends a ``POST``
again on another connection (only methods in ``IDEMPOTENT_METHODS`` are retried after a kept
connection fails), so a write that finds its connection gone fails instead of going elsewhere.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from typing import Any

import aiohttp
from aiohttp import connector as aiohttp_connector
from yarl import URL

# Seconds of keep-alive a connection must have left to be counted on.
EXPIRY_MARGIN = 1.0


def connection_of(response: aiohttp.ClientResponse) -> object | None:
    """Return the connection (aiohttp protocol) that carried `response`, if aiohttp tells."""
    return getattr(response, "_protocol", None)


def reuses(
    session: aiohttp.ClientSession,
    url: URL,
    ssl: object,
    connection: object | None,
) -> bool:
    """Whether a request to `url` with `ssl` made now goes over `connection`."""
    if connection is None or not _direct(session):
        return False
    connector = session.connector
    pool = getattr(connector, "_conns", None)
    keepalive = getattr(connector, "_keepalive_timeout", None)
    clock: Callable[[], float] | None = getattr(aiohttp_connector, "monotonic", None)
    if (
        connector is None
        or connector.closed
        or getattr(connector, "force_close", True)
        or not isinstance(pool, dict)
        or not isinstance(keepalive, int | float)
        or clock is None
    ):
        return False
    keys = [key for key in pool if _same_endpoint(key, url, ssl)]
    if len(keys) != 1 or not isinstance(entries := pool[keys[0]], deque):
        return False
    now = clock()
    for entry in entries:
        if not isinstance(entry, tuple) or len(entry) != 2:
            return False
        protocol, released = entry
        if not isinstance(released, int | float):
            return False
        idle = now - released
        if _connected(protocol) and idle <= keepalive:
            # The one the connector takes: ours, and not about to expire.
            return protocol is connection and idle <= keepalive - EXPIRY_MARGIN
    return False


def _direct(session: aiohttp.ClientSession) -> bool:
    """Whether requests go straight to the pool lookup (no proxy, hooks or middlewares)."""
    return (
        not session.closed
        and not session.trust_env
        and not session.trace_configs
        and getattr(session, "_default_proxy", True) is None
        and not getattr(session, "_middlewares", ())
    )


def _same_endpoint(key: Any, url: URL, ssl: object) -> bool:
    """Whether pool key `key` is the one a direct request to `url` with `ssl` uses."""
    return (
        getattr(key, "host", None) == (url.raw_host or "")
        and getattr(key, "port", None) == url.port
        and getattr(key, "is_ssl", None) is (url.scheme == "https")
        and getattr(key, "ssl", None) is ssl
        and getattr(key, "proxy", True) is None
        and getattr(key, "proxy_headers_hash", None) is None
        and getattr(key, "server_hostname", None) is None
    )


def _connected(protocol: object) -> bool:
    is_connected = getattr(protocol, "is_connected", None)
    return callable(is_connected) and is_connected() is True
