"""Read the facts the response decides from out of Home Assistant's states and registries."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import datetime
from functools import partial

from homeassistant.core import HomeAssistant, State
from homeassistant.helpers import (
    area_registry as ar,
    device_registry as dr,
    entity_registry as er,
)
from homeassistant.util import dt as dt_util

from .config import ResponseConfig
from .facts import (
    ClimateFact,
    Facts,
    Kind,
    Owner,
    Reading,
    SensorFact,
    is_known,
    kind_of,
    reading_of,
)
from .memory import Memory

VENSTAR_DOMAIN = "venstar_local"
SHUTOFF_SERVICE = "emergency_shutoff"
UNKNOWN_ROOM = "an unknown room"


def sensor_kind(
    hass: HomeAssistant, entity_id: str, state: State | None
) -> Kind | None:
    """Return the alarm kind of a sensor: only smoke/CO binary sensors are alarms.

    The device class comes from the state, or from the entity registry while the
    sensor is unavailable (its state then carries no device class).
    """
    if not entity_id.startswith("binary_sensor."):
        return None
    if state is not None and "device_class" in state.attributes:
        return kind_of(state.attributes["device_class"])
    entry = er.async_get(hass).async_get(entity_id)
    if entry is None:
        return None
    return kind_of(entry.device_class or entry.original_device_class)


def sensor_reading(hass: HomeAssistant, entity_id: str) -> tuple[Kind | None, Reading]:
    """Return one alarm sensor's kind and reading (all an alarm fact needs)."""
    state = hass.states.get(entity_id)
    return sensor_kind(hass, entity_id, state), reading_of(
        state.state if state else None
    )


def sensor_fact(
    hass: HomeAssistant, entity_id: str, *, label: bool = True
) -> SensorFact:
    """Return one alarm sensor's kind, reading and (when asked) where it is."""
    state = hass.states.get(entity_id)
    return SensorFact(
        sensor_kind(hass, entity_id, state),
        reading_of(state.state if state else None),
        sensor_label(hass, entity_id, state) if label else entity_id,
    )


def _entity_area(hass: HomeAssistant, entity_id: str) -> str | None:
    """Return the area id of an entity (its own, else its device's)."""
    entry = er.async_get(hass).async_get(entity_id)
    if entry is None:
        return None
    if entry.area_id:
        return entry.area_id
    if entry.device_id and (device := dr.async_get(hass).async_get(entry.device_id)):
        return device.area_id
    return None


def sensor_label(hass: HomeAssistant, entity_id: str, state: State | None) -> str:
    """Return "Kitchen alarm (Kitchen)": the detectors a household sensor names, or the sensor."""
    attributes = state.attributes if state is not None else {}
    detectors = attributes.get("detectors")
    if isinstance(detectors, list) and detectors:
        areas = attributes.get("areas")
        rooms = ", ".join(map(str, areas)) if isinstance(areas, list) and areas else ""
        return f"{', '.join(map(str, detectors))} ({rooms or UNKNOWN_ROOM})"
    name = str(attributes.get("friendly_name") or entity_id)
    area_id = _entity_area(hass, entity_id)
    area = ar.async_get(hass).async_get_area(area_id) if area_id else None
    return f"{name} ({area.name if area else UNKNOWN_ROOM})"


def area_lights(hass: HomeAssistant, entity_id: str) -> tuple[str, ...]:
    """Return the lights in a sensor's area and in the areas its attributes name."""
    areas = ar.async_get(hass)
    area_ids = set()
    if own := _entity_area(hass, entity_id):
        area_ids.add(own)
    state = hass.states.get(entity_id)
    named = state.attributes.get("areas") if state is not None else None
    if isinstance(named, list):
        for name in named:
            if (area := areas.async_get_area_by_name(str(name))) is not None:
                area_ids.add(area.id)
    entities = er.async_get(hass)
    devices = dr.async_get(hass)
    lights: dict[str, None] = {}
    for area_id in sorted(area_ids):
        found = [
            entry.entity_id for entry in er.async_entries_for_area(entities, area_id)
        ]
        found.extend(
            entry.entity_id
            for device in dr.async_entries_for_area(devices, area_id)
            for entry in er.async_entries_for_device(entities, device.id)
            if entry.area_id is None
        )
        lights.update(dict.fromkeys(i for i in found if i.startswith("light.")))
    return tuple(lights)


