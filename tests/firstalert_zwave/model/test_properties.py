"""Property tests: life-safety rules that must hold for every sequence of inputs."""

from __future__ import annotations

from datetime import timedelta
import json
from typing import Any

from hypothesis import assume, given, settings, strategies as st

from custom_components.firstalert_zwave.model import (
    AlarmModel,
    DetectorIdentity,
    EventType,
    HouseholdState,
    Kind,
    Update,
    ValueReport,
    variable_of,
)
from custom_components.firstalert_zwave.model.codes import (
    NOTIFICATION_STATES,
    VALUE_VARIABLES,
)
from custom_components.firstalert_zwave.model.readings import read
from tests.firstalert_zwave.model.helpers import (
    ALARM_LEVEL,
    ALARM_TYPE,
    BATTERY_LEVEL,
    BATTERY_LOW,
    CO,
    CO_ALARM,
    CO_MAINT,
    CO_TEST,
    HARDWARE,
    POWER,
    SMOKE,
    SMOKE_ALARM,
    SMOKE_MAINT,
    T0,
    WAKE_UP,
    ZCOMBO,
    ZSMOKE,
    identity,
    idle_values,
    legacy_values,
    report,
)

# A ZCOMBO-G (notification reports), a legacy ZCOMBO and a legacy ZSMOKE.
DETECTORS = [
    identity(3),
    identity(4, product_id=ZCOMBO),
    identity(5, product_id=ZSMOKE),
]
KEYS = [
    SMOKE,
    SMOKE_ALARM,
    SMOKE_MAINT,
    CO,
    CO_ALARM,
    CO_TEST,
    CO_MAINT,
    POWER,
    HARDWARE,
    ALARM_TYPE,
    ALARM_LEVEL,
    BATTERY_LOW,
    BATTERY_LEVEL,
    WAKE_UP,
]

# Reports that are never smoke or CO: tests, silencing, end of life, battery, legacy
# test and check-in frames, idle states.
harmless = st.one_of(
    st.builds(report, st.just(SMOKE_ALARM), st.sampled_from([0, 3, 6])),
    st.builds(report, st.just(CO_ALARM), st.sampled_from([0, 6])),
    st.builds(report, st.just(CO_TEST), st.sampled_from([0, 1, 2, 3])),
    st.builds(report, st.just(SMOKE_MAINT), st.sampled_from([0, 4, 5])),
    st.builds(report, st.just(CO_MAINT), st.sampled_from([0, 4, 5])),
    st.builds(report, st.just(POWER), st.sampled_from([0, 10, 11, 17])),
    st.builds(report, st.just(BATTERY_LOW), st.booleans()),
    st.builds(report, st.just(SMOKE), st.just(0)),
    st.builds(report, st.just(CO), st.just(0)),
    st.builds(report, st.just(ALARM_TYPE), st.sampled_from([12, 13])),
    st.builds(report, st.just(ALARM_LEVEL), st.sampled_from([0, 255])),
)
raw_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.integers(min_value=-2, max_value=300),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=4),
    st.lists(st.integers(min_value=0, max_value=3), max_size=2),
    st.dictionaries(st.text(max_size=2), st.integers(), max_size=2),
)


@st.composite
def unreadable(draw: st.DrawFn) -> ValueReport:
    """A report of any variable carrying a value that cannot be read."""
    key = draw(st.sampled_from(KEYS))
    value = draw(raw_values)
    candidate = report(key, value)
    variable = variable_of(candidate)
    assert variable is not None
    assume(read(variable, value) is None)
    return candidate


anything = st.one_of(
    harmless,
    st.builds(report, st.sampled_from([SMOKE, CO]), st.sampled_from([0, 1, 2, None])),
    st.builds(report, st.just(ALARM_TYPE), st.sampled_from([1, 2, 12, 13])),
    st.builds(report, st.just(ALARM_LEVEL), st.sampled_from([0, 255])),
    unreadable(),
)
steps = st.lists(
    st.tuples(st.sampled_from(range(len(DETECTORS))), anything, st.booleans()),
    max_size=60,
)


def values_of(ident: DetectorIdentity) -> list[ValueReport]:
    if ident.product_id == ZCOMBO:
        return legacy_values()
    if ident.product_id == ZSMOKE:
        return legacy_values(co=False)
    return idle_values()


