"""Fixtures that run the real product processes on free loopback ports in temporary dirs."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import aiohttp
import pytest
from pytest_socket import enable_socket, socket_allow_hosts

from devstack.homeassistant import HomeAssistantServer
from devstack.ports import free_port
from devstack.rest import HomeAssistantRest
from devstack.stack import ProductStack, StackPorts
from devstack.zwave import SETUP_COMMAND, simulator_installed

from .house import DemoHouse


@pytest.fixture(scope="module")
def ha_server(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[HomeAssistantServer]:
    """A real Home Assistant started exactly as `scripts/develop` starts it, onboarded once."""
    enable_socket()
    socket_allow_hosts(["127.0.0.1"])
    server = HomeAssistantServer(tmp_path_factory.mktemp("ha-config"), port=free_port())
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
async def ha_rest(
    ha_server: HomeAssistantServer, socket_enabled: None
) -> AsyncIterator[HomeAssistantRest]:
    """A REST session as the demo owner (onboarding on first use, login afterwards)."""
    async with aiohttp.ClientSession() as session:
        rest = HomeAssistantRest(ha_server.url, session)
        if await rest.onboarding_done():
            await rest.login()
        else:
            await rest.onboard()
        yield rest


@pytest.fixture
def repo_root() -> Path:
    """The repository checkout."""
    return Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def product(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ProductStack]:
    """The whole product, started and provisioned exactly as `scripts/develop` does it."""
    if not simulator_installed():
        pytest.skip(f"the Z-Wave simulator is not installed; run `{SETUP_COMMAND}`")
    enable_socket()
    socket_allow_hosts(["127.0.0.1"])
    root = tmp_path_factory.mktemp("product")
    stack = ProductStack(root / "config", root / "state", StackPorts.free())
    try:
        stack.start()
        yield stack
    finally:
        stack.stop()


@pytest.fixture
async def house(
    product: ProductStack, socket_enabled: None
) -> AsyncIterator[DemoHouse]:
    """The demo house, logged in as its owner and reset to a quiet evening with people home."""
    assert product.homeassistant is not None
    async with aiohttp.ClientSession() as session:
        rest = HomeAssistantRest(product.homeassistant.url, session)
        await rest.login()
        house = DemoHouse(product, rest, session)
        await house.reset()
        yield house
