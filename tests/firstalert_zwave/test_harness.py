from __future__ import annotations

from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr

from custom_components.firstalert_zwave.const import DOMAIN
from tests.firstalert_zwave.harness import (
    SMOKE_SENSOR,
    ZwaveNetwork,
    async_setup_firstalert,
    async_setup_zwave_js,
    zcombo_g_state,
)


async def test_harness_smoke(hass: HomeAssistant, zwave_network: ZwaveNetwork) -> None:
    zwave_network.add(zcombo_g_state())
    await async_setup_zwave_js(hass, zwave_network)
    assert (
        hass.states.get("binary_sensor.zcombo_g_smoke_co_alarm_smoke_detected").state
        == "off"
    )
    entry = await async_setup_firstalert(hass)
    assert entry.domain == DOMAIN
    assert hass.states.get("sensor.first_alert_household_alarm").state == "clear"
    zwave_network.update(3, SMOKE_SENSOR, 2)
    await hass.async_block_till_done()
    assert (
        hass.states.get("binary_sensor.zcombo_g_smoke_co_alarm_smoke_detected").state
        == "on"
    )
    assert hass.states.get("sensor.first_alert_household_alarm").state == "smoke"
    assert (
        hass.states.get("sensor.zcombo_g_smoke_co_alarm_alarm_state").state == "smoke"
    )
    dev = dr.async_get(hass).async_get_device(
        identifiers={("zwave_js", "3967668131-3-312:1:3")}
    )
    assert dev is not None
