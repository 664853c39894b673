"""The response controller: holds the house in the state the current facts require.

Level-triggered. Every change of a configured entity, Home Assistant starting, a
configuration call, a finished action or a timer asks for a reconcile. A reconcile reads
the facts, lets ``decide`` record them and say what the house must be, and starts an
action for everything that is not so yet. It is synchronous (it never awaits), so two
reconciles can never interleave: the event loop is its lock. Requests that arrive while
one runs set a flag and make it run once more; nothing is queued, so nothing can be dropped
for lack of room.

Actions run in tasks the controller owns (see ``runner``): isolated, retried with backoff
for as long as they are wanted, cancelled when the facts no longer want them. The first
call of each action is issued inside the reconcile (tasks start eagerly), so a smoke report
reaches the doors, lights, thermostats and notifications in the same loop iteration.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from functools import partial
import logging
from typing import Any

from homeassistant.components import persistent_notification
from homeassistant.config_entries import ConfigEntry
from homeassistant.const import (
    EVENT_HOMEASSISTANT_STARTED,
    EVENT_HOMEASSISTANT_STOP,
    EVENT_LOGBOOK_ENTRY,
)
from homeassistant.core import (
    CALLBACK_TYPE,
    CoreState,
    Event,
    EventStateChangedData,
    HomeAssistant,
    callback,
)
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.event import (
    async_call_later,
    async_track_point_in_utc_time,
    async_track_state_change_event,
)
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util

from . import actions, issues, messages
from .checkup import run_checkup
from .config import ResponseConfig
from .const import DOMAIN, LOGGER
from .decide import (
    Decision,
    Notice,
    RestorePlan,
    RestoreStep,
    decide,
    may_restore,
    restore_notice,
    unlock_key,
)
from .dryrun import Checkup
from .facts import Facts, Kind, Owner, is_unlocked
from .memory import Episode, Memory
from .reader import climate_fact, friendly_name, read_facts, sensor_fact, sensor_reading
from .runner import Action, CallWatch, backoff, describe_error, run_action
from .storage import document

EVENT_AUTOMATION_RELOADED = "automation_reloaded"
NOTIFY_DOMAIN = "notify"
# Fired once the controller runs, so the blueprint hands over its inputs at once.
EVENT_READY = f"{DOMAIN}_response_ready"
LOGBOOK_NAME = "Alarm response"
# Failed attempts after which a thermostat or light problem is notified (retries go on).
REPORT_AFTER = 3
NOTIFY_ATTEMPTS = 5
NOTIFY_KEY = "notify:"
# A door found locked again this soon after the response unlocked it (an auto-relock) is
# unlocked again after a growing pause (the retry pauses), not at once: a lock that relocks
# at once would otherwise be sent commands in a tight loop, flooding its network.
RELOCK_WINDOW = 60.0
# Quick relocks of one door after which a person is told (the response goes on unlocking).
RELOCKS_REPORTED = 3
# A reconcile that raised (a bug) is tried again after this long.
RECONCILE_RETRY = timedelta(seconds=10)
# Unload waits this long for service calls in flight.
STOP_GRACE = 35.0


class ResponseController:
    """The alarm response of one household."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConfigEntry,
        store: Store[dict[str, Any]],
        config: ResponseConfig | None,
        memory: Memory,
    ) -> None:
        """Resume from the stored configuration and memory."""
        self.hass = hass
        self.entry = entry
        self.config = config
        self.memory = memory
        self.stopping = False
        self.last_checkup: dict[str, Any] | None = None
        self.checkup_problems: tuple[str, ...] = ()
        self._store = store
        self._saved_version = memory.version
        self._tasks: dict[str, asyncio.Task[bool]] = {}
        # Notifications in flight, by key (each target of each notice).
        self._events: dict[str, asyncio.Task[bool]] = {}
        self._calling: set[str] = set()
        self._restore: asyncio.Task[None] | None = None
        self._reconciling = False
        self._dirty = False
        self._watched: frozenset[str] = frozenset()
        self._unsub_states: CALLBACK_TYPE | None = None
        self._unsub_timer: CALLBACK_TYPE | None = None
        self._wake_at: datetime | None = None
        self._unsub_retry: CALLBACK_TYPE | None = None
        self._soon: asyncio.Handle | None = None
        # Action outcomes that arrived while a reconcile was issuing calls.
        self._reports: list[tuple[Action, int, BaseException | None]] = []
        self._listeners: list[CALLBACK_TYPE] = []
        self._unsub_started: CALLBACK_TYPE | None = None
        self._unsub_stop: CALLBACK_TYPE | None = None
        self._owner_missing = False
        self._unreadable_logged: set[str] = set()
        # Since when Home Assistant runs with the response (None: it is starting, and the
        # states it restores are not arrivals).
        self._settled_at: datetime | None = None
        # The time of the last reconcile (a later one that is earlier: the clock went back).
        self._last_now: datetime | None = None
        # When the response last saw each door it unlocked confirmed (loop time), and how
        # often in a row it was found locked again soon after.
        self._unlocked_at: dict[str, float] = {}
        self._relocks: dict[str, int] = {}
        self._rival: str | None = None
        self.watch = CallWatch(hass.loop)
        self._config_entities = config.entities() if config else frozenset()

    # -- lifecycle --------------------------------------------------------------------
    @callback
    def async_start(self) -> None:
        """Follow the house and act on the stored configuration at once."""
        bus = self.hass.bus
        self._listeners.append(
            bus.async_listen(EVENT_AUTOMATION_RELOADED, self._automations_loaded)
        )
        self._listeners.append(
            bus.async_listen(er.EVENT_ENTITY_REGISTRY_UPDATED, self._registry_updated)
        )
        self._unsub_stop = bus.async_listen_once(
            EVENT_HOMEASSISTANT_STOP, self._hass_stopping
        )
        if self.hass.state is CoreState.running:
            self._settled_at = dt_util.utcnow()
            self._check_owner()
            self._resume(show=False)
        else:
            self._unsub_started = bus.async_listen_once(
                EVENT_HOMEASSISTANT_STARTED, self._started
            )
        self.async_request()
        bus.async_fire(EVENT_READY)

    async def async_stop(self) -> None:
        """Stop acting: wait for calls in flight, end every task, save the memory."""
        if self.stopping:
            return
        self.stopping = True
        if self._unsub_stop is not None:
            self._unsub_stop()
            self._unsub_stop = None
        for unsubscribe in self._listeners:
            unsubscribe()
        self._listeners.clear()
        if self._unsub_started is not None:
            self._unsub_started()
            self._unsub_started = None
        self._unwatch()
        self._cancel_timer()
        if self._unsub_retry is not None:
            self._unsub_retry()
            self._unsub_retry = None
        if self._soon is not None:
            self._soon.cancel()
            self._soon = None
        tasks: list[asyncio.Task[Any]] = [*self._tasks.values(), *self._events.values()]
        if self._restore is not None:
            tasks.append(self._restore)
        for key, task in (*self._tasks.items(), *self._events.items()):
            if key not in self._calling:
                task.cancel()  # waiting to retry; a call in flight is let finish
        if self._restore is not None:
            self._restore.cancel()
        if tasks:
            _done, pending = await asyncio.wait(tasks, timeout=STOP_GRACE)
            for task in pending:
                task.cancel()
            if pending:
                await asyncio.wait(pending)
        self.watch.stop()
        await self._store.async_save(document(self.config, self.memory))

    # -- configuration ----------------------------------------------------------------
    @callback
    def async_configure(self, config: ResponseConfig) -> None:
        """Take the configuration the blueprint hands over (idempotent).

        One household has one response: while the automation that configured it is on,
        another automation is refused (``OwnedElsewhereError``).
        """
        current = self.config
        owner = current.automation if current else None
        if (
            owner
            and config.automation
            and config.automation != owner
            and (state := self.hass.states.get(owner)) is not None
            and state.state == "on"
        ):
            self._rival = config.automation
            issues.raise_duplicate(self.hass, owner, config.automation)
            raise OwnedElsewhereError(owner, config.automation)
        if self._rival is not None and (
            self._rival == config.automation or not self._rival_active()
        ):
            self._rival = None  # the other one took over, or is off or gone
            issues.delete(self.hass, issues.ISSUE_DUPLICATE)
        if config.automation and self.hass.states.get(config.automation) is not None:
            self._owner_seen()
        changed = config != current
        if changed:
            LOGGER.info(
                "Alarm response configured by %s", config.automation or "a call"
            )
            self.config = config
            self._config_entities = config.entities()
            self.memory.touch()
        # The repair issue clears once fixed; an entity that exists nowhere raises it.
        if self.checkup_problems or (changed and self._missing_entities()):
            self.async_checkup(notify=False)
        self.async_request()

    def _rival_active(self) -> bool:
        rival = self._rival
        if rival is None:
            return False
        state = self.hass.states.get(rival)
        return state is not None and state.state == "on"

    # -- owner automation -------------------------------------------------------------
    def _owner(self) -> Owner:
        config = self.config
        if config is None or not config.automation:
            return Owner.ACTIVE
        state = self.hass.states.get(config.automation)
        if state is None:
            entry = er.async_get(self.hass).async_get(config.automation)
            if entry is not None and entry.disabled:
                return Owner.OFF  # disabled in the entity registry: as good as off
            return Owner.MISSING if self._owner_missing else Owner.ACTIVE
        if state.state == "off":
            return Owner.OFF
        return Owner.ACTIVE

    async def _hass_stopping(self, _event: Event[Any]) -> None:
        """Home Assistant stops: finish calls in flight and save, as on unload."""
        self._unsub_stop = None
        await self.async_stop()

    @callback
    def _started(self, event: Event[Any]) -> None:
        self._unsub_started = None
        self._settled_at = dt_util.utcnow()
        self._resume(show=True)
        self._automations_loaded(event)

    @callback
    def _automations_loaded(self, _event: Event[Any]) -> None:
        """After start or an automation reload, an owner that does not exist is gone.

        A configured entity that exists nowhere (renamed or deleted while Home Assistant
        was down) runs the checkup, so a repair issue says so.
        """
        self._check_owner()
        if self._missing_entities():
            self.async_checkup(notify=False)
        self.async_request()

    def _missing_entities(self) -> list[str]:
        """Return the configured entities that have neither a state nor a registry entry."""
        config = self.config
        if config is None:
            return []
        registry = er.async_get(self.hass)
        return [
            entity_id
            for entity_id in sorted(self._config_entities)
            if entity_id != config.automation
            and self.hass.states.get(entity_id) is None
            and registry.async_get(entity_id) is None
        ]

    def _check_owner(self) -> None:
        config = self.config
        if config is None or not config.automation:
            return
        if self.hass.states.get(config.automation) is None:
            if not self._owner_missing:
                LOGGER.warning(
                    "%s, which configures the alarm response, does not exist: "
                    "the response stands down",
                    config.automation,
                )
            self._owner_missing = True
            issues.raise_automation_missing(self.hass, config.automation)
        else:
            self._owner_seen()

    def _owner_seen(self) -> None:
        if self._owner_missing:
            self._owner_missing = False
            issues.delete(self.hass, issues.ISSUE_AUTOMATION_MISSING)

    @callback
    def _registry_updated(
        self, event: Event[er.EventEntityRegistryUpdatedData]
    ) -> None:
        """Follow a renamed owner automation; forget the configuration when it is deleted.

        Another configured entity renamed or deleted leaves the response without it (the
        automation still names the old entity ID): the checkup runs at once, so a repair
        issue says so, until the automation names an entity that exists.
        """
        config = self.config
        if config is None:
            return
        data = event.data
        gone = data.get("old_entity_id") if data["action"] == "update" else None
        if data["action"] == "remove":
            gone = data["entity_id"]
        if gone and gone != config.automation and gone in self._config_entities:
            LOGGER.warning(
                "%s, which the alarm response uses, was renamed or deleted: update the "
                "alarm response automation",
                gone,
            )
            self.async_checkup(notify=False)
        if not config.automation:
            return
        if data["action"] == "update" and data["entity_id"] == config.automation:
            self.async_request()  # disabled or enabled: the owner's state changes
        if (
            data["action"] == "update"
            and data.get("old_entity_id") == config.automation
        ):
            self.config = ResponseConfig.from_dict(
                {**config.to_dict(), "automation": data["entity_id"]}
            )
            self._config_entities = self.config.entities()
            self.memory.touch()
            self.async_request()
        elif data["action"] == "remove" and data["entity_id"] == config.automation:
            LOGGER.warning(
                "%s was deleted: the alarm response stands down and forgets its "
                "configuration",
                config.automation,
            )
            self.config = None
            self.memory.touch()
            self._cancel_all()
            self._unwatch()
            self._cancel_timer()
            issues.delete(self.hass, issues.ISSUE_AUTOMATION_MISSING)
            self._save()

    # -- requests ---------------------------------------------------------------------
    @callback
    def async_request(self) -> None:
        """Reconcile now; a request during a reconcile makes it run once more."""
        if self.stopping:
            return
        self._dirty = True
        if self._reconciling:
            return
        self._reconciling = True
        try:
            while (self._dirty or self._reports) and not self.stopping:
                self._dirty = False
                try:
                    self._reconcile()
                except Exception:  # noqa: BLE001 - a bug must not end the response
                    LOGGER.exception("Alarm response reconcile failed; trying again")
                    self._retry_later()
                # Outcomes of calls made by that reconcile: taken in once every first
                # action has been issued.
                while self._reports:
                    self._report(*self._reports.pop(0))
        finally:
            self._reconciling = False

    def _retry_later(self) -> None:
        if self._unsub_retry is not None:
            return

        @callback
        def retry(_now: datetime) -> None:
            self._unsub_retry = None
            self.async_request()

        self._unsub_retry = async_call_later(self.hass, RECONCILE_RETRY, retry)

    @callback
    def _state_changed(self, event: Event[EventStateChangedData]) -> None:
        """Record alarm facts before anything awaits, then reconcile."""
        entity_id = event.data["entity_id"]
        config = self.config
        if config is not None:
            if entity_id in config.alarm_sensors:
                kind, reading = sensor_reading(self.hass, entity_id)
                if self.memory.observe(
                    entity_id, kind, reading, dt_util.utcnow()
                ) and self.memory.active(config.alarm_sensors):
                    self._cancel_restore()
                self.async_request()  # an alarm fact: decide now
                return
            if entity_id == config.automation and event.data["new_state"] is not None:
                self._owner_seen()
        self._request_soon()

    @callback
    def _request_soon(self) -> None:
        """Reconcile once the changes already queued have arrived (one for all of them).

        The calls of one reconcile change many entities at once (doors, lights, a
        thermostat); deciding once after all of them is enough.
        """
        if self._soon is None and not self.stopping:
            self._soon = self.hass.loop.call_soon(self._run_soon)

    @callback
    def _run_soon(self) -> None:
        self._soon = None
        self.async_request()

    # -- reconcile --------------------------------------------------------------------
    def _follow_clock(self) -> None:
        """Move the remembered times back with a clock that was set back."""
        now = dt_util.utcnow()
        last, self._last_now = self._last_now, now
        if last is None or now >= last:
            return
        by = last - now
        LOGGER.warning(
            "The clock was set back by %s: the alarm response's times follow it", by
        )
        self.memory.clock_set_back(by)
        if self._settled_at is not None:
            self._settled_at -= by

    def _unreadable(self, entity_id: str, error: Exception) -> None:
        """Log, once per entity, a state the response cannot read (it counts as unknown)."""
        if entity_id in self._unreadable_logged:
            return
        self._unreadable_logged.add(entity_id)
        LOGGER.warning(
            "Alarm response cannot read %s (it counts as unknown): %s",
            entity_id,
            describe_error(error),
        )

    def _reconcile(self) -> None:
        config = self.config
        if config is None:
            return
        self._follow_clock()
        facts = read_facts(
            self.hass,
            config,
            self.memory,
            self._owner(),
            self._unreadable,
            settled=self._settled_at,
        )
        decision = decide(config, self.memory, facts)
        self._watch(self._config_entities | decision.watch)
        self._forget_relocks(decision.unlock)
        if decision.standing_down:
            self._cancel_all()
            self._cancel_timer()
        else:
            self._apply(config, facts, decision)
        self._save()

    def _apply(self, config: ResponseConfig, facts: Facts, decision: Decision) -> None:
        wanted: set[str] = set()
        episode = self.memory.episode
        for lock in decision.unlock:
            key = unlock_key(lock)
            wanted.add(key)
            if not is_unlocked(facts.locks.get(lock)) and not self._running(key):
                self._start(
                    actions.unlock(
                        self.hass,
                        lock,
                        config.unlock_verify_seconds,
                        self._relock_pause(lock),
                    )
                )
        for light in decision.lights:
            key = actions.light_key(light)
            wanted.add(key)
            if facts.lights.get(light) != "on" and not self._running(key):
                self._start(actions.light_on(self.hass, light))
        for goal in decision.hvac:
            needed = actions.hvac_needed(goal, facts.climates[goal.climate])
            wanted.update(needed)
            if any(n and not self._running(key) for key, n in needed.items()):
                for action in actions.hvac_off(self.hass, goal):
                    if needed[action.key]:
                        self._start(action)
        for key in [key for key in self._tasks if key not in wanted]:
            self._tasks.pop(key).cancel()
        for notice in decision.notices:
            self._notify(notice)
        if decision.restore is not None and episode is not None:
            if self._restore is None or self._restore.done():
                self._restore = self.entry.async_create_background_task(
                    self.hass,
                    self._async_restore(config, episode, decision.restore),
                    f"{DOMAIN} restore after smoke",
                )
        elif decision.active:
            self._cancel_restore()
        self._set_timer(decision.wake_at)

    # -- actions ----------------------------------------------------------------------
    def _running(self, key: str) -> bool:
        task = self._tasks.get(key)
        return task is not None and not task.done()

    def _start(self, action: Action) -> None:
        if self._running(action.key):
            return
        task = self._task(action)
        if not task.done():  # an action can be over before its task is returned
            self._tasks[action.key] = task

    def _task(self, action: Action) -> asyncio.Task[bool]:
        """Start an action in a task of its own; its first call is made right now.

        The controller tracks and ends these tasks itself (unload, Home Assistant
        stopping), which spares the per-task bookkeeping of a background task.
        """
        return asyncio.Task(
            run_action(self.hass, action, self),
            loop=self.hass.loop,
            name=f"{DOMAIN} {action.key}",
            eager_start=True,
        )

    def action_ended(
        self, action: Action, task: asyncio.Task[Any], *, cancelled: bool
    ) -> None:
        """Forget a finished action; look again at the facts unless it was cancelled."""
        key = action.key
        if self._events.get(key) is task:
            del self._events[key]
        if self._tasks.get(key) is task:
            del self._tasks[key]
        if not cancelled and not self.stopping and not key.startswith(NOTIFY_KEY):
            self._request_soon()

    def _forget_relocks(self, unlocking: Iterable[str]) -> None:
        """Forget the unlocks of doors the response no longer holds unlocked.

        A door locked by a person after an alarm (or while nobody is home) did not lock
        itself again: the next alarm unlocks it at once.
        """
        keep = set(unlocking)
        for tracked in (self._unlocked_at, self._relocks):
            for lock in [lock for lock in tracked if lock not in keep]:
                del tracked[lock]

    def _relock_pause(self, lock: str) -> float:
        """Return how long to wait before unlocking a door found locked again.

        At once, unless the response unlocked it less than ``RELOCK_WINDOW`` ago: then
        the pause grows with each such relock in a row, like the retry pauses.
        """
        unlocked_at = self._unlocked_at.pop(lock, None)
        if unlocked_at is None or self.hass.loop.time() - unlocked_at > RELOCK_WINDOW:
            self._relocks.pop(lock, None)
            return 0.0
        relocks = self._relocks[lock] = self._relocks.get(lock, 0) + 1
        pause = backoff(relocks)
        name = friendly_name(self.hass, lock)
        self._logbook(messages.logbook_relocked(pause), lock)
        episode = self.memory.episode
        key = f"relock:{lock}"
        if (
            relocks >= RELOCKS_REPORTED
            and episode is not None
            and key not in episode.failures_reported
        ):
            episode.failures_reported.add(key)
            self.memory.touch()
            self._notify(
                Notice(
                    f"problem_{key}",
                    messages.failure_title(episode.kinds),
                    messages.relocked_message(name, relocks),
                )
            )
        return pause

    # -- Host protocol (runner callbacks) ----------------------------------------------
    def stopped(self) -> bool:
        """Return whether unload has begun."""
        return self.stopping

    def action_calling(self, action: Action, calling: bool) -> None:
        """Track calls in flight, which unload waits for."""
        if calling:
            self._calling.add(action.key)
        else:
            self._calling.discard(action.key)

    def action_succeeded(self, action: Action, attempt: int) -> None:
        """Log a confirmed action; an unlock is also written to the logbook."""
        if self._reconciling:
            self._reports.append((action, attempt, None))
        else:
            self._report(action, attempt, None)

    def action_failed(self, action: Action, attempt: int, error: BaseException) -> None:
        """Log, write the logbook, count and (after a few) report a failed attempt."""
        if self._reconciling:
            self._reports.append((action, attempt, error))
        else:
            self._report(action, attempt, error)

    def _report(
        self, action: Action, attempt: int, error: BaseException | None
    ) -> None:
        if error is None:
            self._succeeded(action, attempt)
        else:
            self._failed(action, attempt, error)

    def _succeeded(self, action: Action, attempt: int) -> None:
        if LOGGER.isEnabledFor(logging.DEBUG):
            LOGGER.debug(
                "Alarm response: %s done (attempt %d)", self._describe(action), attempt
            )
        if action.key.startswith(NOTIFY_KEY):
            self._delivered(action, failed=False, last=True)
            return
        episode = self.memory.episode
        if action.key.startswith("unlock:") and action.entity_id:
            self._unlocked_at[action.entity_id] = self.hass.loop.time()
        if action.key.startswith("unlock:") and episode is not None:
            where = "; ".join(
                messages.where_text(kind, self._labels(kind))
                for kind in sorted(episode.kinds, reverse=True)
            )
            self._logbook(messages.logbook_unlocked(where), action.entity_id)

    def _failed(self, action: Action, attempt: int, error: BaseException) -> None:
        text = describe_error(error)
        what = self._describe(action)
        LOGGER.warning(
            "Alarm response could not %s (attempt %d): %s", what, attempt, text
        )
        self._logbook(messages.logbook_failed(what, attempt, text), action.entity_id)
        if action.key.startswith(NOTIFY_KEY):
            last = action.max_attempts is not None and attempt >= action.max_attempts
            self._delivered(action, failed=True, last=last)
            return
        episode = self.memory.episode
        if episode is None or action.key.startswith("restore"):
            return
        episode.attempts[action.key] = episode.attempts.get(action.key, 0) + 1
        self.memory.touch()
        if (
            not action.key.startswith("unlock:")
            and episode.attempts[action.key] >= REPORT_AFTER
            and action.key not in episode.failures_reported
        ):
            episode.failures_reported.add(action.key)
            self._notify(
                Notice(
                    f"problem_{action.key}",
                    messages.failure_title(episode.kinds),
                    messages.failure_message(what, episode.attempts[action.key], text),
                )
            )
        self.async_request()

    def action_gave_up(self, action: Action, attempt: int) -> None:
        """Log an action that ran out of attempts."""
        LOGGER.error(
            "Alarm response gave up: %s after %d attempts",
            self._describe(action),
            attempt,
        )

    def _describe(self, action: Action) -> str:
        """Return what an action does, naming its entity as people see it."""
        name = friendly_name(self.hass, action.entity_id) if action.entity_id else ""
        return action.what.format(name=name)

    def _labels(self, kind: Kind) -> list[str]:
        config = self.config
        if config is None:
            return []
        return [
            sensor_fact(self.hass, entity_id).label
            for entity_id in self.memory.active_sensors(config.alarm_sensors, kind)
        ]

    def _logbook(self, message: str, entity_id: str | None) -> None:
        data = {"name": LOGBOOK_NAME, "message": message, "domain": DOMAIN}
        if entity_id:
            data["entity_id"] = entity_id
        self.hass.bus.async_fire(EVENT_LOGBOOK_ENTRY, data)

    # -- notifications ----------------------------------------------------------------
    def _notify(self, notice: Notice) -> None:
        """Show a notice and send it to every target, each on its own.

        Each target's copy waits in the (saved) outbox until it is delivered or its
        attempts run out, so a restart or reload in between never loses it.
        """
        config = self.config
        if config is None:
            return
        if config.persistent_notification:
            self._show(notice.topic, notice.title, notice.message)
            if self.memory.episode is not None:
                self.memory.shown[notice.topic] = (notice.title, notice.message)
                self.memory.touch()
        for target in config.notify_actions:
            self._deliver(self.memory.post(target, notice.title, notice.message))
        self._save()
        LOGGER.warning("Alarm response: %s: %s", notice.title, notice.message)

    def _show(self, topic: str, title: str, message: str) -> None:
        persistent_notification.async_create(
            self.hass, message, title, f"{DOMAIN}_response_{topic}"
        )

    def _deliver(self, key: str) -> None:
        """Send one delivery of the outbox (its attempts left, each on its own)."""
        delivery = self.memory.outbox[key]
        config = self.config
        action = Action(
            key=f"{NOTIFY_KEY}{key}",
            what=f"notify {delivery.target}",
            entity_id=None,
            call=partial(
                self._send,
                delivery.target,
                delivery.title,
                delivery.message,
                dict(config.notify_data) if config else {},
            ),
            max_attempts=max(1, NOTIFY_ATTEMPTS - delivery.attempts),
        )
        task = self._task(action)
        if not task.done():
            self._events[action.key] = task

    def _delivered(self, action: Action, *, failed: bool, last: bool) -> None:
        """Take in the outcome of one attempt of a delivery."""
        key = action.key.removeprefix(NOTIFY_KEY)
        delivery = self.memory.outbox.get(key)
        if delivery is None:
            return
        if failed:
            delivery.attempts += 1
        if not failed or last:
            del self.memory.outbox[key]
        self.memory.touch()
        self._save()

    @callback
    def _resume(self, *, show: bool) -> None:
        """Home Assistant runs: send what the outbox still holds, show the alarm again.

        Home Assistant forgets its notifications when it restarts (``show``); those of an
        alarm that is still on are shown again.
        """
        config = self.config
        memory = self.memory
        for key, delivery in list(memory.outbox.items()):
            if f"{NOTIFY_KEY}{key}" in self._events:
                continue
            if config is None or delivery.target not in config.notify_actions:
                del memory.outbox[key]  # the phone is no longer a target
                memory.touch()
                continue
            self._deliver(key)
        if show and config and config.persistent_notification and memory.episode:
            for topic, (title, message) in memory.shown.items():
                self._show(topic, title, message)
        self._save()

    async def _send(
        self, target: str, title: str, message: str, extra: dict[str, Any]
    ) -> None:
        """Send one notice to one target: a notify action, or a notify entity."""
        domain, _, service = target.partition(".")
        services = self.hass.services
        if (
            domain == NOTIFY_DOMAIN
            and not services.has_service(domain, service)
            and self.hass.states.get(target) is not None
        ):
            await services.async_call(
                NOTIFY_DOMAIN,
                "send_message",
                {"entity_id": target, "message": message, "title": title},
                blocking=True,
            )
            return
        data: dict[str, Any] = {"message": message, "title": title}
        if extra:
            data["data"] = extra
        await services.async_call(domain, service, data, blocking=True)

    # -- restore after smoke ----------------------------------------------------------
    def _cancel_restore(self) -> None:
        if self._restore is not None and not self._restore.done():
            LOGGER.info("Alarm response: a new alarm cancels the restore")
            self._restore.cancel()
        self._restore = None

    async def _async_restore(
        self, config: ResponseConfig, episode: Episode, plan: RestorePlan
    ) -> None:
        """Set the saved modes and fans back, then the schedules; each step rechecked."""

        def allowed() -> bool:
            return not self.stopping and may_restore(config, self.memory, episode)

        results = await asyncio.gather(
            *(self._async_restore_climate(step, allowed) for step in plan.steps)
        )
        restored = [text for ok, text in results if ok]
        failed = [text for ok, text in results if not ok]
        failed.extend(
            f"{friendly_name(self.hass, climate)}: its state before the alarm is not known"
            for climate in plan.unsaved
        )
        for switch in plan.switches:
            if not allowed():
                return
            name = friendly_name(self.hass, switch)
            action = actions.restore_switch(self.hass, switch, allowed)
            if actions.is_on(self.hass, switch) or await run_action(
                self.hass, action, self
            ):
                restored.append(f"{name} on")
            else:
                failed.append(f"{name} on")
        if not allowed():
            return
        self.memory.end_episode()
        self._notify(restore_notice(restored, failed))
        self._restore = None
        self._save()
        self.async_request()

    async def _async_restore_climate(
        self, step: RestoreStep, allowed: Callable[[], bool]
    ) -> tuple[bool, str]:
        climate = step.climate
        name = friendly_name(self.hass, climate)
        ok = True
        if climate_fact(self.hass, climate).mode != step.mode:
            ok = await run_action(
                self.hass, actions.restore_mode(self.hass, step, allowed), self
            )
        fan = step.fan
        fact = climate_fact(self.hass, climate)
        if ok and fan and fact.fan != fan and fan in fact.fan_modes and allowed():
            ok = await run_action(
                self.hass, actions.restore_fan(self.hass, climate, fan, allowed), self
            )
        return ok, messages.restored_text(name, step.mode, fan)

    # -- subscriptions, timers, saving ------------------------------------------------
    def _watch(self, entity_ids: frozenset[str]) -> None:
        if entity_ids == self._watched and self._unsub_states is not None:
            return
        self._unwatch()
        self._watched = entity_ids
        if entity_ids:
            self._unsub_states = async_track_state_change_event(
                self.hass, sorted(entity_ids), self._state_changed
            )

    def _unwatch(self) -> None:
        if self._unsub_states is not None:
            self._unsub_states()
            self._unsub_states = None
        self._watched = frozenset()

    def _set_timer(self, wake_at: datetime | None) -> None:
        if wake_at == self._wake_at and (wake_at is None or self._unsub_timer):
            return
        self._cancel_timer()
        if wake_at is None:
            return
        self._wake_at = wake_at

        @callback
        def wake(_now: datetime) -> None:
            self._unsub_timer = None
            self._wake_at = None
            self.async_request()

        self._unsub_timer = async_track_point_in_utc_time(self.hass, wake, wake_at)

    def _cancel_timer(self) -> None:
        if self._unsub_timer is not None:
            self._unsub_timer()
            self._unsub_timer = None
        self._wake_at = None

    def _cancel_all(self) -> None:
        for task in self._tasks.values():
            task.cancel()
        self._tasks.clear()
        self._cancel_restore()

    def _save(self) -> None:
        if self.memory.version == self._saved_version:
            return
        self._saved_version = self.memory.version
        self._store.async_delay_save(
            lambda: document(self.config, self.memory), delay=0
        )

    # -- safety checkup ---------------------------------------------------------------
    @callback
    def async_checkup(self, *, notify: bool) -> Checkup:
        """Dry-run the response for smoke and CO now; nothing is switched."""
        result = run_checkup(self.hass, self.config, self._owner(), notify=notify)
        self.last_checkup = result.to_dict()
        self.checkup_problems = result.problems
        return result

    # -- introspection ----------------------------------------------------------------
    def diagnostics(self) -> dict[str, Any]:
        """Return the configuration, memory and what is running."""
        return {
            "config": self.config.to_dict() if self.config else None,
            "owner": self._owner().value,
            "memory": self.memory.to_dict(),
            "running": sorted(self._tasks),
            "calling": sorted(self._calling),
            "restoring": self._restore is not None and not self._restore.done(),
            "last_checkup": self.last_checkup,
        }


class OwnedElsewhereError(Exception):
    """Another automation, which is on, already configures the response."""

    def __init__(self, owner: str, other: str) -> None:
        """Name both automations."""
        super().__init__(f"{other}: the alarm response is configured by {owner}")
        self.owner = owner
        self.other = other
