"""Shared test setup: custom integrations on, HA deprecation reports from our code fail the test."""

from __future__ import annotations

from collections.abc import Iterator
import logging
from pathlib import Path

from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component import testing_config

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


@pytest.fixture(autouse=True)
def private_config_dir(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    """Give every test's Home Assistant a config directory of its own.

    Setting up ``automation``, ``script`` or ``template`` copies HA's built-in blueprints
    into the config directory, which would otherwise be the test harness's shared one.
    """
    if "hass" in request.fixturenames:
        hass: HomeAssistant = request.getfixturevalue("hass")
        hass.config.config_dir = str(tmp_path)


@pytest.fixture(autouse=True, scope="session")
def harness_config_dir_stays_clean() -> Iterator[None]:
    """Fail the run when a test writes into the test harness's shared config directory.

    Without a config directory of its own, a test that sets up ``automation`` or ``template``
    copies blueprints there and storage files land there, leaking state into later runs.
    """
    shared = Path(testing_config.__file__).parent
    before = {path.name for path in shared.iterdir()}
    yield
    added = sorted({path.name for path in shared.iterdir()} - before)
    assert not added, f"tests wrote {added} into {shared}; give them a tmp config_dir"
