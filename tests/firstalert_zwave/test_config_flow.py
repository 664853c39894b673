"""Config and options flow."""

from __future__ import annotations

from homeassistant.config_entries import SOURCE_USER
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType

from custom_components.firstalert_zwave.const import (
    CONF_OFFLINE_MULTIPLIER,
    CONF_REPAIR_END_OF_LIFE,
    CONF_REPAIR_OFFLINE,
    DOMAIN,
)
from tests.firstalert_zwave.harness import (
    ZwaveNetwork,
    async_setup_firstalert,
    async_setup_zwave_js,
    zcombo_g_state,
    zwave_entry,
)


async def test_user_flow_creates_the_entry(
    hass: HomeAssistant, zwave_network: ZwaveNetwork
) -> None:
    zwave_network.add(zcombo_g_state(3))
    await async_setup_zwave_js(hass, zwave_network)
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "user"
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {})
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "First Alert alarms"
    assert result["data"] == {}
    assert hass.states.get("sensor.zcombo_g_smoke_co_alarm_alarm_state") is not None


async def test_user_flow_needs_zwave_js(hass: HomeAssistant) -> None:
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "zwave_js_missing"


async def test_single_instance(
    hass: HomeAssistant, zwave_network: ZwaveNetwork
) -> None:
    zwave_entry(hass)
    await async_setup_firstalert(hass)
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "single_instance_allowed"


async def test_options_flow(hass: HomeAssistant, zwave_network: ZwaveNetwork) -> None:
    zwave_entry(hass)
    entry = await async_setup_firstalert(hass)
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "init"
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {
            CONF_OFFLINE_MULTIPLIER: 3.0,
            CONF_REPAIR_OFFLINE: False,
            CONF_REPAIR_END_OF_LIFE: True,
        },
    )
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert entry.options == {
        CONF_OFFLINE_MULTIPLIER: 3.0,
        CONF_REPAIR_OFFLINE: False,
        CONF_REPAIR_END_OF_LIFE: True,
    }
    assert entry.runtime_data.household.options.offline_multiplier == 3.0
    # The form shows the stored values next time.
    result = await hass.config_entries.options.async_init(entry.entry_id)
    defaults = {
        str(key): key.default()
        for key in result["data_schema"].schema  # type: ignore[union-attr]
    }
    assert defaults[CONF_OFFLINE_MULTIPLIER] == 3.0
    assert defaults[CONF_REPAIR_OFFLINE] is False
