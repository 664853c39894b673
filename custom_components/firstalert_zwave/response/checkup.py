"""Run the safety checkup on the house: probe every target, show and keep the result."""

from __future__ import annotations

from dataclasses import replace
from functools import partial

from homeassistant.components import persistent_notification
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util

from . import issues
from .config import ResponseConfig
from .const import DOMAIN
from .dryrun import Checkup, Probe, checkup
from .facts import ClimateFact, Owner, Reading, SensorFact
from .reader import (
    SHUTOFF_SERVICE,
    VENSTAR_DOMAIN,
    Isolated,
    area_lights,
    climate_fact,
    names_of,
    sensor_fact,
    someone_home,
    state_of,
)

NOTIFICATION_ID = f"{DOMAIN}_safety_checkup"
TITLE = "Alarm response safety checkup"


def probe(hass: HomeAssistant, config: ResponseConfig | None, owner: Owner) -> Probe:
    """Read what every target the response would use looks like now."""
    if config is None:
        return Probe(owner=owner)
    isolated = Isolated(None)
    unknown = SensorFact(None, Reading.UNKNOWN, "")
    no_lights: tuple[str, ...] = ()
    sensors = {
        entity_id: isolated(
            entity_id,
            partial(sensor_fact, hass, entity_id),
            replace(unknown, label=entity_id),
        )
        for entity_id in config.alarm_sensors
    }
    lights_by_area = (
        {
            entity_id: isolated(
                entity_id, partial(area_lights, hass, entity_id), no_lights
            )
            for entity_id in config.alarm_sensors
        }
        if config.area_lights
        else {}
    )
    entities = set(config.entities())
    for found in lights_by_area.values():
        entities.update(found)
    services = {
        target
        for target in config.notify_actions
        if hass.services.has_service(*target.partition(".")[::2])
        or (target.startswith("notify.") and hass.states.get(target) is not None)
    }
    if hass.services.has_service(VENSTAR_DOMAIN, SHUTOFF_SERVICE):
        services.add(f"{VENSTAR_DOMAIN}.{SHUTOFF_SERVICE}")
    return Probe(
        sensors=sensors,
        area_lights=lights_by_area,
        states={entity_id: state_of(hass, entity_id) for entity_id in entities},
        climates={
            climate: isolated(
                climate, partial(climate_fact, hass, climate), ClimateFact(mode=None)
            )
            for climate in config.climates
        },
        names=isolated("", partial(names_of, hass, entities), {}),
        services=frozenset(services),
        someone_home=isolated(
            config.presence_zone, partial(someone_home, hass, config), False
        ),
        owner=owner,
    )


def run_checkup(
    hass: HomeAssistant,
    config: ResponseConfig | None,
    owner: Owner,
    *,
    notify: bool,
) -> Checkup:
    """Dry-run smoke and CO now; raise or clear the repair issue; notify when asked."""
    result = checkup(config, probe(hass, config, owner), dt_util.utcnow())
    problems = result.problems
    if problems:
        issues.raise_checkup(hass, problems)
    else:
        issues.delete(hass, issues.ISSUE_CHECKUP)
    if notify:
        persistent_notification.async_create(
            hass, result.markdown(), TITLE, NOTIFICATION_ID
        )
    return result
