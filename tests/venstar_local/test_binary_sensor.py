"""Binary sensors of every emulated model: equipment, occupancy and maintenance alerts."""

from __future__ import annotations

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from syrupy.assertion import SnapshotAssertion

from .conftest import PROFILES, snapshot_entities


@pytest.mark.usefixtures("enable_all_entities")
@pytest.mark.parametrize("profile", PROFILES)
async def test_entities(
    hass: HomeAssistant,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
    config_entry: MockConfigEntry,
) -> None:
    await snapshot_entities(
        hass, entity_registry, snapshot, config_entry, Platform.BINARY_SENSOR
    )
