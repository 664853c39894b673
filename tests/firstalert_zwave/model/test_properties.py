"""Property tests: life-safety rules that must hold for every sequence of reports."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import given, settings, strategies as st

from custom_components.firstalert_zwave.model import (
    AlarmModel,
    EventType,
    HouseholdState,
    Kind,
    ValueReport,
)
from tests.firstalert_zwave.model.helpers import (
    ALARM_LEVEL,
    ALARM_TYPE,
    BATTERY_LOW,
    CO,
    CO_ALARM,
    CO_MAINT,
    CO_TEST,
    POWER,
    SMOKE,
    SMOKE_ALARM,
    SMOKE_MAINT,
    T0,
    identity,
    idle_values,
    report,
)

DETECTORS = [identity(3), identity(4, product_id=2), identity(5, product_id=1)]

# Reports that are never smoke or CO: tests, silencing, end of life, battery, legacy
# test and check-in frames, idle states.
harmless = st.one_of(
    st.builds(report, st.just(SMOKE_ALARM), st.sampled_from([0, 3, 6])),
    st.builds(report, st.just(CO_ALARM), st.sampled_from([0, 6])),
    st.builds(report, st.just(CO_TEST), st.sampled_from([0, 3])),
    st.builds(report, st.just(SMOKE_MAINT), st.sampled_from([0, 4, 5])),
    st.builds(report, st.just(CO_MAINT), st.sampled_from([0, 4, 5])),
    st.builds(report, st.just(POWER), st.sampled_from([0, 10, 11, 17])),
    st.builds(report, st.just(BATTERY_LOW), st.booleans()),
    st.builds(report, st.just(SMOKE), st.just(0)),
    st.builds(report, st.just(CO), st.just(0)),
    st.builds(report, st.just(ALARM_TYPE), st.sampled_from([12, 13])),
    st.builds(report, st.just(ALARM_LEVEL), st.sampled_from([0, 255])),
)
anything = st.one_of(
    harmless,
    st.builds(report, st.sampled_from([SMOKE, CO]), st.sampled_from([0, 1, 2, None])),
    st.builds(report, st.just(ALARM_TYPE), st.sampled_from([1, 2, 12, 13])),
    st.builds(report, st.just(ALARM_LEVEL), st.sampled_from([0, 255])),
)
steps = st.lists(
    st.tuples(st.sampled_from(range(len(DETECTORS))), anything), max_size=60
)


def fresh_model() -> AlarmModel:
    model = AlarmModel()
    for ident in DETECTORS:
        model.add_or_sync(
            ident, idle_values(), listening=False, dead=False, last_seen=T0, now=T0
        )
    model.mark_synced(T0)
    return model


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
@given(steps)
def test_events_replay_to_the_current_state(
    sequence: list[tuple[int, ValueReport]],
) -> None:
    """Started/cleared alternate per detector and kind, and sum up to the current flags."""
    model = fresh_model()
    active: dict[tuple[str, Kind], bool] = {}
    for step, (index, value) in enumerate(sequence):
        key = DETECTORS[index].key
        for event in model.report(key, value, T0 + timedelta(seconds=step)).events:
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
    sequence: list[tuple[int, ValueReport]], index: int, value: ValueReport
) -> None:
    model = fresh_model()
    for step, (i, item) in enumerate(sequence):
        model.report(DETECTORS[i].key, item, T0 + timedelta(seconds=step))
    if value.property in ("alarmType", "alarmLevel"):
        return  # one half of a legacy frame is not a report on its own
    key = DETECTORS[index].key
    model.report(key, value, T0)
    before = (model.detector(key), model.household().state)
    assert model.report(key, value, T0).events == ()
    assert (model.detector(key), model.household().state) == before


@settings(max_examples=200)
@given(
    st.lists(
        st.builds(
            report,
            st.sampled_from([SMOKE, CO, SMOKE_ALARM, CO_TEST, CO_MAINT]),
            st.sampled_from([0, 1, 2, 3, 5, 6]),
        ),
        max_size=30,
    )
)
def test_sync_from_values_equals_streamed_reports(values: list[ValueReport]) -> None:
    streamed = fresh_model()
    key = DETECTORS[0].key
    for value in values:
        streamed.report(key, value, T0)
    synced = fresh_model()
    synced.add_or_sync(
        DETECTORS[0],
        [*idle_values(), *values],
        listening=False,
        dead=False,
        last_seen=None,
        now=T0,
    )
    assert synced.detector(key) == streamed.detector(key)
