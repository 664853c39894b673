"""The demo's real Home Assistant starts, onboards over REST and serves only on loopback."""

from __future__ import annotations

import pytest

from devstack.homeassistant import HomeAssistantServer
from devstack.rest import HomeAssistantRest

pytestmark = pytest.mark.e2e


async def test_server_runs_after_onboarding(ha_rest: HomeAssistantRest) -> None:
    config = await ha_rest.config()
    assert config["state"] == "RUNNING"
    assert config["location_name"] == "Local Home Bridge demo"
    assert config["version"] == "2025.4.4"
    assert not [
        entry for entry in await ha_rest.entries() if entry["source"] == "onboarding"
    ]


async def test_demo_household_is_configured(ha_rest: HomeAssistantRest) -> None:
    states = await ha_rest.states()
    assert states["lock.front_door"]["state"] == "locked"
    assert states["lock.back_door"]["state"] == "locked"
    assert states["light.hallway"]["state"] == "off"
    assert {"person.alex", "person.sam"} <= set(states)


def test_only_loopback_is_configured(ha_server: HomeAssistantServer) -> None:
    network = (ha_server.config_dir / ".storage" / "core.network").read_text()
    assert '"configured_adapters": ["lo"]' in network
    log = (ha_server.config_dir / "home-assistant.log").read_text()
    assert "address already in use" not in log