def someone_home(hass: HomeAssistant, config: ResponseConfig) -> bool:
    """Return whether a resident is in the zone, or an occupancy/guest entity is on."""
    states = hass.states
    if any(
        (state := states.get(entity_id)) is not None and state.state == "on"
        for entity_id in config.occupancy_entities
    ):
        return True
    zone = states.get(config.presence_zone)
    if not config.people:
        return zone is not None and _count(zone.state) > 0
    inside = _texts(zone.attributes.get("persons")) if zone is not None else ()
    for person in config.people:
        if person in inside:
            return True
        # zone.home follows person states a moment later; a person at home counts at once.
        if config.presence_zone == "zone.home" and (
            (state := states.get(person)) is not None and state.state == "home"
        ):
            return True
    return False


def arrived_at(
    hass: HomeAssistant, config: ResponseConfig, settled: datetime | None
) -> datetime | None:
    """Return since when the residents at home have been home, if it is to be confirmed.

    None when nobody's arrival needs confirming: an occupancy or guest entity is on,
    Home Assistant is still starting (``settled`` None: states are being restored, not
    changed), or the residents were home before it had started or been reloaded.
    """
    if settled is None:
        return None
    states = hass.states
    if any(
        (state := states.get(entity_id)) is not None and state.state == "on"
        for entity_id in config.occupancy_entities
    ):
        return None
    zone = states.get(config.presence_zone)
    inside = _texts(zone.attributes.get("persons")) if zone is not None else ()
    if config.people:
        residents = [
            person
            for person in config.people
            if person in inside
            or (
                config.presence_zone == "zone.home"
                and (state := states.get(person)) is not None
                and state.state == "home"
            )
        ]
    else:
        residents = list(inside)
    times = [state.last_changed for p in residents if (state := states.get(p))]
    if not times and not config.people and zone is not None:
        times = [zone.last_changed]  # a count of persons without their names
    if not times:
        return None
    since = min(times)
    return since if since > settled else None


def _count(text: str) -> int:
    """Return a zone's count of persons (0 when it is not a count)."""
    try:
        return int(float(text))
    except (ValueError, OverflowError):
        return 0


def _texts(value: object) -> tuple[str, ...]:
    """Return a list attribute as texts (anything but a list or tuple: empty).

    Attributes come from any integration; one that is not what it should be affects only
    what is read from it.
    """
    if isinstance(value, list | tuple):
        return tuple(str(item) for item in value)
    return ()


def climate_fact(hass: HomeAssistant, entity_id: str) -> ClimateFact:
    """Return a thermostat's mode and fan, and whether it has the one-request shutoff."""
    entry = er.async_get(hass).async_get(entity_id)
    shutoff = (
        entry is not None
        and entry.platform == VENSTAR_DOMAIN
        and hass.services.has_service(VENSTAR_DOMAIN, SHUTOFF_SERVICE)
    )
    state = hass.states.get(entity_id)
    if state is None or not is_known(state.state):
        return ClimateFact(mode=None, shutoff_service=shutoff)
    attributes = state.attributes
    fan = attributes.get("fan_mode")
    return ClimateFact(
        mode=state.state,
        fan=str(fan) if fan is not None else None,
        fan_modes=_texts(attributes.get("fan_modes")),
        hvac_modes=_texts(attributes.get("hvac_modes")),
        shutoff_service=shutoff,
    )


def state_of(hass: HomeAssistant, entity_id: str) -> str | None:
    """Return an entity's state (None when it does not exist)."""
    state = hass.states.get(entity_id)
    return state.state if state is not None else None


