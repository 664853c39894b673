"""Learn how fast the house heats and cools from what the thermostat actually did.

The "time to temperature" estimate that presence automations use to preheat depends on the
house, the season and the equipment, so it is learned from observation instead of configured.
This module is pure Python (no Home Assistant imports) so it can be tested and benchmarked on
its own and persisted as a plain dict.

How learning works:

* Observations (timestamp, space temperature, action) are grouped into *runs*: consecutive
  samples with the same action (heating or cooling) and no gap longer than ``max_gap_seconds``.
* The first ``ramp_seconds`` of every run are ignored: a furnace, heat pump or compressor needs
  a few minutes before the room temperature responds, and a run seen after a restart may have
  started anywhere.
* When a run ends, the slope of a least-squares line through its remaining samples is its rate
  (degrees per hour). Runs that are too short, moved too little to beat the sensor's resolution,
  went the wrong way (a system that cannot keep up, or a device with swapped state codes), or
  contained a physically impossible jump (sensor glitch, unit change) teach nothing.
* Accepted per-run rates are bounded and folded into an exponentially weighted moving average.
  The first few runs are averaged plainly so the defaults are forgotten quickly; after that
  each run can move the estimate by at most a factor of ``max_step_ratio`` so one odd run
  (an open door, a sunny window) cannot wreck it.
"""

from __future__ import annotations

from dataclasses import dataclass
import math
from typing import Any, Literal

Action = Literal["heating", "cooling", "idle"]
UnitLetter = Literal["F", "C"]  # the unit the learned rates are in

SNAPSHOT_VERSION = 1

_SECONDS_PER_HOUR = 3600.0
_F_PER_C = 9.0 / 5.0


@dataclass(slots=True)
class _Run:
    """Running least-squares sums for one continuous heating or cooling run.

    Times are stored relative to the run start to keep the sums numerically small. Only the
    samples after the ramp period are summed, so memory stays constant however long a run is.
    """

    action: Action
    start: float
    last_time: float
    last_temp: float
    count: int = 0
    sum_t: float = 0.0
    sum_y: float = 0.0
    sum_tt: float = 0.0
    sum_ty: float = 0.0
    first_fit_time: float | None = None
    min_temp: float = math.inf
    max_temp: float = -math.inf

    def add_fit_sample(self, timestamp: float, temp: float) -> None:
        """Add a post-ramp sample to the regression sums."""
        rel = timestamp - self.start
        if self.first_fit_time is None:
            self.first_fit_time = timestamp
        self.count += 1
        self.sum_t += rel
        self.sum_y += temp
        self.sum_tt += rel * rel
        self.sum_ty += rel * temp
        self.min_temp = min(self.min_temp, temp)
        self.max_temp = max(self.max_temp, temp)

    def fit_duration(self) -> float:
        """Seconds covered by the post-ramp samples."""
        if self.first_fit_time is None:
            return 0.0
        return self.last_time - self.first_fit_time

    def slope_per_hour(self) -> float | None:
        """Least-squares slope of temperature over time, in degrees per hour."""
        denominator = self.count * self.sum_tt - self.sum_t * self.sum_t
        if self.count < 2 or denominator <= 0:
            return None
        slope = (self.count * self.sum_ty - self.sum_t * self.sum_y) / denominator
        return slope * _SECONDS_PER_HOUR


