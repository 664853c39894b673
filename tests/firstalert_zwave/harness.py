"""Z-Wave test harness: HA's real ``zwave_js`` on a simulated zwave-js-server.

Only the websocket client (``homeassistant.components.zwave_js.ZwaveClient``) is replaced.
Everything above it - the zwave-js-server-python 0.62.0 models (``Driver``, ``Controller``,
``Node``, ``Value``), HA's ``zwave_js`` integration, its entities and device registry
entries - is the real code. Events are injected exactly as zwave-js-server sends them over
the websocket (same ``source``/``event``/``args`` dicts), so whatever listens to the node
objects or to HA sees what it would see in production.

Like the real server, every (re)connection gets a **new** client object with a new
``Driver`` and new ``Node`` objects built from the network's node states. When a client
disconnects (entry unload, reload or a dropped connection) the live node states, including
every value injected so far, are saved back into ``ZwaveNetwork.states``, so the next
connection starts from what the network looked like at that moment. Tests may edit
``network.states`` while zwave_js is unloaded (for instance to swap a device).

API (import from ``tests.firstalert_zwave.harness``)::

    # pytest fixtures - import them into your conftest.py
    # (``from tests.firstalert_zwave.harness import alarm_events, zwave_network``):
    zwave_network           -> ZwaveNetwork, with ZwaveClient patched for the test
    alarm_events            -> list of captured ``firstalert_zwave_alarm`` bus events
    # node states (plain dicts in zwave-js-server ``NodeState`` format):
    zcombo_g_state(node_id=3, *, values=None, name=None, location=None, last_seen=None,
                   status=None)          the real ZCOMBO-G dump (Notification v8)
    zcombo_state(node_id, ...)           legacy ZCOMBO 0x0001:0x0002, Notification CC v1
    zsmoke_state(node_id, ...)           legacy ZSMOKE 0x0001:0x0001, Notification CC v1
    foreign_state(node_id, ...)          a non-First-Alert device (door/window sensor)
    values={(cc, property, property_key): value} sets initial values, e.g.
        {SMOKE_SENSOR: 2} with SMOKE_SENSOR = (113, "Smoke Alarm", "Sensor status").
    # set-up helpers (coroutines):
    await async_setup_zwave_js(hass, network)        adds + sets up a zwave_js entry
    await async_setup_firstalert(hass, options=None, entry_id=None)  adds + sets up our
        entry (zwave_js entries already added come up first, as our dependency)
    zwave_entry(hass) / firstalert_entry(hass, ...)  add an entry without setting it up
    # injection (synchronous, like the client's receive loop; call
    # ``await hass.async_block_till_done()`` afterwards when HA tasks must finish):
    network.value_updated(node_id, (cc, property, key), new_value, prev_value=None)
    network.update(node_id, key, new_value)   value_updated with the current value as prev
    network.value_added(node_id, key, value)  a value appears (e.g. re-interview)
    network.legacy_alarm(node_id, alarm_type, alarm_level)   V1 frame as zwave-js applies
        it: alarmType + alarmLevel updates, then the mapped Notification value updates
    network.notification(node_id, notification_type, event, label=..., event_label=...)
    network.node_added(state)  /  network.node_removed(node_id, reason=EXCLUDED)
    network.node_ready(state)  -> interview (re)completed with this full node state
    network.node_event(node_id, "dead" | "alive" | "sleep" | "wake up")
    network.drop_connection()  -> the listen task ends; zwave_js reloads itself
    network.reachable = False  -> the next connect fails (zwave_js: ConfigEntryNotReady)
    network.node(node_id) / network.driver / network.client / network.clients
    network.commands          every command dict sent by HA to the "server"

    # constants: HOME_ID; value keys SMOKE_SENSOR, SMOKE_ALARM, CO_SENSOR, CO_ALARM,
    # CO_TEST, CO_MAINTENANCE, SMOKE_MAINTENANCE, HARDWARE, ALARM_TYPE, ALARM_LEVEL,
    # BATTERY_LEVEL, BATTERY_LOW, WAKE_UP_INTERVAL; live_state(node) dumps a live node.

Node states carry ``lastSeen`` = now unless ``last_seen`` is given, so a freshly built
network is "in contact"; pass an older datetime to simulate a silent detector.

Entities our entry creates (device slug = zwave_js device name, e.g. ``kitchen_alarm`` for a
node named "Kitchen alarm", ``zcombo_g_smoke_co_alarm`` for the unnamed dump)::

    binary_sensor.first_alert_household_smoke            (device class smoke)
    binary_sensor.first_alert_household_carbon_monoxide  (device class carbon_monoxide)
    sensor.first_alert_household_alarm    clear|smoke|co|smoke_and_co|test
    event.first_alert_household_alarm_events
    sensor.<slug>_alarm_state             idle|smoke|co|test|silenced|end_of_life|offline
    sensor.<slug>_last_check_in, binary_sensor.<slug>_battery_low|_end_of_life|_offline
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator, Mapping
import copy
from datetime import datetime
from functools import cache
import json
from pathlib import Path
from typing import Any
from unittest.mock import AsyncMock, MagicMock, patch

# zwave_js imports hassio (mashumaro models) lazily; importing it under a frozen clock
# (pytest.mark.freeze_time) breaks mashumaro, so import it before any test freezes time.
import homeassistant.components.hassio  # noqa: F401
from homeassistant.core import Event as HaEvent, HomeAssistant
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
)
from zwave_js_server.client import Client as ZwaveClient
from zwave_js_server.const import RemoveNodeReason
from zwave_js_server.event import Event
from zwave_js_server.exceptions import CannotConnect
from zwave_js_server.model.driver import Driver
from zwave_js_server.model.node import Node
from zwave_js_server.model.version import VersionInfo

from custom_components.firstalert_zwave.const import DOMAIN, EVENT_ALARM

FIXTURES = Path(__file__).parent / "fixtures"
HOME_ID = 3967668131
ZWAVE_DOMAIN = "zwave_js"
CONTROLLER_NODE_ID = 1

ValueKey = tuple[int, str, str | None]
SMOKE_SENSOR: ValueKey = (113, "Smoke Alarm", "Sensor status")
SMOKE_ALARM: ValueKey = (113, "Smoke Alarm", "Alarm status")
SMOKE_MAINTENANCE: ValueKey = (113, "Smoke Alarm", "Maintenance status")
CO_SENSOR: ValueKey = (113, "CO Alarm", "Sensor status")
CO_ALARM: ValueKey = (113, "CO Alarm", "Alarm status")
CO_TEST: ValueKey = (113, "CO Alarm", "Test status")
CO_MAINTENANCE: ValueKey = (113, "CO Alarm", "Maintenance status")
HARDWARE: ValueKey = (113, "System", "Hardware status")
ALARM_TYPE: ValueKey = (113, "alarmType", None)
ALARM_LEVEL: ValueKey = (113, "alarmLevel", None)
BATTERY_LEVEL: ValueKey = (128, "level", None)
BATTERY_LOW: ValueKey = (128, "isLow", None)
WAKE_UP_INTERVAL: ValueKey = (132, "wakeUpInterval", None)

_CC_NAMES = {113: "Notification", 128: "Battery", 132: "Wake Up"}

# zwave-js alarmMapping of the legacy ZCOMBO/ZSMOKE configs: (type, level) -> value updates.
_LEGACY_MAPPING: dict[tuple[int, int], tuple[tuple[ValueKey, int], ...]] = {
    (1, 255): ((SMOKE_SENSOR, 2),),
    (1, 0): ((SMOKE_SENSOR, 0), (SMOKE_ALARM, 0)),
    (2, 255): ((CO_SENSOR, 2),),
    (2, 0): ((CO_SENSOR, 0),),
    (12, 255): ((SMOKE_ALARM, 3),),
    (12, 0): ((SMOKE_SENSOR, 0), (SMOKE_ALARM, 0)),
    (13, 255): ((SMOKE_SENSOR, 0), (SMOKE_ALARM, 0)),
}

LOG_CONFIG_STATE = {
    "enabled": True,
    "level": "info",
    "logToFile": False,
    "filename": "",
    "forceConsole": False,
}


@cache
def _real_dump() -> str:
    return (FIXTURES / "zcombo_smoke_co_alarm_state.json").read_text()


def _iso(moment: datetime) -> str:
    return moment.astimezone(dt_util.UTC).isoformat().replace("+00:00", "Z")


def _find_value(state: dict[str, Any], key: ValueKey) -> dict[str, Any] | None:
    cc, prop, prop_key = key
    for value in state["values"]:
        if (
            value["commandClass"] == cc
            and value["property"] == prop
            and value.get("propertyKey") == prop_key
            and value.get("endpoint", 0) == 0
        ):
            return value  # type: ignore[no-any-return]
    return None


def _notification_value(
    key: ValueKey, states: Mapping[int, str], notification_type: int, version: int
) -> dict[str, Any]:
    _, prop, prop_key = key
    return {
        "endpoint": 0,
        "commandClass": 113,
        "commandClassName": "Notification",
        "property": prop,
        "propertyKey": prop_key,
        "propertyName": prop,
        "propertyKeyName": prop_key,
        "ccVersion": version,
        "metadata": {
            "type": "number",
            "readable": True,
            "writeable": False,
            "label": prop_key,
            "ccSpecific": {"notificationType": notification_type},
            "min": 0,
            "max": 255,
            "states": {str(k): v for k, v in states.items()},
            "stateful": True,
            "secret": False,
        },
        "value": 0,
    }


def _finish(
    state: dict[str, Any],
    *,
    values: Mapping[ValueKey, Any] | None,
    name: str | None,
    location: str | None,
    last_seen: datetime | None,
    status: int | None,
) -> dict[str, Any]:
    for key, new_value in (values or {}).items():
        value = _find_value(state, key)
        if value is None:
            raise KeyError(f"node {state['nodeId']} has no value {key}")
        value["value"] = new_value
    if name is not None:
        state["name"] = name
    if location is not None:
        state["location"] = location
    if status is not None:
        state["status"] = status
    seen = _iso(last_seen or dt_util.utcnow())
    state["lastSeen"] = seen
    state.setdefault("statistics", {})["lastSeen"] = seen
    return state


def _renumber(state: dict[str, Any], node_id: int) -> dict[str, Any]:
    state["nodeId"] = node_id
    for endpoint in state["endpoints"]:
        endpoint["nodeId"] = node_id
    return state


def zcombo_g_state(
    node_id: int = 3,
    *,
    values: Mapping[ValueKey, Any] | None = None,
    name: str | None = None,
    location: str | None = None,
    last_seen: datetime | None = None,
    status: int | None = None,
) -> dict[str, Any]:
    """Return the real ZCOMBO-G node dump (sleeping, Notification v8), optionally renumbered."""
    state = _renumber(json.loads(_real_dump()), node_id)
    return _finish(
        state,
        values=values,
        name=name,
        location=location,
        last_seen=last_seen,
        status=status,
    )


def _legacy_state(
    node_id: int,
    *,
    product_id: int,
    label: str,
    description: str,
    with_co: bool,
) -> dict[str, Any]:
    """Build a legacy BRK node from its device config: Notification CC v1 + alarmMapping."""
    state = _renumber(json.loads(_real_dump()), node_id)
    state.update(
        productId=product_id,
        productType=1,
        firmwareVersion="1.0",
        label=label,
        isSecure=False,
        highestSecurityClass=None,
        zwavePlusVersion=None,
        deviceDatabaseUrl=f"https://devices.zwave-js.io/?jumpTo=0x0138:0x0001:0x{product_id:04x}:1.0",
    )
    mapping = [
        {
            "from": {"alarmType": alarm_type, "alarmLevel": level},
            "to": {
                "notificationType": 1 if alarm_type != 2 else 2,
                "notificationEvent": ev,
            },
        }
        for (alarm_type, level), ev in (
            ((1, 255), 2),
            ((1, 0), 0),
            ((2, 255), 2),
            ((2, 0), 0),
            ((12, 255), 3),
            ((12, 0), 0),
            ((13, 255), 0),
        )
        if with_co or alarm_type != 2
    ]
    state["deviceConfig"] = {
        "filename": f"/data/db/devices/0x0138/{label.lower()}.json",
        "isEmbedded": True,
        "manufacturer": "BRK Brands, Inc.",
        "manufacturerId": 312,
        "label": label,
        "description": description,
        "devices": [{"productType": 1, "productId": product_id}],
        "firmwareVersion": {"min": "0.0", "max": "255.255"},
        "preferred": False,
        "associations": {},
        "paramInformation": {"_map": {}},
        "compat": {"alarmMapping": mapping},
    }
    keep_ccs = {114, 128, 132, 134, 112}
    command_classes = [
        {**cc, "isSecure": False}
        for cc in state["endpoints"][0]["commandClasses"]
        if cc["id"] in keep_ccs
    ]
    command_classes.append(
        {"id": 113, "name": "Notification", "version": 1, "isSecure": False}
    )
    state["endpoints"][0]["commandClasses"] = command_classes
    values = [
        {**value, "value": value["value"]}
        for value in state["values"]
        if value["commandClass"] in {114, 128, 132, 134}
    ]
    for value in values:
        if value["commandClass"] == 114:
            value["value"] = {"productId": product_id}.get(
                value["property"], value["value"]
            )
        if value["commandClass"] == 132 and value["property"] == "wakeUpInterval":
            value["metadata"].update(min=3600, max=3600, default=3600)
            value["value"] = 3600
    notification = [
        _notification_value(SMOKE_SENSOR, {0: "idle", 2: "Smoke detected"}, 1, 1),
        _notification_value(SMOKE_ALARM, {0: "idle", 3: "Smoke alarm test"}, 1, 1),
    ]
    if with_co:
        notification.append(
            _notification_value(
                CO_SENSOR, {0: "idle", 2: "Carbon monoxide detected"}, 2, 1
            )
        )
    for legacy in ("alarmType", "alarmLevel"):
        raw = _find_value(json.loads(_real_dump()), (113, legacy, None))
        assert raw is not None
        raw["ccVersion"] = 1
        notification.append(raw)
    state["values"] = notification + values
    return state


def zcombo_state(
    node_id: int,
    *,
    values: Mapping[ValueKey, Any] | None = None,
    name: str | None = None,
    location: str | None = None,
    last_seen: datetime | None = None,
    status: int | None = None,
) -> dict[str, Any]:
    """Return a legacy ZCOMBO (0x0001:0x0002) smoke + CO node, Notification CC v1."""
    state = _legacy_state(
        node_id,
        product_id=2,
        label="ZCOMBO",
        description="Smoke and Carbon Monoxide Alarm",
        with_co=True,
    )
    return _finish(
        state,
        values=values,
        name=name,
        location=location,
        last_seen=last_seen,
        status=status,
    )


def zsmoke_state(
    node_id: int,
    *,
    values: Mapping[ValueKey, Any] | None = None,
    name: str | None = None,
    location: str | None = None,
    last_seen: datetime | None = None,
    status: int | None = None,
) -> dict[str, Any]:
    """Return a legacy ZSMOKE (0x0001:0x0001) smoke-only node, Notification CC v1."""
    state = _legacy_state(
        node_id, product_id=1, label="ZSMOKE", description="Smoke Alarm", with_co=False
    )
    return _finish(
        state,
        values=values,
        name=name,
        location=location,
        last_seen=last_seen,
        status=status,
    )


def foreign_state(
    node_id: int,
    *,
    name: str | None = None,
    location: str | None = None,
    listening: bool = True,
) -> dict[str, Any]:
    """Return a non-First-Alert node (a door sensor from another maker, id 0x0086)."""
    state = _renumber(json.loads(_real_dump()), node_id)
    state.update(
        manufacturerId=134,
        productType=2,
        productId=100,
        label="ZW100",
        isListening=listening,
        isSecure=False,
        status=4 if listening else 1,
        deviceDatabaseUrl="https://devices.zwave-js.io/?jumpTo=0x0086:0x0002:0x0064:1.0",
    )
    state["deviceConfig"] = {
        "filename": "/data/db/devices/0x0086/zw100.json",
        "isEmbedded": True,
        "manufacturer": "AEON Labs",
        "manufacturerId": 134,
        "label": "ZW100",
        "description": "Door sensor",
        "devices": [{"productType": 2, "productId": 100}],
        "firmwareVersion": {"min": "0.0", "max": "255.255"},
        "preferred": False,
        "associations": {},
        "paramInformation": {"_map": {}},
    }
    state["endpoints"][0]["commandClasses"] = [
        {"id": 114, "name": "Manufacturer Specific", "version": 2, "isSecure": False},
        {"id": 113, "name": "Notification", "version": 8, "isSecure": False},
        {"id": 128, "name": "Battery", "version": 1, "isSecure": False},
    ]
    door = _notification_value(
        (113, "Access Control", "Door state"), {22: "Window/door is open"}, 6, 8
    )
    door["metadata"]["states"] = {
        "22": "Window/door is open",
        "23": "Window/door is closed",
    }
    door["value"] = 23
    state["values"] = [
        door,
        *(
            {
                **value,
                "value": {
                    "manufacturerId": 134,
                    "productType": 2,
                    "productId": 100,
                }.get(value["property"], value["value"]),
            }
            for value in state["values"]
            if value["commandClass"] in {114, 128}
        ),
    ]
    return _finish(
        state, values=None, name=name, location=location, last_seen=None, status=None
    )


def live_state(node: Node) -> dict[str, Any]:
    """Return the node's current state dump, including values changed since it was built."""
    state = copy.deepcopy(node.data)
    state["values"] = [
        copy.deepcopy(dict(value.data)) for value in node.values.values()
    ]
    state["endpoints"] = [
        copy.deepcopy(dict(endpoint.data)) for endpoint in node.endpoints.values()
    ]
    return state


