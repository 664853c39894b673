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
    brk_lock_state(node_id, ...)         a BRK (312) door lock: sleeps, no smoke/CO values
    values={(cc, property, property_key): value} sets initial values, e.g.
        {SMOKE_SENSOR: 2} with SMOKE_SENSOR = (113, "Smoke Alarm", "Sensor status").
    # set-up helpers (coroutines):
    await async_setup_zwave_js(hass, network)        adds + sets up a zwave_js entry
    await async_setup_firstalert(hass, options=None, entry_id=None)  adds + sets up our
        entry (zwave_js entries already added come up first, as our dependency)
    zwave_entry(hass) / firstalert_entry(hass, ...)  add an entry without setting it up
    await async_restart(hass, hass_storage, zwave_first=True)  HA restart: facts as saved
        now, both entries unloaded and set up again with new objects (either order)
    facts_key(entry)  the storage key of our saved facts (``hass_storage[...]["data"]``)
    # injection (synchronous, like the client's receive loop; call
    # ``await hass.async_block_till_done()`` afterwards when HA tasks must finish):
    network.value_updated(node_id, (cc, property, key), new_value, prev_value=None)
    network.update(node_id, key, new_value)   value_updated with the current value as prev
    network.value_added(node_id, key, value)  a value appears (e.g. re-interview)
    network.legacy_alarm(node_id, alarm_type, alarm_level)   V1 frame as zwave-js applies
        it: alarmType + alarmLevel updates, then the mapped Notification value updates
    network.notification(node_id, notification_type, event, label=..., event_label=...)
    network.node_added(state)  /  network.node_removed(node_id, reason=EXCLUDED)
    network.notification_report(node_id, type, event, parameter=None)  a Notification
        report as zwave-js applies it (V1 bytes 0/0 first; event 0 idles, with a
        parameter only that state)
    network.reinterview(node_id)  zwave-js re-reads the node: values cleared, notification
        values pre-set idle ("value added"), V1 values gone, then "ready"
    network.node_ready(state)  -> "interview started", then "ready" with this full state
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

Bus event ``firstalert_zwave_alarm`` (same data as the event entity's attributes)::

    {"type": "started"|"cleared"|"test_started"|"test_ended"|"silenced",
     "kind": "smoke"|"co", "reason": "report"|"check_in"|"sync"|"removed"|"timeout",
     "device_id": <zwave_js device id or None before it is registered>,
     "detector": <device name>, "area": <area name or None>, "node_id": <int>,
     "household": "clear"|"smoke"|"co"|"smoke_and_co"|"test" (after the transition),
     "at": <ISO timestamp>}
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator, Mapping
import copy
from typing import Any
from unittest.mock import AsyncMock, MagicMock, patch

# zwave_js imports hassio (mashumaro models) lazily; importing it under a frozen clock
# (pytest.mark.freeze_time) breaks mashumaro, so import it before any test freezes time.
import homeassistant.components.hassio  # noqa: F401
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import Event as HaEvent, HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
    async_fire_time_changed,
)
from zwave_js_server.client import Client as ZwaveClient
from zwave_js_server.const import RemoveNodeReason
from zwave_js_server.event import Event
from zwave_js_server.exceptions import CannotConnect
from zwave_js_server.model.driver import Driver
from zwave_js_server.model.node import Node
from zwave_js_server.model.version import VersionInfo

from custom_components.firstalert_zwave.const import DOMAIN, EVENT_ALARM
from tests.firstalert_zwave.node_states import (
    ALARM_LEVEL,
    ALARM_TYPE,
    BATTERY_LEVEL,
    BATTERY_LOW,
    CO_ALARM,
    CO_MAINTENANCE,
    CO_SENSOR,
    CO_TEST,
    HARDWARE,
    SMOKE_ALARM,
    SMOKE_MAINTENANCE,
    SMOKE_SENSOR,
    WAKE_UP_INTERVAL,
    ValueKey,
    brk_lock_state,
    foreign_state,
    live_state,
    zcombo_g_state,
    zcombo_state,
    zsmoke_state,
)

__all__ = [
    "ALARM_LEVEL",
    "ALARM_TYPE",
    "BATTERY_LEVEL",
    "BATTERY_LOW",
    "CO_ALARM",
    "CO_MAINTENANCE",
    "CO_SENSOR",
    "CO_TEST",
    "HARDWARE",
    "HOME_ID",
    "SMOKE_ALARM",
    "SMOKE_MAINTENANCE",
    "SMOKE_SENSOR",
    "WAKE_UP_INTERVAL",
    "ValueKey",
    "ZwaveNetwork",
    "alarm_events",
    "async_restart",
    "async_setup_firstalert",
    "async_setup_zwave_js",
    "brk_lock_state",
    "facts_key",
    "firstalert_entry",
    "foreign_state",
    "live_state",
    "zcombo_g_state",
    "zcombo_state",
    "zsmoke_state",
    "zwave_entry",
    "zwave_network",
]

HOME_ID = 3967668131
ZWAVE_DOMAIN = "zwave_js"
CONTROLLER_NODE_ID = 1

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

