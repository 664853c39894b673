"""Binary sensors of every emulated model: equipment, occupancy and maintenance alerts."""

from __future__ import annotations

from homeassistant.const import Platform
import pytest

from .conftest import PROFILES, SnapshotEntities


@pytest.mark.usefixtures("enable_all_entities")
@pytest.mark.parametrize("profile", PROFILES)
async def test_entities(snapshot_entities: SnapshotEntities) -> None:
    await snapshot_entities(Platform.BINARY_SENSOR)
