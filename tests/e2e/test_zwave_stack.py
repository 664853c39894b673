"""The simulated Z-Wave network: real mock-server + zwave-server, seen through HA's Z-Wave client.

The detectors are driven through the simulator's control server and observed with
`zwave_js_server.client.Client`, the library Home Assistant's `zwave_js` integration uses, so
these tests show what HA receives: value updates of the Notification CC values.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
import re
import shutil
import socket
from typing import Any

import aiohttp
import pytest
from pytest_socket import enable_socket, socket_allow_hosts
from zwave_js_server.client import Client
from zwave_js_server.model.node import Node

from devstack.zwave import (
    SETUP_COMMAND,
    ZwaveSimulator,
    ZwaveSimulatorError,
    commands as zwave_commands,
    simulator_installed,
)

pytestmark = pytest.mark.e2e

NODE_MISSING = "Node.js is not installed; it runs the simulated Z-Wave network"
PACKAGES_MISSING = (
    f"the Z-Wave simulator's npm packages are missing; run `{SETUP_COMMAND}`"
)

HOME_ID = 0x7E570001
ZCOMBO_G = 2
ZCOMBO = 3
NOTIFICATION_CC = 113
SMOKE_ALARM = "Smoke Alarm"
CO_ALARM = "CO Alarm"
SENSOR_STATUS = "Sensor status"
ALARM_STATUS = "Alarm status"
VALUE_TIMEOUT = 10.0
# Per control-server alarm: its Notification CC value, the other one, the label HA shows.
ALARMS = {
    "smoke": (SMOKE_ALARM, CO_ALARM, "Smoke detected"),
    "co": (CO_ALARM, SMOKE_ALARM, "Carbon monoxide detected"),
}


@pytest.fixture(scope="module")
def zwave_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ZwaveSimulator]:
    """One simulated network for the module, on free loopback ports, with a fresh driver cache."""
    if shutil.which("node") is None:
        pytest.skip(NODE_MISSING)
    if not simulator_installed():
        pytest.skip(PACKAGES_MISSING)
    enable_socket()
    socket_allow_hosts(["127.0.0.1"])
    stack = ZwaveSimulator(tmp_path_factory.mktemp("zwave"))
    try:
        stack.start_blocking()
        yield stack
    finally:
        stack.stop_blocking()


@pytest.fixture
async def zwave_client(
    zwave_stack: ZwaveSimulator, socket_enabled: None
) -> AsyncIterator[Client]:
    """HA's Z-Wave JS client connected to the simulated network, listening for events."""
    async with aiohttp.ClientSession() as session:
        client = Client(zwave_stack.server_url, session)
        await client.connect()
        driver_ready = asyncio.Event()
        listening = asyncio.create_task(client.listen(driver_ready))
        try:
            await asyncio.wait_for(driver_ready.wait(), VALUE_TIMEOUT)
            yield client
        finally:
            await client.disconnect()
            await listening


def _node(client: Client, node_id: int) -> Node:
    assert client.driver is not None
    return client.driver.controller.nodes[node_id]


def _notification_value(node: Node, notification: str, variable: str) -> Any:
    return node.values[f"{node.node_id}-{NOTIFICATION_CC}-0-{notification}-{variable}"]


async def _wait_for(
    node: Node, notification: str, variable: str, expected: int
) -> None:
    """Wait until the driver has pushed `expected` for one Notification CC value."""
    value = _notification_value(node, notification, variable)
    reached = asyncio.Event()

    def check(_: dict[str, Any] | None = None) -> None:
        if value.value == expected:
            reached.set()

    unsubscribe = node.on("value updated", check)
    try:
        check()
        await asyncio.wait_for(reached.wait(), VALUE_TIMEOUT)
    finally:
        unsubscribe()


def _state_label(node: Node, notification: str, variable: str) -> str:
    value = _notification_value(node, notification, variable)
    return str(value.metadata.states[str(value.value)])


async def test_both_detectors_are_interviewed(zwave_client: Client) -> None:
    assert zwave_client.version is not None
    assert zwave_client.version.home_id == HOME_ID
    zcombo_g = _node(zwave_client, ZCOMBO_G)
    zcombo = _node(zwave_client, ZCOMBO)
    assert zcombo_g.ready
    assert zcombo.ready
    assert (zcombo_g.manufacturer_id, zcombo_g.product_type, zcombo_g.product_id) == (
        0x0138,
        0x0001,
        0x0003,
    )
    assert zcombo_g.device_config.description == "ZCombo-G Smoke/CO Alarm"
    assert zcombo.device_config.description == "Smoke and Carbon Monoxide Alarm"
    # Push mode starts every idle-able value at idle: HA shows "off", not "unknown".
    for node in (zcombo_g, zcombo):
        assert _notification_value(node, SMOKE_ALARM, SENSOR_STATUS).value == 0
        assert _notification_value(node, CO_ALARM, SENSOR_STATUS).value == 0


