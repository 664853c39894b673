"""One gate per thermostat: every client talking to the same device queues at the same lock.

Older thermostats cannot serve two connections at once, and a config flow validating a host
while the integration polls it would otherwise make two clients collide. Clients for the same
host and port on the same event loop therefore share a `DeviceGate` (its lock and the time
the device last finished answering, for request pacing). Gates are held weakly: one lives as
long as a client uses it.
"""

from __future__ import annotations

import asyncio
import weakref


class DeviceGate:
    """The lock and pacing state of one thermostat."""

    __slots__ = ("__weakref__", "last_finished", "lock")

    def __init__(self) -> None:
        """Start unlocked, with no request made yet."""
        self.lock = asyncio.Lock()
        self.last_finished: float | None = None


_GATES: weakref.WeakKeyDictionary[
    asyncio.AbstractEventLoop, weakref.WeakValueDictionary[tuple[str, int], DeviceGate]
] = weakref.WeakKeyDictionary()


def gate_for(host: str, port: int) -> DeviceGate:
    """Return the gate of the thermostat at host:port for the running event loop."""
    loop = asyncio.get_running_loop()
    gates = _GATES.get(loop)
    if gates is None:
        gates = _GATES[loop] = weakref.WeakValueDictionary()
    key = (host.lower(), port)
    gate = gates.get(key)
    if gate is None:
        gate = gates[key] = DeviceGate()
    return gate
