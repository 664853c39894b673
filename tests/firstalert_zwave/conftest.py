"""Fixtures for the First Alert Z-Wave tests (the zwave_js harness lives in ``harness.py``)."""

from __future__ import annotations

from tests.firstalert_zwave.harness import alarm_events, zwave_network

__all__ = ["alarm_events", "zwave_network"]
