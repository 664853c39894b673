"""The household alarm in Home Assistant: the model, its facts on disk, and what it shows.

The adapter feeds it (detectors synced, held or removed, value reports, node status);
entities, the ``firstalert_zwave_alarm`` bus event and repair issues come out of it. Facts
that zwave-js cannot report again (kept alarms, what was announced) are saved with HA's
``Store`` after every change and read back before the first sync, so a reload or a restart
announces nothing twice. Push only: the one timer fires at the next moment a detector can go
offline or a test runs out of time.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Any, Final

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import CALLBACK_TYPE, HassJob, HomeAssistant, callback
from homeassistant.helpers.event import async_track_point_in_utc_time
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util

from .const import EVENT_ALARM, LOGGER, STORAGE_KEY, STORAGE_VERSION
from .issues import DetectorIssues
from .model import (
    AlarmEvent,
    AlarmModel,
    DetectorIdentity,
    EventReason,
    HealthSettings,
    HouseholdState,
    Kind,
    Update,
    ValueReport,
)
from .model.alarm_model import FACTS_VERSION
from .options import Options

# The health timer fires a little after a deadline (deadlines are "more than"), and at
# least once a day so that a far deadline is re-read against the clock.
TIMER_MARGIN: Final = timedelta(seconds=1)
TIMER_MAX_WAIT: Final = timedelta(days=1)
# A deadline that is still due after its check ran (a detector whose check fails) is
# retried at this pace instead of in a tight loop.
TIMER_RETRY: Final = timedelta(minutes=1)


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


def _store(hass: HomeAssistant, entry: ConfigEntry) -> Store[dict[str, Any]]:
    return Store(hass, STORAGE_VERSION, STORAGE_KEY.format(entry_id=entry.entry_id))


async def async_remove_facts(hass: HomeAssistant, entry: ConfigEntry) -> None:
    """Delete the facts saved for an entry (the entry is deleted)."""
    await _store(hass, entry).async_remove()


class HouseholdAlarm:
    """Routes model updates to entities, the event bus, repairs, storage and the timer."""

    def __init__(self, hass: HomeAssistant, entry: ConfigEntry) -> None:
        """Create the model with the entry's options (nothing restored yet)."""
        self.hass = hass
        self.entry = entry
        self.options = Options.from_options(entry.options)
        self.model = AlarmModel(HealthSettings(self.options.offline_multiplier))
        self.issues = DetectorIssues(hass)
        self._store = _store(hass, entry)
        # What was last handed to the store, per detector (only changed ones are redone).
        self._detector_facts: dict[str, dict[str, Any]] = {}
        self._household_facts: dict[str, Any] = {}
        self._listeners: dict[str | None, list[CALLBACK_TYPE]] = defaultdict(list)
        self._detector_added: list[Callable[[str], None]] = []
        self._event_listeners: list[Callable[[AlarmEvent, dict[str, Any]], None]] = []
        # Detectors whose zwave_js device exists, so entities can be attached to it.
        self._announced: set[str] = set()
        self._logged: set[tuple[str, str]] = set()
        self._timer: CALLBACK_TYPE | None = None
        self._timer_deadline: datetime | None = None
        self._fired_deadline: datetime | None = None
        self._health_job = HassJob(
            self._async_health_check,
            "firstalert_zwave health check",
            cancel_on_shutdown=True,
        )

    # -- lifecycle ------------------------------------------------------------------
    async def async_load(self) -> None:
        """Read the facts saved before a restart or reload (held until synced)."""
        try:
            data = await self._store.async_load()
        except Exception:  # noqa: BLE001 - a broken file must not stop the alarm
            LOGGER.exception("Saved detector facts could not be read; starting without")
            data = None
        restored = self.model.restore(data, dt_util.utcnow())
        self._remember_facts()
        if restored:
            LOGGER.info(
                "Holding %s detector(s) as last known until Z-Wave JS reports them",
                restored,
            )
            self.issues.sync(self.model, self.model.keys, self.options)

    @callback
    def async_start(self) -> None:
        """Arm the health timer."""
        self._schedule_health_check()

    async def async_stop(self) -> None:
        """Stop the timer and write the facts now (our entry unloads)."""
        self._cancel_timer()
        self._remember_facts()
        await self._store.async_save(self._facts_to_save())

    @callback
    def async_apply_options(self) -> None:
        """Apply changed options without reloading (the alarm state is kept)."""
        self.options = Options.from_options(self.entry.options)
        self.model.settings = HealthSettings(self.options.offline_multiplier)
        self._dispatch(self._tick(dt_util.utcnow()), notify_all=True)

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
        self, key: str, report: ValueReport, *, added: bool = False
    ) -> None:
        """Apply a value the detector sent (``added``: zwave-js merely added it)."""
        self._dispatch(self.model.report(key, report, dt_util.utcnow(), added=added))

    @callback
    def async_heard_from(self, key: str) -> None:
        """Record a sign of life (wake up, notification)."""
        self._dispatch(self.model.heard_from(key, dt_util.utcnow()))

    @callback
    def async_set_dead(self, key: str, dead: bool) -> None:
        """Record zwave-js's dead/alive status."""
        self._dispatch(self.model.set_dead(key, dead, dt_util.utcnow()))

    @callback
    def async_set_live(self, key: str, live: bool) -> None:
        """Flag a detector as followed live, or held (its zwave_js entry went away)."""
        if key in self.model:
            self._dispatch(self.model.set_live(key, live))

    @callback
    def async_rename(
        self, key: str, *, name: str, area: str | None, device_id: str
    ) -> None:
        """Update a detector's name/area/device (device registry changed)."""
        self._announce(key)
        if self.model.rename(key, name=name, area=area, device_id=device_id):
            self._dispatch(Update(changed=frozenset({key})))

    @callback
    def async_remove_detector(self, key: str) -> None:
        """Forget a detector that left the network or whose identity is gone."""
        if key not in self.model:
            return
        self._announced.discard(key)
        update = self.model.remove(key, dt_util.utcnow())
        self.issues.delete_detector(key)
        self._dispatch(update)

    @callback
    def async_mark_synced(self) -> None:
        """Record that current values of every reachable detector were read."""
        self.model.mark_synced(dt_util.utcnow())
        self._notify_everything()

    @callback
    def async_confirm_clear(self, key: str, kind: Kind) -> bool:
        """Release a kept alarm a person confirmed is over; False if none is kept."""
        if key not in self.model:
            return False
        update = self.model.release(key, kind, dt_util.utcnow())
        if not update.changed:
            return False
        LOGGER.warning(
            "%s alarm of %s released: a person confirmed that it is over",
            kind.value,
            self.model.identity(key).name,
        )
        self._dispatch(update)
        return True

    def _announce(self, key: str) -> None:
        """Let the platforms create the entities of a detector whose device exists."""
        if key in self._announced:
            return
        self._announced.add(key)
        LOGGER.debug("Detector %s (%s) found", self.model.identity(key).name, key)
        for added in list(self._detector_added):
            added(key)

    # -- health timer ---------------------------------------------------------------
    def _tick(self, now: datetime) -> Update:
        """Re-evaluate every detector; one detector's failure never stops the others."""
        update = Update()
        for key in self.model.keys:
            try:
                update |= self.model.tick_detector(key, now)
            except Exception:  # noqa: BLE001 - isolate one detector's bad data
                self._log_once(
                    key, "health", "Health check of detector %s failed", key, exc=True
                )
        return update

    @callback
    def _async_health_check(self, _now: datetime) -> None:
        self._fired_deadline = self._timer_deadline
        self._timer = None
        self._timer_deadline = None
        self._dispatch(self._tick(dt_util.utcnow()))

    @callback
    def _schedule_health_check(self) -> None:
        """Point the timer at the next deadline (re-armed only when it moved)."""
        try:
            deadline = self.model.next_deadline()
        except Exception:  # noqa: BLE001 - a timer is better than none
            self._log_once("", "deadline", "Next health deadline failed", exc=True)
            deadline = dt_util.utcnow() + TIMER_MAX_WAIT
        if self._timer is not None and deadline == self._timer_deadline:
            return
        self._cancel_timer()
        if deadline is None:
            return
        now = dt_util.utcnow()
        if self._fired_deadline is not None and deadline <= self._fired_deadline:
            point = now + TIMER_RETRY
        else:
            point = min(max(deadline, now) + TIMER_MARGIN, now + TIMER_MAX_WAIT)
        self._timer_deadline = deadline
        self._timer = async_track_point_in_utc_time(self.hass, self._health_job, point)

    def _cancel_timer(self) -> None:
        if self._timer is not None:
            self._timer()
        self._timer = None
        self._timer_deadline = None

    # -- output ---------------------------------------------------------------------
    @callback
    def _dispatch(self, update: Update, *, notify_all: bool = False) -> None:
        for key, variable, raw in update.unreadable:
            if raw == repr(None):
                # No value yet (a detector asleep since Z-Wave JS started): routine.
                LOGGER.debug("Detector %s has no %s value yet", key, variable.value)
                continue
            self._log_once(
                key,
                variable.value,
                "Detector %s reported %s = %s, which cannot be read; "
                "keeping its last known state",
                self.model.identity(key).name if key in self.model else key,
                variable.value,
                raw,
            )
        household = self.model.household().state
        departed = {identity.key: identity for identity in update.departed}
        for event in update.events:
            # A removed detector's events name it (other hardware may now hold its key).
            identity = (
                departed[event.detector]
                if event.reason is EventReason.REMOVED and event.detector in departed
                else self.model.identity(event.detector)
            )
            payload = event_payload(identity, household, event)
            LOGGER.info("Alarm event: %s", payload)
            self.hass.bus.async_fire(EVENT_ALARM, payload)
            for listener in list(self._event_listeners):
                listener(event, payload)
        if notify_all:
            self._notify_everything()
        elif update.changed:
            for key in update.changed:
                self._notify(key)
            self._notify(None)
        self.issues.sync(
            self.model,
            self.model.keys if notify_all else update.changed,
            self.options,
        )
        self._save(self.model.keys if notify_all else update.changed)
        self._schedule_health_check()

    def _remember_facts(self) -> None:
        self._detector_facts = {
            key: self.model.detector_facts(key) for key in self.model.keys
        }
        self._household_facts = self.model.household_facts()

    def _save(self, keys: Iterable[str]) -> None:
        """Schedule a write when facts changed (at once: they are small and change rarely).

        Only the detectors an input touched are looked at, so a stream of reports costs
        one detector's facts each.
        """
        dirty = False
        for key in keys:
            if key not in self.model:
                dirty |= self._detector_facts.pop(key, None) is not None
            elif (facts := self.model.detector_facts(key)) != self._detector_facts.get(
                key
            ):
                self._detector_facts[key] = facts
                dirty = True
        if (household := self.model.household_facts()) != self._household_facts:
            self._household_facts = household
            dirty = True
        if dirty:
            self._store.async_delay_save(self._facts_to_save, 0)

    def _facts_to_save(self) -> dict[str, Any]:
        return {
            "version": FACTS_VERSION,
            "detectors": list(self._detector_facts.values()),
            "household": self._household_facts,
        }

    def _log_once(
        self, key: str, what: str, message: str, *args: Any, exc: bool = False
    ) -> None:
        """Log a problem of one detector once (a stream of garbage logs one line)."""
        if (key, what) in self._logged:
            return
        self._logged.add((key, what))
        if exc:
            LOGGER.exception(message, *args)
        else:
            LOGGER.warning(message, *args)

    def _notify(self, key: str | None) -> None:
        for update in list(self._listeners.get(key, ())):
            update()

    def _notify_everything(self) -> None:
        for key in list(self._listeners):
            self._notify(key)
