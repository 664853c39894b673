"""Node states (zwave-js-server ``NodeState`` dicts) of First Alert detectors and others.

``zcombo_g_state`` is the real ZCOMBO-G dump from HA core's zwave_js tests. The legacy
ZCOMBO (0x0001:0x0002) and ZSMOKE (0x0001:0x0001) states are built from their node-zwave-js
device configs: Notification CC version 1, the ``alarmMapping`` compat list, the values the
mapping pre-creates (Smoke/CO "Sensor status", Smoke "Alarm status") plus the V1
``alarmType``/``alarmLevel`` values, Battery and Wake Up. ``foreign_state`` is a door sensor
of another manufacturer. Value keys are ``(command class, property, property key)``.
"""

from __future__ import annotations

from collections.abc import Mapping
import copy
from datetime import datetime
from functools import cache
import json
from pathlib import Path
from typing import Any

from homeassistant.util import dt as dt_util
from zwave_js_server.model.node import Node

FIXTURES = Path(__file__).parent / "fixtures"

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


def brk_lock_state(
    node_id: int,
    *,
    name: str | None = None,
    product_id: int = 0x0042,
    with_smoke: bool = False,
) -> dict[str, Any]:
    """Return a BRK Brands (312) node that is not a smoke/CO detector: a battery door lock.

    It sleeps like the detectors and reports access-control notifications and V1 alarms,
    but has no Smoke or CO values (``with_smoke`` adds a Smoke "Sensor status", as an
    unknown BRK product that can report smoke would have).
    """
    state = foreign_state(node_id, name=name, listening=False)
    state.update(
        manufacturerId=312, productType=0x0003, productId=product_id, label="BRK lock"
    )
    state["deviceConfig"] = {
        **state["deviceConfig"],
        "manufacturer": "BRK Brands, Inc.",
        "manufacturerId": 312,
        "label": "BRK lock",
        "description": "Door lock",
        "devices": [{"productType": 3, "productId": product_id}],
    }
    for value in state["values"]:
        if value["commandClass"] == 114:
            value["value"] = {
                "manufacturerId": 312,
                "productType": 3,
                "productId": product_id,
            }.get(value["property"], value["value"])
    for legacy in ("alarmType", "alarmLevel"):
        raw = _find_value(json.loads(_real_dump()), (113, legacy, None))
        assert raw is not None
        state["values"].append(raw)
    if with_smoke:
        state["values"].append(
            _notification_value(SMOKE_SENSOR, {0: "idle", 2: "Smoke detected"}, 1, 8)
        )
    return state


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
