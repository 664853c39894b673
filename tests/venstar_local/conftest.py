"""Fixtures: the integration set up in HA against a Venstar emulator on loopback HTTP."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from typing import Any
from unittest.mock import PropertyMock, patch

from homeassistant.const import CONF_HOST, CONF_PORT, Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    snapshot_platform,
)
from pytest_homeassistant_custom_component.syrupy import HomeAssistantSnapshotExtension
from syrupy.assertion import SnapshotAssertion

from custom_components.venstar_local.const import (
    CONF_HTTPS,
    CONF_IDENTITY,
    CONF_MAC,
    DOMAIN,
)
from emulators.venstar import VenstarEmulator
from tests.venstar_fixtures import VenstarEmulatorFactory

ENTRY_ID = "01JVENSTARLOCALTESTENTRY01"
MAC = "00:23:a7:3a:b2:72"

IDENTITIES: dict[str, dict[str, Any]] = {
    "colortouch": {
        "name": "COLORTOUCH",
        "model": "COLORTOUCH",
        "device_type": "residential",
    },
    "t2000": {"name": "Explorer Mini", "model": "T2000", "device_type": "residential"},
    "legacy": {"name": "T5800", "model": None, "device_type": "residential"},
    "t5900": {"name": "T5900", "model": None, "device_type": "residential"},
    "commercial": {
        "name": "Office",
        "model": "COLORTOUCH",
        "device_type": "commercial",
    },
}
# Every emulated model, for the per-platform entity snapshots.
PROFILES = list(IDENTITIES)


@pytest.fixture
def snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    """Snapshots with HA's serializer."""
    return snapshot.use_extension(HomeAssistantSnapshotExtension)


@pytest.fixture(autouse=True)
def fast_client() -> Iterator[None]:
    """No pacing, short timeouts and no retry back-off: tests never really wait."""
    with patch.multiple(
        "custom_components.venstar_local.client_factory",
        MIN_REQUEST_GAP=0,
        REQUEST_TIMEOUT=0.5,
        RETRY_BACKOFF=0,
    ):
        yield


@pytest.fixture
def enable_all_entities() -> Iterator[None]:
    """Create entities that are disabled by default as enabled (for snapshots)."""
    with patch(
        "homeassistant.helpers.entity.Entity.entity_registry_enabled_default",
        new_callable=PropertyMock,
        return_value=True,
    ):
        yield


@pytest.fixture
def profile() -> str:
    """Emulated model; tests override this by parametrizing."""
    return "colortouch"


@pytest.fixture
def emulator_kwargs() -> dict[str, Any]:
    """Extra emulator arguments; tests override for auth, PIN, HTTPS."""
    return {}


@pytest.fixture
async def emulator(
    venstar_emulator_factory: VenstarEmulatorFactory,
    profile: str,
    emulator_kwargs: dict[str, Any],
) -> VenstarEmulator:
    """A started emulator of `profile`."""
    return await venstar_emulator_factory(profile=profile, **emulator_kwargs)


def entry_data(emulator: VenstarEmulator, profile: str, **extra: Any) -> dict[str, Any]:
    """Config entry data pointing at the emulator."""
    return {
        CONF_HOST: "127.0.0.1",
        CONF_PORT: emulator.port,
        CONF_HTTPS: emulator.https,
        CONF_IDENTITY: IDENTITIES[profile],
        **extra,
    }


@pytest.fixture
def config_entry(emulator: VenstarEmulator, profile: str) -> MockConfigEntry:
    """A discovered thermostat (MAC known) pointing at the emulator."""
    return MockConfigEntry(
        domain=DOMAIN,
        title=IDENTITIES[profile]["name"],
        entry_id=ENTRY_ID,
        unique_id=MAC,
        data=entry_data(emulator, profile, **{CONF_MAC: MAC}),
    )


@pytest.fixture
def platforms() -> list[str] | None:
    """Platforms to load (None: all); snapshot tests load one at a time."""
    return None


@pytest.fixture
async def init_integration(
    hass: HomeAssistant,
    config_entry: MockConfigEntry,
    platforms: list[str] | None,
) -> MockConfigEntry:
    """Set the integration up against the emulator."""
    config_entry.add_to_hass(hass)
    if platforms is None:
        assert await hass.config_entries.async_setup(config_entry.entry_id)
    else:
        with patch("custom_components.venstar_local.PLATFORMS", platforms):
            assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    return config_entry


type SnapshotEntities = Callable[[Platform], Awaitable[None]]


@pytest.fixture
def snapshot_entities(
    hass: HomeAssistant,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
    config_entry: MockConfigEntry,
) -> SnapshotEntities:
    """Set up only one platform and compare its entities and states with the snapshot."""

    async def compare(platform: Platform) -> None:
        config_entry.add_to_hass(hass)
        with patch("custom_components.venstar_local.PLATFORMS", [platform]):
            assert await hass.config_entries.async_setup(config_entry.entry_id)
        await hass.async_block_till_done()
        await snapshot_platform(hass, entity_registry, snapshot, config_entry.entry_id)

    return compare


@pytest.fixture
async def upstairs(
    hass: HomeAssistant,
    venstar_emulator_factory: VenstarEmulatorFactory,
    init_integration: MockConfigEntry,
) -> VenstarEmulator:
    """A second ColorTouch, "Upstairs", set up after the first; its emulator."""
    emulator = await venstar_emulator_factory(name="Upstairs")
    mac = "00:23:a7:00:00:02"
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Upstairs",
        unique_id=mac,
        data={
            **entry_data(emulator, "colortouch"),
            CONF_IDENTITY: {
                "name": "Upstairs",
                "model": "COLORTOUCH",
                "device_type": "residential",
            },
            CONF_MAC: mac,
        },
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    return emulator
