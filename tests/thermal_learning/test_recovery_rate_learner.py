"""Behaviour of the recovery-rate learner on synthetic thermostat histories."""

from __future__ import annotations

from collections.abc import Iterator
import math

from hypothesis import given, settings, strategies as st
import pytest

from custom_components.venstar_local.thermal_learning import Action, RecoveryRateLearner

POLL = 60.0


def learner(**kwargs: float) -> RecoveryRateLearner:
    return RecoveryRateLearner(default_heat_rate=3.0, default_cool_rate=2.0, **kwargs)


def run_samples(
    start_time: float,
    start_temp: float,
    rate: float,
    minutes: int,
    action: Action,
    *,
    lag_minutes: int = 3,
    resolution: float = 0.5,
) -> Iterator[tuple[float, float, Action]]:
    """A run polled every minute: flat during the ramp, then `rate` deg/h, quantised."""
    sign = 1 if action == "heating" else -1
    for minute in range(minutes + 1):
        effective = max(0, minute - lag_minutes)
        temp = start_temp + sign * rate * effective / 60
        yield start_time + minute * POLL, round(temp / resolution) * resolution, action


def feed(
    target: RecoveryRateLearner, samples: Iterator[tuple[float, float, Action]]
) -> float:
    last = 0.0
    for timestamp, temp, action in samples:
        target.observe(timestamp, temp, action)
        last = timestamp
    return last


def heat_then_idle(
    target: RecoveryRateLearner,
    start: float,
    rate: float,
    minutes: int = 60,
    temp: float = 65.0,
) -> float:
    samples = list(run_samples(start, temp, rate, minutes, "heating"))
    end, last_temp, _ = samples[-1]
    feed(target, iter(samples))
    target.observe(end + POLL, last_temp, "idle")
    return end + POLL


def test_defaults_before_learning() -> None:
    subject = learner()
    assert subject.heat_rate == 3.0
    assert subject.cool_rate == 2.0
    assert subject.heat_samples == 0
    assert subject.cool_samples == 0
    assert subject.minutes_to_reach(65.0, 68.0) == pytest.approx(60.0)
    assert subject.minutes_to_reach(78.0, 74.0) == pytest.approx(120.0)


def test_already_there_is_zero_minutes() -> None:
    assert learner().minutes_to_reach(70.0, 70.0) == 0.0


@pytest.mark.parametrize(
    ("current", "target"), [(math.nan, 70.0), (70.0, math.inf), (math.nan, math.nan)]
)
def test_unknown_temperatures_give_no_estimate(current: float, target: float) -> None:
    assert learner().minutes_to_reach(current, target) is None


def test_learns_heating_rate_from_one_run() -> None:
    subject = learner()
    heat_then_idle(subject, 0.0, rate=6.0)
    assert subject.heat_samples == 1
    assert subject.heat_rate == pytest.approx(6.0, rel=0.1)
    assert subject.cool_samples == 0
    assert subject.cool_rate == 2.0


def test_learns_cooling_rate_from_one_run() -> None:
    subject = learner()
    end = feed(subject, run_samples(0.0, 78.0, 4.0, 60, "cooling"))
    subject.observe(end + POLL, 74.0, "idle")
    assert subject.cool_samples == 1
    assert subject.cool_rate == pytest.approx(4.0, rel=0.1)
    assert subject.minutes_to_reach(78.0, 74.0) == pytest.approx(60.0, rel=0.1)


def test_run_in_progress_is_not_learned_until_it_ends() -> None:
    subject = learner()
    feed(subject, run_samples(0.0, 65.0, 6.0, 60, "heating"))
    assert subject.heat_samples == 0
    assert subject._run is not None
    assert subject._run.action == "heating"


def test_ramp_minutes_are_ignored() -> None:
    # A 10-minute lag with the default 5-minute ramp would bias a naive first-to-last rate.
    subject = learner(ramp_seconds=900)
    end = feed(subject, run_samples(0.0, 65.0, 6.0, 60, "heating", lag_minutes=10))
    subject.observe(end + POLL, 71.0, "idle")
    assert subject.heat_rate == pytest.approx(6.0, rel=0.1)


def test_short_runs_teach_nothing() -> None:
    subject = learner()
    end = feed(subject, run_samples(0.0, 65.0, 6.0, 12, "heating"))
    subject.observe(end + POLL, 66.0, "idle")
    assert subject.heat_samples == 0
    assert subject.heat_rate == 3.0


def test_run_that_barely_moved_is_ignored_unless_long() -> None:
    subject = learner()
    end = feed(subject, run_samples(0.0, 65.0, 0.5, 20, "heating"))
    subject.observe(end + POLL, 65.0, "idle")
    assert subject.heat_samples == 0

    end = feed(subject, run_samples(10_000.0, 65.0, 0.6, 90, "heating"))
    subject.observe(end + POLL, 65.0, "idle")
    assert subject.heat_samples == 1
    assert subject.heat_rate < 3.0


