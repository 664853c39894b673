"""Fixtures for the First Alert Z-Wave tests (the zwave_js harness lives in ``harness.py``)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any
from unittest.mock import patch

from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.syrupy import HomeAssistantSnapshotExtension
from syrupy.assertion import SnapshotAssertion

from custom_components.firstalert_zwave import PLATFORMS
from tests.firstalert_zwave.harness import (
    CO_MAINTENANCE,
    SMOKE_SENSOR,
    ZwaveNetwork,
    alarm_events,
    async_setup_firstalert,
    async_setup_zwave_js,
    zcombo_g_state,
    zsmoke_state,
    zwave_network,
)

__all__ = ["alarm_events", "zwave_network"]

# A fixed entry id keeps the household entities' unique ids stable in snapshots.
SNAPSHOT_ENTRY_ID = "01JFIRSTALERTSNAPSHOT0000"


@pytest.fixture
def snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    """Snapshots in Home Assistant's format, under ``snapshots/``."""
    return snapshot.use_extension(HomeAssistantSnapshotExtension)


@pytest.fixture
def node_states() -> list[dict[str, Any]]:
    """The snapshot house: smoke in the kitchen, a garage alarm at its end of life."""
    return [
        zcombo_g_state(
            3, name="Kitchen alarm", location="Kitchen", values={SMOKE_SENSOR: 2}
        ),
        zcombo_g_state(6, name="Garage alarm", values={CO_MAINTENANCE: 5}),
        zsmoke_state(5, name="Basement alarm"),
    ]


@pytest.fixture
async def init_integration(
    hass: HomeAssistant,
    request: pytest.FixtureRequest,
    zwave_network: ZwaveNetwork,
    node_states: list[dict[str, Any]],
) -> AsyncIterator[MockConfigEntry]:
    """The snapshot house on zwave_js and our entry (only the platform given as param).

    The entry is unloaded while the platform list is still patched, so that the unload
    (which stops the health timer) sees the platforms that were set up.
    """
    zwave_network.add(*node_states)
    await async_setup_zwave_js(hass, zwave_network)
    platforms = [request.param] if hasattr(request, "param") else PLATFORMS
    with patch("custom_components.firstalert_zwave.PLATFORMS", platforms):
        entry = await async_setup_firstalert(hass, entry_id=SNAPSHOT_ENTRY_ID)
        yield entry
        assert await hass.config_entries.async_unload(entry.entry_id)