class ZwaveNetwork:
    """A simulated zwave-js-server: node states plus the client HA is connected with."""

    def __init__(self, home_id: int = HOME_ID) -> None:
        """Start with no nodes besides the controller."""
        self.home_id = home_id
        self.states: dict[int, dict[str, Any]] = {}
        self.clients: list[MagicMock] = []
        self.commands: list[dict[str, Any]] = []
        self.reachable = True

    def add(self, *states: dict[str, Any]) -> None:
        """Put nodes on the network (seen by the next connection)."""
        for state in states:
            self.states[state["nodeId"]] = copy.deepcopy(state)

    @property
    def client(self) -> MagicMock:
        """Return the client of the most recent connection."""
        return self.clients[-1]

    @property
    def driver(self) -> Driver:
        """Return the driver of the most recent connection."""
        driver: Driver = self.client.driver
        return driver

    def node(self, node_id: int) -> Node:
        """Return the live node object of the most recent connection."""
        return self.driver.controller.nodes[node_id]

    def new_client(self, *_args: Any, **_kwargs: Any) -> MagicMock:
        """Build the client HA gets from ``ZwaveClient(url, session, ...)``."""
        client = MagicMock(spec=ZwaveClient)
        client.connected = False
        client.server_logging_enabled = False
        client.ws_server_url = "ws://test.org:3000/zjs"
        client.version = VersionInfo.from_message(
            {
                "driverVersion": "14.3.7",
                "serverVersion": "1.40.3",
                "homeId": self.home_id,
                "minSchemaVersion": 0,
                "maxSchemaVersion": 40,
            }
        )
        client.driver = driver = Driver(
            client,
            {
                "controller": {"homeId": self.home_id, "ownNodeId": CONTROLLER_NODE_ID},
                "nodes": [],
            },
            copy.deepcopy(LOG_CONFIG_STATE),
        )
        for node_id, state in sorted(self.states.items()):
            driver.controller.nodes[node_id] = Node(client, copy.deepcopy(state))
        stop_listening = asyncio.Event()
        client.stop_listening = stop_listening

        async def connect() -> None:
            if not self.reachable:
                raise CannotConnect(OSError("simulated server unreachable"))
            client.connected = True

        async def listen(driver_ready: asyncio.Event) -> None:
            driver_ready.set()
            await stop_listening.wait()

        async def disconnect() -> None:
            if client.connected:
                self._save(driver)
            client.connected = False

        async def send_command(
            message: dict[str, Any], require_schema: int | None = None
        ) -> dict[str, Any]:
            self.commands.append(message)
            if message["command"] == "node.has_device_config_changed":
                return {"changed": False}
            return {"success": True, "status": 255}

        async def send_command_no_wait(
            message: dict[str, Any], require_schema: int | None = None
        ) -> None:
            self.commands.append(message)

        client.connect = AsyncMock(side_effect=connect)
        client.listen = AsyncMock(side_effect=listen)
        client.disconnect = AsyncMock(side_effect=disconnect)
        client.async_send_command = AsyncMock(side_effect=send_command)
        client.async_send_command_no_wait = AsyncMock(side_effect=send_command_no_wait)
        self.clients.append(client)
        return client

    def _save(self, driver: Driver) -> None:
        self.states = {
            node_id: live_state(node)
            for node_id, node in driver.controller.nodes.items()
        }

    def drop_connection(self) -> None:
        """End the current listen task as a lost websocket would; zwave_js reloads itself."""
        self._save(self.driver)
        self.client.connected = False
        self.client.stop_listening.set()

    def _node_event(self, node_id: int, event: str, **data: Any) -> None:
        self.driver.receive_event(
            Event(
                type=event,
                data={"source": "node", "event": event, "nodeId": node_id, **data},
            )
        )

    def value_added(self, node_id: int, key: ValueKey, value: Any) -> None:
        """Send a ``value added`` event (a value appears, e.g. during a re-interview)."""
        cc, prop, prop_key = key
        args: dict[str, Any] = {
            "commandClassName": _CC_NAMES.get(cc, str(cc)),
            "commandClass": cc,
            "endpoint": 0,
            "property": prop,
            "propertyName": prop,
            "newValue": value,
        }
        if prop_key is not None:
            args["propertyKey"] = prop_key
            args["propertyKeyName"] = prop_key
        self._node_event(node_id, "value added", args=args)

    def value_updated(
        self,
        node_id: int,
        key: ValueKey,
        new_value: Any,
        prev_value: Any = None,
        *,
        endpoint: int = 0,
    ) -> None:
        """Send a ``value updated`` event as zwave-js-server forwards it."""
        cc, prop, prop_key = key
        args: dict[str, Any] = {
            "commandClassName": _CC_NAMES.get(cc, str(cc)),
            "commandClass": cc,
            "endpoint": endpoint,
            "property": prop,
            "propertyName": prop,
            "newValue": new_value,
            "prevValue": prev_value,
        }
        if prop_key is not None:
            args["propertyKey"] = prop_key
            args["propertyKeyName"] = prop_key
        self._node_event(node_id, "value updated", args=args)

    def current_value(self, node_id: int, key: ValueKey) -> Any:
        """Return a node's current value (None when the node does not have it)."""
        for value in self.node(node_id).values.values():
            if (
                value.command_class,
                value.property_,
                value.property_key,
            ) == key and value.endpoint in (0, None):
                return value.value
        return None

    def update(self, node_id: int, key: ValueKey, new_value: Any) -> None:
        """Send a value update carrying the node's current value as ``prevValue``."""
        self.value_updated(node_id, key, new_value, self.current_value(node_id, key))

    def legacy_alarm(self, node_id: int, alarm_type: int, alarm_level: int) -> None:
        """Deliver a V1 Alarm frame the way zwave-js persists it with ``alarmMapping``.

        The raw alarmType/alarmLevel values are stored first, then the mapped Notification
        values (event 0 idles every Smoke Alarm variable) are set.
        """
        self.update(node_id, ALARM_TYPE, alarm_type)
        self.update(node_id, ALARM_LEVEL, alarm_level)
        for key, new_value in _LEGACY_MAPPING.get((alarm_type, alarm_level), ()):
            current = self.current_value(node_id, key)
            if current is None or (new_value == 0 and current == 0):
                continue  # zwave-js only idles variables that are not idle yet
            self.update(node_id, key, new_value)

    def notification(
        self,
        node_id: int,
        notification_type: int,
        event: int,
        *,
        label: str = "Smoke Alarm",
        event_label: str = "Smoke detected",
        parameters: dict[str, Any] | None = None,
    ) -> None:
        """Send a Notification CC ``notification`` event (wire format of schema >= 32)."""
        self._node_event(
            node_id,
            "notification",
            endpointIndex=0,
            ccId=113,
            args={
                "type": notification_type,
                "event": event,
                "label": label,
                "eventLabel": event_label,
                "parameters": parameters or {},
            },
        )

    def node_event(self, node_id: int, event: str) -> None:
        """Send a status event: ``dead``, ``alive``, ``sleep`` or ``wake up``."""
        self._node_event(node_id, event)

    def node_ready(self, state: dict[str, Any]) -> None:
        """Finish an interview: a node ``ready`` event carrying the full node state."""
        self._node_event(state["nodeId"], "ready", nodeState=copy.deepcopy(state))

    def node_added(self, state: dict[str, Any]) -> None:
        """Include a node (controller ``node added`` with a full node state)."""
        self.driver.receive_event(
            Event(
                type="node added",
                data={
                    "source": "controller",
                    "event": "node added",
                    "node": copy.deepcopy(state),
                    "result": {"lowSecurity": False},
                },
            )
        )

    def node_removed(
        self, node_id: int, reason: RemoveNodeReason = RemoveNodeReason.EXCLUDED
    ) -> None:
        """Exclude a node (controller ``node removed``)."""
        self.driver.receive_event(
            Event(
                type="node removed",
                data={
                    "source": "controller",
                    "event": "node removed",
                    "node": live_state(self.node(node_id)),
                    "reason": reason,
                },
            )
        )


