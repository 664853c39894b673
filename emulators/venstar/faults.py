"""Fault injection: misbehaviour of a flaky thermostat, scheduled per request.

A fault applies to the next `count` matching requests (None = until cleared), optionally only
to one path. `busy` is special: it only fires when a request overlaps another one in flight.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class FaultKind(StrEnum):
    """What a fault does to a request."""

    LATENCY = "latency"  # answer after `delay` seconds
    TIMEOUT = "timeout"  # never answer; hang until the client gives up
    RESET = "reset"  # drop the TCP connection (RST) without an answer
    HTTP_500 = "http_500"  # HTTP 500 with an HTML body
    MALFORMED_JSON = "malformed_json"  # HTTP 200, application/json, body is not JSON
    TRUNCATED_JSON = "truncated_json"  # HTTP 200, the real JSON cut in the middle
    UNAUTHORIZED = (
        "unauthorized"  # HTTP 401 with a Digest challenge, whatever the credentials
    )
    IDENTITY = "identity"  # a different device answers (other name/model/firmware)
    BUSY = "busy"  # a request that overlaps another gets 503 or a reset
    FIELD = "field"  # one field of the JSON answer replaced by `value` (raw JSON text)


class BusyResponse(StrEnum):
    """How a busy thermostat answers an overlapping request."""

    SERVICE_UNAVAILABLE = "503"
    RESET = "reset"


@dataclass
class Fault:
    """One scheduled fault."""

    kind: FaultKind
    count: int | None = None
    path: str | None = None
    delay: float = 0.0
    busy_response: BusyResponse = BusyResponse.SERVICE_UNAVAILABLE
    identity: dict[str, str] = field(default_factory=dict)
    # FIELD faults: which field (of list entry `index` in list documents) gets which raw JSON.
    field: str | None = None
    value: str | None = None
    index: int | None = None
    hits: int = 0

    def matches(self, path: str) -> bool:
        """Whether this fault still applies to a request for `path`."""
        if self.count is not None and self.hits >= self.count:
            return False
        return self.path is None or self.path == path

    def as_dict(self) -> dict[str, Any]:
        """JSON view for the control endpoint."""
        return {
            "kind": str(self.kind),
            "count": self.count,
            "path": self.path,
            "delay": self.delay,
            "busy_response": str(self.busy_response),
            "identity": dict(self.identity),
            "field": self.field,
            "value": self.value,
            "index": self.index,
            "hits": self.hits,
        }


class Faults:
    """The fault schedule of one emulator."""

    def __init__(self) -> None:
        """Start with no faults."""
        self._faults: list[Fault] = []

    @property
    def active(self) -> list[Fault]:
        """Faults that can still fire."""
        return [f for f in self._faults if f.count is None or f.hits < f.count]

    def add(
        self,
        kind: FaultKind | str,
        *,
        count: int | None = None,
        path: str | None = None,
        delay: float = 0.0,
        busy_response: BusyResponse | str = BusyResponse.SERVICE_UNAVAILABLE,
        name: str | None = None,
        model: str | None = None,
        firmware: str | None = None,
        field: str | None = None,
        value: str | None = None,
        index: int | None = None,
    ) -> Fault:
        """Schedule a fault for the next `count` requests (None: until cleared)."""
        if FaultKind(kind) is FaultKind.FIELD and (field is None or value is None):
            raise ValueError("a field fault needs field and value (raw JSON text)")
        if count is not None and count < 1:
            raise ValueError("count must be at least 1 (or None for until cleared)")
        if delay < 0:
            raise ValueError("delay must not be negative")
        identity = {
            key: value
            for key, value in (("name", name), ("model", model), ("firmware", firmware))
            if value is not None
        }
        fault = Fault(
            kind=FaultKind(kind),
            count=count,
            path=path,
            delay=delay,
            busy_response=BusyResponse(busy_response),
            identity=identity,
            field=field,
            value=value,
            index=index,
        )
        self._faults.append(fault)
        return fault

    def latency(self, delay: float, **kwargs: Any) -> Fault:
        """Answer every matching request `delay` seconds late."""
        return self.add(FaultKind.LATENCY, delay=delay, **kwargs)

    def timeout(self, **kwargs: Any) -> Fault:
        """Never answer matching requests (the client has to give up)."""
        return self.add(FaultKind.TIMEOUT, **kwargs)

    def reset(self, **kwargs: Any) -> Fault:
        """Reset the connection of matching requests."""
        return self.add(FaultKind.RESET, **kwargs)

    def http_500(self, **kwargs: Any) -> Fault:
        """Answer matching requests with HTTP 500."""
        return self.add(FaultKind.HTTP_500, **kwargs)

    def malformed_json(self, **kwargs: Any) -> Fault:
        """Answer matching requests with a body that is not JSON."""
        return self.add(FaultKind.MALFORMED_JSON, **kwargs)

    def truncated_json(self, **kwargs: Any) -> Fault:
        """Answer matching requests with the JSON body cut in half."""
        return self.add(FaultKind.TRUNCATED_JSON, **kwargs)

    def unauthorized(self, **kwargs: Any) -> Fault:
        """Answer matching requests with 401, whatever the credentials."""
        return self.add(FaultKind.UNAUTHORIZED, **kwargs)

    def identity(
        self,
        *,
        name: str = "Other Thermostat",
        model: str = "T2000",
        firmware: str = "4.38",
        **kwargs: Any,
    ) -> Fault:
        """Let a different device (other name/model/firmware) answer matching requests."""
        return self.add(
            FaultKind.IDENTITY, name=name, model=model, firmware=firmware, **kwargs
        )

    def corrupt_field(
        self,
        path: str,
        field: str,
        value: str,
        *,
        index: int | None = None,
        **kwargs: Any,
    ) -> Fault:
        """Replace one field of `path`'s answer with `value`, raw JSON text.

        For example ``"5"``, ``'"x"'``, ``"1e999"`` or a 400-digit number; `index` picks
        the entry of a list document.
        """
        return self.add(
            FaultKind.FIELD, path=path, field=field, value=value, index=index, **kwargs
        )

    def busy(self, response: BusyResponse | str = "503", **kwargs: Any) -> Fault:
        """Refuse requests that overlap another one in flight (503 or reset)."""
        return self.add(FaultKind.BUSY, busy_response=response, **kwargs)

    def clear(self, kind: FaultKind | str | None = None) -> None:
        """Remove every fault, or every fault of one kind."""
        if kind is None:
            self._faults.clear()
        else:
            wanted = FaultKind(kind)
            self._faults = [f for f in self._faults if f.kind != wanted]

    def peek(self, kind: FaultKind, path: str) -> Fault | None:
        """Return the fault of `kind` the next request for `path` would take, uncounted."""
        for fault in self._faults:
            if fault.kind == kind and fault.matches(path):
                return fault
        return None

    def take(self, kind: FaultKind, path: str) -> Fault | None:
        """Return the first fault of `kind` for `path`, counting this request as a hit."""
        for fault in self._faults:
            if fault.kind == kind and fault.matches(path):
                fault.hits += 1
                return fault
        return None

    def take_all(self, kind: FaultKind, path: str) -> list[Fault]:
        """Every fault of `kind` that applies to `path` (e.g. latencies add up)."""
        taken = [f for f in self._faults if f.kind == kind and f.matches(path)]
        for fault in taken:
            fault.hits += 1
        return taken
