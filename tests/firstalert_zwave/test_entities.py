"""Entity snapshots (one platform at a time) and diagnostics."""

from __future__ import annotations

from unittest.mock import patch

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import snapshot_platform
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.syrupy import HomeAssistantSnapshotExtension
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
from syrupy.assertion import SnapshotAssertion

from tests.firstalert_zwave.harness import (
    CO_MAINTENANCE,
    SMOKE_SENSOR,
    ZwaveNetwork,
    async_setup_firstalert,
    async_setup_zwave_js,
    zcombo_g_state,
    zsmoke_state,
)

ENTRY_ID = "01JFIRSTALERTSNAPSHOT0000"


@pytest.fixture
def snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    return snapshot.use_extension(HomeAssistantSnapshotExtension)


@pytest.fixture
async def alarming_house(
    hass: HomeAssistant, zwave_network: ZwaveNetwork
) -> ZwaveNetwork:
    zwave_network.add(
        zcombo_g_state(
            3, name="Kitchen alarm", location="Kitchen", values={SMOKE_SENSOR: 2}
        ),
        zcombo_g_state(6, name="Garage alarm", values={CO_MAINTENANCE: 5}),
        zsmoke_state(5, name="Basement alarm"),
    )
    await async_setup_zwave_js(hass, zwave_network)
    return zwave_network


@pytest.mark.freeze_time("2026-01-15 08:30:00+00:00")
@pytest.mark.parametrize(
    "platform", [Platform.BINARY_SENSOR, Platform.EVENT, Platform.SENSOR]
)
async def test_entities(
    hass: HomeAssistant,
    alarming_house: ZwaveNetwork,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
    platform: Platform,
) -> None:
    if platform is Platform.EVENT:
        # Event attributes carry the (random) device id: snapshot a quiet house.
        zw_entry_id = hass.config_entries.async_entries("zwave_js")[0].entry_id
        assert await hass.config_entries.async_unload(zw_entry_id)
        alarming_house.states[3] = zcombo_g_state(3, name="Kitchen alarm")
        assert await hass.config_entries.async_setup(zw_entry_id)
    with patch("custom_components.firstalert_zwave.PLATFORMS", [platform]):
        entry = await async_setup_firstalert(hass, entry_id=ENTRY_ID)
        await snapshot_platform(hass, entity_registry, snapshot, entry.entry_id)
        assert await hass.config_entries.async_unload(entry.entry_id)


@pytest.mark.freeze_time("2026-01-15 08:30:00+00:00")
async def test_diagnostics(
    hass: HomeAssistant,
    alarming_house: ZwaveNetwork,
    hass_client: ClientSessionGenerator,
    snapshot: SnapshotAssertion,
) -> None:
    assert await async_setup_component(hass, "diagnostics", {})
    entry = await async_setup_firstalert(hass, entry_id=ENTRY_ID)
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, entry)
    assert diagnostics == snapshot
    assert "Kitchen" not in str(diagnostics)
