"""Fixtures to run this repository's blueprints inside a test Home Assistant."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
import shutil
from typing import Any

from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import async_mock_service

BLUEPRINTS = Path(__file__).resolve().parents[2] / "automations"
AUTHOR = "local_home_bridge"

type SetupBlueprint = Callable[[str, dict[str, Any]], Awaitable[str]]


@pytest.fixture
def config_dir(hass: HomeAssistant, tmp_path: Path) -> Path:
    """A temporary config dir holding copies of every blueprint (before automation loads)."""
    target = tmp_path / "blueprints" / "automation" / AUTHOR
    target.mkdir(parents=True)
    for blueprint in BLUEPRINTS.glob("*.yaml"):
        shutil.copy(blueprint, target / blueprint.name)
    hass.config.config_dir = str(tmp_path)
    return tmp_path


@pytest.fixture(autouse=True)
def logbook_calls(hass: HomeAssistant) -> list[ServiceCall]:
    """Capture logbook.log calls (the real logbook needs the recorder)."""
    return async_mock_service(hass, "logbook", "log")


async def async_setup_blueprint(
    hass: HomeAssistant, file_name: str, inputs: dict[str, Any]
) -> str:
    """Instantiate one blueprint (from the config dir) as automation.under_test."""
    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": {
                "id": "under_test",
                "alias": "Under test",
                "use_blueprint": {"path": f"{AUTHOR}/{file_name}", "input": inputs},
            }
        },
    )
    await hass.async_block_till_done()
    state = hass.states.get("automation.under_test")
    assert state is not None
    assert state.state == "on", state.attributes
    return "automation.under_test"


@pytest.fixture
async def setup_blueprint(
    hass: HomeAssistant, config_dir: Path
) -> AsyncIterator[SetupBlueprint]:
    """Instantiate one blueprint as automation.under_test; switch it off afterwards.

    Switching off detaches the triggers and stops runs, so no `for:` timer or delay lingers.
    """

    async def _setup(file_name: str, inputs: dict[str, Any]) -> str:
        return await async_setup_blueprint(hass, file_name, inputs)

    yield _setup
    if hass.states.get("automation.under_test") is not None:
        await hass.services.async_call(
            "automation",
            "turn_off",
            {"entity_id": "automation.under_test", "stop_actions": True},
            blocking=True,
        )
        await hass.async_block_till_done()
