"""The inputs the presence eco blueprint hands over, validated once into one frozen object.

The blueprint passes its inputs unchanged (empty entity inputs arrive as ""), so this schema is
the one place that knows their shape; the controller only ever sees `PresenceConfig`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from homeassistant.helpers import config_validation as cv
import voluptuous as vol

from .model import Setting, Timing

ATTR_AUTOMATION = "automation"
ATTR_CLIMATE = "climate_entity"
ATTR_TRAVELLERS = "travellers"

# Setpoint inputs per setting: (heat, cool), in Home Assistant's temperature unit.
SETPOINT_INPUTS: dict[Setting, tuple[str, str]] = {
    Setting.HOME: ("home_heat_temperature", "home_cool_temperature"),
    Setting.AWAY: ("eco_heat_temperature", "eco_cool_temperature"),
    Setting.VACATION: ("vacation_heat_temperature", "vacation_cool_temperature"),
}
PRESET_INPUTS: dict[Setting, tuple[str, str]] = {
    Setting.HOME: ("home_preset", "home"),
    Setting.AWAY: ("away_preset", "away"),
    Setting.VACATION: ("vacation_preset", "away"),
}


def _optional_entity(domain: str | None = None) -> Any:
    """Accept an entity id, or nothing ("" / None from an empty blueprint input)."""
    check = cv.entity_domain(domain) if domain else cv.entity_id
    return vol.Any(vol.All(vol.In(("", None)), lambda _: None), check)


def _optional_number(value: Any) -> float | None:
    if value in (None, ""):
        return None
    return float(vol.Coerce(float)(value))


def _or_default(default: Any, check: Any) -> Any:
    """Accept a value for `check`, or nothing (a field cleared in the UI, an empty YAML key)."""

    def validate(value: Any) -> Any:
        return default if value is None or value == "" else check(value)

    return validate


_MINUTES = vol.All(vol.Coerce(float), vol.Range(min=0, max=7 * 24 * 60))
_SECONDS = vol.All(vol.Coerce(float), vol.Range(min=0, max=24 * 3600))

TRAVELLER_SCHEMA = vol.Schema(
    {
        vol.Optional("person", default=None): _optional_entity("person"),
        vol.Optional("travel_time", default=None): _optional_entity("sensor"),
        vol.Optional("distance", default=None): _optional_entity("sensor"),
        vol.Optional("direction", default=None): _optional_entity("sensor"),
    }
)

_FIELDS: dict[Any, Any] = {
    vol.Required(ATTR_AUTOMATION): cv.entity_domain("automation"),
    vol.Required(ATTR_CLIMATE): cv.entity_domain("climate"),
    **{
        vol.Optional(key, default=default): cv.string
        for key, default in PRESET_INPUTS.values()
    },
    **{
        vol.Optional(key, default=None): _optional_number
        for pair in SETPOINT_INPUTS.values()
        for key in pair
    },
    vol.Optional("people", default=[]): vol.All(
        cv.ensure_list, [cv.entity_domain("person")]
    ),
    vol.Optional("presence_zone", default="zone.home"): _or_default(
        "zone.home", cv.entity_domain("zone")
    ),
    vol.Optional("away_delay", default=30): _or_default(30.0, _MINUTES),
    vol.Optional("arrival_delay", default=0): _or_default(0.0, _SECONDS),
    vol.Optional(ATTR_TRAVELLERS, default=[]): vol.All(
        cv.ensure_list, [TRAVELLER_SCHEMA]
    ),
    vol.Optional("assumed_speed", default=40): _or_default(
        40.0, vol.All(vol.Coerce(float), vol.Range(min=1, max=300))
    ),
    vol.Optional("time_to_temperature_sensor", default=None): _optional_entity(
        "sensor"
    ),
    vol.Optional("default_preheat_minutes", default=30): _or_default(30.0, _MINUTES),
    vol.Optional("preheat_margin", default=10): _or_default(10.0, _MINUTES),
    vol.Optional("heading_confirm", default=60): _or_default(60.0, _SECONDS),
    vol.Optional("drive_by_window", default=30): _or_default(30.0, _MINUTES),
    vol.Optional("guest_entities", default=[]): _or_default([], cv.entity_ids),
    vol.Optional("vacation_entities", default=[]): _or_default([], cv.entity_ids),
    vol.Optional("manual_grace", default=60): _or_default(60.0, _MINUTES),
    vol.Optional("log_to_logbook", default=True): _or_default(True, cv.boolean),
}
PRESENCE_SCHEMA = vol.Schema(_FIELDS)


@dataclass(frozen=True, slots=True)
class Traveller:
    """One resident's own travel estimate and direction (each optional)."""

    person: str
    travel_time: str | None = None
    distance: str | None = None
    direction: str | None = None