def friendly_name(hass: HomeAssistant, entity_id: str) -> str:
    """Return an entity's friendly name (its id when it has none)."""
    state = hass.states.get(entity_id)
    if state is not None and (name := state.attributes.get("friendly_name")):
        return str(name)
    return entity_id


class FriendlyNames(Mapping[str, str]):
    """Friendly names, looked up only when a message needs one."""

    def __init__(self, hass: HomeAssistant, entity_ids: Iterable[str]) -> None:
        """Cover ``entity_ids``."""
        self._hass = hass
        self._ids = tuple(entity_ids)

    def __getitem__(self, entity_id: str) -> str:
        """Return the name of a covered entity."""
        if entity_id not in self._ids:
            raise KeyError(entity_id)
        return friendly_name(self._hass, entity_id)

    def __iter__(self) -> Iterator[str]:
        """Iterate over the covered entities."""
        return iter(self._ids)

    def __len__(self) -> int:
        """Return how many entities are covered."""
        return len(self._ids)


def names_of(hass: HomeAssistant, entity_ids: Iterable[str]) -> dict[str, str]:
    """Return the friendly names of ``entity_ids`` (the id when there is none)."""
    return {entity_id: friendly_name(hass, entity_id) for entity_id in entity_ids}


class Isolated:
    """Read one entity on its own: whatever it holds, the others are still read."""

    def __init__(self, on_error: Callable[[str, Exception], None] | None) -> None:
        """Tell ``on_error`` about an entity that cannot be read."""
        self._on_error = on_error

    def __call__[T](self, entity_id: str, read: Callable[[], T], fallback: T) -> T:
        """Return ``read()``, or ``fallback`` when it raises."""
        try:
            return read()
        except Exception as err:  # noqa: BLE001 - one entity never stops the others
            if self._on_error is not None:
                self._on_error(entity_id, err)
            return fallback


def read_facts(
    hass: HomeAssistant,
    config: ResponseConfig,
    memory: Memory,
    owner: Owner,
    on_error: Callable[[str, Exception], None] | None = None,
    *,
    settled: datetime | None = None,
) -> Facts:
    """Read everything the decision needs, now.

    Each entity is read on its own: one that cannot be read (whatever it holds) is
    unknown, and every other entity is still read (``on_error`` is told).
    """
    isolated = Isolated(on_error)
    sensors = {
        entity_id: isolated(
            entity_id,
            partial(sensor_fact, hass, entity_id),
            SensorFact(None, Reading.UNKNOWN, entity_id),
        )
        for entity_id in config.alarm_sensors
    }
    lights_by_area: dict[str, tuple[str, ...]] = {}
    if config.area_lights:
        for entity_id, fact in sensors.items():
            known = memory.sensors.get(entity_id)
            if fact.reading is Reading.ON or (known is not None and known.on):
                lights_by_area[entity_id] = isolated(
                    entity_id, partial(area_lights, hass, entity_id), ()
                )
    lights = set(config.escape_lights)
    for found in lights_by_area.values():
        lights.update(found)
    return Facts(
        now=dt_util.utcnow(),
        sensors=sensors,
        someone_home=isolated(
            config.presence_zone, partial(someone_home, hass, config), False
        ),
        arrived_at=isolated(
            config.presence_zone, partial(arrived_at, hass, config, settled), None
        ),
        locks={lock: state_of(hass, lock) for lock in config.locks},
        lights={light: state_of(hass, light) for light in lights},
        climates={
            climate: isolated(
                climate, partial(climate_fact, hass, climate), ClimateFact(mode=None)
            )
            for climate in config.climates
        },
        switches={
            switch: state_of(hass, switch) for switch in config.schedule_switches
        },
        area_lights=lights_by_area,
        names=FriendlyNames(hass, (*config.locks, *config.climates, *lights)),
        owner=owner,
    )
