"""Config flow: one confirmation (detectors are found automatically) and options."""

from __future__ import annotations

from typing import Any, override

from homeassistant.config_entries import ConfigFlow, ConfigFlowResult, OptionsFlow
from homeassistant.core import callback
from homeassistant.helpers import selector
import voluptuous as vol

from .const import (
    CONF_OFFLINE_MULTIPLIER,
    CONF_REPAIR_END_OF_LIFE,
    CONF_REPAIR_OFFLINE,
    DEFAULT_REPAIR_END_OF_LIFE,
    DEFAULT_REPAIR_OFFLINE,
    DOMAIN,
    ZWAVE_JS_DOMAIN,
)
from .model.settings import (
    DEFAULT_OFFLINE_MULTIPLIER,
    MAX_OFFLINE_MULTIPLIER,
    MIN_OFFLINE_MULTIPLIER,
)
from .runtime_data import FirstAlertConfigEntry


class FirstAlertConfigFlow(ConfigFlow, domain=DOMAIN):
    """Add the household alarm model (single instance, enforced by the manifest)."""

    VERSION = 1

    @override
    async def async_step_user(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Confirm; Z-Wave JS must be set up, since every detector comes from it."""
        if not self.hass.config_entries.async_entries(ZWAVE_JS_DOMAIN):
            return self.async_abort(reason="zwave_js_missing")
        if user_input is not None:
            return self.async_create_entry(title="First Alert alarms", data={})
        return self.async_show_form(step_id="user")

    @staticmethod
    @callback
    @override
    def async_get_options_flow(config_entry: FirstAlertConfigEntry) -> OptionsFlow:
        """Return the options flow."""
        return FirstAlertOptionsFlow()


class FirstAlertOptionsFlow(OptionsFlow):
    """Offline threshold and which problems raise repair issues."""

    async def async_step_init(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Show and store the options."""
        if user_input is not None:
            return self.async_create_entry(data=user_input)
        options = self.config_entry.options
        schema = vol.Schema(
            {
                vol.Required(
                    CONF_OFFLINE_MULTIPLIER,
                    default=options.get(
                        CONF_OFFLINE_MULTIPLIER, DEFAULT_OFFLINE_MULTIPLIER
                    ),
                ): selector.NumberSelector(
                    selector.NumberSelectorConfig(
                        min=MIN_OFFLINE_MULTIPLIER,
                        max=MAX_OFFLINE_MULTIPLIER,
                        step=0.5,
                        mode=selector.NumberSelectorMode.BOX,
                    )
                ),
                vol.Required(
                    CONF_REPAIR_OFFLINE,
                    default=options.get(CONF_REPAIR_OFFLINE, DEFAULT_REPAIR_OFFLINE),
                ): selector.BooleanSelector(),
                vol.Required(
                    CONF_REPAIR_END_OF_LIFE,
                    default=options.get(
                        CONF_REPAIR_END_OF_LIFE, DEFAULT_REPAIR_END_OF_LIFE
                    ),
                ): selector.BooleanSelector(),
            }
        )
        return self.async_show_form(step_id="init", data_schema=schema)