def test_wrong_direction_run_is_ignored() -> None:
    # Heating while the room cools: a system that cannot keep up or swapped state codes.
    subject = learner()
    samples = (
        (t, temp, "heating")
        for t, temp, _ in run_samples(0.0, 70.0, 3.0, 60, "cooling")
    )
    end = feed(subject, samples)  # type: ignore[arg-type]
    subject.observe(end + POLL, 67.0, "idle")
    assert subject.heat_samples == 0
    assert subject.heat_rate == 3.0


def test_gap_splits_the_run_and_keeps_the_part_before() -> None:
    subject = learner()
    feed(subject, run_samples(0.0, 65.0, 6.0, 40, "heating"))
    # HA was down for an hour; the next poll still says heating.
    subject.observe(40 * POLL + 3600, 72.0, "heating")
    assert subject.heat_samples == 1
    assert subject.heat_rate == pytest.approx(6.0, rel=0.15)


def test_jump_discards_the_run() -> None:
    subject = learner()
    feed(subject, run_samples(0.0, 65.0, 6.0, 40, "heating"))
    subject.observe(41 * POLL, 20.0, "heating")  # 69 °F → 20: unit switch or glitch
    subject.observe(42 * POLL, 20.0, "idle")
    assert subject.heat_samples == 0
    assert subject.heat_rate == 3.0


def test_clock_going_backwards_discards_the_run() -> None:
    subject = learner()
    feed(subject, run_samples(1000.0, 65.0, 6.0, 40, "heating"))
    subject.observe(10.0, 69.0, "heating")
    subject.observe(70.0, 69.0, "idle")
    assert subject.heat_samples == 0


def test_non_finite_sample_discards_the_run() -> None:
    subject = learner()
    end = feed(subject, run_samples(0.0, 65.0, 6.0, 40, "heating"))
    subject.observe(end + POLL, math.nan, "heating")
    subject.observe(end + 2 * POLL, 69.0, "idle")
    assert subject.heat_samples == 0


def test_switch_from_heating_to_cooling_ends_the_run() -> None:
    subject = learner()
    end = feed(subject, run_samples(0.0, 65.0, 6.0, 40, "heating"))
    feed(subject, run_samples(end + POLL, 69.0, 3.0, 40, "cooling"))
    assert subject.heat_samples == 1
    assert subject._run is not None
    assert subject._run.action == "cooling"


def test_outlier_run_after_warmup_moves_estimate_only_a_little() -> None:
    subject = learner()
    start = 0.0
    for _ in range(5):
        start = heat_then_idle(subject, start, rate=4.0) + 3600
    assert subject.heat_rate == pytest.approx(4.0, rel=0.1)
    heat_then_idle(subject, start, rate=25.0, minutes=15, temp=60.0)
    assert subject.heat_samples == 6
    # Step limit (x2) then 30 % smoothing: at most 4 + 0.3 * (8 - 4).
    assert subject.heat_rate <= 4.0 * 1.1 + 0.3 * 4.0 * 1.1


def test_rates_are_bounded() -> None:
    subject = learner(max_rate=10.0)
    heat_then_idle(subject, 0.0, rate=28.0, minutes=20, temp=50.0)
    assert subject.heat_rate == 10.0
    assert (
        RecoveryRateLearner(default_heat_rate=0.0, default_cool_rate=math.nan).cool_rate
        == 0.25
    )


def test_unit_change_converts_rates_and_drops_the_run() -> None:
    subject = learner(unit="F")
    heat_then_idle(subject, 0.0, rate=9.0)
    feed(subject, run_samples(10_000.0, 65.0, 9.0, 30, "heating"))
    subject.observe(10_000.0 + 31 * POLL, 20.0, "heating", unit="C")
    subject.observe(10_000.0 + 32 * POLL, 20.0, "idle", unit="C")
    assert subject.unit == "C"
    assert subject.heat_samples == 1  # the °F run in progress taught nothing
    assert subject.heat_rate == pytest.approx(5.0, rel=0.1)
    assert subject.cool_rate == pytest.approx(2.0 * 5 / 9)


def test_first_unit_is_just_recorded() -> None:
    subject = learner()
    subject.observe(0.0, 20.0, "idle", unit="C")
    assert subject.unit == "C"
    assert subject.heat_rate == 3.0


def test_round_trip_keeps_what_was_learned() -> None:
    subject = learner(unit="F")
    heat_then_idle(subject, 0.0, rate=6.0)
    restored = RecoveryRateLearner.from_dict(
        subject.to_dict(), default_heat_rate=1.0, default_cool_rate=1.0
    )
    assert restored.heat_rate == subject.heat_rate
    assert restored.heat_samples == 1
    assert restored.cool_rate == 2.0
    assert restored.unit == "F"


