"""alarm_response.yaml driven by template smoke/CO sensors, lockable doors, lights and a thermostat."""

from __future__ import annotations

from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.climate import HVACMode
from homeassistant.const import EVENT_HOMEASSISTANT_STARTED
from homeassistant.core import CoreState, HomeAssistant, ServiceCall, State
from homeassistant.helpers import area_registry as ar, entity_registry as er
from homeassistant.setup import async_setup_component
from homeassistant.util.unit_system import US_CUSTOMARY_SYSTEM
import pytest
from pytest_homeassistant_custom_component.common import (
    async_get_persistent_notifications,
    async_mock_service,
    mock_restore_cache,
    setup_test_component_platform,
)

from .conftest import SetupBlueprint
from .entities import FakeLight, FakeLock, FakeThermostat
from .helpers import settle, tick

CLIMATE = "climate.living_room"
SMOKE = "binary_sensor.kitchen_smoke"
CO = "binary_sensor.hall_carbon_monoxide"
SMOKE_TEST = "binary_sensor.kitchen_smoke_alarm_test"
FRONT, BACK = "lock.front_door", "lock.back_door"
SNAPSHOT = "input_text.alarm_hvac_snapshot"


async def switch(hass: HomeAssistant, raw: str, on: bool) -> None:
    await hass.services.async_call(
        "input_boolean",
        "turn_on" if on else "turn_off",
        {"entity_id": f"input_boolean.{raw}"},
        blocking=True,
    )
    await settle(hass)


def state(hass: HomeAssistant, entity_id: str) -> Any:
    current = hass.states.get(entity_id)
    assert current is not None
    return current


class House:
    def __init__(
        self,
        thermostat: FakeThermostat,
        front: FakeLock,
        back: FakeLock,
        notify: list[ServiceCall],
    ) -> None:
        self.thermostat = thermostat
        self.front = front
        self.back = back
        self.notify = notify

    def messages(self) -> list[str]:
        return [str(call.data["message"]) for call in self.notify]


@pytest.fixture
async def house(
    hass: HomeAssistant,
    snapshot_before_restart: str | None,
    thermostat_mode: HVACMode,
) -> House:
    hass.config.units = US_CUSTOMARY_SYSTEM
    if snapshot_before_restart is not None:
        mock_restore_cache(hass, [State(SNAPSHOT, snapshot_before_restart)])
    thermostat = FakeThermostat("Living room", fan_mode="on", hvac_mode=thermostat_mode)
    front, back = FakeLock("Front door"), FakeLock("Back door")
    lights = [FakeLight("Hall"), FakeLight("Kitchen ceiling"), FakeLight("Bedroom")]
    setup_test_component_platform(hass, "climate", [thermostat])
    setup_test_component_platform(hass, "lock", [front, back])
    setup_test_component_platform(hass, "light", lights)
    for domain in ("climate", "lock", "light"):
        assert await async_setup_component(hass, domain, {domain: {"platform": "test"}})
    hass.states.async_set("device_tracker.alice_phone", "home", {"source_type": "gps"})
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
                }
            ]
        },
    )
    assert await async_setup_component(hass, "persistent_notification", {})
    assert await async_setup_component(
        hass,
        "input_boolean",
        {"input_boolean": {"smoke_raw": {}, "co_raw": {}, "smoke_test_raw": {}}},
    )
    assert await async_setup_component(
        hass,
        "input_text",
        # As the UI creates it: no initial value, so it is `unknown` until first written and
        # keeps its value across restarts.
        {"input_text": {"alarm_hvac_snapshot": {"max": 255}}},
    )
    assert await async_setup_component(
        hass,
        "template",
        {
            "template": [
                {
                    "binary_sensor": [
                        {
                            "name": "Kitchen smoke",
                            "unique_id": "kitchen_smoke",
                            "device_class": "smoke",
                            "state": "{{ is_state('input_boolean.smoke_raw', 'on') }}",
                        },
                        {
                            "name": "Hall carbon monoxide",
                            "unique_id": "hall_co",
                            "device_class": "carbon_monoxide",
                            "state": "{{ is_state('input_boolean.co_raw', 'on') }}",
                        },
                        {
                            "name": "Kitchen smoke alarm test",
                            "unique_id": "kitchen_smoke_test",
                            "device_class": "problem",
                            "state": "{{ is_state('input_boolean.smoke_test_raw', 'on') }}",
                        },
                    ]
                }
            ]
        },
    )
    await hass.async_block_till_done()
    kitchen = ar.async_get(hass).async_get_or_create("Kitchen")
    entities = er.async_get(hass)
    for entity_id in (SMOKE, "light.kitchen_ceiling"):
        entities.async_update_entity(entity_id, area_id=kitchen.id)
    notify = async_mock_service(hass, "notify", "family")
    await hass.async_block_till_done()
    return House(thermostat, front, back, notify)