def fresh_model() -> AlarmModel:
    model = AlarmModel()
    for ident in DETECTORS:
        model.add_or_sync(
            ident, values_of(ident), listening=False, dead=False, last_seen=T0, now=T0
        )
    model.mark_synced(T0)
    return model


def sync(model: AlarmModel, index: int, extra: list[ValueReport], now: Any) -> Update:
    """Resync one detector from its idle values overridden by ``extra``."""
    ident = DETECTORS[index]
    values = {
        (r.command_class, r.property, r.property_key): r
        for r in [*values_of(ident), *extra]
    }
    return model.add_or_sync(
        ident,
        list(values.values()),
        listening=False,
        dead=False,
        last_seen=None,
        now=now,
    )


# A step is a report to one detector, or time passing (offline checks, test timeouts).
harmless_steps = st.lists(
    st.one_of(
        st.tuples(st.sampled_from(range(len(DETECTORS))), harmless),
        st.tuples(st.just(-1), st.integers(min_value=1, max_value=20_000)),
    ),
    max_size=80,
)


@settings(max_examples=300)
@given(harmless_steps)
def test_tests_silence_and_end_of_life_never_raise_smoke_or_co(
    sequence: list[tuple[int, ValueReport | int]],
) -> None:
    model = fresh_model()
    now = T0
    for index, item in sequence:
        if isinstance(item, int):
            now += timedelta(seconds=item)
            update = model.tick(now)
        else:
            update = model.report(DETECTORS[index].key, item, now)
        assert all(event.type is not EventType.STARTED for event in update.events)
        household = model.household()
        assert not household.smoke
        assert not household.co
        assert household.state in (HouseholdState.CLEAR, HouseholdState.TEST)


@settings(max_examples=300)
@given(
    st.lists(
        st.one_of(
            st.tuples(st.just("report"), st.sampled_from(range(3)), unreadable()),
            st.tuples(
                st.just("sync"), st.sampled_from(range(3)), st.lists(unreadable())
            ),
            st.tuples(
                st.just("time"),
                st.just(0),
                st.integers(min_value=1, max_value=100_000),
            ),
        ),
        max_size=40,
    )
)
def test_no_unreadable_value_ever_clears_an_active_alarm(
    sequence: list[tuple[str, int, Any]],
) -> None:
    model = fresh_model()
    now = T0
    for ident in DETECTORS:
        model.report(ident.key, report(SMOKE, 2), now)
        model.report(ident.key, report(CO, 2), now)
    active = {
        (ident.key, kind)
        for ident in DETECTORS
        for kind in Kind
        if getattr(model.detector(ident.key), kind.value)
    }
    for what, index, item in sequence:
        key = DETECTORS[index].key
        if what == "report":
            update = model.report(key, item, now)
        elif what == "sync":
            update = sync(
                model, index, [*item, report(SMOKE, None), report(CO, None)], now
            )
        else:
            now += timedelta(seconds=item)
            update = model.tick(now)
        assert all(event.type is not EventType.CLEARED for event in update.events)
        for key, kind in active:
            assert getattr(model.detector(key), kind.value), (key, kind)


@settings(max_examples=300)
@given(
    st.lists(
        st.tuples(st.sampled_from(range(3)), unreadable(), st.booleans()),
        max_size=60,
    )
)
def test_no_boolean_or_out_of_range_value_ever_raises_an_alarm(
    sequence: list[tuple[int, ValueReport, bool]],
) -> None:
    model = fresh_model()
    for step, (index, item, as_sync) in enumerate(sequence):
        now = T0 + timedelta(seconds=step)
        if as_sync:
            update = sync(model, index, [item], now)
        else:
            update = model.report(DETECTORS[index].key, item, now)
        assert all(event.type is not EventType.STARTED for event in update.events)
        assert not model.household().smoke
        assert not model.household().co