@dataclass(frozen=True, slots=True)
class PresenceConfig:
    """One automation's presence eco configuration."""

    automation: str
    climate: str
    presets: dict[Setting, str] = field(default_factory=dict)
    setpoints: dict[Setting, tuple[float | None, float | None]] = field(
        default_factory=dict
    )
    people: tuple[str, ...] = ()
    zone: str = "zone.home"
    travellers: tuple[Traveller, ...] = ()
    assumed_speed: float = 40.0
    time_to_temperature: str | None = None
    timing: Timing = field(default_factory=Timing)
    guests: tuple[str, ...] = ()
    vacation: tuple[str, ...] = ()
    logbook: bool = True
    # Numbers (from 1) of traveller sections with sensors but no person: not followed.
    orphan_travellers: tuple[int, ...] = ()

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> PresenceConfig:
        """Build from data already validated by `PRESENCE_SCHEMA`."""
        travellers = tuple(
            Traveller(
                person=item["person"],
                travel_time=item["travel_time"],
                distance=item["distance"],
                direction=item["direction"],
            )
            for item in data[ATTR_TRAVELLERS]
            if item["person"]
        )
        return cls(
            automation=data[ATTR_AUTOMATION],
            climate=data[ATTR_CLIMATE],
            presets={setting: data[key] for setting, (key, _) in PRESET_INPUTS.items()},
            setpoints={
                setting: (data[heat], data[cool])
                for setting, (heat, cool) in SETPOINT_INPUTS.items()
            },
            # A traveller is a resident too (when residents are listed; none = everyone).
            people=tuple(
                dict.fromkeys([*data["people"], *(t.person for t in travellers)])
            )
            if data["people"]
            else (),
            zone=data["presence_zone"],
            travellers=travellers,
            assumed_speed=data["assumed_speed"],
            time_to_temperature=data["time_to_temperature_sensor"],
            timing=Timing(
                away_delay=data["away_delay"] * 60,
                arrival_delay=data["arrival_delay"],
                heading_confirm=data["heading_confirm"],
                drive_by_window=data["drive_by_window"] * 60,
                manual_grace=data["manual_grace"] * 60,
                default_preheat=data["default_preheat_minutes"],
                preheat_margin=data["preheat_margin"],
            ),
            guests=tuple(data["guest_entities"]),
            vacation=tuple(data["vacation_entities"]),
            logbook=data["log_to_logbook"],
            orphan_travellers=tuple(
                number
                for number, item in enumerate(data[ATTR_TRAVELLERS], start=1)
                if not item["person"]
                and any(item[key] for key in ("travel_time", "distance", "direction"))
            ),
        )

    def fact_entities(self) -> set[str]:
        """Every entity whose state is a fact (people are added separately when 'all')."""
        entities = {self.zone, self.climate, *self.people, *self.guests, *self.vacation}
        for traveller in self.travellers:
            entities.add(traveller.person)
            entities.update(
                entity
                for entity in (
                    traveller.travel_time,
                    traveller.distance,
                    traveller.direction,
                )
                if entity
            )
        if self.time_to_temperature:
            entities.add(self.time_to_temperature)
        return entities
