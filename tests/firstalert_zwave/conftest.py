"""Fixtures for the First Alert Z-Wave tests (the zwave_js harness lives in ``harness.py``)."""

from __future__ import annotations

# zwave_js imports hassio (mashumaro models) lazily; importing it under a frozen clock
# breaks mashumaro, so import it before any test freezes time.
import homeassistant.components.hassio  # noqa: F401
from homeassistant.core import Event, HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import async_capture_events

from custom_components.firstalert_zwave.const import EVENT_ALARM
from tests.firstalert_zwave.harness import zwave_network

__all__ = ["alarm_events", "zwave_network"]


@pytest.fixture
def alarm_events(hass: HomeAssistant) -> list[Event]:
    """Capture every ``firstalert_zwave_alarm`` bus event."""
    return async_capture_events(hass, EVENT_ALARM)