@pytest.fixture
def zwave_network() -> Iterator[ZwaveNetwork]:
    """Patch HA's zwave_js client class; each connection gets a fresh simulated client."""
    network = ZwaveNetwork()
    with patch(
        "homeassistant.components.zwave_js.ZwaveClient", side_effect=network.new_client
    ):
        yield network


@pytest.fixture
def alarm_events(hass: HomeAssistant) -> list[HaEvent]:
    """Capture every ``firstalert_zwave_alarm`` bus event."""
    return async_capture_events(hass, EVENT_ALARM)


def zwave_entry(hass: HomeAssistant) -> MockConfigEntry:
    """Add (without setting up) a zwave_js config entry pointing at the simulated server."""
    entry = MockConfigEntry(
        domain=ZWAVE_DOMAIN,
        title="Z-Wave JS",
        unique_id=str(HOME_ID),
        data={"url": "ws://test.org:3000", "use_addon": False},
    )
    entry.add_to_hass(hass)
    return entry


async def async_setup_zwave_js(
    hass: HomeAssistant, network: ZwaveNetwork
) -> MockConfigEntry:
    """Add and set up a zwave_js entry against ``network``; return it once loaded."""
    del network  # the patched client class already serves it
    entry = zwave_entry(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    return entry


def firstalert_entry(
    hass: HomeAssistant,
    options: Mapping[str, Any] | None = None,
    *,
    entry_id: str | None = None,
) -> MockConfigEntry:
    """Add (without setting up) our config entry; a fixed ``entry_id`` suits snapshots."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="First Alert alarms",
        data={},
        options=dict(options or {}),
        entry_id=entry_id,
    )
    entry.add_to_hass(hass)
    return entry


async def async_setup_firstalert(
    hass: HomeAssistant,
    options: Mapping[str, Any] | None = None,
    *,
    entry_id: str | None = None,
) -> MockConfigEntry:
    """Add and set up our entry; a zwave_js entry already added is set up first."""
    entry = firstalert_entry(hass, options, entry_id=entry_id)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    return entry
