"""Fixtures for the First Alert Z-Wave tests (the harness lives in ``harness.py``)."""

from __future__ import annotations

from tests.firstalert_zwave.harness import zwave_network

__all__ = ["zwave_network"]
