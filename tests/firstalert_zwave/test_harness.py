"""The harness behaves like zwave-js-server where the integration can tell."""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr

from tests.firstalert_zwave.harness import (
    ALARM_LEVEL,
    ALARM_TYPE,
    CO_SENSOR,
    HOME_ID,
    SMOKE_SENSOR,
    ZwaveNetwork,
    async_setup_zwave_js,
    zcombo_g_state,
    zcombo_state,
    zsmoke_state,
)


async def test_real_dump_in_zwave_js(
    hass: HomeAssistant, zwave_network: ZwaveNetwork
) -> None:
    zwave_network.add(zcombo_g_state())
    await async_setup_zwave_js(hass, zwave_network)
    smoke = "binary_sensor.zcombo_g_smoke_co_alarm_smoke_detected"
    assert hass.states.get(smoke).state == "off"  # type: ignore[union-attr]
    zwave_network.update(3, SMOKE_SENSOR, 2)
    await hass.async_block_till_done()
    assert hass.states.get(smoke).state == "on"  # type: ignore[union-attr]
    device = dr.async_get(hass).async_get_device(
        identifiers={("zwave_js", f"{HOME_ID}-3-312:1:3")}
    )
    assert device is not None
    assert device.manufacturer == "First Alert (BRK Brands Inc)"
    assert {"command": "node.has_device_config_changed", "nodeId": 3} in [
        {k: v for k, v in command.items() if k in ("command", "nodeId")}
        for command in zwave_network.commands
    ]


async def test_legacy_nodes_in_zwave_js(
    hass: HomeAssistant, zwave_network: ZwaveNetwork
) -> None:
    zwave_network.add(zcombo_state(4, name="Hall"), zsmoke_state(5, name="Basement"))
    await async_setup_zwave_js(hass, zwave_network)
    registry = dr.async_get(hass)
    hall = registry.async_get_device(identifiers={("zwave_js", f"{HOME_ID}-4-312:1:2")})
    basement = registry.async_get_device(
        identifiers={("zwave_js", f"{HOME_ID}-5-312:1:1")}
    )
    assert hall is not None
    assert hall.manufacturer == "BRK Brands, Inc."
    assert basement is not None
    assert hass.states.get("binary_sensor.hall_carbon_monoxide_detected") is not None
    assert hass.states.get("binary_sensor.basement_carbon_monoxide_detected") is None
    # A V1 frame updates the raw values and the mapped Notification value.
    zwave_network.legacy_alarm(4, 2, 255)
    await hass.async_block_till_done()
    assert zwave_network.current_value(4, ALARM_TYPE) == 2
    assert zwave_network.current_value(4, ALARM_LEVEL) == 255
    assert zwave_network.current_value(4, CO_SENSOR) == 2
    assert hass.states.get("binary_sensor.hall_carbon_monoxide_detected").state == "on"  # type: ignore[union-attr]


async def test_reconnect_builds_new_objects_from_the_live_state(
    hass: HomeAssistant, zwave_network: ZwaveNetwork
) -> None:
    zwave_network.add(zcombo_g_state())
    await async_setup_zwave_js(hass, zwave_network)
    first_node = zwave_network.node(3)
    zwave_network.update(3, CO_SENSOR, 2)
    zwave_network.drop_connection()
    await hass.async_block_till_done()
    assert len(zwave_network.clients) == 2
    assert zwave_network.node(3) is not first_node
    assert zwave_network.current_value(3, CO_SENSOR) == 2
    co = "binary_sensor.zcombo_g_smoke_co_alarm_carbon_monoxide_detected"
    assert hass.states.get(co).state == "on"  # type: ignore[union-attr]
