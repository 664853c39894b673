"""One action of the response, isolated: any exception is a failed attempt, retried.

An action is a service call plus, for most, a check that the house shows the result
(a lock reports ``unlocked``). It runs in its own task, so a lock that hangs or raises
never delays the lights, a thermostat or a notification. Every attempt's outcome goes to
the host (the controller), which logs it, writes the logbook and counts it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Protocol

from homeassistant.core import Event, EventStateChangedData, HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.event import async_track_state_change_event

# A service call that has not returned by then is a failed attempt (it is cancelled).
CALL_TIMEOUT = 30.0
# How often the calls in flight are checked against their deadline.
WATCH_INTERVAL = 1.0
# How long a light or thermostat may take to show what it was told.
VERIFY_SECONDS = 15.0
# Seconds to wait after the 1st, 2nd, … failed attempt (the last one repeats).
BACKOFF = (2.0, 5.0, 10.0, 20.0, 30.0, 60.0)


class NotConfirmedError(HomeAssistantError):
    """The call returned, but the entity did not show the result in time."""


def backoff(attempt: int) -> float:
    """Return the pause after failed attempt number ``attempt`` (1-based)."""
    return BACKOFF[min(attempt, len(BACKOFF)) - 1]


def describe_error(error: BaseException) -> str:
    """Return a short text for a failure (the exception type when it has no message)."""
    text = str(error).strip()
    name = type(error).__name__
    return f"{name}: {text}" if text else name


@dataclass(slots=True, kw_only=True)
class Action:
    """One thing the response does, and how to know it is done."""

    key: str
    # What it does, for people; "{name}" stands for the entity's friendly name.
    what: str
    entity_id: str | None
    call: Callable[[], Awaitable[Any]]
    # Whether the house already shows the result (None: a call that returns is enough).
    done: Callable[[], bool] | None = None
    verify_seconds: float = VERIFY_SECONDS
    # None: keep trying for as long as the action is wanted.
    max_attempts: int | None = None
    # Checked right before every attempt; False ends the action without calling.
    allowed: Callable[[], bool] | None = None
    # Seconds to wait before the first attempt (a door that locked itself again).
    delay: float = 0.0


class CallWatch:
    """The calls in flight and their deadlines, checked by one timer for all of them.

    A call still running ``CALL_TIMEOUT`` seconds after it started is cancelled and is a
    failed attempt (``TimeoutError``). One timer, running only while calls are in flight,
    costs far less per call than a timeout context of its own (alarms issue many calls).
    """

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        """Watch calls made on ``loop``."""
        self._loop = loop
        self._due: dict[asyncio.Task[Any], float] = {}
        self._expired: set[asyncio.Task[Any]] = set()
        self._handle: asyncio.TimerHandle | None = None

    def start(self, task: asyncio.Task[Any]) -> None:
        """Watch the call that starts in ``task``."""
        self._due[task] = self._loop.time() + CALL_TIMEOUT
        if self._handle is None:
            self._handle = self._loop.call_later(WATCH_INTERVAL, self._check)

    def end(self, task: asyncio.Task[Any]) -> bool:
        """Forget the call in ``task``; return whether its deadline cancelled it."""
        self._due.pop(task, None)
        if task in self._expired:
            self._expired.discard(task)
            return True
        return False

    def _check(self) -> None:
        self._handle = None
        now = self._loop.time()
        for task, due in list(self._due.items()):
            if due <= now:
                del self._due[task]
                self._expired.add(task)
                task.cancel()
        if self._due:
            self._handle = self._loop.call_later(WATCH_INTERVAL, self._check)

    def stop(self) -> None:
        """Stop the timer (unload)."""
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None


class Host(Protocol):
    """What an action reports to: the controller."""

    watch: CallWatch

    def stopped(self) -> bool:
        """Return whether the controller is stopping (no new attempts)."""

    def action_calling(self, action: Action, calling: bool) -> None:
        """Record that a call started (True) or ended (False)."""

    def action_succeeded(self, action: Action, attempt: int) -> None:
        """Record that the action's result is confirmed."""

    def action_failed(self, action: Action, attempt: int, error: BaseException) -> None:
        """Record a failed attempt (raised, timed out or not confirmed)."""

    def action_gave_up(self, action: Action, attempt: int) -> None:
        """Record that the last allowed attempt failed."""

    def action_ended(
        self, action: Action, task: asyncio.Task[Any], *, cancelled: bool
    ) -> None:
        """Record that the action's task ends (done, given up or cancelled)."""


async def wait_until(
    hass: HomeAssistant,
    entity_id: str | None,
    done: Callable[[], bool],
    seconds: float,
) -> bool:
    """Wait (at most ``seconds``) until ``done()`` holds, rechecking on state changes."""
    if done():
        return True
    if entity_id is None or seconds <= 0:
        return False
    ready: asyncio.Future[None] = hass.loop.create_future()

    @callback
    def changed(_event: Event[EventStateChangedData]) -> None:
        if not ready.done() and done():
            ready.set_result(None)

    unsubscribe = async_track_state_change_event(hass, [entity_id], changed)
    try:
        async with asyncio.timeout(seconds):
            await ready
    except TimeoutError:
        pass
    finally:
        unsubscribe()
    return done()


async def run_action(hass: HomeAssistant, action: Action, host: Host) -> bool:
    """Run ``action`` until it is done, allowed no more, or out of attempts."""
    task = asyncio.current_task()
    if task is None:  # pragma: no cover - always run as a task
        raise RuntimeError("run_action runs in a task")
    cancelled = False
    try:
        return await _attempts(hass, action, host, task)
    except asyncio.CancelledError:
        cancelled = True
        raise
    finally:
        host.action_ended(action, task, cancelled=cancelled)


async def _attempts(
    hass: HomeAssistant, action: Action, host: Host, task: asyncio.Task[Any]
) -> bool:
    attempt = 0
    if action.delay > 0:
        await asyncio.sleep(action.delay)
        if action.done is not None and action.done():
            return True  # done meanwhile (by someone else): nothing to report
    while not host.stopped():
        if attempt and action.done is not None and action.done():
            host.action_succeeded(action, attempt)
            return True
        if action.allowed is not None and not action.allowed():
            return False
        attempt += 1
        error: BaseException | None = None
        host.action_calling(action, True)
        host.watch.start(task)
        try:
            await action.call()
        except asyncio.CancelledError as err:
            if host.watch.end(task):
                task.uncancel()
                error = TimeoutError(f"no answer within {CALL_TIMEOUT:g} s")
            elif task.cancelling():
                raise  # the controller cancelled this action
            else:
                error = err  # raised by the service itself: a failed attempt
        except Exception as err:  # noqa: BLE001 - every failure is isolated and retried
            error = err
        finally:
            if host.watch.end(task):
                task.uncancel()  # the deadline passed just as the call returned
            host.action_calling(action, False)
        if host.stopped():
            return False
        if error is None:
            if action.done is None or await wait_until(
                hass, action.entity_id, action.done, action.verify_seconds
            ):
                host.action_succeeded(action, attempt)
                return True
            error = NotConfirmedError(
                f"not confirmed within {action.verify_seconds:g} s"
            )
        host.action_failed(action, attempt, error)
        if action.max_attempts is not None and attempt >= action.max_attempts:
            host.action_gave_up(action, attempt)
            return False
        await asyncio.sleep(backoff(attempt))
    return False