def inputs(**extra: Any) -> dict[str, Any]:
    return {
        "alarm_sensors": [SMOKE, CO],
        "people": ["person.alice"],
        "locks": [FRONT, BACK],
        "unlock_attempts": 3,
        "unlock_verify_seconds": 10,
        "escape_lights": ["light.hall"],
        "climates": [CLIMATE],
        "snapshot_helper": SNAPSHOT,
        "clear_delay": 5,
        "notify_actions": ["notify.family"],
        **extra,
    }


async def test_smoke_with_people_home(
    hass: HomeAssistant,
    house: House,
    setup_blueprint: SetupBlueprint,
    logbook_calls: list[ServiceCall],
) -> None:
    await setup_blueprint("alarm_response.yaml", inputs())
    await switch(hass, "smoke_raw", True)

    assert state(hass, FRONT).state == "unlocked"
    assert state(hass, BACK).state == "unlocked"
    assert state(hass, "light.hall").state == "on"
    assert state(hass, "light.hall").attributes["brightness"] == 255
    assert state(hass, "light.kitchen_ceiling").state == "on"  # the alarm's area
    assert state(hass, "light.bedroom").state == "off"
    climate = state(hass, CLIMATE)
    assert (climate.state, climate.attributes["fan_mode"]) == ("off", "auto")
    assert state(hass, SNAPSHOT).state == "v1|co=0|climate.living_room,heat,on|"

    alarm, doors = house.messages()
    assert "Smoke detected: smoke at Kitchen smoke (Kitchen)." in alarm
    assert "HVAC is being turned off" in alarm
    assert "Unlocked: Front door, Back door." in doors
    assert sorted(call.data["entity_id"] for call in logbook_calls) == [BACK, FRONT]
    assert all("unlocked for escape" in call.data["message"] for call in logbook_calls)
    titles = [n["title"] for n in async_get_persistent_notifications(hass).values()]
    assert "Smoke alarm" in titles


async def test_smoke_with_nobody_home_keeps_doors_locked(
    hass: HomeAssistant, house: House, setup_blueprint: SetupBlueprint
) -> None:
    hass.states.async_set(
        "device_tracker.alice_phone", "not_home", {"source_type": "gps"}
    )
    await settle(hass)
    await setup_blueprint("alarm_response.yaml", inputs())
    await switch(hass, "smoke_raw", True)

    assert state(hass, FRONT).state == "locked"
    assert state(hass, BACK).state == "locked"
    assert house.front.unlock_calls == house.back.unlock_calls == 0
    assert state(hass, CLIMATE).state == "off"
    assert state(hass, "light.hall").state == "on"
    expected = (
        "Smoke detected: smoke at Kitchen smoke (Kitchen). HVAC is being turned off (fan auto). "
        "Nobody is home: doors stay locked."
    )
    assert house.messages() == [expected]


async def test_occupancy_entity_counts_as_someone_home(
    hass: HomeAssistant, house: House, setup_blueprint: SetupBlueprint
) -> None:
    hass.states.async_set(
        "device_tracker.alice_phone", "not_home", {"source_type": "gps"}
    )
    hass.states.async_set("binary_sensor.guest_room_occupancy", "on")
    await settle(hass)
    await setup_blueprint(
        "alarm_response.yaml",
        inputs(people=[], occupancy_entities=["binary_sensor.guest_room_occupancy"]),
    )
    await switch(hass, "smoke_raw", True)
    assert state(hass, FRONT).state == "unlocked"


