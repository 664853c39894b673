"""Shared test setup: custom integrations on, HA deprecation reports from our code fail the test."""

from __future__ import annotations

from collections.abc import Iterator
import logging

import pytest

pytest_plugins = ["tests.coverage_gate", "tests.venstar_fixtures"]

OUR_DOMAINS = ("venstar_local", "firstalert_zwave")
_DEPRECATION_MARKERS = (
    "deprecat",
    "will stop working",
    "detected that custom integration",
)


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: None) -> None:
    """Let HA load the integrations from this repository in every test."""


@pytest.fixture(autouse=True)
def fail_on_ha_deprecation_reports(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """Fail a test when HA reports deprecated API use by one of our integrations.

    HA reports such use of custom integrations through the log (frame helper, deprecated
    constants) instead of warnings, so the log is where we look.
    """
    yield
    offending = [
        record.getMessage()
        for record in caplog.get_records("call")
        if record.levelno >= logging.WARNING
        and any(domain in record.getMessage() for domain in OUR_DOMAINS)
        and any(
            marker in record.getMessage().lower() for marker in _DEPRECATION_MARKERS
        )
    ]
    if offending:
        pytest.fail(
            "HA reported deprecated API use by our code:\n" + "\n".join(offending)
        )
