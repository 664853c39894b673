"""The learned time to temperature of a Venstar Local thermostat, read at the source.

Presence eco lives in this integration because of this: for a thermostat set up through Venstar
Local, the minutes to the home setpoint come straight from the learner (remembered home
setpoints, learned heating and cooling rates) without a sensor in between.
"""

from __future__ import annotations

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er

from ..const import DOMAIN
from ..coordinator import VenstarConfigEntry


def learned_minutes_to_home(
    hass: HomeAssistant, climate_entity_id: str
) -> float | None:
    """Minutes the thermostat needs to reach its home setpoint, when it is one of ours."""
    entity = er.async_get(hass).async_get(climate_entity_id)
    if entity is None or entity.platform != DOMAIN or entity.config_entry_id is None:
        return None
    entry: VenstarConfigEntry | None = hass.config_entries.async_get_entry(
        entity.config_entry_id
    )
    if entry is None or entry.state is not ConfigEntryState.LOADED:
        return None
    coordinator = entry.runtime_data.coordinator
    if not coordinator.last_update_success or coordinator.data is None:
        return None
    return entry.runtime_data.time_to_temperature.minutes_to_home(coordinator.data.info)