async def test_co_turns_heating_off_and_never_restores(
    hass: HomeAssistant,
    house: House,
    setup_blueprint: SetupBlueprint,
    freezer: FrozenDateTimeFactory,
) -> None:
    await setup_blueprint("alarm_response.yaml", inputs())
    await switch(hass, "co_raw", True)

    climate = state(hass, CLIMATE)
    assert (climate.state, climate.attributes["fan_mode"]) == ("off", "on")
    assert (
        "Carbon monoxide detected: carbon monoxide at Hall carbon monoxide (an unknown room)."
        in house.messages()[0]
    )
    assert "a person must turn it back on" in house.messages()[0]
    assert state(hass, SNAPSHOT).state == "v1|co=1|climate.living_room,heat,on|"

    await switch(hass, "co_raw", False)
    await tick(hass, freezer, minutes=6)
    assert state(hass, CLIMATE).state == "off"
    assert "Heating stays OFF" in house.messages()[-1]
    assert state(hass, SNAPSHOT).state == ""


async def test_co_leaves_cooling_alone(
    hass: HomeAssistant, house: House, setup_blueprint: SetupBlueprint
) -> None:
    await hass.services.async_call(
        "climate",
        "set_hvac_mode",
        {"entity_id": CLIMATE, "hvac_mode": "cool"},
        blocking=True,
    )
    await setup_blueprint("alarm_response.yaml", inputs())
    await switch(hass, "co_raw", True)
    assert state(hass, CLIMATE).state == "cool"


async def test_smoke_alarm_test_does_nothing(
    hass: HomeAssistant,
    house: House,
    setup_blueprint: SetupBlueprint,
    logbook_calls: list[ServiceCall],
) -> None:
    # Even if a problem sensor (test / silenced / end-of-life) is chosen in YAML, it never acts.
    await setup_blueprint(
        "alarm_response.yaml", inputs(alarm_sensors=[SMOKE, CO, SMOKE_TEST])
    )
    await switch(hass, "smoke_test_raw", True)

    assert state(hass, SMOKE_TEST).state == "on"
    assert state(hass, FRONT).state == "locked"
    assert state(hass, CLIMATE).state == "heat"
    assert state(hass, "light.hall").state == "off"
    assert house.notify == []
    assert logbook_calls == []
    assert house.thermostat.calls == []


async def test_jammed_lock_does_not_delay_lights_or_hvac(
    hass: HomeAssistant,
    house: House,
    setup_blueprint: SetupBlueprint,
    freezer: FrozenDateTimeFactory,
    logbook_calls: list[ServiceCall],
) -> None:
    house.back.jam = True
    await setup_blueprint("alarm_response.yaml", inputs())
    await switch(hass, "smoke_raw", True)

    # Before any retry: everything else already acted.
    assert state(hass, "light.hall").state == "on"
    assert state(hass, CLIMATE).state == "off"
    assert state(hass, FRONT).state == "unlocked"
    assert (
        len(house.messages()) == 1
    )  # the alarm notice; the door report waits for the retries

    for _ in range(3):
        await tick(hass, freezer, seconds=11)
    assert house.back.unlock_calls == 3
    assert state(hass, BACK).state == "jammed"
    doors = house.messages()[-1]
    assert "Unlocked: Front door." in doors
    assert "FAILED to unlock: Back door" in doors
    failures = [c for c in logbook_calls if c.data["entity_id"] == BACK]
    assert len(failures) == 1
    assert "could NOT be unlocked after 3 attempts" in failures[0].data["message"]


async def start_with_smoke_on(
    hass: HomeAssistant, setup_blueprint: SetupBlueprint
) -> None:
    """Home Assistant starts while a detector already reports smoke."""
    await switch(hass, "smoke_raw", True)
    hass.set_state(CoreState.not_running)
    await setup_blueprint("alarm_response.yaml", inputs())
    hass.bus.async_fire(EVENT_HOMEASSISTANT_STARTED)
    hass.set_state(CoreState.running)
    await settle(hass)


async def test_restart_with_alarm_already_on(
    hass: HomeAssistant, house: House, setup_blueprint: SetupBlueprint
) -> None:
    await start_with_smoke_on(hass, setup_blueprint)

    assert state(hass, FRONT).state == "unlocked"
    assert state(hass, CLIMATE).state == "off"
    assert "Smoke detected: smoke at Kitchen smoke (Kitchen)." in house.messages()[0]


