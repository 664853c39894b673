"""The household's alarm event entity."""

from __future__ import annotations

from typing import Any

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    snapshot_platform,
)
from syrupy.assertion import SnapshotAssertion

from tests.firstalert_zwave.harness import CO_MAINTENANCE, zcombo_g_state, zsmoke_state


@pytest.fixture
def node_states() -> list[dict[str, Any]]:
    """A quiet house: an event's attributes name the (random) device id of a detector."""
    return [
        zcombo_g_state(3, name="Kitchen alarm", location="Kitchen"),
        zcombo_g_state(6, name="Garage alarm", values={CO_MAINTENANCE: 5}),
        zsmoke_state(5, name="Basement alarm"),
    ]


@pytest.mark.freeze_time("2026-01-15 08:30:00+00:00")
@pytest.mark.parametrize("init_integration", [Platform.EVENT], indirect=True)
async def test_entities(
    hass: HomeAssistant,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
    init_integration: MockConfigEntry,
) -> None:
    await snapshot_platform(hass, entity_registry, snapshot, init_integration.entry_id)
