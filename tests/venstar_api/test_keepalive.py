"""Telling in advance whether a request reuses a kept-alive connection (aiohttp's pool).

The answer must match what aiohttp then does, and be "no" whenever it cannot be told for
sure: an unknown pool layout, a connection about to expire, a session that could take
another path.
"""

from __future__ import annotations

from collections import defaultdict, deque, namedtuple
from collections.abc import AsyncIterator, Callable
import time
from typing import Any

import aiohttp
from aiohttp import connector as aiohttp_connector
import pytest
from yarl import URL

from custom_components.venstar_local.api import FanMode
from custom_components.venstar_local.api.keepalive import (
    EXPIRY_MARGIN,
    connection_of,
    reuses,
)
from emulators.venstar import VenstarEmulator

from .conftest import IDENTITY, ClientFactory, trusted

KEEPALIVE = 15.0  # aiohttp's default, as Home Assistant's shared session uses it


def url_of(emu: VenstarEmulator) -> URL:
    return URL(emu.base_url)


async def get(session: aiohttp.ClientSession, emu: VenstarEmulator) -> object | None:
    """GET the state; return the connection that carried it."""
    async with session.get(f"{emu.base_url}query/info") as response:
        await response.read()
        return connection_of(response)


@pytest.fixture
async def pool(socket_enabled: None) -> AsyncIterator[aiohttp.TCPConnector]:
    connector = aiohttp.TCPConnector()
    yield connector
    await connector.close()


@pytest.fixture
async def plain(pool: aiohttp.TCPConnector) -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession(connector=pool, connector_owner=False) as session:
        yield session


def shift_pool_clock(monkeypatch: pytest.MonkeyPatch, seconds: float) -> None:
    """Move the connector's clock (the one its pool lookup uses) forward."""
    real = time.monotonic
    monkeypatch.setattr(aiohttp_connector, "monotonic", lambda: real() + seconds)


async def test_prediction_matches_the_connection_used(
    plain: aiohttp.ClientSession, venstar_emulator: VenstarEmulator
) -> None:
    first = await get(plain, venstar_emulator)
    assert first is not None
    assert reuses(plain, url_of(venstar_emulator), True, first)
    assert not reuses(plain, url_of(venstar_emulator), True, object())
    assert not reuses(plain, url_of(venstar_emulator), True, None)
    assert not reuses(plain, url_of(venstar_emulator), False, first)  # another key
    assert await get(plain, venstar_emulator) is first
    assert [r.connection for r in venstar_emulator.requests] == [1, 1]


