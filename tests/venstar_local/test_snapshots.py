"""Entity snapshots of every platform for every emulated model."""

from __future__ import annotations

from unittest.mock import patch

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    snapshot_platform,
)
from syrupy.assertion import SnapshotAssertion

PROFILES = ["colortouch", "t2000", "legacy", "t5900", "commercial"]
PLATFORMS = [
    Platform.BINARY_SENSOR,
    Platform.CLIMATE,
    Platform.NUMBER,
    Platform.SENSOR,
    Platform.SWITCH,
]


# Models without humidity have no number entity (see test_number for its absence).
CASES = [
    (platform, profile)
    for platform in PLATFORMS
    for profile in PROFILES
    if platform is not Platform.NUMBER
    or profile in ("colortouch", "t5900", "commercial")
]


@pytest.mark.usefixtures("enable_all_entities")
@pytest.mark.parametrize(("platform", "profile"), CASES)
async def test_entities(
    hass: HomeAssistant,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
    config_entry: MockConfigEntry,
    platform: Platform,
) -> None:
    config_entry.add_to_hass(hass)
    with patch("custom_components.venstar_local.PLATFORMS", [platform]):
        assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    await snapshot_platform(hass, entity_registry, snapshot, config_entry.entry_id)
