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


@dataclass(frozen=True, slots=True, kw_only=True)
class Action:
    """One thing the response does, and how to know it is done."""

    key: str
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


class Host(Protocol):
    """What an action reports to: the controller."""

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
    attempt = 0
    while not host.stopped():
        if attempt and action.done is not None and action.done():
            host.action_succeeded(action, attempt)
            return True
        if action.allowed is not None and not action.allowed():
            return False
        attempt += 1
        error: BaseException | None = None
        host.action_calling(action, True)
        try:
            async with asyncio.timeout(CALL_TIMEOUT):
                await action.call()
        except asyncio.CancelledError as err:
            task = asyncio.current_task()
            if task is not None and task.cancelling():
                raise  # the controller cancelled this action
            error = err  # raised by the service itself: a failed attempt like any other
        except Exception as err:  # noqa: BLE001 - every failure is isolated and retried
            error = err
        finally:
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
