"""Value reports: the only thing the model learns from a detector.

A report is what zwave-js holds for one value of one node: command class, property,
property key and the value itself. The adapter produces them from zwave_js value events
and from current node values; the model never sees zwave-js objects.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class ValueReport:
    """One value of a node as zwave-js reports it (endpoint 0)."""

    command_class: int
    property: str | int
    property_key: str | int | None
    value: Any
