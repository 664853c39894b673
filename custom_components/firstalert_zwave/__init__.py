"""First Alert Z-Wave: a household smoke/CO alarm model on top of HA's zwave_js.

Setup never waits for zwave_js: the facts saved before a restart are read first (held until
zwave_js reports the detectors again), then the adapter attaches to zwave_js whenever its
entry is loaded (now or later) and reads current values, so an alarm that is already active
shows at once and nothing that was announced is announced again.
"""

from __future__ import annotations

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import config_validation as cv, device_registry as dr
from homeassistant.helpers.typing import ConfigType

from .adapter import ZwaveAdapter
from .const import DOMAIN
from .household_alarm import HouseholdAlarm, async_remove_facts
from .issues import async_delete_all_issues
from .response.lifecycle import (
    async_remove_response,
    async_setup_response,
    async_unload_response,
)
from .response.services import async_register_services
from .runtime_data import FirstAlertConfigEntry, FirstAlertRuntimeData

PLATFORMS: list[Platform] = [
    Platform.BINARY_SENSOR,
    Platform.BUTTON,
    Platform.EVENT,
    Platform.SENSOR,
]
CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Register the alarm response's actions (they work once the entry is set up)."""
    async_register_services(hass)
    return True


async def async_setup_entry(hass: HomeAssistant, entry: FirstAlertConfigEntry) -> bool:
    """Set up the household alarm model and attach it to zwave_js."""
    # First: an alarm the response remembers from before a restart or reload is acted on
    # at once, from its saved configuration.
    response = await async_setup_response(hass, entry)
    try:
        household = HouseholdAlarm(hass, entry)
        await household.async_load()
        adapter = ZwaveAdapter(hass, household)
        entry.runtime_data = FirstAlertRuntimeData(
            household=household, adapter=adapter, response=response
        )
        await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    except BaseException:
        # A setup that fails is not unloaded: the response must not run on beside the
        # one a retry starts.
        await async_unload_response(hass, entry)
        raise
    household.async_start()
    adapter.async_start()
    entry.async_on_unload(entry.add_update_listener(_async_options_updated))
    return True


async def _async_options_updated(
    hass: HomeAssistant, entry: FirstAlertConfigEntry
) -> None:
    """Apply new options in place: the alarm state and its events stay as they are."""
    entry.runtime_data.household.async_apply_options()


async def async_unload_entry(hass: HomeAssistant, entry: FirstAlertConfigEntry) -> bool:
    """Unload the entry (zwave_js is left alone); the facts are written first."""
    unloaded = await hass.config_entries.async_unload_platforms(entry, PLATFORMS)
    if unloaded:
        # The response finishes its calls in flight and saves what it remembers.
        await async_unload_response(hass, entry)
        entry.runtime_data.adapter.async_stop()
        await entry.runtime_data.household.async_stop()
    return unloaded


async def async_remove_entry(hass: HomeAssistant, entry: FirstAlertConfigEntry) -> None:
    """Delete our repair issues, saved facts and the response's saved state."""
    async_delete_all_issues(hass)
    await async_remove_facts(hass, entry)
    await async_remove_response(hass)


async def async_remove_config_entry_device(
    hass: HomeAssistant, entry: FirstAlertConfigEntry, device: dr.DeviceEntry
) -> bool:
    """Allow detaching a stale detector device; live detectors and the household stay."""
    if (DOMAIN, entry.entry_id) in device.identifiers:
        return False
    return device.id not in entry.runtime_data.adapter.bound_device_ids()
