"""Diagnostics over HTTP: device data and learned state; credentials, PIN, MAC, address redacted."""

from __future__ import annotations

from homeassistant.const import CONF_PASSWORD, CONF_USERNAME
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
from syrupy.assertion import SnapshotAssertion
from syrupy.filters import props

from emulators.venstar import VenstarEmulator

from .conftest import MAC


@pytest.mark.parametrize(
    "emulator_kwargs",
    [{"https": True, "username": "admin", "password": "secret", "pin": "0042"}],
)
async def test_diagnostics(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    emulator: VenstarEmulator,
    config_entry: MockConfigEntry,
    snapshot: SnapshotAssertion,
) -> None:
    config_entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(
        config_entry,
        data={
            **config_entry.data,
            CONF_USERNAME: "admin",
            CONF_PASSWORD: "secret",
            "pin": "0042",
        },
    )
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    assert await async_setup_component(hass, "diagnostics", {})
    result = await get_diagnostics_for_config_entry(hass, hass_client, config_entry)
    text = str(result)
    for secret in ("secret", "0042", MAC, "admin"):
        assert secret not in text
    assert result == snapshot(exclude=props("port"))
