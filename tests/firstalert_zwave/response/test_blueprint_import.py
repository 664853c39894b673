"""The blueprint as a new user gets it: imported from its README link, saved, used in the UI.

The import dialog's link points at the file on GitHub; Home Assistant fetches its raw
content (answered here from the repository's file), shows what it found, saves it, and the
automation editor creates an automation from it. That automation then runs the response.
"""

from __future__ import annotations

from pathlib import Path
import re
from urllib.parse import unquote

from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker
from pytest_homeassistant_custom_component.typing import (
    ClientSessionGenerator,
    WebSocketGenerator,
)

from .house import BLUEPRINTS, FRONT, LIVING, House, default_inputs, settle

README = Path(__file__).resolve().parents[3] / "README.md"
RAW = "https://raw.githubusercontent.com/local-home-bridge/local-home-bridge/main/automations/alarm_response.yaml"


def import_link() -> str:
    """Return the blueprint URL of the README's import button for the alarm response."""
    found = re.findall(
        r"blueprint_url=([^)\s]+alarm_response\.yaml)", README.read_text()
    )
    assert found
    return unquote(found[0])


async def test_the_blueprint_imports_from_its_readme_link_and_runs(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,  # before the house: its web session is mocked
    house: House,
    tmp_path: Path,
    *,
    hass_ws_client: WebSocketGenerator,
    hass_client: ClientSessionGenerator,
) -> None:
    (tmp_path / "configuration.yaml").write_text(
        "automation: !include automations.yaml\n"
    )
    (tmp_path / "automations.yaml").write_text("[]\n")
    aioclient_mock.get(RAW, text=(BLUEPRINTS / "alarm_response.yaml").read_text())
    assert await async_setup_component(hass, "automation", {"automation": []})
    assert await async_setup_component(hass, "config", {})
    url = import_link()
    ws = await hass_ws_client(hass)

    await ws.send_json({"id": 1, "type": "blueprint/import", "url": url})
    imported = await ws.receive_json()
    assert imported["success"], imported
    result = imported["result"]
    assert result["validation_errors"] is None
    assert result["blueprint"]["metadata"]["source_url"] == url
    path = result["suggested_filename"]

    await ws.send_json(
        {
            "id": 2,
            "type": "blueprint/save",
            "domain": "automation",
            "path": path,
            "yaml": result["raw_data"],
            "source_url": url,
        }
    )
    saved = await ws.receive_json()
    assert saved["success"], saved

    # The automation editor: only the required input and a few choices.
    client = await hass_client()
    inputs = default_inputs()
    response = await client.post(
        "/api/config/automation/config/alarm_response",
        json={
            "alias": "Alarm response",
            "description": "",
            "use_blueprint": {"path": f"{path}.yaml", "input": inputs},
        },
    )
    assert response.status == 200, await response.text()
    await hass.async_block_till_done()
    state = hass.states.get("automation.alarm_response")
    assert state is not None
    assert state.state == "on"
    await settle(hass)
    assert house.controller.config is not None
    assert house.controller.config.automation == "automation.alarm_response"

    await house.smoke()
    assert house.is_(FRONT) == "unlocked"
    assert house.thermostat(LIVING) == ("off", "auto")
