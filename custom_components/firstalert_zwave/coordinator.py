"""The coordinator: owns the alarm model and turns its output into HA state, events, repairs.

The adapter feeds it (detector found/synced/removed, value reports, node status); entities
read from it. It is push only: nothing is polled, and the only timer is the offline check.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers.event import async_track_time_interval
from homeassistant.util import dt as dt_util

from .const import (
    CONF_OFFLINE_MULTIPLIER,
    CONF_REPAIR_END_OF_LIFE,
    CONF_REPAIR_OFFLINE,
    DEFAULT_REPAIR_END_OF_LIFE,
    DEFAULT_REPAIR_OFFLINE,
    EVENT_ALARM,
    LOGGER,
)
from .issues import async_delete_detector_issues, async_sync_issues
from .model import (
    AlarmEvent,
    AlarmModel,
    DetectorIdentity,
    HealthSettings,
    HouseholdState,
    ValueReport,
)
from .model.engine import Update
from .model.settings import DEFAULT_OFFLINE_MULTIPLIER

if TYPE_CHECKING:
    from .adapter import ZwaveAdapter

HEALTH_CHECK_INTERVAL = timedelta(minutes=1)

type FirstAlertConfigEntry = ConfigEntry[AlarmCoordinator]


@dataclass(frozen=True, slots=True)
class Options:
    """Options from the options flow, with defaults."""

    offline_multiplier: float
    repair_end_of_life: bool
    repair_offline: bool

    @classmethod
    def from_entry(cls, entry: ConfigEntry) -> Options:
        """Read the options of an entry."""
        return cls(
            offline_multiplier=float(
                entry.options.get(CONF_OFFLINE_MULTIPLIER, DEFAULT_OFFLINE_MULTIPLIER)
            ),
            repair_end_of_life=bool(
                entry.options.get(CONF_REPAIR_END_OF_LIFE, DEFAULT_REPAIR_END_OF_LIFE)
            ),
            repair_offline=bool(
                entry.options.get(CONF_REPAIR_OFFLINE, DEFAULT_REPAIR_OFFLINE)
            ),
        )


def event_payload(
    identity: DetectorIdentity, household: HouseholdState, event: AlarmEvent
) -> dict[str, Any]:
    """Build the ``firstalert_zwave_alarm`` bus event data for one transition."""
    return {
        "type": event.type.value,
        "kind": event.kind.value,
        "reason": event.reason.value,
        "device_id": identity.device_id,
        "detector": identity.name,
        "area": identity.area,
        "node_id": identity.node_id,
        "household": household.value,
        "at": event.at.isoformat(),
    }


class AlarmCoordinator:
    """Routes model updates to entities, the event bus and repairs."""

    def __init__(self, hass: HomeAssistant, entry: ConfigEntry) -> None:
        """Create the model with the entry's options."""
        self.hass = hass
        self.entry = entry
        self.options = Options.from_entry(entry)
        self.model = AlarmModel(HealthSettings(self.options.offline_multiplier))
        self._listeners: dict[str | None, list[CALLBACK_TYPE]] = defaultdict(list)
        self._detector_added: list[Callable[[str], None]] = []
        self._event_listeners: list[Callable[[AlarmEvent, dict[str, Any]], None]] = []
        self._raised_issues: dict[str, tuple[str, str | None]] = {}
        # Detectors whose zwave_js device exists, so entities can be attached to it.
        self._announced: set[str] = set()
        self.adapter: ZwaveAdapter | None = None

    # -- subscriptions (entities, platforms) ----------------------------------------
    @callback
    def async_add_listener(
        self, key: str | None, update: CALLBACK_TYPE
    ) -> CALLBACK_TYPE:
        """Call ``update`` when detector ``key`` (None: the household) changes."""
        self._listeners[key].append(update)

        @callback
        def remove() -> None:
            self._listeners[key].remove(update)

        return remove

    @callback
    def async_add_detector_listener(
        self, added: Callable[[str], None]
    ) -> CALLBACK_TYPE:
        """Call ``added`` with every detector that has (or gets) a zwave_js device."""
        self._detector_added.append(added)
        for key in self._announced:
            added(key)

        @callback
        def remove() -> None:
            self._detector_added.remove(added)

        return remove

    @callback
    def async_add_event_listener(
        self, listener: Callable[[AlarmEvent, dict[str, Any]], None]
    ) -> CALLBACK_TYPE:
        """Call ``listener`` for every alarm event with its bus payload."""
        self._event_listeners.append(listener)

        @callback
        def remove() -> None:
            self._event_listeners.remove(listener)

        return remove

    # -- lifecycle ------------------------------------------------------------------
    @callback
    def async_start(self) -> None:
        """Start the offline check timer."""
        self.entry.async_on_unload(
            async_track_time_interval(
                self.hass,
                self._async_health_check,
                HEALTH_CHECK_INTERVAL,
                name="firstalert_zwave health check",
                cancel_on_shutdown=True,
            )
        )

    @callback
    def async_apply_options(self) -> None:
        """Apply changed options without reloading (the alarm state is kept)."""
        self.options = Options.from_entry(self.entry)
        self.model.settings = HealthSettings(self.options.offline_multiplier)
        self._dispatch(self.model.tick(dt_util.utcnow()), notify_all=True)

    # -- inputs from the adapter ----------------------------------------------------
    @callback
    def async_sync_detector(
        self,
        identity: DetectorIdentity,
        values: Iterable[ValueReport],
        *,
        listening: bool,
        dead: bool,
        last_seen: datetime | None,
        has_device: bool,
    ) -> None:
        """Learn or resync a detector from its current values."""
        update = self.model.add_or_sync(
            identity,
            values,
            listening=listening,
            dead=dead,
            last_seen=last_seen,
            now=dt_util.utcnow(),
        )
        if has_device:
            self._announce(identity.key)
        self._dispatch(update)

    @callback
    def async_report(
        self, key: str, report: ValueReport, *, frame: bool = True
    ) -> None:
        """Apply a value the detector sent (``frame``: a value update, not an addition)."""
        self._dispatch(self.model.report(key, report, dt_util.utcnow(), frame=frame))

    @callback
    def async_heard_from(self, key: str) -> None:
        """Record a sign of life (wake up, notification)."""
        self._dispatch(self.model.heard_from(key, dt_util.utcnow()))

    @callback
    def async_set_dead(self, key: str, dead: bool) -> None:
        """Record zwave-js's dead/alive status."""
        self._dispatch(self.model.set_dead(key, dead, dt_util.utcnow()))

    def _announce(self, key: str) -> None:
        """Let the platforms create the entities of a detector whose device exists."""
        if key in self._announced:
            return
        self._announced.add(key)
        LOGGER.debug("Detector %s (%s) found", self.model.identity(key).name, key)
        for added in list(self._detector_added):
            added(key)

    @callback
    def async_rename(
        self, key: str, *, name: str, area: str | None, device_id: str
    ) -> None:
        """Update a detector's name/area/device (device registry changed)."""
        self._announce(key)
        if self.model.rename(key, name=name, area=area, device_id=device_id):
            self._notify(key)
            self._notify(None)
            self._sync_issues((key,))

    @callback
    def async_remove_detector(self, key: str) -> None:
        """Forget a detector that left the network or whose identity is gone."""
        if key not in self.model:
            return
        identity = self.model.identity(key)
        self._announced.discard(key)
        update = self.model.remove(key, dt_util.utcnow())
        async_delete_detector_issues(self.hass, key, self._raised_issues)
        self._dispatch(update, departed=identity)

    @callback
    def async_mark_synced(self) -> None:
        """Record that current values of every reachable detector were read."""
        self.model.mark_synced(dt_util.utcnow())
        self._notify_everything()

    @callback
    def async_set_holding(self, holding: bool) -> None:
        """Flag whether states are held because a zwave_js entry is away."""
        if holding != self.model.holding:
            self.model.hold(holding)
            self._notify_everything()

    # -- internals ------------------------------------------------------------------
    @callback
    def _async_health_check(self, _now: datetime) -> None:
        self._dispatch(self.model.tick(dt_util.utcnow()))

    @callback
    def _dispatch(
        self,
        update: Update,
        *,
        notify_all: bool = False,
        departed: DetectorIdentity | None = None,
    ) -> None:
        household = self.model.household().state
        for event in update.events:
            identity = departed or self.model.identity(event.detector)
            payload = event_payload(identity, household, event)
            LOGGER.info("Alarm event: %s", payload)
            self.hass.bus.async_fire(EVENT_ALARM, payload)
            for listener in list(self._event_listeners):
                listener(event, payload)
        if notify_all:
            self._notify_everything()
        else:
            for key in update.changed:
                self._notify(key)
            self._notify(None)
        self._sync_issues(update.changed if not notify_all else self.model.keys)

    def _sync_issues(self, keys: Iterable[str]) -> None:
        present = [key for key in keys if key in self.model]
        if present:
            async_sync_issues(
                self.hass, self.model, present, self.options, self._raised_issues
            )

    def _notify(self, key: str | None) -> None:
        for update in list(self._listeners.get(key, ())):
            update()

    def _notify_everything(self) -> None:
        for key in list(self._listeners):
            self._notify(key)
