"""Record of the requests an emulator served, for assertions on what a client sent."""

from __future__ import annotations

from dataclasses import dataclass, field


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
