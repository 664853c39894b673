"""The blueprint configures the household's one response; turned off it stands down.

The automation holds no alarm logic: it hands its inputs and its own entity id to
``firstalert_zwave.configure_response`` on every trigger.
"""

from __future__ import annotations

from dataclasses import fields as dataclass_fields
import json
from pathlib import Path

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import entity_registry as er, issue_registry as ir
from homeassistant.setup import async_setup_component
from homeassistant.util.yaml import load_yaml
import pytest
import voluptuous as vol

from custom_components.firstalert_zwave.response.config import ResponseConfig
from custom_components.firstalert_zwave.response.const import DOMAIN
from custom_components.firstalert_zwave.response.runner import BACKOFF
from custom_components.firstalert_zwave.response.services import CONFIGURE_SCHEMA

from .house import (
    AUTOMATION,
    BACK,
    BLUEPRINTS,
    FRONT,
    HALLWAY,
    LIVING,
    House,
    advance,
    async_respond,
    automation_config,
    copy_blueprints,
    default_inputs,
    settle,
)


async def turn(hass: HomeAssistant, service: str, entity_id: str = AUTOMATION) -> None:
    await hass.services.async_call(
        "automation", service, {"entity_id": entity_id}, blocking=True
    )
    await settle(hass)


def test_the_blueprint_holds_no_logic_it_only_hands_over_its_inputs() -> None:
    blueprint = load_yaml(BLUEPRINTS / "alarm_response.yaml")
    (step,) = blueprint["actions"]
    assert step["action"] == "firstalert_zwave.configure_response"
    inputs = {
        key
        for section in blueprint["blueprint"]["input"].values()
        for key in section["input"]
    }
    assert set(step["data"]) == inputs | {"automation"}
    events = {t["event_type"] for t in blueprint["triggers"] if t["trigger"] == "event"}
    assert events == {"automation_reloaded", "firstalert_zwave_response_ready"}
    assert step["data"]["automation"] == "{{ this.entity_id }}"
    assert "snapshot_helper" not in inputs
    triggers = {trigger["trigger"] for trigger in blueprint["triggers"]}
    assert triggers == {"homeassistant", "event", "state", "time_pattern"}


def test_every_field_of_the_action_is_in_the_blueprint_the_ui_and_the_configuration() -> (
    None
):
    """A field the schema takes but the action's UI (or the blueprint) lacks is unusable."""
    integration = Path(__file__).resolve().parents[3] / "custom_components" / DOMAIN
    fields = {str(key) for key in CONFIGURE_SCHEMA.schema}
    described = load_yaml(integration / "services.yaml")["configure_response"]["fields"]
    translations = json.loads((integration / "translations" / "en.json").read_text())
    named = translations["services"]["configure_response"]["fields"]
    blueprint = load_yaml(BLUEPRINTS / "alarm_response.yaml")
    assert set(described) == fields
    assert set(named) == fields
    assert set(blueprint["actions"][0]["data"]) == fields
    assert fields == {item.name for item in dataclass_fields(ResponseConfig)}


async def test_the_automation_hands_over_every_input_and_itself(
    hass: HomeAssistant, responding: House
) -> None:
    config = responding.controller.config
    assert config is not None
    assert config == ResponseConfig.from_dict(
        {**default_inputs(), "automation": AUTOMATION}
    )


async def test_turning_the_automation_off_stands_the_response_down(
    hass: HomeAssistant, responding: House
) -> None:
    house = responding
    await turn(hass, "turn_off")
    await house.smoke()

    assert house.is_(FRONT) == "locked"
    assert house.is_(HALLWAY) == "off"
    assert house.thermostat(LIVING) == ("heat", "on")
    assert house.messages() == []

    await turn(hass, "turn_on")  # the alarm is still on: the response acts now
    assert house.is_(FRONT) == "unlocked"
    assert house.thermostat(LIVING) == ("off", "auto")
    assert house.said("Smoke detected") == 1


async def test_turning_it_off_during_an_alarm_stops_every_retry(
    hass: HomeAssistant, responding: House, freezer: FrozenDateTimeFactory
) -> None:
    house = responding
    house.back.jam()
    await house.smoke()
    await turn(hass, "turn_off")
    calls = house.back.unlock_calls
    await advance(hass, freezer, 5 * BACKOFF[-1], step=5)

    assert house.back.unlock_calls == calls
    assert house.controller.diagnostics()["running"] == []
    assert house.controller.diagnostics()["owner"] == "off"


async def test_deleting_the_automation_makes_the_response_forget_it(
    hass: HomeAssistant, responding: House
) -> None:
    house = responding
    er.async_get(hass).async_remove(AUTOMATION)
    hass.states.async_remove(AUTOMATION)
    await settle(hass)
    assert house.controller.config is None

    await house.smoke()
    assert house.is_(FRONT) == "locked"
    assert house.messages() == []


async def test_renaming_the_automation_keeps_the_response(
    hass: HomeAssistant, responding: House
) -> None:
    house = responding
    er.async_get(hass).async_update_entity(
        AUTOMATION, new_entity_id="automation.fire_plan"
    )
    await settle(hass)
    config = house.controller.config
    assert config is not None
    assert config.automation == "automation.fire_plan"
    await house.smoke()
    assert house.is_(FRONT) == "unlocked"


