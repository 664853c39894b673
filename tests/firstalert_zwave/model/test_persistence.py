"""The model's memory across restarts: a faithful round trip; nothing malformed is trusted."""

from __future__ import annotations

from datetime import timedelta
import json
from typing import Any

from hypothesis import given, settings, strategies as st
import pytest

from custom_components.firstalert_zwave.model import AlarmModel, KeptReason, Kind
from custom_components.firstalert_zwave.model.codes import Variable
from custom_components.firstalert_zwave.model.detector import Detector
from custom_components.firstalert_zwave.model.persistence import (
    dump_detector,
    load_detector,
)
from tests.firstalert_zwave.model.helpers import (
    CO_TEST,
    SMOKE,
    T0,
    identity,
    idle_values,
    report,
)


def saved() -> dict[str, Any]:
    record = Detector(identity=identity(name="Kitchen"), tracking_since=T0)
    record.load(idle_values(), T0)
    record.apply(report(SMOKE, 2), T0)
    record.apply(report(SMOKE, 0), T0, added=True)
    record.apply(report(CO_TEST, 3), T0)
    record.expire_tests(T0 + timedelta(minutes=11), timedelta(minutes=10))
    data = dump_detector(record)
    return json.loads(json.dumps(data))  # type: ignore[no-any-return]


def test_a_detector_survives_the_round_trip() -> None:
    record = load_detector(saved(), T0 + timedelta(hours=1))
    assert record is not None
    assert record.identity == identity(name="Kitchen")
    assert not record.live
    assert record.kept == {Kind.SMOKE: KeptReason.REINTERVIEW}
    assert record.known[Variable.WAKE_UP_INTERVAL] == 4200
    assert record.expired_tests == {Variable.CO_TEST}
    assert record.view().smoke
    assert not record.view().co_test


@pytest.mark.parametrize(
    "damage",
    [
        lambda d: d.update(identity=None),
        lambda d: d["identity"].update(key=None),
        lambda d: d["identity"].update(key="x" * 300),
        lambda d: d["identity"].update(key="1-9-312:1:3"),  # does not match the ids
        lambda d: d["identity"].update(key="home-3-312:1:3"),
        lambda d: d["identity"].update(node_id=True),
        lambda d: d["identity"].update(product_id=-1),
        lambda d: d["identity"].update(product_type=10**9),
    ],
)
def test_a_detector_with_a_broken_identity_is_skipped(damage: Any) -> None:
    data = saved()
    damage(data)
    assert load_detector(data, T0) is None


def test_broken_facts_of_a_detector_are_skipped_one_by_one() -> None:
    data = saved()
    data["known"] = {"smoke_sensor": True, "nonsense": 1, "co_sensor": 2, "hardware": 9}
    data["kept"] = {"smoke": "forever", "fire": "test_end", "co": ["x"]}
    data["tests"] = {
        "co_test": {"since": "yesterday"},
        "smoke_alarm": {"since": T0.isoformat()},  # not a test value: dropped
        "co_sensor": {"since": T0.isoformat()},
    }
    data["present"] = "everything"
    data["identity"]["name"] = 42
    record = load_detector(data, T0)
    assert record is not None
    assert record.known == {Variable.CO_SENSOR: 2}
    assert record.kept == {}
    assert record.test_since == {}
    assert record.identity.name == ""


def test_times_from_the_future_are_brought_back_to_now() -> None:
    data = saved()
    data["known"]["co_test"] = 3
    data["tests"] = {"co_test": {"since": "2999-01-01T00:00:00+00:00"}}
    record = load_detector(data, T0)
    assert record is not None
    assert record.test_since == {Variable.CO_TEST: T0}
    naive = saved()
    naive["known"]["co_test"] = 3
    naive["tests"] = {"co_test": {"since": "2026-01-01T00:00:00"}}
    record = load_detector(naive, T0)
    assert record is not None
    assert record.test_since == {}


@settings(max_examples=200)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
        lambda children: (
            st.lists(children, max_size=4)
            | st.dictionaries(st.text(max_size=12), children, max_size=4)
        ),
        max_leaves=30,
    )
)
def test_any_stored_data_restores_without_raising(data: Any) -> None:
    model = AlarmModel()
    model.restore(data, T0)
    model.restore({"detectors": [data, saved()], "household": data}, T0)
    model.tick(T0 + timedelta(days=1))
    model.next_deadline()