def test_restore_into_other_unit_converts() -> None:
    stored = {
        "version": 1,
        "unit": "C",
        "heat_rate": 5.0,
        "cool_rate": 1.0,
        "heat_samples": 4,
        "cool_samples": 2,
    }
    restored = RecoveryRateLearner.from_dict(
        stored, default_heat_rate=1.0, default_cool_rate=1.0, unit="F"
    )
    assert restored.unit == "F"
    assert restored.heat_rate == pytest.approx(9.0)
    assert restored.cool_samples == 2


@pytest.mark.parametrize(
    "data",
    [
        None,
        "garbage",
        {"version": 99, "heat_rate": 9.0, "heat_samples": 3},
        {"version": 1, "heat_rate": "fast", "heat_samples": 3},
        {"version": 1, "heat_rate": -4.0, "heat_samples": 3},
        {"version": 1, "heat_rate": math.inf, "heat_samples": 3},
        {"version": 1, "heat_rate": 9.0, "heat_samples": -1},
        {"version": 1, "heat_rate": True, "heat_samples": 3},
        {"version": 1, "heat_rate": 9.0, "heat_samples": 2.5},
    ],
)
def test_corrupt_storage_falls_back_to_defaults(data: object) -> None:
    restored = RecoveryRateLearner.from_dict(
        data, default_heat_rate=3.0, default_cool_rate=2.0
    )
    assert restored.heat_rate == 3.0
    assert restored.heat_samples == 0
    assert restored.cool_rate == 2.0


def test_one_bad_field_does_not_drop_the_other() -> None:
    restored = RecoveryRateLearner.from_dict(
        {
            "version": 1,
            "unit": "kelvin",
            "heat_rate": "x",
            "heat_samples": 1,
            "cool_rate": 5.0,
            "cool_samples": 7,
        },
        default_heat_rate=3.0,
        default_cool_rate=2.0,
    )
    assert restored.heat_rate == 3.0
    assert restored.cool_rate == 5.0
    assert restored.cool_samples == 7
    assert restored.unit is None


@pytest.mark.parametrize(
    "kwargs",
    [
        {"min_rate": 0.0},
        {"min_rate": 5.0, "max_rate": 1.0},
        {"smoothing": 0.0},
        {"smoothing": 1.5},
        {"max_step_ratio": 1.0},
    ],
)
def test_invalid_options_are_rejected(kwargs: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        learner(**kwargs)


def test_without_ramp_every_sample_counts() -> None:
    subject = learner(ramp_seconds=0)
    end = feed(subject, run_samples(0.0, 65.0, 6.0, 30, "heating", lag_minutes=0))
    subject.observe(end + POLL, 68.0, "idle")
    assert subject.heat_rate == pytest.approx(6.0, rel=0.1)


# --- properties -------------------------------------------------------------------------

actions = st.sampled_from(["heating", "cooling", "idle"])
observations = st.lists(
    st.tuples(
        st.floats(min_value=1.0, max_value=900.0),
        st.floats(min_value=-40.0, max_value=120.0, allow_nan=False),
        actions,
    ),
    max_size=200,
)


@settings(max_examples=150, deadline=None)
@given(observations)
def test_any_history_keeps_rates_bounded_and_estimates_sane(
    history: list[tuple[float, float, Action]],
) -> None:
    subject = learner()
    now = 0.0
    for step, temp, action in history:
        now += step
        subject.observe(now, temp, action)
        assert 0.25 <= subject.heat_rate <= 30.0
        assert 0.25 <= subject.cool_rate <= 30.0
    estimate = subject.minutes_to_reach(65.0, 70.0)
    assert estimate is not None
    assert 0 < estimate <= 5 / 0.25 * 60
    restored = RecoveryRateLearner.from_dict(
        subject.to_dict(), default_heat_rate=1.0, default_cool_rate=1.0
    )
    assert restored.to_dict() == subject.to_dict()


@settings(max_examples=60, deadline=None)
@given(
    rate=st.floats(min_value=2.0, max_value=15.0),
    runs=st.integers(min_value=1, max_value=6),
)
def test_clean_runs_converge_to_the_true_rate(rate: float, runs: int) -> None:
    subject = learner()
    start = 0.0
    for _ in range(runs):
        start = heat_then_idle(subject, start, rate=rate, minutes=45) + 1800
    assert subject.heat_samples == runs
    assert subject.heat_rate == pytest.approx(rate, rel=0.15)


@settings(max_examples=100, deadline=None)
@given(
    current=st.floats(min_value=-20, max_value=110),
    target=st.floats(min_value=-20, max_value=110),
)
def test_estimate_grows_with_distance(current: float, target: float) -> None:
    subject = learner()
    near = subject.minutes_to_reach(current, target)
    far = subject.minutes_to_reach(current, target + (1 if target >= current else -1))
    assert near is not None
    assert far is not None
    assert far > near or (near == 0 and far > 0)


def test_single_sample_run_gives_no_slope() -> None:
    subject = learner(min_fit_seconds=0, min_temp_change=0)
    subject.observe(0.0, 65.0, "heating")
    subject.observe(400.0, 66.0, "heating")
    subject.observe(460.0, 66.0, "idle")
    assert subject.heat_samples == 0
