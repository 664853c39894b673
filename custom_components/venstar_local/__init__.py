"""The Venstar Local integration: Venstar thermostats over their local API, no cloud."""

from __future__ import annotations

from datetime import timedelta

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import (
    config_validation as cv,
    device_registry as dr,
    issue_registry as ir,
)
from homeassistant.helpers.typing import ConfigType

from .client_factory import create_client
from .const import (
    CONF_POLL_INTERVAL,
    DEFAULT_POLL_INTERVAL,
    DOMAIN,
    ISSUE_CERTIFICATE_CHANGED,
    ISSUE_WRONG_DEVICE,
)
from .coordinator import VenstarConfigEntry, VenstarCoordinator, VenstarRuntimeData
from .entity import remote_sensor_identifier
from .presence import async_setup_presence
from .services import async_setup_services
from .stored_identity import identity_from_data
from .time_to_temperature import TimeToTemperature, async_remove_learned

# Thermostats are set up in the UI. An empty `venstar_local:` line in configuration.yaml loads
# the integration without one, for presence eco with another brand of thermostat.
CONFIG_SCHEMA = cv.empty_config_schema(DOMAIN)

PLATFORMS: list[Platform] = [
    Platform.BINARY_SENSOR,
    Platform.CLIMATE,
    Platform.NUMBER,
    Platform.SENSOR,
    Platform.SWITCH,
]


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Register the integration's actions (once; they exist whether or not a thermostat is set up)."""
    async_setup_services(hass)
    await async_setup_presence(hass, config)
    return True


async def async_setup_entry(hass: HomeAssistant, entry: VenstarConfigEntry) -> bool:
    """Connect to the thermostat, read it once, then set up the platforms."""
    client = create_client(
        hass, entry.data, expected_identity=identity_from_data(entry.data)
    )
    time_to_temperature = TimeToTemperature(hass, entry.entry_id)
    await time_to_temperature.async_load()
    coordinator = VenstarCoordinator(hass, entry, client, time_to_temperature)
    await coordinator.async_config_entry_first_refresh()
    entry.runtime_data = VenstarRuntimeData(
        client=client,
        coordinator=coordinator,
        time_to_temperature=time_to_temperature,
    )
    entry.async_on_unload(entry.add_update_listener(_async_options_updated))
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    _remove_stale_sensor_devices(hass, entry)
    entry.async_on_unload(
        coordinator.async_add_listener(
            lambda: _remove_stale_sensor_devices(hass, entry)
        )
    )
    return True


async def async_unload_entry(hass: HomeAssistant, entry: VenstarConfigEntry) -> bool:
    """Unload platforms, wait for the request in flight, save what was learned."""
    if not await hass.config_entries.async_unload_platforms(entry, PLATFORMS):
        return False
    runtime = entry.runtime_data
    await runtime.coordinator.async_shutdown()
    # A poll or command may still be talking to the thermostat; let it finish so the
    # device is never left half-written and no request outlives the entry.
    async with runtime.coordinator.io_lock:
        pass
    await runtime.time_to_temperature.async_flush()
    return True


async def async_remove_entry(hass: HomeAssistant, entry: VenstarConfigEntry) -> None:
    """Forget the learned recovery rates and any open repair issue."""
    await async_remove_learned(hass, entry.entry_id)
    for kind in (ISSUE_WRONG_DEVICE, ISSUE_CERTIFICATE_CHANGED):
        ir.async_delete_issue(hass, DOMAIN, f"{kind}_{entry.entry_id}")


async def async_remove_config_entry_device(
    hass: HomeAssistant, entry: VenstarConfigEntry, device: dr.DeviceEntry
) -> bool:
    """Allow removing a remote sensor the thermostat no longer reports, nothing else."""
    present = {
        remote_sensor_identifier(entry.entry_id, sensor.id)
        for sensor in entry.runtime_data.coordinator.data.sensors
        if sensor.id is not None
    }
    remote_prefix = f"{entry.entry_id}_sensor_"
    return any(
        domain == DOMAIN
        and identifier.startswith(remote_prefix)
        and (domain, identifier) not in present
        for domain, identifier in device.identifiers
    )


async def _async_options_updated(
    hass: HomeAssistant, entry: VenstarConfigEntry
) -> None:
    """Apply a new poll interval from the next tick on; no reload needed.

    Data changes (reauth, reconfigure, discovery) reload the entry through their flows.
    """
    entry.runtime_data.coordinator.set_poll_interval(
        timedelta(seconds=entry.options.get(CONF_POLL_INTERVAL, DEFAULT_POLL_INTERVAL))
    )


@callback
def _remove_stale_sensor_devices(
    hass: HomeAssistant, entry: VenstarConfigEntry
) -> None:
    """Remove devices of remote sensors the thermostat stopped reporting.

    Only a successful sensors read counts: while the thermostat is unreachable, or while
    some sensor's id is unreadable (it could be any of them), nothing is removed.
    """
    coordinator = entry.runtime_data.coordinator
    if not coordinator.last_update_success or any(
        sensor.id is None and sensor.has("id") for sensor in coordinator.data.sensors
    ):
        return
    present = {
        remote_sensor_identifier(entry.entry_id, sensor.id)
        for sensor in coordinator.data.sensors
        if sensor.id is not None
    }
    remote_prefix = f"{entry.entry_id}_sensor_"
    registry = dr.async_get(hass)
    for device in dr.async_entries_for_config_entry(registry, entry.entry_id):
        remote = {
            ident
            for ident in device.identifiers
            if ident[0] == DOMAIN and ident[1].startswith(remote_prefix)
        }
        if remote and not remote & present:
            registry.async_update_device(
                device.id, remove_config_entry_id=entry.entry_id
            )
