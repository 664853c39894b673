"""The integration's own action: `venstar_local.emergency_shutoff`.

Registered once in `async_setup` (not per entry) and aimed at climate entities like an
entity service. It differs from HA's entity services on purpose: a thermostat whose entities
show unavailable (one missed poll) is still tried, thermostats are switched off in parallel
so one that does not answer never delays another, and every target is attempted before the
failures are reported together.
"""

from __future__ import annotations

import asyncio
from functools import partial

from homeassistant.components.climate.const import (
    ATTR_FAN_MODE,
    DOMAIN as CLIMATE_DOMAIN,
    FAN_AUTO,
    FAN_ON,
)
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import ATTR_ENTITY_ID
from homeassistant.core import HomeAssistant, ServiceCall, callback
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import (
    config_validation as cv,
    entity_registry as er,
    service,
)
import voluptuous as vol

from .api import FanMode
from .const import DOMAIN
from .coordinator import VenstarConfigEntry, VenstarCoordinator

SERVICE_EMERGENCY_SHUTOFF = "emergency_shutoff"
_FAN_MODES = {FAN_AUTO: FanMode.AUTO, FAN_ON: FanMode.ON}

EMERGENCY_SHUTOFF_SCHEMA = cv.make_entity_service_schema(
    {vol.Optional(ATTR_FAN_MODE): vol.In(list(_FAN_MODES))}
)


@callback
def async_setup_services(hass: HomeAssistant) -> None:
    """Register the integration's actions."""
    hass.services.async_register(
        DOMAIN,
        SERVICE_EMERGENCY_SHUTOFF,
        partial(_async_emergency_shutoff, hass),
        schema=EMERGENCY_SHUTOFF_SCHEMA,
    )


async def _async_emergency_shutoff(hass: HomeAssistant, call: ServiceCall) -> None:
    """Switch every targeted thermostat off at once; report what could not be confirmed."""
    fan = _FAN_MODES[call.data[ATTR_FAN_MODE]] if ATTR_FAN_MODE in call.data else None
    targets = await _async_targets(hass, call)
    results = await asyncio.gather(
        *(coordinator.async_emergency_shutoff(fan) for coordinator in targets.values()),
        return_exceptions=True,
    )
    failures: dict[str, HomeAssistantError] = {}
    for entity_id, result in zip(targets, results, strict=True):
        if isinstance(result, HomeAssistantError):
            failures[entity_id] = result
        elif isinstance(result, BaseException):
            raise result
    if len(failures) == 1 and len(targets) == 1:
        raise next(iter(failures.values()))
    if failures:
        raise HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="emergency_shutoff_failed",
            translation_placeholders={
                "entities": ", ".join(sorted(failures)),
                "count": str(len(targets)),
            },
        )


async def _async_targets(
    hass: HomeAssistant, call: ServiceCall
) -> dict[str, VenstarCoordinator]:
    """Map the targeted climate entities of this integration to their coordinators.

    An entity named explicitly that is not a Venstar Local thermostat is an error; areas and
    devices simply contribute the Venstar Local thermostats they contain.
    """
    registry = er.async_get(hass)
    named = set(call.data.get(ATTR_ENTITY_ID, ()))
    targets: dict[str, VenstarCoordinator] = {}
    for entity_id in sorted(await service.async_extract_entity_ids(hass, call)):
        entry = registry.async_get(entity_id)
        if (
            entry is None
            or entry.platform != DOMAIN
            or entry.domain != CLIMATE_DOMAIN
            or entry.config_entry_id is None
        ):
            if entity_id in named:
                raise ServiceValidationError(
                    translation_domain=DOMAIN,
                    translation_key="not_a_thermostat",
                    translation_placeholders={"entity_id": entity_id},
                )
            continue
        config_entry: VenstarConfigEntry | None = hass.config_entries.async_get_entry(
            entry.config_entry_id
        )
        if config_entry is None or config_entry.state is not ConfigEntryState.LOADED:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="thermostat_not_loaded",
                translation_placeholders={"entity_id": entity_id},
            )
        targets[entity_id] = config_entry.runtime_data.coordinator
    if not targets:
        raise ServiceValidationError(
            translation_domain=DOMAIN, translation_key="no_thermostat_targeted"
        )
    return targets