@pytest.mark.parametrize("alarm", ["smoke", "co"])
async def test_zcombo_g_alarm_is_detected_and_cleared(
    zwave_stack: ZwaveSimulator, zwave_client: Client, alarm: str
) -> None:
    notification, other, label = ALARMS[alarm]
    node = _node(zwave_client, ZCOMBO_G)

    await zwave_stack.trigger(f"{alarm}/on", node=ZCOMBO_G)
    await _wait_for(node, notification, SENSOR_STATUS, 2)
    assert _state_label(node, notification, SENSOR_STATUS) == label
    assert _notification_value(node, other, SENSOR_STATUS).value == 0

    await zwave_stack.trigger(f"{alarm}/off", node=ZCOMBO_G)
    await _wait_for(node, notification, SENSOR_STATUS, 0)


@pytest.mark.parametrize("node_id", [ZCOMBO_G, ZCOMBO], ids=["zcombo_g", "zcombo"])
async def test_a_test_press_is_not_smoke(
    zwave_stack: ZwaveSimulator, zwave_client: Client, node_id: int
) -> None:
    node = _node(zwave_client, node_id)

    await zwave_stack.trigger("smoke/test", node=node_id)
    await _wait_for(node, SMOKE_ALARM, ALARM_STATUS, 3)
    assert _state_label(node, SMOKE_ALARM, ALARM_STATUS) == "Smoke alarm test"
    assert _notification_value(node, SMOKE_ALARM, SENSOR_STATUS).value == 0

    await zwave_stack.trigger("smoke/test/end", node=node_id)
    await _wait_for(node, SMOKE_ALARM, ALARM_STATUS, 0)


async def test_legacy_zcombo_alarm_frames_are_mapped(
    zwave_stack: ZwaveSimulator, zwave_client: Client
) -> None:
    node = _node(zwave_client, ZCOMBO)

    answer = await zwave_stack.trigger("alarm", node=ZCOMBO, type=1, level=255)
    assert answer["state"]["smoke"] is True
    await _wait_for(node, SMOKE_ALARM, SENSOR_STATUS, 2)
    assert _state_label(node, SMOKE_ALARM, SENSOR_STATUS) == "Smoke detected"

    await zwave_stack.trigger("alarm", node=ZCOMBO, type=1, level=0)
    await _wait_for(node, SMOKE_ALARM, SENSOR_STATUS, 0)


async def test_low_battery_report(
    zwave_stack: ZwaveSimulator, zwave_client: Client
) -> None:
    node = _node(zwave_client, ZCOMBO_G)
    is_low = node.values[f"{ZCOMBO_G}-128-0-isLow"]
    assert is_low.value is False
    reported = asyncio.Event()

    def on_update(event: dict[str, Any]) -> None:
        if event["value"].property_ == "isLow" and event["value"].value is True:
            reported.set()

    unsubscribe = node.on("value updated", on_update)
    try:
        await zwave_stack.trigger("battery/low", node=ZCOMBO_G)
        await asyncio.wait_for(reported.wait(), VALUE_TIMEOUT)
    finally:
        unsubscribe()
    await zwave_stack.trigger("battery", node=ZCOMBO_G, level=92)


async def test_control_server_rejects_what_a_detector_cannot_report(
    zwave_stack: ZwaveSimulator, socket_enabled: None
) -> None:
    with pytest.raises(ZwaveSimulatorError, match="not supported by the legacy ZCOMBO"):
        await zwave_stack.trigger("co/eol", node=ZCOMBO)
    with pytest.raises(ZwaveSimulatorError, match="no simulated node 9"):
        await zwave_stack.trigger("smoke/on", node=9)
    with pytest.raises(ZwaveSimulatorError, match="'level' must be an integer"):
        await zwave_stack.trigger("battery", node=ZCOMBO_G, level=101)
    state = await zwave_stack.detector_state()
    assert state["homeId"] == HOME_ID
    assert state["nodes"]["2"]["lifeline"] == [1]


@pytest.mark.skipif(shutil.which("node") is None, reason=NODE_MISSING)
async def test_missing_packages_name_the_setup_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, socket_enabled: None
) -> None:
    monkeypatch.setattr(zwave_commands, "SIMULATOR_DIR", tmp_path / "not-installed")
    stack = ZwaveSimulator(tmp_path / "state")
    with pytest.raises(ZwaveSimulatorError, match=re.escape(SETUP_COMMAND)):
        await stack.start()
    assert not stack.running
    assert not (tmp_path / "state").exists()


@pytest.mark.skipif(not simulator_installed(), reason=PACKAGES_MISSING)
async def test_a_taken_port_is_refused_before_anything_starts(
    tmp_path: Path, socket_enabled: None
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        stack = ZwaveSimulator(tmp_path / "state", control_port=port)
        with pytest.raises(ZwaveSimulatorError, match=f"control {port}"):
            await stack.start()
    assert not stack.running
    assert not (tmp_path / "state").exists()


async def test_starting_a_running_network_again_is_refused(
    zwave_stack: ZwaveSimulator,
) -> None:
    with pytest.raises(ZwaveSimulatorError, match="already started"):
        await zwave_stack.start()
    assert zwave_stack.running