@pytest.mark.parametrize(
    ("snapshot_before_restart", "thermostat_mode"),
    [("v1|co=0|climate.living_room,heat,on|", HVACMode.OFF)],
)
async def test_restart_during_smoke_keeps_the_snapshot_and_restores_it(
    hass: HomeAssistant,
    house: House,
    setup_blueprint: SetupBlueprint,
    freezer: FrozenDateTimeFactory,
) -> None:
    """HA restarts while smoke is on: the HVAC already off is not saved over the real state."""
    assert state(hass, SNAPSHOT).state == "v1|co=0|climate.living_room,heat,on|"
    await start_with_smoke_on(hass, setup_blueprint)
    assert state(hass, FRONT).state == "unlocked"
    assert state(hass, SNAPSHOT).state == "v1|co=0|climate.living_room,heat,on|"

    await switch(hass, "smoke_raw", False)
    await tick(hass, freezer, minutes=6)
    climate = state(hass, CLIMATE)
    assert (climate.state, climate.attributes["fan_mode"]) == ("heat", "on")
    assert state(hass, SNAPSHOT).state == ""


async def test_new_snapshot_helper_is_written_on_the_first_alarm(
    hass: HomeAssistant, house: House, setup_blueprint: SetupBlueprint
) -> None:
    """A helper just created in the UI has no value (`unknown`); the first alarm fills it."""
    assert state(hass, SNAPSHOT).state == "unknown"
    await setup_blueprint("alarm_response.yaml", inputs())
    await switch(hass, "smoke_raw", True)
    assert state(hass, SNAPSHOT).state == "v1|co=0|climate.living_room,heat,on|"


async def test_reload_with_alarm_on_responds_again(
    hass: HomeAssistant, house: House, setup_blueprint: SetupBlueprint
) -> None:
    await setup_blueprint("alarm_response.yaml", inputs())
    await switch(hass, "co_raw", True)
    hass.bus.async_fire("automation_reloaded")
    await settle(hass)
    assert len([m for m in house.messages() if "Carbon monoxide detected" in m]) == 2


async def test_second_alarm_during_the_first_is_not_dropped(
    hass: HomeAssistant,
    house: House,
    setup_blueprint: SetupBlueprint,
    freezer: FrozenDateTimeFactory,
) -> None:
    house.back.jam = True  # keeps the first run busy retrying
    await setup_blueprint("alarm_response.yaml", inputs())
    await switch(hass, "smoke_raw", True)
    assert state(hass, "automation.under_test").attributes["current"] == 1

    await switch(hass, "co_raw", True)
    assert any("Carbon monoxide detected" in m for m in house.messages())
    # The snapshot from before the smoke is kept, and now remembers the CO.
    assert state(hass, SNAPSHOT).state == "v1|co=1|climate.living_room,heat,on|"

    for _ in range(3):
        await tick(hass, freezer, seconds=11)
    assert state(hass, "automation.under_test").attributes["current"] == 0


async def test_smoke_clears_and_hvac_is_restored(
    hass: HomeAssistant,
    house: House,
    setup_blueprint: SetupBlueprint,
    freezer: FrozenDateTimeFactory,
) -> None:
    await setup_blueprint("alarm_response.yaml", inputs())
    await switch(hass, "smoke_raw", True)
    assert state(hass, CLIMATE).state == "off"

    await switch(hass, "smoke_raw", False)
    await tick(hass, freezer, minutes=4)
    assert state(hass, CLIMATE).state == "off"  # not clear long enough
    await tick(hass, freezer, minutes=2)
    climate = state(hass, CLIMATE)
    assert (climate.state, climate.attributes["fan_mode"]) == ("heat", "on")
    assert climate.attributes["preset_mode"] == "home"  # presets untouched
    assert ("preset_mode", "home") not in house.thermostat.calls
    assert "HVAC restored: climate.living_room → heat → on." in house.messages()[-1]
    assert state(hass, SNAPSHOT).state == ""


async def test_without_snapshot_helper_nothing_is_restored(
    hass: HomeAssistant,
    house: House,
    setup_blueprint: SetupBlueprint,
    freezer: FrozenDateTimeFactory,
) -> None:
    await setup_blueprint("alarm_response.yaml", inputs(snapshot_helper=""))
    await switch(hass, "smoke_raw", True)
    await switch(hass, "smoke_raw", False)
    await tick(hass, freezer, minutes=6)
    assert state(hass, CLIMATE).state == "off"
