"""Record of the requests an emulator served, for assertions on what a client sent."""

from __future__ import annotations

from dataclasses import dataclass, field

# The oldest recorded requests are dropped beyond this (long demo runs).
MAX_RECORDED = 20_000


@dataclass
class RecordedRequest:
    """One request as received; `end` and `status` are set when the answer is done.

    `connection` numbers the TCP connection it came over (1 for the emulator's first), so
    tests can tell a kept-alive connection from a new one.
    """

    method: str
    path: str
    query: dict[str, str]
    form: dict[str, str]
    start: float
    end: float | None = None
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    connection: int | None = None


class RequestLog:
    """The requests served so far (the newest MAX_RECORDED) and the most ever in flight at once."""

    def __init__(self) -> None:
        """Start empty."""
        self.requests: list[RecordedRequest] = []
        self.max_concurrent = 0

    def add(self, record: RecordedRequest, *, in_flight: int) -> None:
        """Record a request that arrived while `in_flight` requests (itself included) were served."""
        self.max_concurrent = max(self.max_concurrent, in_flight)
        self.requests.append(record)
        if len(self.requests) > MAX_RECORDED:
            del self.requests[: len(self.requests) - MAX_RECORDED]

    def clear(self) -> None:
        """Forget every request and the concurrency seen."""
        self.requests.clear()
        self.max_concurrent = 0