class RecoveryRateLearner:
    """Learns how fast the house heats and cools from what the thermostat actually did."""

    def __init__(
        self,
        *,
        default_heat_rate: float,
        default_cool_rate: float,
        unit: UnitLetter | None = None,
        ramp_seconds: float = 300.0,
        max_gap_seconds: float = 600.0,
        min_fit_seconds: float = 600.0,
        min_temp_change: float = 1.0,
        long_run_seconds: float = 3600.0,
        min_rate: float = 0.25,
        max_rate: float = 30.0,
        smoothing: float = 0.3,
        warmup_runs: int = 3,
        max_step_ratio: float = 2.0,
        jump_allowance: float = 2.0,
    ) -> None:
        """Start from default rates (degrees per hour, in the device's unit).

        ``min_temp_change`` guards against the sensor's resolution (Venstar reports half or whole
        degrees): a short run has to move at least that much to count, while a run longer than
        ``long_run_seconds`` counts even if it barely moved (a slow house is real information).
        """
        if not 0 < min_rate <= max_rate:
            raise ValueError("min_rate must be positive and not above max_rate")
        if not 0 < smoothing <= 1:
            raise ValueError("smoothing must be in (0, 1]")
        if max_step_ratio <= 1:
            raise ValueError("max_step_ratio must be above 1")
        self._min_rate = float(min_rate)
        self._max_rate = float(max_rate)
        self._ramp_seconds = float(ramp_seconds)
        self._max_gap_seconds = float(max_gap_seconds)
        self._min_fit_seconds = float(min_fit_seconds)
        self._min_temp_change = float(min_temp_change)
        self._long_run_seconds = float(long_run_seconds)
        self._smoothing = float(smoothing)
        self._warmup_runs = int(warmup_runs)
        self._max_step_ratio = float(max_step_ratio)
        self._jump_allowance = float(jump_allowance)
        self.unit: UnitLetter | None = unit
        self.heat_rate: float = self._bounded(default_heat_rate)
        self.cool_rate: float = self._bounded(default_cool_rate)
        self.heat_samples: int = 0
        self.cool_samples: int = 0
        self._run: _Run | None = None
        self._last_time: float | None = None

    def _bounded(self, rate: float) -> float:
        """Clamp a rate into the plausible range (non-finite values become the minimum)."""
        if not math.isfinite(rate):
            return self._min_rate
        return min(self._max_rate, max(self._min_rate, float(rate)))

    def observe(
        self,
        timestamp: float,
        space_temp: float,
        action: Action,
        *,
        unit: UnitLetter | None = None,
    ) -> None:
        """Feed one poll of the thermostat (timestamp in seconds, e.g. ``time.time()``).

        ``unit`` is optional; when given and different from the unit seen before, learned rates
        are converted and the current run is dropped.
        """
        if unit is not None and unit != self.unit:
            if self.unit is not None:
                self._convert_rates(self.unit, unit)
                self._run = None
            self.unit = unit
        if not (math.isfinite(timestamp) and math.isfinite(space_temp)):
            self._run = None
            return
        previous_time = self._last_time
        self._last_time = timestamp
        if previous_time is not None and timestamp <= previous_time:
            # Clock went backwards or a duplicate poll: nothing here can be trusted as a run.
            self._run = None
            return
        run = self._run
        if run is not None and (
            timestamp - run.last_time > self._max_gap_seconds
            or self._is_jump(run, timestamp, space_temp)
        ):
            # A gap or a jump breaks the run; what came before the break is still usable
            # unless it was a jump (then the earlier samples may be the bad ones).
            if timestamp - run.last_time > self._max_gap_seconds:
                self._finish(run)
            run = self._run = None
        if run is not None and run.action != action:
            self._finish(run)
            run = self._run = None
        if action not in ("heating", "cooling"):
            return
        if run is None:
            self._run = _Run(
                action=action,
                start=timestamp,
                last_time=timestamp,
                last_temp=space_temp,
            )
            if self._ramp_seconds <= 0:
                self._run.add_fit_sample(timestamp, space_temp)
            return
        run.last_time = timestamp
        run.last_temp = space_temp
        if timestamp - run.start >= self._ramp_seconds:
            run.add_fit_sample(timestamp, space_temp)

    def _is_jump(self, run: _Run, timestamp: float, space_temp: float) -> bool:
        """Whether the step from the previous sample is faster than any real system."""
        elapsed_hours = (timestamp - run.last_time) / _SECONDS_PER_HOUR
        allowed = self._max_rate * elapsed_hours + self._jump_allowance
        return abs(space_temp - run.last_temp) > allowed

    def _finish(self, run: _Run) -> None:
        """Learn from a completed run if it carries enough evidence."""
        duration = run.fit_duration()
        if duration < self._min_fit_seconds:
            return
        moved = run.max_temp - run.min_temp
        if moved < self._min_temp_change and duration < self._long_run_seconds:
            return
        slope = run.slope_per_hour()
        if slope is None:
            return
        rate = slope if run.action == "heating" else -slope
        if rate <= 0:
            return
        self._learn(run.action, rate)

    def _learn(self, action: Action, rate: float) -> None:
        """Fold one accepted per-run rate into the estimate."""
        rate = self._bounded(rate)
        if action == "heating":
            self.heat_rate = self._blend(self.heat_rate, rate, self.heat_samples)
            self.heat_samples += 1
        else:
            self.cool_rate = self._blend(self.cool_rate, rate, self.cool_samples)
            self.cool_samples += 1

    def _blend(self, current: float, rate: float, samples: int) -> float:
        """EWMA with a plain-average warm-up and a per-run step limit."""
        if samples < self._warmup_runs:
            # Plain running mean of the observed runs: the default is only a placeholder.
            return self._bounded(current + (rate - current) / (samples + 1))
        low = current / self._max_step_ratio
        high = current * self._max_step_ratio
        rate = min(high, max(low, rate))
        return self._bounded(current + self._smoothing * (rate - current))

    def _convert_rates(self, old: UnitLetter, new: UnitLetter) -> None:
        """Convert learned rates when the thermostat switches between °F and °C."""
        factor = 1 / _F_PER_C if (old, new) == ("F", "C") else _F_PER_C
        self.heat_rate = self._bounded(self.heat_rate * factor)
        self.cool_rate = self._bounded(self.cool_rate * factor)

    def minutes_to_reach(self, current: float, target: float) -> float | None:
        """Minutes until ``current`` reaches ``target`` at the learned rate; 0 when already there.

        Heats when the target is above the current temperature, cools when below. Returns None
        when either temperature is unknown (not a finite number).
        """
        if not (math.isfinite(current) and math.isfinite(target)):
            return None
        if target > current:
            return (target - current) / self.heat_rate * 60.0
        if target < current:
            return (current - target) / self.cool_rate * 60.0
        return 0.0

    def to_dict(self) -> dict[str, Any]:
        """Serialise what was learned (not the run in progress) for storage."""
        return {
            "version": SNAPSHOT_VERSION,
            "unit": self.unit,
            "heat_rate": self.heat_rate,
            "cool_rate": self.cool_rate,
            "heat_samples": self.heat_samples,
            "cool_samples": self.cool_samples,
        }

    @classmethod
    def from_dict(
        cls,
        data: Any,
        *,
        default_heat_rate: float,
        default_cool_rate: float,
        **options: Any,
    ) -> RecoveryRateLearner:
        """Restore a learner from :meth:`to_dict` output.

        Storage can be missing, from another version or corrupted; whatever is not valid falls
        back to the defaults instead of raising, because a wrong preheat estimate is far better
        than an integration that fails to load.
        """
        learner = cls(
            default_heat_rate=default_heat_rate,
            default_cool_rate=default_cool_rate,
            **options,
        )
        if not isinstance(data, dict) or data.get("version") != SNAPSHOT_VERSION:
            return learner
        unit = data.get("unit")
        if unit in ("F", "C"):
            if learner.unit is not None and learner.unit != unit:
                learner._restore(data)
                learner._convert_rates(unit, learner.unit)
                return learner
            learner.unit = unit
        learner._restore(data)
        return learner

    def _restore(self, data: dict[str, Any]) -> None:
        """Take over valid stored rates and counts, each on its own."""
        for rate_key, count_key in (
            ("heat_rate", "heat_samples"),
            ("cool_rate", "cool_samples"),
        ):
            rate = data.get(rate_key)
            count = data.get(count_key)
            if (
                isinstance(rate, int | float)
                and not isinstance(rate, bool)
                and math.isfinite(rate)
                and rate > 0
                and isinstance(count, int)
                and not isinstance(count, bool)
                and count >= 0
            ):
                setattr(self, rate_key, self._bounded(rate))
                setattr(self, count_key, count)
