"""One lock per thermostat: every client talking to the same device queues at the same lock.

Older thermostats cannot serve two connections at once, and a config flow validating a host
while the integration polls it would otherwise make two clients collide. Clients for the same
host and port on the same event loop therefore share a `DeviceLock` (its mutex and the time
the device last finished answering, for request pacing). Locks are held weakly: one lives as
long as a client uses it.
"""

from __future__ import annotations

import asyncio
import weakref


class DeviceLock:
    """The mutex and pacing state of one thermostat."""

    __slots__ = ("__weakref__", "last_finished", "mutex")

    def __init__(self) -> None:
        """Start unlocked, with no request made yet."""
        self.mutex = asyncio.Lock()
        self.last_finished: float | None = None


_LOCKS: weakref.WeakKeyDictionary[
    asyncio.AbstractEventLoop, weakref.WeakValueDictionary[tuple[str, int], DeviceLock]
] = weakref.WeakKeyDictionary()


def device_lock_for(host: str, port: int) -> DeviceLock:
    """Return the lock of the thermostat at host:port for the running event loop."""
    loop = asyncio.get_running_loop()
    locks = _LOCKS.get(loop)
    if locks is None:
        locks = _LOCKS[loop] = weakref.WeakValueDictionary()
    key = (host.lower(), port)
    lock = locks.get(key)
    if lock is None:
        lock = locks[key] = DeviceLock()
    return lock
