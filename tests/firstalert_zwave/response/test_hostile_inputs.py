"""What the response is handed that it must survive: damaged saved state, garbage entities.

Whatever is on disk or in an entity's attributes, the household alarm and every other part
of the response keep working; only what is unreadable is left out.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.climate import (
    DATA_COMPONENT as CLIMATE_COMPONENT,
    ClimateEntity,
    ClimateEntityFeature,
    HVACMode,
)
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import entity_registry as er, issue_registry as ir
from homeassistant.helpers.entity_component import EntityComponent
import pytest

from custom_components.firstalert_zwave.response.config import MAX_CLEAR_DELAY
from custom_components.firstalert_zwave.response.const import DOMAIN
from custom_components.firstalert_zwave.response.lifecycle import DATA_CONTROLLERS
from custom_components.firstalert_zwave.response.runner import BACKOFF
from custom_components.firstalert_zwave.response.storage import STORAGE_KEY
from tests.firstalert_zwave.harness import ZwaveNetwork

from .conftest import unload
from .entities import ScriptedThermostat
from .house import (
    ALICE,
    AUTOMATION,
    BACK,
    FRONT,
    HALLWAY,
    HOUSEHOLD_CO,
    HOUSEHOLD_SMOKE,
    LIVING,
    PHONES,
    STAIRS,
    UPSTAIRS,
    House,
    advance,
    async_build_house,
    async_respond,
    default_inputs,
    settle,
)
from .test_scenarios import DOORS


def document(data: Any, *, version: int = 1) -> dict[str, Any]:
    """A stored document of the response, as Home Assistant keeps it."""
    return {"version": version, "minor_version": 1, "key": STORAGE_KEY, "data": data}


SMOKE_EPISODE = {"kinds": ["smoke"], "notified": ["smoke"], "home_seen": True}
DAMAGED = [
    pytest.param(document({}, version=2), id="a-newer-version"),
    pytest.param(document(["config", "memory"]), id="a-list"),
    pytest.param(
        document(
            {"config": {"alarm_sensors": [HOUSEHOLD_SMOKE], "clear_delay": 1e300}}
        ),
        id="an-absurd-clear-delay",
    ),
    pytest.param(
        document(
            {"config": {"alarm_sensors": [HOUSEHOLD_SMOKE], "clear_delay": "NaN"}}
        ),
        id="a-clear-delay-that-is-not-a-number",
    ),
    pytest.param(
        document(
            {
                "config": {"alarm_sensors": [HOUSEHOLD_SMOKE]},
                "memory": {
                    "episode": {
                        **SMOKE_EPISODE,
                        "started": "2025-01-01T00:00:00",
                        "clear_since": "2025-01-01T00:01:00",
                    }
                },
            }
        ),
        id="times-without-utc-offset",
    ),
    pytest.param(
        document({"config": {"alarm_sensors": 5}, "memory": {"sensors": 5}}),
        id="numbers-for-lists",
    ),
]


@pytest.mark.parametrize("stored", DAMAGED)
async def test_a_damaged_saved_state_never_stops_the_household_or_the_response(
    hass: HomeAssistant,
    *,
    zwave_network: ZwaveNetwork,
    hass_storage: dict[str, Any],
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    stored: dict[str, Any],
) -> None:
    hass_storage[STORAGE_KEY] = stored
    house = await async_build_house(hass, zwave_network)
    assert house.entry is not None
    assert house.entry.state is ConfigEntryState.LOADED
    config = house.controller.config
    if config is None:
        assert (
            "Stored alarm response state is unreadable, starting empty" in caplog.text
        )
    else:  # read, and held to what the action accepts
        assert config.clear_delay == timedelta(minutes=MAX_CLEAR_DELAY)
    assert house.controller.memory.episode is None

    await async_respond(hass, tmp_path, default_inputs())
    await house.smoke()

    assert house.is_(HOUSEHOLD_SMOKE) == "on"
    for door in DOORS:
        assert house.is_(door) == "unlocked"
    assert house.thermostat(LIVING) == ("off", "auto")
    assert house.said("Smoke detected") == 1
    await unload(hass, house)


class Unprintable:
    """An attribute value that cannot even be turned into text."""

    def __str__(self) -> str:
        raise RuntimeError("no text")

    __repr__ = __str__


async def test_an_entity_with_garbage_attributes_never_stops_the_rest_of_the_response(
    hass: HomeAssistant,
    zwave_network: ZwaveNetwork,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    house = await async_build_house(hass, zwave_network)
    await async_respond(
        hass, tmp_path, default_inputs(climates=[LIVING, UPSTAIRS, "climate.attic"])
    )
    # Another integration writes what it likes into its attributes.
    hass.states.async_set(
        UPSTAIRS, "heat", {"fan_modes": 5, "hvac_modes": 7, "fan_mode": "on"}
    )
    hass.states.async_set("climate.attic", "heat", {"fan_mode": Unprintable()})

    await house.smoke()

    for door in DOORS:
        assert house.is_(door) == "unlocked"
    assert house.is_(HALLWAY) == "on"
    assert house.thermostat(LIVING) == ("off", "auto")
    assert house.upstairs.calls[0] == ("hvac_mode", "off")  # its mode could be read
    assert house.said("Smoke detected") == 1
    assert (
        "Alarm response cannot read climate.attic (it counts as unknown): "
        "RuntimeError: no text"
    ) in caplog.text

    # The safety checkup reads the same entities: it still says what it can.
    result = await hass.services.async_call(
        "firstalert_zwave", "safety_checkup", {}, blocking=True, return_response=True
    )
    assert result is not None
    assert [run["kind"] for run in result["runs"]] == ["smoke", "co"]  # type: ignore[index]
    await unload(hass, house)


def checkup_issue(hass: HomeAssistant) -> str | None:
    """Return the problems the checkup's repair issue lists (None: no issue)."""
    issue = ir.async_get(hass).async_get_issue(DOMAIN, "response_checkup")
    if issue is None:
        return None
    assert issue.translation_placeholders is not None
    return issue.translation_placeholders["problems"]