# Notification (type, event) -> the value zwave-js stores the state in.
_NOTIFICATION_NAMES = {1: "Smoke Alarm", 2: "CO Alarm", 9: "System"}
_NOTIFICATION_VARIABLES: dict[tuple[int, int], ValueKey] = {
    (1, 1): SMOKE_SENSOR,
    (1, 2): SMOKE_SENSOR,
    (1, 3): SMOKE_ALARM,
    (1, 4): SMOKE_MAINTENANCE,
    (1, 5): SMOKE_MAINTENANCE,
    (1, 6): SMOKE_ALARM,
    (2, 1): CO_SENSOR,
    (2, 2): CO_SENSOR,
    (2, 3): CO_TEST,
    (2, 4): CO_MAINTENANCE,
    (2, 5): CO_MAINTENANCE,
    (2, 6): CO_ALARM,
    (9, 1): HARDWARE,
    (9, 3): HARDWARE,
}
# "Test status" of CO Alarm may not be reset to idle (zwave-js registry).
_NOT_IDLEABLE = {CO_TEST}

LOG_CONFIG_STATE = {
    "enabled": True,
    "level": "info",
    "logToFile": False,
    "filename": "",
    "forceConsole": False,
}


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

        The raw alarmType/alarmLevel values are stored first ("value added" when zwave-js has
        none, e.g. after a re-interview), then the mapped Notification values (event 0
        idles every Smoke Alarm variable) are set.
        """
        self._set_value(node_id, ALARM_TYPE, alarm_type)
        self._set_value(node_id, ALARM_LEVEL, alarm_level)
        for key, new_value in _LEGACY_MAPPING.get((alarm_type, alarm_level), ()):
            current = self.current_value(node_id, key)
            if current is None or (new_value == 0 and current == 0):
                continue  # zwave-js only idles variables that are not idle yet
            self.update(node_id, key, new_value)

    def _set_value(self, node_id: int, key: ValueKey, new_value: Any) -> None:
        """Store a value as zwave-js's ValueDB does: added when it has none, else updated."""
        if self.current_value(node_id, key) is None:
            self.value_added(node_id, key, new_value)
        else:
            self.update(node_id, key, new_value)

    def notification_report(
        self,
        node_id: int,
        notification_type: int,
        event: int,
        parameter: int | None = None,
    ) -> None:
        """Deliver a Notification CC (v2+) report the way zwave-js applies it.

        As ``Node.handleNotificationReport`` does: the report's V1 bytes (0/0) are stored
        first; event 0 with a parameter idles the one variable in that state, event 0
        without one idles every idle-able variable of the notification type that is not
        idle; any other event sets its variable (a CO test with a result parameter stores
        the result, 1 Test OK or 2 Test failed). Variables are idled in value DB order.
        """
        self._set_value(node_id, ALARM_TYPE, 0)
        self._set_value(node_id, ALARM_LEVEL, 0)
        name = _NOTIFICATION_NAMES[notification_type]
        if event == 0:
            for value in list(self.node(node_id).values.values()):
                key = (value.command_class, value.property_, value.property_key)
                current = value.value
                if (
                    value.command_class != 113
                    or value.property_ != name
                    or key in _NOT_IDLEABLE
                    or not isinstance(current, int)
                    or current == 0
                    or (parameter is not None and current != parameter)
                ):
                    continue
                self.update(node_id, key, 0)
            return
        key = _NOTIFICATION_VARIABLES[(notification_type, event)]
        if key == CO_TEST and parameter in (1, 2):
            self._set_value(node_id, key, parameter)
        else:
            self._set_value(node_id, key, event)

    def reinterview(self, node_id: int) -> None:
        """Re-interview a node as zwave-js does (``refreshInfo``) while it is listening.

        zwave-js clears its value DB without events, pre-sets every idle-able notification
        variable to idle ("value added"), leaves the V1 alarm values without a value, then
        reports the node ready with that state.
        """
        self._node_event(node_id, "interview started")
        state = live_state(self.node(node_id))
        for value in state["values"]:
            key = (value["commandClass"], value["property"], value.get("propertyKey"))
            if value["commandClass"] != 113:
                continue
            if key in (ALARM_TYPE, ALARM_LEVEL) or key in _NOT_IDLEABLE:
                value.pop("value", None)
            else:
                value["value"] = 0
                self.value_added(node_id, key, 0)
        self._node_event(node_id, "ready", nodeState=state)

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
        """(Re-)interview a node: ``interview started``, then ``ready`` with its full state."""
        self._node_event(state["nodeId"], "interview started")
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


def facts_key(entry: MockConfigEntry) -> str:
    """Return the storage key our entry keeps its facts under."""
    return f"{DOMAIN}.{entry.entry_id}"


async def async_restart(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    *,
    zwave_first: bool = True,
) -> None:
    """Restart Home Assistant as far as these integrations can tell.

    HA does not unload entries when it stops: what survives is what was already written.
    So the saved facts are taken as they are *now* (pending writes fire first), both entries
    are unloaded (zwave_js keeps its node states in the network, as the real server does),
    the facts are put back as taken, and both entries come up again with new objects, in
    either order.
    """
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    ours = hass.config_entries.async_entries(DOMAIN)[0]
    zwave = hass.config_entries.async_entries(ZWAVE_DOMAIN)[0]
    saved = copy.deepcopy(hass_storage.get(facts_key(ours)))
    assert await hass.config_entries.async_unload(ours.entry_id)
    if zwave.state is ConfigEntryState.LOADED:
        assert await hass.config_entries.async_unload(zwave.entry_id)
    await hass.async_block_till_done()
    if saved is None:
        hass_storage.pop(facts_key(ours), None)
    else:
        hass_storage[facts_key(ours)] = saved
    for entry in (zwave, ours) if zwave_first else (ours, zwave):
        assert await hass.config_entries.async_setup(entry.entry_id)
        await hass.async_block_till_done()
