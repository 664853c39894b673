"""Adapter: HA's zwave_js nodes in, alarm model inputs out.

How it stays safe across zwave_js's life cycle:

* It attaches to a zwave_js config entry only while that entry is ``LOADED`` (the
  ``SIGNAL_CONFIG_ENTRY_CHANGED`` dispatcher tells us), and reads the client from the entry's
  runtime data at that moment. zwave_js builds a new client, driver and node objects on every
  (re)load, so nothing is kept from one load to the next: on unload every node listener is
  dropped and the model *holds* the last known states (no clear is invented); on load the
  current values of every detector are read again (a sync), which also covers anything that
  happened in between.
* A detector is bound to its zwave_js *device* identity: the device identifier
  ``{home_id}-{node_id}-{manufacturer}:{product_type}:{product_id}``. A node that is not
  interviewed yet waits for its ``ready`` event. Once the identity is known the node is
  followed at once and synced from current values; its entities are attached when
  zwave_js has registered the device (device registry ``create``/``update``), so reports
  that arrive in between are not lost.
* Node-id reuse by other hardware yields another identifier: the old detector is forgotten
  (its entities are detached from the old device), never carried over.
* Every callback from zwave-js is guarded: an error here is logged and never propagates into
  the zwave-js client's receive loop.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from homeassistant.config_entries import (
    SIGNAL_CONFIG_ENTRY_CHANGED,
    ConfigEntry,
    ConfigEntryChange,
    ConfigEntryState,
)
from homeassistant.core import CALLBACK_TYPE, Event, HomeAssistant, callback
from homeassistant.helpers import area_registry as ar, device_registry as dr
from homeassistant.helpers.dispatcher import async_dispatcher_connect
from zwave_js_server.const import NodeStatus
from zwave_js_server.model.driver import Driver
from zwave_js_server.model.node import Node
from zwave_js_server.model.value import Value

from .const import LOGGER, MANUFACTURER_ID, ZWAVE_JS_DOMAIN
from .coordinator import AlarmCoordinator
from .model import DetectorIdentity, ValueReport

_LIFE_EVENTS = ("wake up", "notification")


def client_of(entry: ConfigEntry) -> Any:
    """Return the zwave_js client of a loaded entry (None when it has none yet)."""
    runtime = getattr(entry, "runtime_data", None)
    if isinstance(runtime, dict):
        return runtime.get("client")
    return getattr(runtime, "client", None)


def detector_identity(driver: Driver, node: Node) -> DetectorIdentity | None:
    """Return the detector identity of a First Alert/BRK node, None for anything else."""
    if node.is_controller_node or node.manufacturer_id != MANUFACTURER_ID:
        return None
    if node.product_type is None or node.product_id is None:
        return None
    home_id = driver.controller.home_id
    return DetectorIdentity(
        key=(
            f"{home_id}-{node.node_id}-"
            f"{node.manufacturer_id}:{node.product_type}:{node.product_id}"
        ),
        node_id=node.node_id,
        manufacturer_id=node.manufacturer_id,
        product_type=node.product_type,
        product_id=node.product_id,
    )


def value_report(value: Value) -> ValueReport | None:
    """Translate a zwave-js value of the root endpoint into a model report."""
    if value.endpoint not in (0, None):
        return None
    return ValueReport(
        command_class=value.command_class,
        property=value.property_,
        property_key=value.property_key,
        value=value.value,
    )


def node_reports(node: Node) -> list[ValueReport]:
    """Return every current value of a node as model reports."""
    return [
        report
        for value in node.values.values()
        if (report := value_report(value)) is not None
    ]


@dataclass(slots=True)
class _Network:
    """One attached zwave_js entry: its driver and our listeners on it."""

    entry_id: str
    driver: Driver
    unsubs: list[Callable[[], None]] = field(default_factory=list)
    node_unsubs: dict[int, list[Callable[[], None]]] = field(default_factory=dict)
    keys_by_node: dict[int, str] = field(default_factory=dict)


@dataclass(slots=True)
class _Binding:
    """A detector bound to a live node (``device_id`` None: device not registered yet)."""

    network: _Network
    node: Node
    device_id: str | None
    unsubs: list[Callable[[], None]] = field(default_factory=list)


class ZwaveAdapter:
    """Follows zwave_js entries, nodes and devices; feeds the coordinator."""

    def __init__(self, hass: HomeAssistant, coordinator: AlarmCoordinator) -> None:
        """Create an adapter that is not attached to anything yet."""
        self.hass = hass
        self.coordinator = coordinator
        self._dev_reg = dr.async_get(hass)
        self._area_reg = ar.async_get(hass)
        self._networks: dict[str, _Network] = {}
        self._bindings: dict[str, _Binding] = {}
        self._unsubs: list[CALLBACK_TYPE] = []
        # Home id of every zwave_js entry ever attached (kept while it is unloaded).
        self._home_ids: dict[str, int] = {}

    # -- public ---------------------------------------------------------------------
    @callback
    def async_start(self) -> None:
        """Attach to every loaded zwave_js entry and follow entries and devices."""
        self._unsubs.append(
            async_dispatcher_connect(
                self.hass, SIGNAL_CONFIG_ENTRY_CHANGED, self._on_config_entry_changed
            )
        )
        self._unsubs.append(
            self.hass.bus.async_listen(
                dr.EVENT_DEVICE_REGISTRY_UPDATED, self._on_device_registry_updated
            )
        )
        attached = False
        for entry in self.hass.config_entries.async_entries(ZWAVE_JS_DOMAIN):
            if entry.state is ConfigEntryState.LOADED:
                attached |= self._attach(entry)
        if attached:
            self.coordinator.async_mark_synced()

    @callback
    def async_stop(self) -> None:
        """Detach from everything (our entry unloads)."""
        for unsub in self._unsubs:
            unsub()
        self._unsubs.clear()
        for entry_id in list(self._networks):
            self._detach(entry_id)

    def bound_device_ids(self) -> set[str]:
        """Return the devices that carry a live detector."""
        return {
            binding.device_id
            for binding in self._bindings.values()
            if binding.device_id is not None
        }

    def diagnostics(self) -> dict[str, Any]:
        """Return what the adapter is attached to (for diagnostics)."""
        return {
            "attached_entries": len(self._networks),
            "bound_detectors": sorted(
                binding.node.node_id for binding in self._bindings.values()
            ),
            "waiting_for_device": sorted(
                binding.node.node_id
                for binding in self._bindings.values()
                if binding.device_id is None
            ),
        }

    # -- zwave_js entries -----------------------------------------------------------
    @callback
    def _on_config_entry_changed(
        self, change: ConfigEntryChange, entry: ConfigEntry
    ) -> None:
        if entry.domain != ZWAVE_JS_DOMAIN:
            return
        loaded = entry.state is ConfigEntryState.LOADED
        if change is ConfigEntryChange.REMOVED or not loaded:
            if entry.entry_id in self._networks:
                self._detach(entry.entry_id)
            if change is ConfigEntryChange.REMOVED:
                self._forget_network(entry.entry_id)
            self._update_holding()
            return
        if entry.entry_id not in self._networks and self._attach(entry):
            self.coordinator.async_mark_synced()
            self._update_holding()

    def _update_holding(self) -> None:
        """States are held while any zwave_js entry we followed is not attached."""
        self.coordinator.async_set_holding(
            any(entry_id not in self._networks for entry_id in self._home_ids)
        )

    def _attach(self, entry: ConfigEntry) -> bool:
        client = client_of(entry)
        driver: Driver | None = getattr(client, "driver", None)
        if driver is None or driver.controller.home_id is None:
            LOGGER.debug("zwave_js entry %s has no driver yet", entry.entry_id)
            return False
        network = _Network(entry.entry_id, driver)
        self._networks[entry.entry_id] = network
        controller = driver.controller
        self._home_ids[entry.entry_id] = driver.controller.home_id
        network.unsubs.append(
            controller.on(
                "node added",
                lambda event: self._guard(self._track_node, network, event["node"]),
            )
        )
        network.unsubs.append(
            controller.on(
                "node removed",
                lambda event: self._guard(
                    self._on_node_removed, network, event["node"]
                ),
            )
        )
        for node in list(controller.nodes.values()):
            self._track_node(network, node)
        # Detectors of this network that are no longer there (removed while we were not
        # listening, or their node id now belongs to other hardware) are stale.
        prefix = f"{controller.home_id}-"
        for key in self.coordinator.model.keys:
            if key.startswith(prefix) and key not in self._bindings:
                self._forget(key)
        LOGGER.info(
            "Following Z-Wave JS (%s); detector states read from current values",
            entry.title,
        )
        return True

    def _forget_network(self, entry_id: str) -> None:
        """Z-Wave JS itself was removed: its detectors are gone for good."""
        if (home_id := self._home_ids.pop(entry_id, None)) is None:
            return
        for key in self.coordinator.model.keys:
            if key.startswith(f"{home_id}-"):
                self._forget(key)
        self.coordinator.async_mark_synced()

    def _detach(self, entry_id: str) -> None:
        network = self._networks.pop(entry_id)
        for unsub in network.unsubs:
            unsub()
        for unsubs in network.node_unsubs.values():
            for unsub in unsubs:
                unsub()
        for key, binding in list(self._bindings.items()):
            if binding.network is network:
                self._unbind(key)
        LOGGER.info(
            "Z-Wave JS entry %s is not loaded; holding the last known detector states",
            entry_id,
        )

    # -- nodes ----------------------------------------------------------------------
    def _guard(self, handler: Callable[..., None], *args: Any) -> None:
        """Run a zwave-js callback; never let an error reach the client's loop."""
        try:
            handler(*args)
        except Exception:  # noqa: BLE001 - logged; must not reach the zwave-js client
            LOGGER.exception("Error handling a zwave_js event")

    def _track_node(self, network: _Network, node: Node) -> None:
        if node.is_controller_node:
            return
        for unsub in network.node_unsubs.pop(node.node_id, []):
            unsub()
        network.node_unsubs[node.node_id] = [
            node.on(
                "ready",
                lambda event: self._guard(self._evaluate, network, event["node"]),
            )
        ]
        self._evaluate(network, node)

    def _on_node_removed(self, network: _Network, node: Node) -> None:
        for unsub in network.node_unsubs.pop(node.node_id, []):
            unsub()
        if (key := network.keys_by_node.pop(node.node_id, None)) is not None:
            self._forget(key)

    def _evaluate(self, network: _Network, node: Node) -> None:
        """(Re)decide what a node is: a detector to bind, to resync, or nothing."""
        identity = detector_identity(network.driver, node)
        current = network.keys_by_node.get(node.node_id)
        if current is not None and (identity is None or identity.key != current):
            network.keys_by_node.pop(node.node_id)
            self._forget(current)
        if identity is None:
            return
        network.keys_by_node[node.node_id] = identity.key
        if (binding := self._bindings.get(identity.key)) is not None:
            if binding.node is node:
                self._sync(identity.key)
                return
            self._unbind(identity.key)
        self._bind(network, node, identity)

    def _bind(self, network: _Network, node: Node, identity: DetectorIdentity) -> None:
        """Follow a detector node from now on, and read its current values.

        The node is followed at once, even while zwave_js has not registered its device yet
        (it does so in a task of its own): reports arriving in between are not lost. Until
        the device exists the detector is named after the node and has no entities.
        """
        key = identity.key
        device = self._dev_reg.async_get_device(identifiers={(ZWAVE_JS_DOMAIN, key)})
        binding = _Binding(network, node, device.id if device else None)
        binding.unsubs.append(
            node.on(
                "value updated",
                lambda event: self._guard(self._on_value, key, event, True),
            )
        )
        binding.unsubs.append(
            node.on(
                "value added",
                lambda event: self._guard(self._on_value, key, event, False),
            )
        )
        for event_name in _LIFE_EVENTS:
            binding.unsubs.append(
                node.on(
                    event_name,
                    lambda _: self._guard(self.coordinator.async_heard_from, key),
                )
            )
        binding.unsubs.append(
            node.on(
                "dead",
                lambda _: self._guard(self.coordinator.async_set_dead, key, True),
            )
        )
        binding.unsubs.append(
            node.on(
                "alive",
                lambda _: self._guard(self.coordinator.async_set_dead, key, False),
            )
        )
        self._bindings[key] = binding
        if device is not None:
            identity = self._named(identity, device)
        else:
            identity = replace(
                identity,
                name=node.name
                or node.device_config.description
                or f"Node {node.node_id}",
                area=node.location or None,
            )
        self._sync(key, identity)

    def _sync(self, key: str, identity: DetectorIdentity | None = None) -> None:
        binding = self._bindings[key]
        node = binding.node
        if identity is None:
            identity = self.coordinator.model.identity(key)
        self.coordinator.async_sync_detector(
            identity,
            node_reports(node),
            listening=bool(node.is_listening),
            dead=node.status is NodeStatus.DEAD,
            last_seen=node.last_seen,
            has_device=binding.device_id is not None,
        )

    def _on_value(self, key: str, event: dict[str, Any], frame: bool) -> None:
        if (report := value_report(event["value"])) is not None:
            self.coordinator.async_report(key, report, frame=frame)

    def _unbind(self, key: str) -> None:
        binding = self._bindings.pop(key)
        for unsub in binding.unsubs:
            unsub()

    def _forget(self, key: str) -> None:
        """Drop a detector that is gone from the model and detach its entities."""
        device_id = None
        if key in self._bindings:
            device_id = self._bindings[key].device_id
            self._unbind(key)
        self.coordinator.async_remove_detector(key)
        if device_id is None and (
            device := self._dev_reg.async_get_device(
                identifiers={(ZWAVE_JS_DOMAIN, key)}
            )
        ):
            device_id = device.id
        entry_id = self.coordinator.entry.entry_id
        if (
            device_id is not None
            and (device := self._dev_reg.async_get(device_id)) is not None
            and entry_id in device.config_entries
        ):
            self._dev_reg.async_update_device(
                device_id, remove_config_entry_id=entry_id
            )

    # -- device registry ------------------------------------------------------------
    def _named(
        self, identity: DetectorIdentity, device: dr.DeviceEntry
    ) -> DetectorIdentity:
        area = self._area_reg.async_get_area(device.area_id) if device.area_id else None
        return replace(
            identity,
            device_id=device.id,
            name=device.name_by_user or device.name or f"Node {identity.node_id}",
            area=area.name if area else None,
        )

    @callback
    def _on_device_registry_updated(
        self, event: Event[dr.EventDeviceRegistryUpdatedData]
    ) -> None:
        device_id = event.data["device_id"]
        if event.data["action"] == "remove":
            for key, binding in list(self._bindings.items()):
                if binding.device_id == device_id:
                    self._forget(key)
            return
        if (device := self._dev_reg.async_get(device_id)) is None:
            return
        for key, binding in list(self._bindings.items()):
            if (
                binding.device_id is None
                and (ZWAVE_JS_DOMAIN, key) in device.identifiers
            ):
                binding.device_id = device_id
            if binding.device_id == device_id:
                named = self._named(self.coordinator.model.identity(key), device)
                self.coordinator.async_rename(
                    key,
                    name=named.name,
                    area=named.area,
                    device_id=device_id,
                )
