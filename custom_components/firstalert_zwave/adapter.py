"""Adapter: HA's zwave_js nodes in, household alarm inputs out.

How it stays safe across zwave_js's life cycle:

* It attaches to a zwave_js config entry only while that entry is ``LOADED`` (the
  ``SIGNAL_CONFIG_ENTRY_CHANGED`` dispatcher tells us), and reads the client from the entry's
  runtime data at that moment. zwave_js builds a new client, driver and node objects on every
  (re)load, so nothing is kept from one load to the next: on unload every node listener is
  dropped and the detectors are *held* (no clear is invented); on load the current values of
  every detector are read again (a sync), which also covers anything that happened in between.
* A node is a detector when it is a First Alert/BRK product that can report smoke or CO
  (``model.products``), bound to its zwave_js *device* identity
  ``{home_id}-{node_id}-{manufacturer}:{product_type}:{product_id}`` plus its firmware. A node
  that is not (yet) a detector is checked again when it finishes an interview or gains values.
  Once the identity is known the node is followed at once and synced from current values; its
  entities are attached when zwave_js has registered the device, so reports that arrive in
  between are not lost.
* Node-id reuse by other hardware yields another identity: the old detector is forgotten
  (its entities are detached from the old device), never carried over.
* Every callback from zwave-js, and every node read at attach time, is guarded: an error is
  logged and affects that one node only, never the zwave-js client's receive loop, the entry
  or the other detectors.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Final

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

from .const import LOGGER, ZWAVE_JS_DOMAIN
from .household_alarm import HouseholdAlarm
from .model import DetectorIdentity, ValueReport, Variable, is_detector, variable_of
from .model.products import BRK_MANUFACTURER_ID

_LIFE_EVENTS: Final = ("wake up", "notification")
# Node events after which a node that is not a detector yet may have become one.
_RECHECK_EVENTS: Final = ("value added", "metadata updated")


def client_of(entry: ConfigEntry) -> Any:
    """Return the zwave_js client of a loaded entry (None when it has none yet)."""
    runtime = getattr(entry, "runtime_data", None)
    if isinstance(runtime, dict):
        return runtime.get("client")
    return getattr(runtime, "client", None)


def home_id_of(entry: ConfigEntry) -> int | None:
    """Return the home id a zwave_js entry is for (its unique id), None if unknown."""
    unique_id = entry.unique_id
    return int(unique_id) if unique_id and unique_id.isdigit() else None


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
        for value in list(node.values.values())
        if (report := value_report(value)) is not None
    ]


def _small_int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def node_key(driver: Driver, node: Node) -> str | None:
    """Return the zwave_js device identifier of a node (None while its ids are unknown)."""
    manufacturer_id = _small_int(node.manufacturer_id)
    product_type = _small_int(node.product_type)
    product_id = _small_int(node.product_id)
    if manufacturer_id is None or product_type is None or product_id is None:
        return None
    home_id = driver.controller.home_id
    return f"{home_id}-{node.node_id}-{manufacturer_id}:{product_type}:{product_id}"


def detector_identity(driver: Driver, node: Node) -> DetectorIdentity | None:
    """Return the detector identity of a node, None when it is not a detector (yet)."""
    if node.is_controller_node or (key := node_key(driver, node)) is None:
        return None
    manufacturer_id = _small_int(node.manufacturer_id)
    product_type = _small_int(node.product_type)
    product_id = _small_int(node.product_id)
    if (
        manufacturer_id != BRK_MANUFACTURER_ID
        or product_type is None
        or product_id is None
    ):
        return None
    variables: set[Variable] = {
        variable
        for report in node_reports(node)
        if (variable := variable_of(report)) is not None
    }
    if not is_detector(manufacturer_id, product_type, product_id, variables):
        return None
    firmware = node.firmware_version
    return DetectorIdentity(
        key=key,
        node_id=node.node_id,
        manufacturer_id=manufacturer_id,
        product_type=product_type,
        product_id=product_id,
        firmware=firmware if isinstance(firmware, str) else None,
    )


def _last_seen(node: Node) -> datetime | None:
    seen = node.last_seen
    return seen if isinstance(seen, datetime) and seen.tzinfo is not None else None


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
    """Follows zwave_js entries, nodes and devices; feeds the household alarm."""

    def __init__(self, hass: HomeAssistant, household: HouseholdAlarm) -> None:
        """Create an adapter that is not attached to anything yet."""
        self.hass = hass
        self.household = household
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
        self._forget_networks_that_are_gone()
        attached = False
        for entry in self.hass.config_entries.async_entries(ZWAVE_JS_DOMAIN):
            if entry.state is ConfigEntryState.LOADED:
                attached |= self._attach(entry)
        if attached:
            self.household.async_mark_synced()

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
                self._forget_network(entry)
            return
        if entry.entry_id not in self._networks and self._attach(entry):
            self.household.async_mark_synced()

    def _attach(self, entry: ConfigEntry) -> bool:
        client = client_of(entry)
        driver: Driver | None = getattr(client, "driver", None)
        if driver is None or (home_id := driver.controller.home_id) is None:
            LOGGER.debug("zwave_js entry %s has no driver yet", entry.entry_id)
            return False
        network = _Network(entry.entry_id, driver)
        self._networks[entry.entry_id] = network
        controller = driver.controller
        self._home_ids[entry.entry_id] = home_id
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
            # One node's bad data must not keep the others (or the entry) from loading.
            self._guard(self._track_node, network, node)
        # Detectors of this network that are no longer there (removed while we were not
        # listening, or their node id now belongs to other hardware) are stale.
        prefix = f"{home_id}-"
        for key in self.household.model.keys:
            if key.startswith(prefix) and key not in self._bindings:
                self._forget(key)
        LOGGER.info(
            "Following Z-Wave JS (%s); detector states read from current values",
            entry.title,
        )
        return True

    def _forget_networks_that_are_gone(self) -> None:
        """Drop held detectors of Z-Wave JS networks that no longer have an entry."""
        entries = self.hass.config_entries.async_entries(ZWAVE_JS_DOMAIN)
        home_ids = {home_id_of(entry) for entry in entries}
        if None in home_ids:
            return  # an entry without a known home id may be any network
        for key in self.household.model.keys:
            if int(key.split("-", 1)[0]) not in home_ids:
                self._forget(key)

    def _forget_network(self, entry: ConfigEntry) -> None:
        """Z-Wave JS itself was removed: its detectors are gone for good."""
        attached = self._home_ids.pop(entry.entry_id, None)
        home_id = attached if attached is not None else home_id_of(entry)
        if home_id is None:
            return
        for key in self.household.model.keys:
            if key.startswith(f"{home_id}-"):
                self._forget(key)
        if attached is not None:
            self.household.async_mark_synced()

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
                self.household.async_set_live(key, False)
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
        unsubs = [
            node.on(
                "ready",
                lambda event: self._guard(self._evaluate, network, event["node"]),
            )
        ]
        unsubs.extend(
            node.on(
                event_name,
                lambda event: self._guard(self._recheck, network, event["node"]),
            )
            for event_name in _RECHECK_EVENTS
        )
        network.node_unsubs[node.node_id] = unsubs
        self._evaluate(network, node)

    def _recheck(self, network: _Network, node: Node) -> None:
        """Check a node that is not a detector again: it gained a value."""
        if node.node_id not in network.keys_by_node:
            self._evaluate(network, node)

    def _on_node_removed(self, network: _Network, node: Node) -> None:
        for unsub in network.node_unsubs.pop(node.node_id, []):
            unsub()
        if (key := network.keys_by_node.pop(node.node_id, None)) is not None:
            self._forget(key)

    def _evaluate(self, network: _Network, node: Node) -> None:
        """(Re)decide what a node is: a detector to bind, to resync, or nothing.

        Other hardware under the node id ends the old detector. A detector whose node
        merely stops looking like one (ids or values gone during a re-interview) is kept.
        """
        identity = detector_identity(network.driver, node)
        current = network.keys_by_node.get(node.node_id)
        if current is not None and (
            (key := node_key(network.driver, node)) is not None and key != current
        ):
            network.keys_by_node.pop(node.node_id)
            self._forget(current)
            current = None
        if current is not None and identity is None:
            if (binding := self._bindings.get(current)) is not None:
                if binding.node is not node:
                    self._rebind(current, network, node)
                else:
                    self._sync(current)
            return
        if identity is None:
            return
        network.keys_by_node[node.node_id] = identity.key
        if (binding := self._bindings.get(identity.key)) is not None:
            if binding.node is node and self.household.model.identity(
                identity.key
            ).same_hardware(identity):
                self._sync(identity.key, identity)
                return
            self._unbind(identity.key)
        self._bind(network, node, identity)

    def _rebind(self, key: str, network: _Network, node: Node) -> None:
        identity = self.household.model.identity(key)
        self._unbind(key)
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
                lambda event: self._guard(self._on_value, key, event, False),
            )
        )
        binding.unsubs.append(
            node.on(
                "value added",
                lambda event: self._guard(self._on_value, key, event, True),
            )
        )
        for event_name in _LIFE_EVENTS:
            binding.unsubs.append(
                node.on(
                    event_name,
                    lambda _: self._guard(self.household.async_heard_from, key),
                )
            )
        binding.unsubs.append(
            node.on(
                "dead",
                lambda _: self._guard(self.household.async_set_dead, key, True),
            )
        )
        binding.unsubs.append(
            node.on(
                "alive",
                lambda _: self._guard(self.household.async_set_dead, key, False),
            )
        )
        self._bindings[key] = binding
        self._sync(key, identity)

    def _sync(self, key: str, identity: DetectorIdentity | None = None) -> None:
        binding = self._bindings[key]
        node = binding.node
        model = self.household.model
        if identity is None:
            identity = model.identity(key)
        device = (
            self._dev_reg.async_get(binding.device_id) if binding.device_id else None
        )
        if device is not None:
            identity = self._named(identity, device)
        elif key in model:
            old = model.identity(key)
            identity = replace(
                identity, name=old.name, area=old.area, device_id=old.device_id
            )
        if not identity.name:
            identity = replace(
                identity,
                name=node.name
                or node.device_config.description
                or f"Node {node.node_id}",
                area=identity.area or node.location or None,
            )
        self.household.async_sync_detector(
            identity,
            node_reports(node),
            listening=node.is_listening is True,
            dead=node.status is NodeStatus.DEAD,
            last_seen=_last_seen(node),
            has_device=binding.device_id is not None,
        )

    def _on_value(self, key: str, event: dict[str, Any], added: bool) -> None:
        if (report := value_report(event["value"])) is not None:
            self.household.async_report(key, report, added=added)

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
        self.household.async_remove_detector(key)
        if device_id is None and (
            device := self._dev_reg.async_get_device(
                identifiers={(ZWAVE_JS_DOMAIN, key)}
            )
        ):
            device_id = device.id
        entry_id = self.household.entry.entry_id
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
                named = self._named(self.household.model.identity(key), device)
                self.household.async_rename(
                    key,
                    name=named.name,
                    area=named.area,
                    device_id=device_id,
                )