@settings(max_examples=200)
@given(
    st.lists(
        st.tuples(st.sampled_from(range(1, 3)), anything, st.booleans()), max_size=40
    ),
    st.lists(
        st.one_of(unreadable(), st.builds(report, st.just(WAKE_UP), raw_values)),
        max_size=40,
    ),
)
def test_one_detectors_bad_data_never_affects_another_detector(
    good: list[tuple[int, ValueReport, bool]], bad: list[ValueReport]
) -> None:
    """Detector 0 gets garbage in one model only; the others must not notice."""
    clean, dirty = fresh_model(), fresh_model()
    bad_key = DETECTORS[0].key
    garbage = iter(bad)
    now = T0
    for index, item, added in good:
        now += timedelta(seconds=61)
        for bad_report in (next(garbage, None), next(garbage, None)):
            if bad_report is not None:
                dirty.report(bad_key, bad_report, now)
        key = DETECTORS[index].key
        expected = clean.report(key, item, now, added=added)
        actual = dirty.report(key, item, now, added=added)
        assert actual.events == expected.events
        assert (
            dirty.tick(now + timedelta(hours=3)).events
            == clean.tick(now + timedelta(hours=3)).events
        )
        dirty.next_deadline()
        for ident in DETECTORS[1:]:
            assert dirty.detector(ident.key) == clean.detector(ident.key)


@settings(max_examples=300)
@given(steps)
def test_events_replay_to_the_current_state(
    sequence: list[tuple[int, ValueReport, bool]],
) -> None:
    """Started/cleared alternate per detector and kind, and sum up to the current flags."""
    model = fresh_model()
    active: dict[tuple[str, Kind], bool] = {}
    for step, (index, value, added) in enumerate(sequence):
        key = DETECTORS[index].key
        now = T0 + timedelta(seconds=step)
        for event in model.report(key, value, now, added=added).events:
            if event.type is EventType.STARTED:
                assert not active.get((key, event.kind), False)
                active[(key, event.kind)] = True
            elif event.type is EventType.CLEARED:
                assert active.get((key, event.kind), False)
                active[(key, event.kind)] = False
    for ident in DETECTORS:
        view = model.detector(ident.key)
        assert view.smoke == active.get((ident.key, Kind.SMOKE), False)
        assert view.co == active.get((ident.key, Kind.CO), False)
    household = model.household()
    assert household.smoke == any(model.detector(i.key).smoke for i in DETECTORS)
    assert household.co == any(model.detector(i.key).co for i in DETECTORS)


@settings(max_examples=200)
@given(steps, st.sampled_from(range(len(DETECTORS))), anything)
def test_a_repeated_report_changes_nothing(
    sequence: list[tuple[int, ValueReport, bool]], index: int, value: ValueReport
) -> None:
    model = fresh_model()
    for step, (i, item, added) in enumerate(sequence):
        model.report(DETECTORS[i].key, item, T0 + timedelta(seconds=step), added=added)
    if value.property in ("alarmType", "alarmLevel"):
        return  # one half of a legacy frame is not a report on its own
    key = DETECTORS[index].key
    model.report(key, value, T0)
    before = (model.detector(key), model.household().state)
    assert model.report(key, value, T0).events == ()
    assert (model.detector(key), model.household().state) == before


READABLE = [
    report(key, state)
    for key in (SMOKE, CO, SMOKE_ALARM, CO_TEST, CO_MAINT)
    for state in sorted(NOTIFICATION_STATES[VALUE_VARIABLES[key]])
]


@settings(max_examples=200)
@given(st.lists(st.sampled_from(READABLE), max_size=30))
def test_sync_from_values_equals_streamed_reports(values: list[ValueReport]) -> None:
    """Without kept alarms, reading the final values means what the stream meant."""
    streamed = fresh_model()
    key = DETECTORS[0].key
    for value in values:
        streamed.report(key, value, T0)
    assume(not streamed.record(key).kept)
    synced = fresh_model()
    sync(synced, 0, values, T0)
    assert synced.detector(key) == streamed.detector(key)


@settings(max_examples=200)
@given(steps, st.sampled_from(range(len(DETECTORS))))
def test_saved_facts_restore_every_detector_view(
    sequence: list[tuple[int, ValueReport, bool]], index: int
) -> None:
    """What was announced before a restart is what the restored model starts from."""
    model = fresh_model()
    for step, (i, item, added) in enumerate(sequence):
        model.report(DETECTORS[i].key, item, T0 + timedelta(seconds=step), added=added)
    restored = AlarmModel()
    restored.restore(json.loads(json.dumps(model.facts())), T0)
    for ident in DETECTORS:
        assert restored.detector(ident.key) == model.detector(ident.key)
    assert restored.household().state is model.household().state
