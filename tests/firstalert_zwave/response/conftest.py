"""Fixtures for the alarm response scenarios (the house lives in ``house.py``)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
import pytest

from tests.firstalert_zwave.harness import ZwaveNetwork

from .house import House, async_build_house, async_respond, default_inputs


@pytest.fixture
async def house(
    hass: HomeAssistant, zwave_network: ZwaveNetwork
) -> AsyncIterator[House]:
    """The house, quiet: detectors idle, doors locked, heating on, Alice home."""
    built = await async_build_house(hass, zwave_network)
    yield built
    await unload(hass, built)


async def unload(hass: HomeAssistant, house: House) -> None:
    """Unload the household entry (the response stops; nothing may linger)."""
    if house.entry is not None and house.entry.state is ConfigEntryState.LOADED:
        assert await hass.config_entries.async_unload(house.entry.entry_id)
    if "automation" in hass.config.components:
        await hass.services.async_call(
            "automation",
            "turn_off",
            {"entity_id": "all", "stop_actions": True},
            blocking=True,
        )
    await hass.async_block_till_done()


@pytest.fixture
async def responding(hass: HomeAssistant, house: House, tmp_path: Path) -> House:
    """The house with the alarm response configured from the blueprint (defaults)."""
    await async_respond(hass, tmp_path, default_inputs())
    return house
