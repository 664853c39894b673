"""The words of every notification and logbook entry the response writes (no HA)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from .facts import Kind

KIND_WORDS = {Kind.SMOKE: "smoke", Kind.CO: "carbon monoxide"}
TITLES = {Kind.SMOKE: "Smoke alarm", Kind.CO: "Carbon monoxide alarm"}


def kinds_text(kinds: Iterable[Kind]) -> str:
    """Return "smoke", "carbon monoxide" or "smoke and carbon monoxide"."""
    return " and ".join(KIND_WORDS[kind] for kind in sorted(kinds, reverse=True))


def where_text(kind: Kind, labels: Sequence[str]) -> str:
    """Return "smoke at Kitchen alarm (Kitchen); …" for the sensors reporting ``kind``."""
    word = KIND_WORDS[kind]
    if not labels:
        return f"{word} (no sensor reports it any more)"
    return "; ".join(f"{word} at {label}" for label in labels)


def alarm_message(
    kind: Kind,
    labels: Sequence[str],
    *,
    hvac: bool,
    fan_mode: str,
    locks: bool,
    someone_home: bool,
) -> str:
    """Return the message sent once when an alarm of ``kind`` starts."""
    where = where_text(kind, labels)
    if kind is Kind.SMOKE:
        parts = [f"Smoke detected: {where}."]
        if hvac:
            parts.append(f"HVAC is being turned off (fan {fan_mode}).")
    else:
        parts = [f"Carbon monoxide detected: {where}."]
        if hvac:
            parts.append(
                "Heating is being turned off; a person must turn it back on after "
                "the CO is cleared."
            )
    if locks:
        parts.append(
            "Someone is home: unlocking the escape doors."
            if someone_home
            else "Nobody is home: doors stay locked."
        )
    return " ".join(parts)


def arrival_message() -> str:
    """Return the message sent when someone is home after the alarm started without."""
    return "Someone is home during the alarm: unlocking the escape doors."


def doors_title(kinds: Iterable[Kind]) -> str:
    """Return the title of a door report."""
    return f"Doors: {kinds_text(kinds)} alarm"


def doors_message(unlocked: Sequence[str], failed: Sequence[str]) -> str:
    """Return which doors are unlocked and which failed (the response keeps trying)."""
    parts = []
    if unlocked:
        parts.append(f"Unlocked: {', '.join(unlocked)}.")
    if failed:
        parts.append(
            f"FAILED to unlock: {', '.join(failed)} — use another exit. Still trying."
        )
    return " ".join(parts)


def failure_title(kinds: Iterable[Kind]) -> str:
    """Return the title of a report about an action that keeps failing."""
    return f"Alarm response problem: {kinds_text(kinds)} alarm"


def failure_message(what: str, attempts: int, error: str) -> str:
    """Return the report about an action that keeps failing."""
    return f"Could not {what} after {attempts} attempts ({error}). Still trying."


def relocked_message(name: str, times: int) -> str:
    """Return the report about a door that keeps locking itself during the alarm."""
    return (
        f"{name} locked itself again {times} times after it was unlocked. It is "
        "unlocked again each time, after a growing pause. Turn off its auto-relock."
    )


def co_cleared_message() -> str:
    """Return the message sent when the detectors are clear after carbon monoxide."""
    return (
        "The detectors are clear. Heating stays OFF after a carbon monoxide alarm: "
        "have fuel-burning appliances checked, then a person must turn heating back on."
    )


def smoke_cleared_message(
    restored: Sequence[str], failed: Sequence[str], *, restore: bool
) -> str:
    """Return the message sent when the detectors are clear after smoke only."""
    if not restore:
        return "The detectors are clear. HVAC was left as it is: restore is off."
    parts = [
        "The detectors are clear. HVAC restored: "
        + ("; ".join(restored) if restored else "nothing to restore")
        + "."
    ]
    if failed:
        parts.append(f"Could NOT restore: {'; '.join(failed)} — set it by hand.")
    return " ".join(parts)


def restored_text(name: str, mode: str | None, fan: str | None) -> str:
    """Return "Living room → heat, fan on"."""
    details = [item for item in (mode, f"fan {fan}" if fan else None) if item]
    return f"{name} → {', '.join(details) if details else 'as it was'}"


def logbook_unlocked(where: str) -> str:
    """Return the logbook message of a door the response unlocked."""
    return f"unlocked for escape ({where})"


def logbook_relocked(pause: float) -> str:
    """Return the logbook message of a door found locked again soon after its unlock."""
    return f"locked again soon after the alarm response unlocked it; unlocking again in {pause:g} s"


def logbook_failed(what: str, attempt: int, error: str) -> str:
    """Return the logbook message of one failed attempt."""
    return f"alarm response could not {what} (attempt {attempt}: {error})"
