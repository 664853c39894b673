"""The actions the response starts: which service each one calls and how it knows it is done.

A key names an action by what it does to which entity (``light:light.hallway``); the
controller runs one action per key at a time, cancels the keys the facts no longer want and
counts failed attempts per key.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from functools import partial
from typing import Any, Literal

from homeassistant.core import HomeAssistant

from .decide import HvacGoal, RestoreStep, unlock_key
from .facts import ClimateFact, Kind, is_unlocked
from .reader import SHUTOFF_SERVICE, VENSTAR_DOMAIN, climate_fact, state_of
from .runner import Action

# Attempts of the restore after smoke (the alarm's own actions try for as long as wanted).
RESTORE_ATTEMPTS = 5

type ClimateSetting = Literal["hvac_mode", "fan_mode"]


def service_call(
    hass: HomeAssistant, domain: str, service: str, data: dict[str, Any]
) -> Callable[[], Coroutine[Any, Any, Any]]:
    """Return the blocking service call an action makes on every attempt."""
    return partial(hass.services.async_call, domain, service, data, blocking=True)


def is_on(hass: HomeAssistant, entity_id: str) -> bool:
    """Return whether an entity is on now."""
    return state_of(hass, entity_id) == "on"


def unlock(
    hass: HomeAssistant, lock: str, verify_seconds: float, delay: float = 0.0
) -> Action:
    """Unlock a door (after ``delay`` seconds); done once the lock reports it lets people out."""
    return Action(
        key=unlock_key(lock),
        what="unlock {name}",
        entity_id=lock,
        call=service_call(hass, "lock", "unlock", {"entity_id": lock}),
        done=lambda: is_unlocked(state_of(hass, lock)),
        verify_seconds=verify_seconds,
        delay=delay,
    )


def light_key(light: str) -> str:
    """Return the key of the action that turns an escape light on."""
    return f"light:{light}"


def light_on(hass: HomeAssistant, light: str) -> Action:
    """Turn an escape light on at full brightness."""
    return Action(
        key=light_key(light),
        what="turn on {name}",
        entity_id=light,
        call=service_call(
            hass, "light", "turn_on", {"entity_id": light, "brightness_pct": 100}
        ),
        done=partial(is_on, hass, light),
    )


def set_climate(
    hass: HomeAssistant,
    climate: str,
    setting: ClimateSetting,
    value: str,
    *,
    key: str,
    what: str,
    done: Callable[[], bool],
    max_attempts: int | None = None,
    allowed: Callable[[], bool] | None = None,
) -> Action:
    """Set a thermostat's mode or fan with HA's generic climate actions."""
    return Action(
        key=key,
        what=what,
        entity_id=climate,
        call=service_call(
            hass, "climate", f"set_{setting}", {"entity_id": climate, setting: value}
        ),
        done=done,
        max_attempts=max_attempts,
        allowed=allowed,
    )


def hvac_needed(goal: HvacGoal, fact: ClimateFact) -> dict[str, bool]:
    """Return, by action key, whether each action of an alarm's thermostat goal is still needed."""
    climate = goal.climate
    if goal.shutoff_service:
        return {f"shutoff:{climate}": not goal.done(fact)}
    needed = {f"hvac_mode:{climate}": not goal.mode_done(fact)}
    if goal.fan:
        needed[f"fan_mode:{climate}"] = not goal.fan_done(fact)
    return needed


def hvac_off(hass: HomeAssistant, goal: HvacGoal) -> list[Action]:
    """Return the actions that bring a thermostat where an alarm needs it (keys as ``hvac_needed``).

    With venstar_local's emergency shutoff: one confirmed request for mode and fan.
    Otherwise the generic mode action, and the fan action for smoke.
    """
    climate = goal.climate

    def fact() -> ClimateFact:
        return climate_fact(hass, climate)

    off = "turn off" if goal.kind is Kind.SMOKE else "turn off the heating of"
    if goal.shutoff_service:
        data: dict[str, Any] = {"entity_id": climate}
        if goal.fan:
            data["fan_mode"] = goal.fan
        return [
            Action(
                key=f"shutoff:{climate}",
                what=f"{off} {{name}}",
                entity_id=climate,
                call=service_call(hass, VENSTAR_DOMAIN, SHUTOFF_SERVICE, data),
                done=lambda: goal.done(fact()),
            )
        ]
    actions = [
        set_climate(
            hass,
            climate,
            "hvac_mode",
            "off",
            key=f"hvac_mode:{climate}",
            what=f"{off} {{name}}",
            done=lambda: goal.mode_done(fact()),
        )
    ]
    if goal.fan:
        actions.append(
            set_climate(
                hass,
                climate,
                "fan_mode",
                goal.fan,
                key=f"fan_mode:{climate}",
                what=f"set the fan of {{name}} to {goal.fan}",
                done=lambda: goal.fan_done(fact()),
            )
        )
    return actions


def restore_mode(
    hass: HomeAssistant, step: RestoreStep, allowed: Callable[[], bool]
) -> Action:
    """Set a thermostat back to the mode it had before the smoke."""
    climate = step.climate
    return set_climate(
        hass,
        climate,
        "hvac_mode",
        step.mode,
        key=f"restore_mode:{climate}",
        what=f"set {{name}} back to {step.mode}",
        done=lambda: climate_fact(hass, climate).mode == step.mode,
        max_attempts=RESTORE_ATTEMPTS,
        allowed=allowed,
    )


def restore_fan(
    hass: HomeAssistant, climate: str, fan: str, allowed: Callable[[], bool]
) -> Action:
    """Set a thermostat's fan back to what it was before the smoke."""
    return set_climate(
        hass,
        climate,
        "fan_mode",
        fan,
        key=f"restore_fan:{climate}",
        what=f"set the fan of {{name}} back to {fan}",
        done=lambda: climate_fact(hass, climate).fan == fan,
        max_attempts=RESTORE_ATTEMPTS,
        allowed=allowed,
    )


def restore_switch(
    hass: HomeAssistant, switch: str, allowed: Callable[[], bool]
) -> Action:
    """Turn a thermostat schedule switch back on after the smoke."""
    return Action(
        key=f"restore:{switch}",
        what="turn {name} back on",
        entity_id=switch,
        call=service_call(hass, "switch", "turn_on", {"entity_id": switch}),
        done=partial(is_on, hass, switch),
        max_attempts=RESTORE_ATTEMPTS,
        allowed=allowed,
    )
