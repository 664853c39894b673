"""alarm_response.yaml on First Alert Z-Wave's household entities, through HA's real zwave_js."""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from homeassistant.helpers import area_registry as ar
import pytest

from tests.firstalert_zwave.harness import (
    CO_TEST,
    SMOKE_ALARM,
    SMOKE_SENSOR,
    ZwaveNetwork,
    alarm_events,
    async_setup_firstalert,
    async_setup_zwave_js,
    zcombo_g_state,
    zwave_network,
)

from .conftest import SetupBlueprint
from .test_alarm_response import CLIMATE, FRONT, House, house, inputs, settle, state

__all__ = ["alarm_events", "house", "zwave_network"]

HOUSEHOLD_SMOKE = "binary_sensor.first_alert_household_smoke"
HOUSEHOLD_CO = "binary_sensor.first_alert_household_carbon_monoxide"


@pytest.fixture
async def detectors(
    hass: HomeAssistant, house: House, zwave_network: ZwaveNetwork
) -> ZwaveNetwork:
    zwave_network.add(zcombo_g_state(3, name="Kitchen alarm", location="Kitchen"))
    await async_setup_zwave_js(hass, zwave_network)
    await async_setup_firstalert(hass)
    kitchen = ar.async_get(hass).async_get_area_by_name("Kitchen")
    assert kitchen is not None
    return zwave_network


async def test_real_smoke_on_a_zcombo_g_triggers_the_response(
    hass: HomeAssistant,
    house: House,
    detectors: ZwaveNetwork,
    setup_blueprint: SetupBlueprint,
) -> None:
    await setup_blueprint(
        "alarm_response.yaml", inputs(alarm_sensors=[HOUSEHOLD_SMOKE, HOUSEHOLD_CO])
    )
    detectors.update(3, SMOKE_SENSOR, 2)
    await settle(hass)

    assert state(hass, HOUSEHOLD_SMOKE).state == "on"
    assert state(hass, FRONT).state == "unlocked"
    assert state(hass, CLIMATE).state == "off"
    assert state(hass, "light.kitchen_ceiling").state == "on"
    assert "Smoke detected: smoke at Kitchen alarm (Kitchen)." in house.messages()[0]


@pytest.mark.parametrize(
    "report",
    [(SMOKE_ALARM, 3), (CO_TEST, 3), (SMOKE_ALARM, 6)],
    ids=["test", "co_test", "silenced"],
)
async def test_detector_test_or_silence_does_nothing(
    hass: HomeAssistant,
    house: House,
    detectors: ZwaveNetwork,
    setup_blueprint: SetupBlueprint,
    report: tuple[tuple[int, str, str], int],
) -> None:
    key, value = report
    await setup_blueprint(
        "alarm_response.yaml", inputs(alarm_sensors=[HOUSEHOLD_SMOKE, HOUSEHOLD_CO])
    )
    detectors.value_updated(3, key, value)
    await settle(hass)

    assert state(hass, HOUSEHOLD_SMOKE).state == "off"
    assert state(hass, FRONT).state == "locked"
    assert state(hass, CLIMATE).state == "heat"
    assert house.notify == []
