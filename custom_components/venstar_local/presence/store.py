"""What presence eco must not forget across restarts, per automation.

Since when each person is away (so a restart never stretches the away delay), the preheat
window, the hold of a person's change (a timestamp, so it ends when it was due to end), and
what was last written and why. Saved shortly after every change and on shutdown.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util

from ..const import DOMAIN
from .model import Memory, Setting

STORAGE_KEY = f"{DOMAIN}.presence"
STORE_VERSION = 1
SAVE_DELAY = 5  # seconds
# Records restored at start-up wait this long for their automation to claim them again.
UNCLAIMED_GRACE = 15 * 60


@dataclass(slots=True)
class Written:
    """The last setting sent to the thermostat, whether it landed, and why it was sent."""

    setting: Setting
    reason: str
    at: float
    landed: bool
    attempts: int = 1
    error: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """Plain data for storage and diagnostics."""
        return {
            "setting": self.setting.value,
            "reason": self.reason,
            "at": self.at,
            "landed": self.landed,
            "attempts": self.attempts,
            "error": self.error,
        }

    @classmethod
    def from_dict(cls, data: Any) -> Written | None:
        """Rebuild from storage, None when malformed."""
        if not isinstance(data, dict):
            return None
        try:
            return cls(
                setting=Setting(data["setting"]),
                reason=str(data["reason"]),
                at=float(data["at"]),
                landed=bool(data["landed"]),
                attempts=int(data.get("attempts", 1)),
                error=data.get("error"),
            )
        except (KeyError, TypeError, ValueError):
            return None


@dataclass(slots=True)
class Record:
    """One automation's persisted state."""

    memory: Memory
    written: Written | None


class PresenceStore:
    """All controllers' records in one store, written with a short delay."""

    def __init__(self, hass: HomeAssistant) -> None:
        """Prepare the store; call `async_load` before use."""
        self._hass = hass
        self._store: Store[dict[str, Any]] = Store(hass, STORE_VERSION, STORAGE_KEY)
        self._restored: dict[str, Record] = {}
        self._loaded_at = 0.0
        self._records: dict[str, Any] = {}

    async def async_load(self) -> None:
        """Read the records saved before the last shutdown."""
        data = await self._store.async_load() or {}
        self._loaded_at = dt_util.utcnow().timestamp()
        controllers = data.get("controllers")
        if not isinstance(controllers, dict):
            return
        for automation, record in controllers.items():
            if not isinstance(record, dict):
                continue
            self._restored[str(automation)] = Record(
                memory=Memory.from_dict(record.get("memory")),
                written=Written.from_dict(record.get("written")),
            )

    def claim(self, automation: str) -> Record | None:
        """Hand a restored record to the automation it belongs to (once)."""
        return self._restored.pop(automation, None)

    @callback
    def save(self, records: dict[str, Record]) -> None:
        """Schedule writing the live records (plus restored ones not yet claimed)."""
        self._records = {
            automation: {
                "memory": record.memory.as_dict(),
                "written": record.written.as_dict() if record.written else None,
            }
            for automation, record in records.items()
        }
        self._store.async_delay_save(self._data, SAVE_DELAY)

    def _data(self) -> dict[str, Any]:
        """Return what goes to disk: live records, and restored ones still waiting for a claim.

        A restored record whose automation no longer exists is dropped once its automation
        had time to start; one whose automation is merely off is kept.
        """
        now = dt_util.utcnow().timestamp()
        waiting = {
            automation: {
                "memory": record.memory.as_dict(),
                "written": record.written.as_dict() if record.written else None,
            }
            for automation, record in self._restored.items()
            if now - self._loaded_at < UNCLAIMED_GRACE
            or self._hass.states.get(automation) is not None
        }
        return {"controllers": {**waiting, **self._records}}

    async def async_flush(self) -> None:
        """Write now (shutdown)."""
        await self._store.async_save(self._data())