async def test_a_renamed_alarm_sensor_raises_a_repair_issue_at_once(
    hass: HomeAssistant, responding: House
) -> None:
    """The automation still names the old ID: the response cannot see that sensor."""
    assert checkup_issue(hass) is None
    er.async_get(hass).async_update_entity(
        HOUSEHOLD_SMOKE, new_entity_id="binary_sensor.house_smoke"
    )
    await settle(hass)

    problems = checkup_issue(hass)
    assert problems is not None
    assert f"{HOUSEHOLD_SMOKE} does not exist." in problems

    # The automation is updated to the new ID: the issue goes away.
    await hass.services.async_call(
        DOMAIN,
        "configure_response",
        {
            **default_inputs(alarm_sensors=["binary_sensor.house_smoke", HOUSEHOLD_CO]),
            "automation": AUTOMATION,
        },
        blocking=True,
    )
    assert checkup_issue(hass) is None


async def test_a_configured_entity_that_exists_nowhere_at_start_raises_a_repair_issue(
    hass: HomeAssistant, house: House, tmp_path: Path
) -> None:
    """Renamed or deleted while Home Assistant was down."""
    await async_respond(hass, tmp_path, default_inputs(locks=[FRONT, "lock.garage"]))

    problems = checkup_issue(hass)
    assert problems is not None
    assert "lock.garage does not exist" in problems


class HeatPump(ScriptedThermostat):
    """A thermostat with neither an off mode nor fan modes (some heat pumps)."""

    _attr_hvac_modes = [HVACMode.HEAT, HVACMode.COOL]
    _attr_fan_modes = None
    _attr_supported_features = ClimateEntityFeature.TARGET_TEMPERATURE

    async def async_set_hvac_mode(self, hvac_mode: HVACMode) -> None:
        """Refuse a mode it does not have, as its integration would."""
        if hvac_mode not in self.hvac_modes:
            raise ServiceValidationError(f"{hvac_mode} is not a mode of {self.name}")
        await super().async_set_hvac_mode(hvac_mode)


async def test_a_thermostat_without_off_or_fan_modes_is_reported_and_holds_up_nothing(
    hass: HomeAssistant, house: House, tmp_path: Path, freezer: FrozenDateTimeFactory
) -> None:
    pump = HeatPump("Heat pump")
    component: EntityComponent[ClimateEntity] = hass.data[CLIMATE_COMPONENT]
    await component.async_add_entities([pump])
    await async_respond(
        hass, tmp_path, default_inputs(climates=[LIVING, "climate.heat_pump"])
    )

    await house.smoke()
    await advance(hass, freezer, BACKOFF[0] + BACKOFF[1] + 1, step=1)

    for door in DOORS:
        assert house.is_(door) == "unlocked"
    assert house.thermostat(LIVING) == ("off", "auto")
    assert house.is_("climate.heat_pump") == "heat"  # it cannot be switched off
    assert not [call for call in pump.calls if call[0] == "fan_mode"]
    assert house.said(
        "Could not turn off Heat pump after 3 attempts (ServiceValidationError"
    )


async def test_odd_but_valid_inputs_configure_the_response_they_mean(
    hass: HomeAssistant, house: House, tmp_path: Path
) -> None:
    """A single entity for a list, the same door twice, a template, empty lists."""
    await async_respond(
        hass,
        tmp_path,
        default_inputs(
            people=ALICE,
            locks=[FRONT, FRONT, BACK],
            escape_lights="{{ ['light.hallway', 'light.stairs'] }}",
            climates=[],
            schedule_switches=[],
            notify_actions="notify.alice_phone",
        ),
    )
    config = house.controller.config
    assert config is not None
    assert config.people == (ALICE,)
    assert config.locks == (FRONT, BACK)
    assert config.escape_lights == (HALLWAY, STAIRS)

    await house.smoke()

    for door in DOORS:
        assert house.is_(door) == "unlocked"
    assert house.back.unlock_calls == 1
    assert house.is_(STAIRS) == "on"
    assert house.thermostat(LIVING) == ("heat", "on")  # no thermostats chosen
    assert house.said("Smoke detected") == 1
    assert house.said("Smoke detected", PHONES[1]) == 0


async def test_a_failed_setup_leaves_no_response_running(
    hass: HomeAssistant, responding: House
) -> None:
    """A retry would otherwise start a second response beside the first."""
    house = responding
    assert house.entry is not None
    assert await hass.config_entries.async_unload(house.entry.entry_id)
    with patch.object(
        hass.config_entries,
        "async_forward_entry_setups",
        side_effect=RuntimeError("a platform failed"),
    ):
        assert not await hass.config_entries.async_setup(house.entry.entry_id)
    assert house.entry.state is ConfigEntryState.SETUP_ERROR
    assert not hass.data.get(DATA_CONTROLLERS)

    assert await hass.config_entries.async_reload(house.entry.entry_id)
    await settle(hass)
    await house.smoke()
    assert len(hass.data[DATA_CONTROLLERS]) == 1
    assert house.said("Smoke detected") == 1
