"""A house for the alarm response: real zwave_js detectors, doors, lights, thermostats, phones.

* Detectors: a ZCOMBO-G "Kitchen alarm" (node 3, area Kitchen) and a legacy ZCOMBO "Bedroom
  alarm" (node 4, area Bedroom) on HA's real zwave_js (tests/firstalert_zwave/harness.py),
  read through First Alert Z-Wave's household Smoke and Carbon monoxide entities.
* Doors: a template lock (front door, Home Assistant's own template platform) and a scripted
  lock (back door) that can raise, hang or jam.
* Lights: a template light (hallway) and scripted ones (stairs; kitchen ceiling and bedroom,
  in the detectors' areas).
* Thermostats: two scripted thermostats (living room, upstairs, heating, fan on) and the
  living room's schedule switch.
* People: Alice (home) and Bob (away), a guest-mode toggle.
* Phones: ``notify.alice_phone`` and ``notify.bob_phone`` record what they are sent; any
  other notify action can be registered to fail.

The response is configured the way a user does it: an automation from the blueprint.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
import shutil
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import Event, HomeAssistant, ServiceCall, State
from homeassistant.helpers import area_registry as ar, entity_registry as er
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
    async_fire_time_changed,
    async_get_persistent_notifications,
    setup_test_component_platform,
)

from custom_components.firstalert_zwave.response.controller import ResponseController
from custom_components.firstalert_zwave.response.lifecycle import DATA_CONTROLLERS
from tests.firstalert_zwave.harness import (
    CO_SENSOR,
    SMOKE_SENSOR,
    ZwaveNetwork,
    async_setup_firstalert,
    async_setup_zwave_js,
    zcombo_g_state,
    zcombo_state,
)

from .entities import (
    Failure,
    Scripted,
    ScriptedLight,
    ScriptedLock,
    ScriptedSwitch,
    ScriptedThermostat,
)

BLUEPRINTS = Path(__file__).resolve().parents[3] / "automations"
AUTHOR = "local_home_bridge"
AUTOMATION = "automation.alarm_response"

KITCHEN, BEDROOM = 3, 4
HOUSEHOLD_SMOKE = "binary_sensor.first_alert_household_smoke"
HOUSEHOLD_CO = "binary_sensor.first_alert_household_carbon_monoxide"
FRONT, BACK = "lock.front_door", "lock.back_door"
HALLWAY, STAIRS = "light.hallway", "light.stairs"
KITCHEN_LIGHT, BEDROOM_LIGHT = "light.kitchen_ceiling", "light.bedroom"
LIVING, UPSTAIRS = "climate.living_room", "climate.upstairs"
SCHEDULE = "switch.living_room_schedule"
ALICE, BOB = "person.alice", "person.bob"
GUEST = "input_boolean.guest_mode"
PHONES = ("notify.alice_phone", "notify.bob_phone")


async def settle(hass: HomeAssistant, rounds: int = 3) -> None:
    """Let every ready callback and task run (template scripts, eager actions, writes).

    Only yields to the loop: ``async_block_till_done`` would wait for a device call that
    a test makes hang.
    """
    for _ in range(rounds * 25):
        await asyncio.sleep(0)


async def advance(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    seconds: float,
    *,
    step: float = 1.0,
) -> None:
    """Move the clock forward in small steps, firing what becomes due at each step.

    A timer started by something that fired during the advance is itself fired when it
    becomes due later in the same advance (moving in one jump would skip it).
    """
    remaining = seconds
    while remaining > 1e-9:
        delta = min(step, remaining)
        freezer.tick(timedelta(seconds=delta))
        async_fire_time_changed(hass)
        await settle(hass, rounds=1)
        remaining -= delta


def default_inputs(**extra: Any) -> dict[str, Any]:
    """The blueprint inputs of the house (``extra`` overrides)."""
    return {
        "alarm_sensors": [HOUSEHOLD_SMOKE, HOUSEHOLD_CO],
        "people": [ALICE, BOB],
        "occupancy_entities": [GUEST],
        "locks": [FRONT, BACK],
        "unlock_attempts": 3,
        "unlock_verify_seconds": 10,
        "escape_lights": [HALLWAY, STAIRS],
        "area_lights": True,
        "climates": [LIVING, UPSTAIRS],
        "schedule_switches": [SCHEDULE],
        "clear_delay": 5,
        "notify_actions": list(PHONES),
        **extra,
    }


@dataclass
class House:
    """The house and what its residents see."""

    hass: HomeAssistant
    network: ZwaveNetwork
    back: ScriptedLock
    stairs: ScriptedLight
    kitchen_light: ScriptedLight
    living: ScriptedThermostat
    upstairs: ScriptedThermostat
    schedule: ScriptedSwitch
    sent: dict[str, list[ServiceCall]]
    logbook: list[Event[Any]]
    entry: MockConfigEntry | None = None

    # -- detectors ----------------------------------------------------------------------
    async def smoke(self, on: bool = True, node: int = KITCHEN) -> None:
        """A detector reports smoke (or its end)."""
        self.network.update(node, SMOKE_SENSOR, 2 if on else 0)
        await settle(self.hass)

    async def co(self, on: bool = True, node: int = KITCHEN) -> None:
        """A detector reports carbon monoxide (or its end)."""
        self.network.update(node, CO_SENSOR, 2 if on else 0)
        await settle(self.hass)

    # -- people -------------------------------------------------------------------------
    async def move(self, person: str, where: str) -> None:
        """Move a resident's phone tracker (``home`` / ``not_home``)."""
        tracker = f"device_tracker.{person.removeprefix('person.')}_phone"
        self.hass.states.async_set(tracker, where, {"source_type": "gps"})
        await settle(self.hass)

    async def toggle(self, entity_id: str, on: bool) -> None:
        """Switch an input_boolean."""
        await self.hass.services.async_call(
            "input_boolean",
            "turn_on" if on else "turn_off",
            {"entity_id": entity_id},
            blocking=True,
        )
        await settle(self.hass)

    # -- what is seen ---------------------------------------------------------------------
    def state(self, entity_id: str) -> State:
        """Return an entity's state (it must exist)."""
        found = self.hass.states.get(entity_id)
        assert found is not None, entity_id
        return found

    def is_(self, entity_id: str) -> str:
        """Return an entity's state string."""
        return self.state(entity_id).state

    def messages(self, phone: str = PHONES[0]) -> list[str]:
        """Return "title: message" of everything a phone received."""
        return [
            f"{call.data.get('title')}: {call.data['message']}"
            for call in self.sent.get(phone, [])
        ]

    def said(self, text: str, phone: str = PHONES[0]) -> int:
        """Return how many messages to a phone contain ``text``."""
        return sum(text in message for message in self.messages(phone))

    def notifications(self) -> dict[str, str]:
        """Return the persistent notifications: id → "title: message"."""
        return {
            key: f"{item['title']}: {item['message']}"
            for key, item in async_get_persistent_notifications(self.hass).items()
        }

    def logged(self, entity_id: str | None = None) -> list[str]:
        """Return the logbook messages the response wrote (about ``entity_id``)."""
        return [
            event.data["message"]
            for event in self.logbook
            if event.data.get("name") == "Alarm response"
            and (entity_id is None or event.data.get("entity_id") == entity_id)
        ]

    def thermostat(self, entity_id: str) -> tuple[str, str]:
        """Return (mode, fan) of a thermostat as Home Assistant shows it."""
        state = self.state(entity_id)
        return state.state, state.attributes["fan_mode"]

    @property
    def controller(self) -> ResponseController:
        """Return the household's response controller."""
        controllers = self.hass.data[DATA_CONTROLLERS]
        assert len(controllers) == 1
        return next(iter(controllers.values()))

    # -- phones -------------------------------------------------------------------------
    def phone(self, name: str, failure: Failure = None) -> Scripted:
        """Register a notify action that records, or fails (``fail``) on every call."""
        target = Scripted()
        target.calls = []
        target.fail = failure

        async def handle(call: ServiceCall) -> None:
            await target._act("notify", call.data.get("title"))
            self.sent.setdefault(f"notify.{name}", []).append(call)

        self.hass.services.async_register("notify", name, handle)
        return target


