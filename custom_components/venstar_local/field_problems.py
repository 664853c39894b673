"""Tell the user once about each field the thermostat reports unreadable, and when it recovers.

The client turns an unreadable or implausible field into None and describes it in the
model's ``invalid`` (the raw value is in the diagnostics too). Polling every 30 s would
repeat the same warning forever; this logs each field once when it goes bad and once when
it is readable again.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
import logging

from .api import FieldProblem
from .data import VenstarData


def _problems(data: VenstarData) -> Iterator[tuple[str, FieldProblem]]:
    """Every unusable field, named by the document (and entry) it came from."""

    def each(
        where: str, invalid: Mapping[str, FieldProblem]
    ) -> Iterator[tuple[str, FieldProblem]]:
        for problem in invalid.values():
            yield f"{where} {problem.key!r}", problem

    yield from each("API information", data.api_info.invalid)
    yield from each("thermostat state", data.info.invalid)
    for sensor in data.sensors:
        yield from each(f"sensor {sensor.name!r}", sensor.invalid)
    if data.runtimes:
        yield from each("today's runtime", data.runtimes[-1].invalid)
    for alert in data.alerts:
        yield from each(f"alert {alert.name!r}", alert.invalid)


class FieldProblemLog:
    """Which fields are currently reported unusable, logged on change only."""

    def __init__(self, logger: logging.Logger, title: str) -> None:
        """Log for the thermostat called `title`."""
        self._logger = logger
        self._title = title
        self._current: set[str] = set()

    def update(self, data: VenstarData) -> None:
        """Log fields that became unusable and fields that became readable again."""
        seen: set[str] = set()
        for where, problem in _problems(data):
            seen.add(where)
            if where not in self._current:
                self._logger.warning(
                    "%s sent an unusable %s: %s (%s); it shows as unknown until the "
                    "thermostat sends a readable value",
                    self._title,
                    where,
                    problem.raw,
                    problem.reason,
                )
        for where in sorted(self._current - seen):
            self._logger.info("%s sends a readable %s again", self._title, where)
        self._current = seen