async def test_an_automation_gone_after_a_reload_stands_down_with_a_repair_issue(
    hass: HomeAssistant, house: House, tmp_path: Path
) -> None:
    await hass.services.async_call(
        DOMAIN,
        "configure_response",
        {**default_inputs(), "automation": "automation.alarm_response"},
        blocking=True,
    )
    await settle(hass)
    hass.bus.async_fire("automation_reloaded")  # … and it was not among them
    await settle(hass)
    issues = ir.async_get(hass)
    assert issues.async_get_issue(DOMAIN, "response_automation_missing") is not None

    await house.smoke()
    assert house.is_(FRONT) == "locked"

    await async_respond(hass, tmp_path, default_inputs())  # created again
    assert issues.async_get_issue(DOMAIN, "response_automation_missing") is None
    assert house.is_(FRONT) == "unlocked"


async def test_a_second_automation_is_refused_while_the_first_is_on(
    hass: HomeAssistant, house: House, tmp_path: Path
) -> None:
    copy_blueprints(hass, tmp_path)
    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": [
                automation_config(default_inputs()),
                automation_config(
                    default_inputs(locks=[FRONT]), automation_id="second_response"
                ),
            ]
        },
    )
    await hass.async_block_till_done()
    await turn(hass, "trigger", AUTOMATION)
    with pytest.raises(ServiceValidationError) as refused:
        await hass.services.async_call(
            DOMAIN,
            "configure_response",
            {**default_inputs(), "automation": "automation.second_response"},
            blocking=True,
        )
    assert refused.value.translation_key == "response_owned"
    issues = ir.async_get(hass)
    issue = issues.async_get_issue(DOMAIN, "response_duplicate")
    assert issue is not None
    assert issue.translation_placeholders == {
        "owner": AUTOMATION,
        "other": "automation.second_response",
    }
    config = house.controller.config
    assert config is not None
    assert config.locks == (FRONT, BACK)  # the first one's

    # The first is turned off: the second takes over on its next run.
    await turn(hass, "turn_off", AUTOMATION)
    await turn(hass, "trigger", "automation.second_response")
    config = house.controller.config
    assert config is not None
    assert config.automation == "automation.second_response"
    assert config.locks == (FRONT,)
    assert issues.async_get_issue(DOMAIN, "response_duplicate") is None


async def test_configure_is_refused_while_the_integration_is_not_loaded(
    hass: HomeAssistant, house: House
) -> None:
    assert house.entry is not None
    assert await hass.config_entries.async_unload(house.entry.entry_id)
    with pytest.raises(ServiceValidationError) as refused:
        await hass.services.async_call(
            DOMAIN, "configure_response", default_inputs(), blocking=True
        )
    assert refused.value.translation_key == "response_not_loaded"


@pytest.mark.parametrize(
    "bad",
    [
        {"alarm_sensors": "not an entity id"},
        {"notify_actions": ["notify"]},
        {"clear_delay": -1},
        {"unlock_attempts": 0},
        {"presence_zone": "person.alice"},
        {"automation": "script.alarm"},
        {"alarm_sensors": ["sensor.kitchen_smoke"]},
        {"locks": ["light.hallway"]},
        {"escape_lights": ["switch.living_room_schedule"]},
        {"climates": ["switch.heater"]},
        {"schedule_switches": ["climate.living_room"]},
        {"people": ["zone.home"]},
    ],
    ids=[
        "sensor",
        "notify",
        "clear_delay",
        "attempts",
        "zone",
        "automation",
        "a-sensor-that-is-not-a-binary-sensor",
        "a-light-among-the-locks",
        "a-switch-among-the-lights",
        "a-switch-among-the-thermostats",
        "a-thermostat-among-the-schedule-switches",
        "a-zone-among-the-residents",
    ],
)
async def test_configure_rejects_bad_inputs_and_keeps_the_configuration(
    hass: HomeAssistant, responding: House, bad: dict[str, object]
) -> None:
    before = responding.controller.config
    with pytest.raises(vol.Invalid):
        await hass.services.async_call(
            DOMAIN, "configure_response", {**default_inputs(), **bad}, blocking=True
        )
    assert responding.controller.config == before


async def test_configuring_twice_with_the_same_inputs_changes_nothing(
    hass: HomeAssistant, responding: House
) -> None:
    house = responding
    await house.smoke()
    version = house.controller.memory.version
    for _ in range(3):
        await turn(hass, "trigger")
    assert house.controller.memory.version == version
    assert house.said("Smoke detected") == 1


async def test_an_automation_created_before_the_integration_configures_it_once_it_starts(
    hass: HomeAssistant, house: House, tmp_path: Path
) -> None:
    assert house.entry is not None
    assert await hass.config_entries.async_unload(house.entry.entry_id)
    copy_blueprints(hass, tmp_path)
    assert await async_setup_component(
        hass, "automation", {"automation": [automation_config(default_inputs())]}
    )
    await hass.async_block_till_done()

    assert await hass.config_entries.async_setup(house.entry.entry_id)
    await settle(hass)
    config = house.controller.config
    assert config is not None
    assert config.automation == AUTOMATION


async def test_disabling_the_automation_stands_the_response_down(
    hass: HomeAssistant, responding: House
) -> None:
    house = responding
    er.async_get(hass).async_update_entity(
        AUTOMATION, disabled_by=er.RegistryEntryDisabler.USER
    )
    await settle(hass)
    hass.states.async_remove(
        AUTOMATION
    )  # what the automation integration does on reload
    await settle(hass)
    assert house.controller.diagnostics()["owner"] == "off"

    await house.smoke()
    assert house.is_(FRONT) == "locked"
    assert house.messages() == []