async def async_build_house(
    hass: HomeAssistant,
    network: ZwaveNetwork,
    *,
    alarm: Iterable[tuple[int, tuple[int, str, str], int]] = (),
    back: Callable[[], ScriptedLock] | None = None,
) -> House:
    """Build the house with its entities; the detectors report ``alarm`` values at start."""
    values: dict[int, dict[tuple[int, str, str], int]] = {KITCHEN: {}, BEDROOM: {}}
    for node, key, value in alarm:
        values[node][key] = value
    network.add(
        zcombo_g_state(
            KITCHEN, name="Kitchen alarm", location="Kitchen", values=values[KITCHEN]
        ),
        zcombo_state(
            BEDROOM, name="Bedroom alarm", location="Bedroom", values=values[BEDROOM]
        ),
    )
    back_lock = back() if back else ScriptedLock("Back door")
    stairs, kitchen_light = ScriptedLight("Stairs"), ScriptedLight("Kitchen ceiling")
    bedroom_light = ScriptedLight("Bedroom")
    living, upstairs = ScriptedThermostat("Living room"), ScriptedThermostat("Upstairs")
    schedule = ScriptedSwitch("Living room schedule")
    setup_test_component_platform(hass, "lock", [back_lock])
    setup_test_component_platform(hass, "light", [stairs, kitchen_light, bedroom_light])
    setup_test_component_platform(hass, "climate", [living, upstairs])
    setup_test_component_platform(hass, "switch", [schedule])
    assert await async_setup_component(hass, "persistent_notification", {})
    assert await async_setup_component(
        hass,
        "input_boolean",
        {
            "input_boolean": {
                "front_door_locked": {"initial": True},
                "hallway_light": {"initial": False},
                "guest_mode": {"initial": False},
            }
        },
    )
    for domain, config in (
        (
            "lock",
            [
                {"platform": "test"},
                {
                    "platform": "template",
                    "name": "Front door",
                    "unique_id": "front_door",
                    "value_template": "{{ is_state('input_boolean.front_door_locked', 'on') }}",
                    "lock": {
                        "action": "input_boolean.turn_on",
                        "target": {"entity_id": "input_boolean.front_door_locked"},
                    },
                    "unlock": {
                        "action": "input_boolean.turn_off",
                        "target": {"entity_id": "input_boolean.front_door_locked"},
                    },
                },
            ],
        ),
        (
            "light",
            [
                {"platform": "test"},
                {
                    "platform": "template",
                    "lights": {
                        "hallway": {
                            "friendly_name": "Hallway",
                            "unique_id": "hallway",
                            "value_template": "{{ is_state('input_boolean.hallway_light', 'on') }}",
                            "turn_on": {
                                "action": "input_boolean.turn_on",
                                "target": {"entity_id": "input_boolean.hallway_light"},
                            },
                            "turn_off": {
                                "action": "input_boolean.turn_off",
                                "target": {"entity_id": "input_boolean.hallway_light"},
                            },
                        }
                    },
                },
            ],
        ),
        ("climate", [{"platform": "test"}]),
        ("switch", [{"platform": "test"}]),
    ):
        assert await async_setup_component(hass, domain, {domain: config})
    hass.states.async_set("device_tracker.alice_phone", "home", {"source_type": "gps"})
    hass.states.async_set(
        "device_tracker.bob_phone", "not_home", {"source_type": "gps"}
    )
    assert await async_setup_component(hass, "zone", {})
    assert await async_setup_component(
        hass,
        "person",
        {
            "person": [
                {
                    "id": "alice",
                    "name": "Alice",
                    "device_trackers": ["device_tracker.alice_phone"],
                },
                {
                    "id": "bob",
                    "name": "Bob",
                    "device_trackers": ["device_tracker.bob_phone"],
                },
            ]
        },
    )
    await hass.async_block_till_done()
    areas = ar.async_get(hass)
    entities = er.async_get(hass)
    entities.async_update_entity(
        KITCHEN_LIGHT, area_id=areas.async_get_or_create("Kitchen").id
    )
    entities.async_update_entity(
        BEDROOM_LIGHT, area_id=areas.async_get_or_create("Bedroom").id
    )
    house = House(
        hass=hass,
        network=network,
        back=back_lock,
        stairs=stairs,
        kitchen_light=kitchen_light,
        living=living,
        upstairs=upstairs,
        schedule=schedule,
        sent={},
        logbook=async_capture_events(hass, "logbook_entry"),
    )
    house.phone("alice_phone")
    house.phone("bob_phone")
    await async_setup_zwave_js(hass, network)
    house.entry = await async_setup_firstalert(hass)
    await settle(hass)
    return house


