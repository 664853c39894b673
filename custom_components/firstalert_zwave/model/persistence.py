"""What the model must remember across restarts, as plain JSON data.

zwave-js re-reports most of a detector's state on every (re)connection, but not everything we
announced: a kept alarm (zwave-js shows idle), a test that already ran out of time, the last
readable value of a variable that is unreadable now, the V1 pair that proves whether an idle
was a clear. These facts are saved with each detector's full identity and read back before
the first sync, so that the sync compares current values with what was announced.

Loading never trusts the data: anything malformed is skipped, never raised.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, Final

from .codes import Variable
from .detector import TEST_STATES, Detector, DetectorIdentity, KeptReason
from .events import Kind
from .household import HouseholdState, HouseholdTracker
from .readings import read

_MAX_TEXT: Final = 255
_MAX_ID: Final = 0xFFFF


def dump_detector(detector: Detector) -> dict[str, Any]:
    """Return the facts of one detector as JSON data."""
    identity = detector.identity
    return {
        "identity": {
            "key": identity.key,
            "node_id": identity.node_id,
            "manufacturer_id": identity.manufacturer_id,
            "product_type": identity.product_type,
            "product_id": identity.product_id,
            "firmware": identity.firmware,
            "device_id": identity.device_id,
            "name": identity.name,
            "area": identity.area,
        },
        "known": {variable.value: value for variable, value in detector.known.items()},
        "present": sorted(variable.value for variable in detector.present),
        "kept": {kind.value: reason.value for kind, reason in detector.kept.items()},
        "tests": {
            variable.value: {
                "since": since.isoformat(),
                "expired": variable in detector.expired_tests,
            }
            for variable, since in detector.test_since.items()
        },
    }


def load_detector(data: Any, now: datetime) -> Detector | None:
    """Return a detector record (not live) from saved facts, None when unusable."""
    if not isinstance(data, Mapping):
        return None
    identity = _identity(data.get("identity"))
    if identity is None:
        return None
    detector = Detector(identity=identity, tracking_since=now)
    known = data.get("known")
    for name, raw in known.items() if isinstance(known, Mapping) else ():
        if (variable := _enum(Variable, name)) is not None and (
            value := read(variable, raw)
        ) is not None:
            detector.known[variable] = value
    present = data.get("present")
    detector.present = {
        variable
        for name in (present if isinstance(present, list) else ())
        if (variable := _enum(Variable, name)) is not None
    } | set(detector.known)
    kept = data.get("kept")
    for name, raw in kept.items() if isinstance(kept, Mapping) else ():
        if (kind := _enum(Kind, name)) is not None and (
            reason := _enum(KeptReason, raw)
        ) is not None:
            detector.kept[kind] = reason
    tests = data.get("tests")
    for name, raw in tests.items() if isinstance(tests, Mapping) else ():
        variable = _enum(Variable, name)
        if variable not in TEST_STATES or not isinstance(raw, Mapping):
            continue
        if detector.known.get(variable) not in TEST_STATES[variable]:
            continue
        if (since := _time(raw.get("since"))) is None:
            continue
        detector.test_since[variable] = min(since, now)
        if raw.get("expired") is True:
            detector.expired_tests.add(variable)
    return detector


def dump_household(tracker: HouseholdTracker) -> dict[str, Any]:
    """Return since when the household has been in its state, as JSON data."""
    state, since, smoke_since, co_since = tracker.history()
    return {
        "state": state.value,
        "since": since.isoformat() if since else None,
        "smoke_since": smoke_since.isoformat() if smoke_since else None,
        "co_since": co_since.isoformat() if co_since else None,
    }


def load_household(tracker: HouseholdTracker, data: Any, now: datetime) -> None:
    """Give the tracker back its history (ignored when malformed)."""
    if not isinstance(data, Mapping):
        return
    state = _enum(HouseholdState, data.get("state"))
    if state is None:
        return

    def moment(name: str) -> datetime | None:
        if (value := _time(data.get(name))) is None:
            return None
        return min(value, now)

    tracker.restore(state, moment("since"), moment("smoke_since"), moment("co_since"))


def _identity(data: Any) -> DetectorIdentity | None:
    if not isinstance(data, Mapping):
        return None
    key = data.get("key")
    node_id, manufacturer_id, product_type, product_id = (
        _small_int(data.get(name))
        for name in ("node_id", "manufacturer_id", "product_type", "product_id")
    )
    if (
        not isinstance(key, str)
        or len(key) > _MAX_TEXT
        or node_id is None
        or manufacturer_id is None
        or product_type is None
        or product_id is None
    ):
        return None
    home_id = key.split("-", 1)[0]
    expected = f"{home_id}-{node_id}-{manufacturer_id}:{product_type}:{product_id}"
    if not home_id.isdigit() or key != expected:
        return None
    return DetectorIdentity(
        key=key,
        node_id=node_id,
        manufacturer_id=manufacturer_id,
        product_type=product_type,
        product_id=product_id,
        firmware=_optional_text(data.get("firmware")),
        device_id=_optional_text(data.get("device_id")),
        name=_optional_text(data.get("name")) or "",
        area=_optional_text(data.get("area")),
    )


def _enum[E: (Variable, Kind, KeptReason, HouseholdState)](
    enum: type[E], value: Any
) -> E | None:
    try:
        return enum(value)
    except (ValueError, TypeError):
        return None


def _optional_text(value: Any) -> str | None:
    return value if isinstance(value, str) and len(value) <= _MAX_TEXT else None


def _small_int(value: Any) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= _MAX_ID:
        return value
    return None


def _time(value: Any) -> datetime | None:
    if not isinstance(value, str) or len(value) > 64:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None
