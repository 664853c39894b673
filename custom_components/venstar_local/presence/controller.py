"""The executor: keeps one thermostat where the decision says, whatever happens in between.

It follows every entity the decision depends on and the thermostat, and decides again on every
change, on a one-minute tick, at the moment a delay or hold runs out, when the thermostat comes
back and when it starts. It writes only when the setting to steer to changes, when a write has
not landed yet (retried with backoff until it lands or the setting changes), after a hold ends
and when it (re)starts — and then only if the thermostat is not already there. Between those
moments the thermostat's own schedule is not fought.

One thermostat is steered by one automation: while one follows it, another automation's
controller for the same thermostat is refused (a repair issue names both) and takes over when
the first is turned off, or at its next hand-over once the first is deleted.

A change to the thermostat is ours when its context is one we wrote with; any other change of
preset, mode or setpoint made by a person or another automation (or a preset changed at the
thermostat itself) starts a hold that replaces the previous one.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable
from datetime import datetime, timedelta
import logging
from typing import Any

from homeassistant.components.climate.const import (
    ATTR_PRESET_MODE,
    ATTR_PRESET_MODES,
    DOMAIN as CLIMATE_DOMAIN,
)
from homeassistant.const import ATTR_ENTITY_ID, STATE_ON
from homeassistant.core import (
    CALLBACK_TYPE,
    Context,
    Event,
    EventStateChangedData,
    HomeAssistant,
    State,
    callback,
)
from homeassistant.helpers.event import (
    TrackStates,
    async_track_point_in_utc_time,
    async_track_state_change_event,
    async_track_state_change_filtered,
    async_track_time_interval,
)
from homeassistant.util import dt as dt_util

from . import issues
from .config import PresenceConfig
from .facts import read_facts, untracked
from .model import Decision, Memory, Setting, advance
from .store import Record, Written
from .thermostat import SETTING_ATTRIBUTES, is_available, plan

_LOGGER = logging.getLogger(__package__)

TICK = timedelta(seconds=60)
WRITE_TIMEOUT = 60.0
# Seconds before the next attempt after the 1st, 2nd, ... failed write (then every 5 min).
RETRY_DELAYS = (10.0, 30.0, 60.0, 120.0, 300.0)
BY_PERSON = "a person"
BY_AUTOMATION = "another automation"
BY_THERMOSTAT = "someone at the thermostat"


class PresenceController:
    """One automation's presence eco: follows the facts and steers its thermostat."""

    def __init__(
        self,
        hass: HomeAssistant,
        automation: str,
        record: Record | None,
        save: Callable[[], None],
        *,
        owner_of: Callable[[PresenceController], str | None] = lambda _: None,
        released: Callable[[], None] = lambda: None,
    ) -> None:
        """Start from what was remembered for this automation (if anything).

        `owner_of` names another automation already steering this one's thermostat;
        `released` is called when this one stops steering a thermostat another may want.
        """
        self.hass = hass
        self.automation = automation
        self.config: PresenceConfig | None = None
        self.memory = record.memory if record else Memory()
        self.written = record.written if record else None
        self.decision: Decision | None = None
        self._save = save
        self._owner_of = owner_of
        self._released = released
        self.refused_by: str | None = None  # the automation steering our thermostat
        self._listeners: list[CALLBACK_TYPE] = []
        self._automation_listener: CALLBACK_TYPE | None = None
        self._timer: CALLBACK_TYPE | None = None
        self._task: asyncio.Task[None] | None = None
        self._dirty = False
        self._verify = True
        self._changed_by: str | None = None
        self._own_contexts: deque[str] = deque(maxlen=32)
        self._retry_at: float | None = None
        self._following = False
        self._parent_context: str | None = None
        self._writing: Setting | None = None  # the setting of the write in flight
        self._missing_presets: set[tuple[str, str]] = set()  # told once each
        self._untracked_told: set[str] = set()

    @property
    def following(self) -> bool:
        """Whether it steers its thermostat now."""
        return self._following

    @property
    def attached(self) -> bool:
        """Whether it belongs to an existing automation."""
        return self._automation_listener is not None

    # ----- configuration and lifecycle ---------------------------------------------------
    @callback
    def configure(self, config: PresenceConfig, context: Context | None = None) -> None:
        """Take the automation's inputs; new inputs restart following (and verify).

        Writes carry the hand-over's context as their parent, so to everyone else (the
        logbook, other automations) they are changes made by this automation.
        """
        changed = config != self.config
        moved = self.config is not None and config.climate != self.config.climate
        self.config = config
        if context is not None:
            self._parent_context = context.id
        if self._automation_listener is None:
            self._automation_listener = async_track_state_change_event(
                self.hass, [self.automation], self._automation_changed
            )
        if changed or not self._following:
            self._follow()
        else:
            self._request()
        if moved:
            self._released()

    @callback
    def detach(self) -> None:
        """Stop everything: the automation was deleted (or is being reloaded).

        A refused automation waiting for this thermostat takes over at its next hand-over,
        not now: a reload removes the automation only for a moment.
        """
        self._unfollow()
        self._drop_refusal()
        if self._automation_listener is not None:
            self._automation_listener()
            self._automation_listener = None

    @callback
    def retry(self) -> None:
        """Try again to steer the thermostat this automation was refused for."""
        if not self._following:
            self._follow()

    @callback
    def shutdown(self) -> None:
        """Stop following (Home Assistant stops; it has cancelled a write in flight).

        A write cut short is simply not recorded as landed: after the restart the thermostat
        is compared with what the facts require and written if needed.
        """
        self.detach()
        if self._task is not None:
            self._task.cancel()

    @callback
    def _follow(self) -> None:
        """Subscribe to every fact and the thermostat, unless the automation is off."""
        self._unfollow()
        config = self.config
        state = self.hass.states.get(self.automation)
        if config is None or state is None or state.state != STATE_ON:
            return
        owner = self._owner_of(self)
        if owner is not None:
            if self.refused_by != owner:
                _LOGGER.warning(
                    "%s is not followed: %s already steers %s with presence eco",
                    self.automation,
                    owner,
                    config.climate,
                )
            self.refused_by = owner
            issues.raise_duplicate(self.hass, owner, self.automation, config.climate)
            return
        self._drop_refusal()
        self._tell_untracked(config)
        if config.orphan_travellers:
            _LOGGER.warning(
                "%s: traveller section %s has sensors but no person; its sensors are not "
                "used (choose the person they belong to)",
                self.automation,
                ", ".join(map(str, config.orphan_travellers)),
            )
        self._following = True
        tracker = async_track_state_change_filtered(
            self.hass,
            TrackStates(
                False,
                config.fact_entities(),
                set() if config.people else {"person"},
            ),
            self._fact_changed,
        )
        self._listeners = [
            tracker.async_remove,
            async_track_time_interval(
                self.hass,
                self._tick,
                TICK,
                name=f"presence eco {self.automation}",
                cancel_on_shutdown=True,
            ),
        ]
        self._request(verify=True)

    @callback
    def _drop_refusal(self) -> None:
        if self.refused_by is not None:
            self.refused_by = None
            issues.delete_duplicate(self.hass, self.automation)

    @callback
    def _unfollow(self) -> None:
        self._following = False
        for unsubscribe in self._listeners:
            unsubscribe()
        self._listeners = []
        if self._timer is not None:
            self._timer()
            self._timer = None
        self._retry_at = None

    @callback
    def _automation_changed(self, event: Event[EventStateChangedData]) -> None:
        """Stand down while the automation is off or gone; resume when it is on again."""
        new = event.data["new_state"]
        if new is None:
            _LOGGER.debug("%s was removed: presence eco stands down", self.automation)
            self.detach()
        elif new.state == STATE_ON and not self._following:
            self._follow()
        elif new.state != STATE_ON:
            self._drop_refusal()
            if self._following:
                _LOGGER.debug("%s is off: presence eco stands down", self.automation)
                self._unfollow()
                self._released()

    # ----- events ------------------------------------------------------------------------
    @callback
    def _fact_changed(self, event: Event[EventStateChangedData]) -> None:
        config = self.config
        if config is not None and event.data["entity_id"] == config.climate:
            self._thermostat_changed(event.data["old_state"], event.data["new_state"])
        else:
            self._request()

    @callback
    def _thermostat_changed(self, old: State | None, new: State | None) -> None:
        """Tell our writes, polls and returns from an outage from someone else's change."""
        if not is_available(new):
            self._request()
            return
        if not is_available(old):
            # Back from an outage (or started): whatever is due now is applied now.
            self._retry_at = None
            self._request(verify=True)
            return
        if old is None or new is None:  # pragma: no cover - excluded by is_available
            return
        if not _setting_changed(old, new) or new.context.id in self._own_contexts:
            self._request()
            return
        context = new.context
        if context.user_id is not None:
            self._changed_by = BY_PERSON
        elif context.parent_id is not None:
            self._changed_by = BY_AUTOMATION
        elif self._preset_changed_elsewhere(old, new):
            self._changed_by = BY_THERMOSTAT
        elif old.state != new.state:
            # The mode changed at the thermostat (or by a call nobody made): in the new mode
            # the setting may need other setpoints, so look at the thermostat again.
            self._request(verify=True)
            return
        self._request()

    def _preset_changed_elsewhere(self, old: State, new: State) -> bool:
        """Tell whether a preset changed without Home Assistant: the thermostat's screen or app.

        (A setpoint change there cannot be told from the thermostat's own schedule.)
        """
        before = old.attributes.get(ATTR_PRESET_MODE)
        after = new.attributes.get(ATTR_PRESET_MODE)
        if before is None or after is None or before == after:
            return False
        config = self.config
        if config is None:  # pragma: no cover - followed only once configured
            return True
        # Ours: the preset last written, or the one being written (a slow thermostat may
        # report it after our call's context has expired on its entity).
        ours = {
            config.presets.get(setting)
            for setting in (
                self.written.setting if self.written else None,
                self._writing,
            )
            if setting is not None
        }
        return after not in ours

    @callback
    def _tick(self, _now: datetime) -> None:
        self._request()

    @callback
    def _due(self, _now: datetime) -> None:
        self._timer = None
        self._request()

    @callback
    def _request(self, *, verify: bool = False) -> None:
        """Decide again soon (coalesced: one pass runs at a time, another follows if needed)."""
        if verify:
            self._verify = True
        if not self._following:
            return
        self._dirty = True
        if self._task is None:
            self._task = self.hass.async_create_background_task(
                self._run(), f"presence eco {self.automation}", eager_start=False
            )

    @callback
    def preview(self, config: PresenceConfig) -> Decision:
        """Decide now without remembering or writing anything (the action's answer)."""
        facts = read_facts(self.hass, config, dt_util.utcnow())
        return advance(self.memory, facts, config.timing)[1]

    # ----- deciding and writing ----------------------------------------------------------
    async def _run(self) -> None:
        try:
            while self._dirty and self._following:
                self._dirty = False
                try:
                    await self._pass()
                except Exception:
                    _LOGGER.exception(
                        "Presence eco for %s failed a pass", self.automation
                    )
        finally:
            self._task = None

    async def _pass(self) -> None:
        config = self.config
        if config is None:  # pragma: no cover - passes run only once configured
            return
        now = dt_util.utcnow()
        facts = read_facts(self.hass, config, now)
        changed_by, self._changed_by = self._changed_by, None
        memory, decision = advance(
            self.memory, facts, config.timing, changed_by=changed_by
        )
        if memory != self.memory:
            self.memory = memory
            self._save()
        self.decision = decision
        if changed_by is not None and decision.hold_until is not None:
            self._log(
                f"{changed_by} changed the thermostat; leaving it alone until "
                f"{_clock(decision.hold_until)}"
            )
        elif changed_by is not None:
            self._verify = True  # no grace period: the facts rule again at once
        if decision.held:
            self._verify = True  # when the hold ends, look at the thermostat again
        elif decision.setting is not None:
            await self._steer(decision.setting, decision.reason, now.timestamp())
        self._schedule(decision.recheck_at)

    async def _steer(self, setting: Setting, reason: str, now: float) -> None:
        """Write the setting if it is new, not landed yet, or due for a check."""
        config = self.config
        if config is None:  # pragma: no cover - passes run only once configured
            return
        written = self.written
        new = written is None or written.setting is not setting
        if not (new or not written.landed or self._verify):  # type: ignore[union-attr]
            return
        state = self.hass.states.get(config.climate)
        if state is None or not is_available(state):
            if new:
                self.written = Written(
                    setting, reason, now, landed=False, attempts=0, error="unavailable"
                )
                self._save()
                _LOGGER.info(
                    "%s is unavailable; %s will be set when it is back",
                    config.climate,
                    setting,
                )
            return
        if not new and self._retry_at is not None and now < self._retry_at:
            return
        self._verify = False
        todo = plan(
            state,
            setting,
            config.presets,
            config.setpoints,
            self.hass.config.units.temperature_unit,
        )
        if todo.missing_preset is not None:
            self._tell_missing_preset(config.climate, todo.missing_preset, state)
        if todo.service is None:
            if new or not written.landed:  # type: ignore[union-attr]
                _LOGGER.debug("%s: %s (%s)", config.climate, todo.summary, todo.note)
                self.written = Written(setting, reason, now, landed=True, attempts=0)
                self._save()
            self._retry_at = None
            return
        # A write after one that landed (a hold ended, the thermostat came back) starts over.
        attempts = 1 if new or written.landed else written.attempts + 1  # type: ignore[union-attr]
        context = Context(parent_id=self._parent_context)
        self._own_contexts.append(context.id)
        self._writing = setting
        try:
            async with asyncio.timeout(WRITE_TIMEOUT):
                await self.hass.services.async_call(
                    CLIMATE_DOMAIN,
                    todo.service,
                    {ATTR_ENTITY_ID: config.climate, **todo.data},
                    blocking=True,
                    context=context,
                )
        except Exception as err:  # noqa: BLE001 - every failure is retried the same way
            error = str(err) or type(err).__name__
            delay = RETRY_DELAYS[min(attempts, len(RETRY_DELAYS)) - 1]
            self._retry_at = now + delay
            self.written = Written(setting, reason, now, False, attempts, error)
            self._save()
            if attempts == 1:
                _LOGGER.warning(
                    "Could not set %s to %s: %s; retrying until it lands",
                    config.climate,
                    todo.summary,
                    error,
                )
                self._log(f"could not set {todo.summary} ({error}); retrying")
            else:
                _LOGGER.debug(
                    "Attempt %s to set %s failed: %s", attempts, setting, error
                )
            return
        finally:
            self._writing = None
        self._retry_at = None
        self.written = Written(setting, reason, now, landed=True, attempts=attempts)
        self._save()
        after = f" (after {attempts} attempts)" if attempts > 1 else ""
        self._log(f"set {todo.summary}: {reason}{after}")

    def _tell_untracked(self, config: PresenceConfig) -> None:
        """Say once that a chosen resident has no device tracker (never known to be away)."""
        for person in config.people:
            if person in self._untracked_told or not untracked(
                self.hass.states.get(person)
            ):
                continue
            self._untracked_told.add(person)
            _LOGGER.warning(
                "%s: %s has no device tracker, so is never known to be away: the house "
                "goes to away only when %s is no longer one of its residents",
                self.automation,
                person,
                person,
            )

    def _tell_missing_preset(self, climate: str, preset: str, state: State) -> None:
        """Say once that a chosen preset does not exist there (a typo, another brand's name)."""
        if (climate, preset) in self._missing_presets:
            return
        self._missing_presets.add((climate, preset))
        _LOGGER.warning(
            "%s: %s offers the presets %s but not %r; its setpoints are set instead "
            "(check the preset names of %s)",
            self.automation,
            climate,
            ", ".join(map(str, state.attributes.get(ATTR_PRESET_MODES) or [])),
            preset,
            self.automation,
        )

    @callback
    def _schedule(self, recheck_at: float | None) -> None:
        """Wake up when the decision can change by itself or a retry is due."""
        if self._timer is not None:
            self._timer()
            self._timer = None
        due = [when for when in (recheck_at, self._retry_at) if when is not None]
        if due and self._following:
            self._timer = async_track_point_in_utc_time(
                self.hass, self._due, dt_util.utc_from_timestamp(min(due))
            )

    @callback
    def _log(self, message: str) -> None:
        """Write a decision to the log and, when chosen, to the logbook."""
        config = self.config
        if config is None:  # pragma: no cover - logs come only from configured passes
            return
        _LOGGER.info("%s: %s", self.automation, message)
        if config.logbook and self.hass.services.has_service("logbook", "log"):
            state = self.hass.states.get(self.automation)
            self.hass.async_create_task(
                self.hass.services.async_call(
                    "logbook",
                    "log",
                    {
                        "name": state.name if state else "Presence eco",
                        "message": message,
                        ATTR_ENTITY_ID: config.climate,
                    },
                ),
                eager_start=False,
            )

    def as_dict(self) -> dict[str, Any]:
        """State for diagnostics and the action's answer."""
        decision = self.decision
        return {
            "automation": self.automation,
            "following": self._following,
            "setting": decision.setting if decision else None,
            "reason": decision.reason if decision else None,
            "held": decision.held if decision else False,
            "hold_until": _iso(decision.hold_until) if decision else None,
            "written": self.written.as_dict() if self.written else None,
            "retry_at": _iso(self._retry_at),
        }


def _setting_changed(old: State, new: State) -> bool:
    """Whether mode, preset or a setpoint changed (not just the room temperature)."""
    return old.state != new.state or any(
        old.attributes.get(key) != new.attributes.get(key) for key in SETTING_ATTRIBUTES
    )


def _clock(timestamp: float) -> str:
    return dt_util.as_local(dt_util.utc_from_timestamp(timestamp)).strftime("%H:%M")


def _iso(timestamp: float | None) -> str | None:
    if timestamp is None:
        return None
    return dt_util.utc_from_timestamp(timestamp).isoformat()