def copy_blueprints(hass: HomeAssistant, config_dir: Path) -> None:
    """Put the repository's blueprints where Home Assistant loads them from."""
    target = config_dir / "blueprints" / "automation" / AUTHOR
    target.mkdir(parents=True, exist_ok=True)
    for blueprint in BLUEPRINTS.glob("*.yaml"):
        shutil.copy(blueprint, target / blueprint.name)
    hass.config.config_dir = str(config_dir)


def automation_config(
    inputs: dict[str, Any], *, automation_id: str = "alarm_response"
) -> dict[str, Any]:
    """One automation from the alarm response blueprint."""
    return {
        "id": automation_id,
        "alias": automation_id.replace("_", " ").capitalize(),
        "use_blueprint": {
            "path": f"{AUTHOR}/alarm_response.yaml",
            "input": inputs,
        },
    }


async def async_respond(
    hass: HomeAssistant, config_dir: Path, inputs: dict[str, Any]
) -> str:
    """Create the automation as the UI does (automations reload), and let it run once."""
    copy_blueprints(hass, config_dir)
    assert await async_setup_component(
        hass, "automation", {"automation": [automation_config(inputs)]}
    )
    await hass.async_block_till_done()
    state = hass.states.get(AUTOMATION)
    assert state is not None
    assert state.state == "on", state.attributes
    hass.bus.async_fire("automation_reloaded")
    await settle(hass)
    return AUTOMATION
