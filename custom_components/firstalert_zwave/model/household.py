"""Household aggregation: is there smoke or CO anywhere in the house, where, since when."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from .detector import DetectorView


class HouseholdState(StrEnum):
    """The household alarm, as one word."""

    CLEAR = "clear"
    SMOKE = "smoke"
    CO = "co"
    SMOKE_AND_CO = "smoke_and_co"
    TEST = "test"


@dataclass(frozen=True, slots=True)
class HouseholdView:
    """Household alarm at one moment; detector tuples hold detector keys."""

    state: HouseholdState
    since: datetime | None
    smoke_since: datetime | None
    co_since: datetime | None
    smoke_detectors: tuple[str, ...]
    co_detectors: tuple[str, ...]
    test_detectors: tuple[str, ...]

    @property
    def smoke(self) -> bool:
        """Return whether any detector reports smoke (tests never count)."""
        return bool(self.smoke_detectors)

    @property
    def co(self) -> bool:
        """Return whether any detector reports CO (tests never count)."""
        return bool(self.co_detectors)

    @property
    def involved(self) -> tuple[str, ...]:
        """Return the detectors behind the current state."""
        if self.state is HouseholdState.TEST:
            return self.test_detectors
        return tuple(dict.fromkeys(self.smoke_detectors + self.co_detectors))


def household_state(smoke: bool, co: bool, test: bool) -> HouseholdState:
    """Combine the flags into the household state."""
    if smoke and co:
        return HouseholdState.SMOKE_AND_CO
    if smoke:
        return HouseholdState.SMOKE
    if co:
        return HouseholdState.CO
    if test:
        return HouseholdState.TEST
    return HouseholdState.CLEAR


class HouseholdTracker:
    """Remembers since when the household has been in its state."""

    def __init__(self) -> None:
        """Start clear with no history."""
        self._state = HouseholdState.CLEAR
        self._since: datetime | None = None
        self._smoke_since: datetime | None = None
        self._co_since: datetime | None = None

    def history(
        self,
    ) -> tuple[HouseholdState, datetime | None, datetime | None, datetime | None]:
        """Return the state and since when it (and smoke, CO) has been on."""
        return self._state, self._since, self._smoke_since, self._co_since

    def restore(
        self,
        state: HouseholdState,
        since: datetime | None,
        smoke_since: datetime | None,
        co_since: datetime | None,
    ) -> None:
        """Continue a saved history: times stay while the state is still the same."""
        self._state = state
        self._since = since
        self._smoke_since = smoke_since
        self._co_since = co_since

    def update(self, views: Mapping[str, DetectorView], now: datetime) -> HouseholdView:
        """Recompute from every detector's view."""
        smoke = tuple(key for key, view in views.items() if view.smoke)
        co = tuple(key for key, view in views.items() if view.co)
        test = tuple(key for key, view in views.items() if view.test)
        state = household_state(bool(smoke), bool(co), bool(test))
        if state is not self._state or (
            self._since is None and state is not HouseholdState.CLEAR
        ):
            self._state = state
            self._since = None if state is HouseholdState.CLEAR else now
        if smoke and self._smoke_since is None:
            self._smoke_since = now
        elif not smoke:
            self._smoke_since = None
        if co and self._co_since is None:
            self._co_since = now
        elif not co:
            self._co_since = None
        return HouseholdView(
            state=state,
            since=self._since,
            smoke_since=self._smoke_since,
            co_since=self._co_since,
            smoke_detectors=smoke,
            co_detectors=co,
            test_detectors=test,
        )
