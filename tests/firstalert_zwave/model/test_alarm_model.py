"""The model as a whole: events, de-duplication, household aggregation, lifecycle."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
import json

from custom_components.firstalert_zwave.model import (
    AlarmModel,
    EventReason,
    EventType,
    HouseholdState,
    KeptReason,
    Kind,
    Update,
)
from custom_components.firstalert_zwave.model.household import household_state
from tests.firstalert_zwave.model.helpers import (
    ALARM_LEVEL,
    ALARM_TYPE,
    CO,
    CO_TEST,
    SMOKE,
    SMOKE_ALARM,
    T0,
    ZCOMBO,
    identity,
    idle_values,
    legacy_values,
    report,
)

KITCHEN = identity(3, name="Kitchen")
HALL = identity(4, product_id=2, name="Hall")


def model_with(*identities: object) -> AlarmModel:
    model = AlarmModel()
    for ident in identities or (KITCHEN,):
        model.add_or_sync(
            ident,  # type: ignore[arg-type]
            idle_values(),
            listening=False,
            dead=False,
            last_seen=T0,
            now=T0,
        )
    model.mark_synced(T0)
    return model


def test_events_and_dedup() -> None:
    model = model_with()
    first = model.report(KITCHEN.key, report(SMOKE, 2), T0)
    assert [(e.type, e.kind, e.reason) for e in first.events] == [
        (EventType.STARTED, Kind.SMOKE, EventReason.REPORT)
    ]
    assert model.report(KITCHEN.key, report(SMOKE, 2), T0).events == ()
    assert model.household().state is HouseholdState.SMOKE
    assert model.household().smoke_since == T0
    cleared = model.report(KITCHEN.key, report(SMOKE, 0), T0 + timedelta(minutes=1))
    assert [e.type for e in cleared.events] == [EventType.CLEARED]
    assert model.household().state is HouseholdState.CLEAR
    assert model.household().since is None


def test_check_in_event_reason() -> None:
    model = model_with(HALL)
    model.report(HALL.key, report(SMOKE, 2), T0)
    model.report(HALL.key, report(ALARM_TYPE, 13), T0)
    update = model.report(HALL.key, report(ALARM_LEVEL, 255), T0)
    assert [(e.type, e.reason) for e in update.events] == [
        (EventType.CLEARED, EventReason.CHECK_IN)
    ]


def test_household_since_and_involvement() -> None:
    model = model_with(KITCHEN, HALL)
    model.report(KITCHEN.key, report(SMOKE_ALARM, 3), T0)
    assert model.household().state is HouseholdState.TEST
    assert model.household().involved == (KITCHEN.key,)
    later = T0 + timedelta(seconds=30)
    model.report(HALL.key, report(CO, 2), later)
    household = model.household()
    assert household.state is HouseholdState.CO
    assert household.since == later
    assert household.co_since == later
    assert household.involved == (HALL.key,)
    model.report(KITCHEN.key, report(SMOKE, 2), later + timedelta(seconds=5))
    household = model.household()
    assert household.state is HouseholdState.SMOKE_AND_CO
    assert household.co_since == later
    assert household.involved == (KITCHEN.key, HALL.key)


def test_household_state_table() -> None:
    assert household_state(False, False, False) is HouseholdState.CLEAR
    assert household_state(False, False, True) is HouseholdState.TEST
    assert household_state(True, False, True) is HouseholdState.SMOKE
    assert household_state(False, True, False) is HouseholdState.CO
    assert household_state(True, True, False) is HouseholdState.SMOKE_AND_CO


def test_sync_reports_differences_only() -> None:
    model = model_with()
    model.report(KITCHEN.key, report(SMOKE, 2), T0)
    same = model.add_or_sync(
        KITCHEN,
        [*idle_values(), report(SMOKE, 2)],
        listening=False,
        dead=False,
        last_seen=None,
        now=T0,
    )
    assert same.events == ()
    cleared = model.add_or_sync(
        KITCHEN, idle_values(), listening=False, dead=False, last_seen=None, now=T0
    )
    assert [(e.type, e.reason) for e in cleared.events] == [
        (EventType.CLEARED, EventReason.SYNC)
    ]


def test_remove_clears_with_reason_removed() -> None:
    model = model_with(KITCHEN, HALL)
    model.report(KITCHEN.key, report(SMOKE, 2), T0)
    update = model.remove(KITCHEN.key, T0)
    assert [(e.type, e.reason) for e in update.events] == [
        (EventType.CLEARED, EventReason.REMOVED)
    ]
    assert KITCHEN.key not in model
    assert model.household().state is HouseholdState.CLEAR
    assert model.remove(KITCHEN.key, T0).events == ()


def test_rename() -> None:
    model = model_with()
    assert model.rename(KITCHEN.key, name="Upstairs", area="Hall", device_id="abc")
    assert not model.rename(KITCHEN.key, name="Upstairs", area="Hall", device_id="abc")
    assert model.identity(KITCHEN.key).name == "Upstairs"


def test_offline_tick_dead_and_deadline() -> None:
    model = model_with(KITCHEN, HALL)
    assert model.next_deadline() == T0 + timedelta(seconds=8400)
    assert model.tick(T0 + timedelta(seconds=8000)).changed == frozenset()
    model.heard_from(HALL.key, T0 + timedelta(seconds=8000))
    update = model.tick(T0 + timedelta(seconds=8401))
    assert update.changed == {KITCHEN.key}
    assert model.detector(KITCHEN.key).offline
    assert model.next_deadline() == T0 + timedelta(seconds=16400)
    assert model.household().state is HouseholdState.CLEAR
    model.set_dead(HALL.key, True, T0 + timedelta(seconds=8402))
    assert model.detector(HALL.key).offline
    model.set_dead(HALL.key, False, T0 + timedelta(seconds=8403))
    assert not model.detector(HALL.key).offline
    assert model.last_check_in(HALL.key) == T0 + timedelta(seconds=8403)
    model.report(HALL.key, report(SMOKE_ALARM, 3), T0 + timedelta(seconds=8404))
    assert model.next_deadline() == T0 + timedelta(seconds=8404, minutes=10)


def test_held_flag_and_unsynced_household() -> None:
    model = AlarmModel()
    assert not model.synced
    assert not model.held
    assert model.household().state is HouseholdState.CLEAR
    assert model.keys == ()
    model = model_with()
    assert not model.held
    assert model.set_live(KITCHEN.key, False).changed == {KITCHEN.key}
    assert model.held
    assert not model.live(KITCHEN.key)
    assert model.set_live(KITCHEN.key, False) == Update()


def test_tick_ends_a_stale_test_with_reason_timeout() -> None:
    model = model_with()
    model.report(KITCHEN.key, report(SMOKE_ALARM, 3), T0)
    assert model.household().state is HouseholdState.TEST
    assert model.tick(T0 + timedelta(minutes=5)).events == ()
    update = model.tick(T0 + timedelta(minutes=11))
    assert [(e.type, e.kind, e.reason) for e in update.events] == [
        (EventType.TEST_ENDED, Kind.SMOKE, EventReason.TIMEOUT)
    ]
    assert update.changed == {KITCHEN.key}
    assert model.household().state is HouseholdState.CLEAR


def test_a_person_confirms_a_kept_alarm_is_over() -> None:
    model = model_with()
    model.report(KITCHEN.key, report(SMOKE, 2), T0)
    model.report(KITCHEN.key, report(SMOKE, 0), T0, added=True)
    assert model.detector(KITCHEN.key).smoke_kept
    update = model.release(KITCHEN.key, Kind.SMOKE, T0)
    assert [(e.type, e.reason) for e in update.events] == [
        (EventType.CLEARED, EventReason.CONFIRMED)
    ]
    assert model.household().state is HouseholdState.CLEAR
    assert model.release(KITCHEN.key, Kind.SMOKE, T0) == Update()


def test_other_hardware_under_the_same_key_is_a_new_detector() -> None:
    model = model_with()
    model.report(KITCHEN.key, report(SMOKE, 2), T0)
    model.report(KITCHEN.key, report(SMOKE, 0), T0, added=True)  # kept
    replacement = replace(KITCHEN, firmware="12.0", name="New kitchen")
    update = model.add_or_sync(
        replacement, idle_values(), listening=False, dead=False, last_seen=T0, now=T0
    )
    assert [(e.type, e.reason) for e in update.events] == [
        (EventType.CLEARED, EventReason.REMOVED)
    ]
    assert update.departed == (KITCHEN,)
    assert model.record(KITCHEN.key).kept == {}
    assert model.identity(KITCHEN.key).name == "New kitchen"


def test_a_last_seen_ahead_of_our_clock_is_not_the_future() -> None:
    model = AlarmModel()
    model.add_or_sync(
        KITCHEN,
        idle_values(),
        listening=False,
        dead=False,
        last_seen=T0 + timedelta(days=3650),
        now=T0,
    )
    assert model.last_check_in(KITCHEN.key) == T0


def test_unreadable_values_are_reported_with_their_raw_text() -> None:
    model = model_with()
    update = model.report(KITCHEN.key, report(SMOKE, [2]), T0)
    assert [(key, variable.value, raw) for key, variable, raw in update.unreadable] == [
        (KITCHEN.key, "smoke_sensor", "[2]")
    ]
    sync = model.add_or_sync(
        KITCHEN,
        [*idle_values(), report(CO, "x")],
        listening=False,
        dead=False,
        last_seen=None,
        now=T0,
    )
    assert [variable.value for _, variable, _ in sync.unreadable] == ["co_sensor"]


def _restarted(model: AlarmModel) -> AlarmModel:
    """A new model from the facts of ``model`` (round trip through JSON)."""
    restored = AlarmModel()
    assert restored.restore(json.loads(json.dumps(model.facts())), T0) == len(
        model.keys
    )
    return restored


def test_restart_mid_alarm_announces_nothing_again() -> None:
    model = model_with(KITCHEN, HALL)
    model.report(KITCHEN.key, report(SMOKE, 2), T0)
    model.report(HALL.key, report(CO, 2), T0)
    restored = _restarted(model)
    assert restored.held
    assert restored.household().state is HouseholdState.SMOKE_AND_CO
    assert restored.household().since == T0
    update = restored.add_or_sync(
        KITCHEN,
        [*idle_values(), report(SMOKE, 2)],
        listening=False,
        dead=False,
        last_seen=None,
        now=T0 + timedelta(minutes=5),
    )
    assert update.events == ()
    restored.mark_synced(T0 + timedelta(minutes=5))
    assert restored.household().since == T0


def test_restart_after_a_clear_while_away_announces_the_clear() -> None:
    model = model_with()
    model.report(KITCHEN.key, report(SMOKE, 2), T0)
    restored = _restarted(model)
    update = restored.add_or_sync(
        KITCHEN, idle_values(), listening=False, dead=False, last_seen=None, now=T0
    )
    assert [(e.type, e.reason) for e in update.events] == [
        (EventType.CLEARED, EventReason.SYNC)
    ]


def test_restart_keeps_a_kept_alarm_and_a_timed_out_test() -> None:
    model = model_with(KITCHEN, HALL)
    legacy = identity(5, product_id=ZCOMBO, name="Hall legacy")
    model.add_or_sync(
        legacy, legacy_values(), listening=False, dead=False, last_seen=T0, now=T0
    )
    for half in ((ALARM_TYPE, 1), (ALARM_LEVEL, 255), (ALARM_TYPE, 12)):
        model.report(legacy.key, report(*half), T0)
    model.report(legacy.key, report(ALARM_LEVEL, 0), T0)
    model.report(legacy.key, report(SMOKE, 0), T0)
    model.report(HALL.key, report(CO_TEST, 3), T0)
    model.tick(T0 + timedelta(minutes=11))
    restored = _restarted(model)
    assert restored.record(legacy.key).kept == {Kind.SMOKE: KeptReason.TEST_END}
    sync = restored.add_or_sync(
        legacy,
        [
            *legacy_values(),
            report(ALARM_TYPE, 12),
            report(ALARM_LEVEL, 0),
        ],
        listening=False,
        dead=False,
        last_seen=None,
        now=T0 + timedelta(hours=1),
    )
    assert sync.events == ()
    assert restored.detector(legacy.key).smoke
    hall = restored.add_or_sync(
        HALL,
        [*idle_values(), report(CO_TEST, 3)],
        listening=False,
        dead=False,
        last_seen=None,
        now=T0 + timedelta(hours=1),
    )
    assert hall.events == ()  # the test that timed out does not start again
    assert not restored.detector(HALL.key).co_test


def test_restore_only_into_an_empty_model() -> None:
    model = model_with()
    assert model.restore(model.facts(), T0) == 0
    assert AlarmModel().restore(None, T0) == 0
