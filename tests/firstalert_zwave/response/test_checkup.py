"""The safety checkup: a dry run of the response for smoke and CO now, nothing switched."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.firstalert_zwave.response.const import DOMAIN

from .house import (
    ALICE,
    AUTOMATION,
    BACK,
    FRONT,
    HALLWAY,
    LIVING,
    UPSTAIRS,
    House,
    async_respond,
    default_inputs,
    settle,
)

BUTTON = "button.first_alert_household_alarm_response_safety_checkup"
NOTIFICATION = "firstalert_zwave_safety_checkup"


async def checkup(hass: HomeAssistant) -> dict[str, Any]:
    result = await hass.services.async_call(
        DOMAIN, "safety_checkup", {}, blocking=True, return_response=True
    )
    assert result is not None
    return result


def steps(report: dict[str, Any], kind: str, part: str) -> dict[str, tuple[str, Any]]:
    (run,) = [run for run in report["runs"] if run["kind"] == kind]
    return {step["target"]: (step["action"], step["problem"]) for step in run[part]}


async def test_the_checkup_says_what_smoke_and_co_would_do_and_switches_nothing(
    hass: HomeAssistant, responding: House
) -> None:
    house = responding
    await hass.services.async_call(
        "button", "press", {"entity_id": BUTTON}, blocking=True
    )
    await settle(hass)

    text = house.notifications()[NOTIFICATION]
    assert text.startswith("Alarm response safety checkup: **Smoke alarm now**")
    assert "someone is home: these doors would be unlocked." in text
    assert "**No problems found.**" in text
    assert "Nothing was switched" in text
    for door in (FRONT, BACK):
        assert house.is_(door) == "locked"
    assert house.is_(HALLWAY) == "off"
    assert house.thermostat(LIVING) == ("heat", "on")
    assert house.messages() == []
    assert house.living.calls == []

    report = await checkup(hass)
    assert report["problems"] == []
    assert report["configured_by"] == AUTOMATION
    assert steps(report, "smoke", "doors") == {
        FRONT: ("unlock", None),
        BACK: ("unlock", None),
    }
    assert steps(report, "smoke", "thermostats")[LIVING] == (
        "off, fan auto (climate.set_hvac_mode, climate.set_fan_mode)",
        None,
    )
    assert steps(report, "co", "thermostats")[UPSTAIRS] == (
        "heating off (climate.set_hvac_mode)",
        None,
    )
    # The household sensor has no area of its own: its detectors' areas show in an alarm.
    assert set(steps(report, "smoke", "lights")) == {HALLWAY, "light.stairs"}
    assert "area of the detector in alarm" in text
    assert set(steps(report, "co", "notify")) == {
        "notify.alice_phone",
        "notify.bob_phone",
        "persistent_notification",
    }
    assert ir.async_get(hass).async_get_issue(DOMAIN, "response_checkup") is None


async def test_a_problem_found_raises_a_repair_issue_that_clears_once_fixed(
    hass: HomeAssistant, house: House, tmp_path: Path
) -> None:
    inputs = default_inputs(
        notify_actions=["notify.alice_phone", "notify.old_phone"],
        locks=[FRONT, BACK],
    )
    await async_respond(hass, tmp_path, inputs)
    house.back.set_available(False)
    await house.move(ALICE, "not_home")

    report = await checkup(hass)

    assert report["problems"] == [
        "Back door (lock.back_door) is unavailable",
        "notify.old_phone is not an existing action or entity",
    ]
    assert steps(report, "smoke", "doors")[FRONT] == (
        "unlock once someone is home",
        None,
    )
    issue = ir.async_get(hass).async_get_issue(DOMAIN, "response_checkup")
    assert issue is not None
    assert issue.translation_placeholders == {
        "problems": "- Back door (lock.back_door) is unavailable\n"
        "- notify.old_phone is not an existing action or entity"
    }
    assert "nobody is home now" in house.notifications()[NOTIFICATION]

    # Fixed: the lock is back and the old phone is gone from the automation.
    house.back.set_available(True)
    house.phone("old_phone")
    await hass.services.async_call(
        "automation", "trigger", {"entity_id": AUTOMATION}, blocking=True
    )
    await settle(hass)
    assert ir.async_get(hass).async_get_issue(DOMAIN, "response_checkup") is None


async def test_the_checkup_names_what_would_not_work(
    hass: HomeAssistant, house: House, tmp_path: Path
) -> None:
    hass.states.async_set(
        "binary_sensor.smoke_test", "off", {"device_class": "problem"}
    )
    hass.states.async_set(
        "climate.old", "heat", {"hvac_modes": ["heat"], "fan_modes": ["low"]}
    )
    await async_respond(
        hass,
        tmp_path,
        default_inputs(
            alarm_sensors=[
                "binary_sensor.first_alert_household_smoke",
                "binary_sensor.smoke_test",
                "binary_sensor.gone",
            ],
            climates=[LIVING, "climate.old", "climate.gone"],
            escape_lights=["light.gone"],
            schedule_switches=["switch.gone"],
            people=["person.alice", "person.gone"],
        ),
    )
    await hass.services.async_call(
        "automation", "turn_off", {"entity_id": AUTOMATION}, blocking=True
    )
    report = await checkup(hass)

    assert report["problems"] == [
        f"{AUTOMATION} is off: the response stands down.",
        (
            "binary_sensor.smoke_test is not a smoke or carbon monoxide "
            "sensor: it never raises an alarm."
        ),
        "binary_sensor.gone does not exist.",
        "person.gone does not exist: it never counts as home.",
        "switch.gone does not exist: no schedule to turn back on.",
        "light.gone does not exist",
        "climate.old has no off mode",
        "climate.gone does not exist",
    ]


async def test_the_checkup_before_the_response_is_configured(
    hass: HomeAssistant, house: House
) -> None:
    report = await checkup(hass)
    assert report["problems"] == [
        (
            "The alarm response is not configured: create an automation from the Smoke / "
            "CO alarm response blueprint."
        )
    ]
    assert ir.async_get(hass).async_get_issue(DOMAIN, "response_checkup") is not None


async def test_diagnostics_show_the_response_and_its_last_checkup(
    hass: HomeAssistant, responding: House, hass_client: ClientSessionGenerator
) -> None:
    house = responding
    await house.smoke()
    await checkup(hass)
    assert await async_setup_component(hass, "diagnostics", {})
    assert house.entry is not None
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, house.entry)

    response = diagnostics["response"]
    assert response["owner"] == "active"
    assert response["config"]["locks"] == [FRONT, BACK]
    assert response["config"]["people"] == "**REDACTED**"
    assert response["memory"]["episode"]["kinds"] == ["smoke"]
    assert response["last_checkup"]["problems"] == []
    assert "Alice" not in str(response)
    assert "Kitchen" not in str(response)