async def test_connection_about_to_expire_is_not_counted_on(
    plain: aiohttp.ClientSession,
    venstar_emulator: VenstarEmulator,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first = await get(plain, venstar_emulator)
    shift_pool_clock(monkeypatch, KEEPALIVE - EXPIRY_MARGIN / 2)
    assert not reuses(plain, url_of(venstar_emulator), True, first)
    # aiohttp would still have reused it: the margin only ever says no too early.
    assert await get(plain, venstar_emulator) is first


async def test_connection_past_its_keepalive_is_not_counted_on(
    plain: aiohttp.ClientSession,
    venstar_emulator: VenstarEmulator,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first = await get(plain, venstar_emulator)
    shift_pool_clock(monkeypatch, KEEPALIVE + 1)
    assert not reuses(plain, url_of(venstar_emulator), True, first)
    assert await get(plain, venstar_emulator) is not first
    assert [r.connection for r in venstar_emulator.requests] == [1, 2]


async def test_command_on_a_connection_about_to_expire_reads_first(
    client_factory: ClientFactory,
    venstar_emulator: VenstarEmulator,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    client = client_factory(venstar_emulator, expected_identity=IDENTITY)
    await client.info()
    assert trusted(client)
    shift_pool_clock(monkeypatch, KEEPALIVE - EXPIRY_MARGIN / 2)
    assert not trusted(client)
    start = len(venstar_emulator.requests)
    await client.set_fan(FanMode.ON)
    assert [r.path for r in venstar_emulator.requests[start:]] == [
        "/query/info",
        "/control",
        "/query/info",
    ]


@pytest.mark.parametrize(
    "options",
    [
        {"trust_env": True},
        {"trace_configs": [aiohttp.TraceConfig()]},
        {"proxy": "http://127.0.0.1:9"},
    ],
    ids=["environment", "trace_hooks", "proxy"],
)
async def test_session_that_could_send_elsewhere_proves_nothing(
    pool: aiohttp.TCPConnector,
    plain: aiohttp.ClientSession,
    venstar_emulator: VenstarEmulator,
    options: dict[str, Any],
) -> None:
    first = await get(plain, venstar_emulator)
    async with aiohttp.ClientSession(
        connector=pool, connector_owner=False, **options
    ) as other:
        assert not reuses(other, url_of(venstar_emulator), True, first)
    assert reuses(plain, url_of(venstar_emulator), True, first)


async def test_closed_session_or_connector_proves_nothing(
    venstar_emulator: VenstarEmulator, socket_enabled: None
) -> None:
    async with aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(force_close=True)
    ) as forced:
        assert not reuses(
            forced, url_of(venstar_emulator), True, await get(forced, venstar_emulator)
        )
    session = aiohttp.ClientSession()
    first = await get(session, venstar_emulator)
    await session.close()
    assert not reuses(session, url_of(venstar_emulator), True, first)


type Mutation = Callable[[aiohttp.TCPConnector, Any, object], None]


def _only_key(connector: aiohttp.TCPConnector) -> Any:
    (key,) = connector._conns
    return key


def _pool_not_a_dict(connector: aiohttp.TCPConnector, key: Any, proto: object) -> None:
    connector._conns = list(connector._conns.items())  # type: ignore[assignment]


def _no_keepalive(connector: aiohttp.TCPConnector, key: Any, proto: object) -> None:
    connector._keepalive_timeout = None  # type: ignore[assignment]


def _entries_not_a_deque(
    connector: aiohttp.TCPConnector, key: Any, proto: object
) -> None:
    connector._conns[key] = list(connector._conns[key])  # type: ignore[assignment]


def _entry_of_three(connector: aiohttp.TCPConnector, key: Any, proto: object) -> None:
    connector._conns[key] = deque([(proto, 0.0, "new")])  # type: ignore[list-item]


def _release_time_not_a_number(
    connector: aiohttp.TCPConnector, key: Any, proto: object
) -> None:
    connector._conns[key] = deque([(proto, "now")])  # type: ignore[list-item]


def _another_matching_key(
    connector: aiohttp.TCPConnector, key: Any, proto: object
) -> None:
    other = namedtuple("Key", "host port is_ssl ssl proxy")(*key[:5])  # noqa: PYI024
    connector._conns[other] = deque()  # type: ignore[index]


def _foreign_connection_first(
    connector: aiohttp.TCPConnector, key: Any, proto: object
) -> None:
    class Connected:
        def is_connected(self) -> bool:
            return True

    connector._conns[key].appendleft((Connected(), time.monotonic()))  # type: ignore[arg-type]


def _unknown_protocol(connector: aiohttp.TCPConnector, key: Any, proto: object) -> None:
    connector._conns[key] = deque([(object(), time.monotonic())])  # type: ignore[list-item]


@pytest.mark.parametrize(
    "mutation",
    [
        _pool_not_a_dict,
        _no_keepalive,
        _entries_not_a_deque,
        _entry_of_three,
        _release_time_not_a_number,
        _another_matching_key,
        _foreign_connection_first,
        _unknown_protocol,
    ],
)
async def test_pool_unlike_the_known_layout_proves_nothing(
    venstar_emulator: VenstarEmulator, socket_enabled: None, mutation: Mutation
) -> None:
    """What a newer aiohttp might do differently: the answer falls back to "no"."""
    async with aiohttp.ClientSession() as session:
        first = await get(session, venstar_emulator)
        connector = session.connector
        assert isinstance(connector, aiohttp.TCPConnector)
        assert reuses(session, url_of(venstar_emulator), True, first)
        pool = connector._conns
        saved = (defaultdict(deque, {k: deque(v) for k, v in pool.items()}), KEEPALIVE)
        mutation(connector, _only_key(connector), first)
        assert not reuses(session, url_of(venstar_emulator), True, first)
        connector._conns, connector._keepalive_timeout = saved


async def test_connector_without_its_clock_proves_nothing(
    plain: aiohttp.ClientSession,
    venstar_emulator: VenstarEmulator,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first = await get(plain, venstar_emulator)
    monkeypatch.delattr(aiohttp_connector, "monotonic")
    assert not reuses(plain, url_of(venstar_emulator), True, first)
