"""The kept-alarm repair: a person confirms that the smoke or CO is over."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from homeassistant.core import Event, HomeAssistant
from homeassistant.helpers import issue_registry as ir
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.firstalert_zwave.const import DOMAIN
from tests.firstalert_zwave.common import household, summary
from tests.firstalert_zwave.harness import (
    HOME_ID,
    ZwaveNetwork,
    async_setup_firstalert,
    async_setup_zwave_js,
    zsmoke_state,
)

KEY = f"{HOME_ID}-5-312:1:1"
ISSUE = f"kept_smoke_{KEY}"


@pytest.fixture
async def client(
    hass: HomeAssistant,
    zwave_network: ZwaveNetwork,
    hass_client: ClientSessionGenerator,
) -> Any:
    """A basement detector whose smoke is kept (a test ended during it); an API client."""
    zwave_network.add(zsmoke_state(5, name="Basement alarm", location="Basement"))
    await async_setup_zwave_js(hass, zwave_network)
    await async_setup_firstalert(hass)
    zwave_network.legacy_alarm(5, 1, 255)
    zwave_network.legacy_alarm(5, 12, 0)
    await hass.async_block_till_done()
    assert household(hass) == ("on", "off", "smoke")
    assert await async_setup_component(hass, "repairs", {})
    return await hass_client()


@pytest.fixture
async def flow(client: Any) -> dict[str, Any]:
    """The kept smoke's fix flow, started by the person."""
    return await _start_fix(client)


async def _start_fix(client: Any) -> dict[str, Any]:
    response = await client.post(
        "/api/repairs/issues/fix", json={"handler": DOMAIN, "issue_id": ISSUE}
    )
    assert response.status == HTTPStatus.OK
    return await response.json()  # type: ignore[no-any-return]


async def _confirm(client: Any, flow_id: str) -> dict[str, Any]:
    response = await client.post(f"/api/repairs/issues/fix/{flow_id}", json={})
    assert response.status == HTTPStatus.OK
    return await response.json()  # type: ignore[no-any-return]


async def test_a_person_confirms_a_kept_smoke_is_over(
    hass: HomeAssistant,
    alarm_events: list[Event],
    client: Any,
    flow: dict[str, Any],
) -> None:
    assert flow["step_id"] == "confirm"
    assert flow["description_placeholders"] == {
        "name": "Basement alarm",
        "area": "Basement",
    }
    result = await _confirm(client, flow["flow_id"])
    assert result["type"] == "create_entry"
    await hass.async_block_till_done()
    assert household(hass) == ("off", "off", "clear")
    assert summary(alarm_events)[-1] == (
        "cleared",
        "smoke",
        "Basement alarm",
        "confirmed",
    )
    assert ir.async_get(hass).async_get_issue(DOMAIN, ISSUE) is None


async def test_a_confirmation_after_the_detector_cleared_changes_nothing(
    hass: HomeAssistant,
    zwave_network: ZwaveNetwork,
    alarm_events: list[Event],
    client: Any,
    flow: dict[str, Any],
) -> None:
    zwave_network.legacy_alarm(5, 1, 0)  # the detector cleared it meanwhile
    await hass.async_block_till_done()
    result = await _confirm(client, flow["flow_id"])
    assert result["type"] == "abort"
    assert result["reason"] == "not_kept"
    assert [e[3] for e in summary(alarm_events) if e[0] == "cleared"] == ["report"]


async def test_a_confirmation_while_the_integration_is_not_loaded_aborts(
    hass: HomeAssistant, client: Any, flow: dict[str, Any]
) -> None:
    entry = hass.config_entries.async_entries(DOMAIN)[0]
    assert await hass.config_entries.async_unload(entry.entry_id)
    result = await _confirm(client, flow["flow_id"])
    assert result["type"] == "abort"
    assert result["reason"] == "not_loaded"
