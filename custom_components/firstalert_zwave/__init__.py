"""First Alert Z-Wave: a household smoke/CO alarm model on top of HA's zwave_js.

Setup never waits for zwave_js: the adapter attaches to zwave_js whenever its entry is
loaded (now or later) and reads current values then, so an alarm that is already active
shows at once.
"""

from __future__ import annotations

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import config_validation as cv, device_registry as dr
from homeassistant.helpers.typing import ConfigType

from .adapter import ZwaveAdapter
from .const import DOMAIN
from .coordinator import AlarmCoordinator, FirstAlertConfigEntry
from .issues import async_delete_all_issues
from .response.lifecycle import (
    async_remove_response,
    async_setup_response,
    async_unload_response,
)
from .response.services import async_register_services

PLATFORMS: list[Platform] = [
    Platform.BINARY_SENSOR,
    Platform.BUTTON,
    Platform.EVENT,
    Platform.SENSOR,
]
CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Register the alarm response's actions (they work once the entry is loaded)."""
    async_register_services(hass)
    return True


async def async_setup_entry(hass: HomeAssistant, entry: FirstAlertConfigEntry) -> bool:
    """Set up the household alarm model and attach it to zwave_js."""
    # First: an alarm remembered from before a restart or reload is acted on at once.
    await async_setup_response(hass, entry)
    coordinator = AlarmCoordinator(hass, entry)
    adapter = ZwaveAdapter(hass, coordinator)
    coordinator.adapter = adapter
    entry.runtime_data = coordinator
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    coordinator.async_start()
    adapter.async_start()
    entry.async_on_unload(adapter.async_stop)
    entry.async_on_unload(entry.add_update_listener(_async_options_updated))
    return True


async def _async_options_updated(
    hass: HomeAssistant, entry: FirstAlertConfigEntry
) -> None:
    """Apply new options in place: a reload would re-announce active alarms."""
    entry.runtime_data.async_apply_options()


async def async_unload_entry(hass: HomeAssistant, entry: FirstAlertConfigEntry) -> bool:
    """Unload the entry (zwave_js is left alone); the response finishes its calls first."""
    await async_unload_response(hass, entry)
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)


async def async_remove_entry(hass: HomeAssistant, entry: FirstAlertConfigEntry) -> None:
    """Delete our repair issues and the response's stored state when the entry is deleted."""
    async_delete_all_issues(hass)
    await async_remove_response(hass)


async def async_remove_config_entry_device(
    hass: HomeAssistant, entry: FirstAlertConfigEntry, device: dr.DeviceEntry
) -> bool:
    """Allow detaching a stale detector device; live detectors and the household stay."""
    if (DOMAIN, entry.entry_id) in device.identifiers:
        return False
    adapter = entry.runtime_data.adapter
    return adapter is None or device.id not in adapter.bound_device_ids()
