"""Time to the home temperature: defaults, learning from real heating, away, persistence."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.climate import DOMAIN as CLIMATE_DOMAIN
from homeassistant.const import ATTR_ENTITY_ID, STATE_UNKNOWN
from homeassistant.core import HomeAssistant
from homeassistant.util.unit_system import US_CUSTOMARY_SYSTEM
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.venstar_local.const import DOMAIN
from emulators.venstar import VenstarEmulator

from .conftest import ENTRY_ID

TTT = "sensor.colortouch_time_to_home_temperature"
STORE_KEY = f"{DOMAIN}.{ENTRY_ID}.recovery"


async def _setup(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    hass.config.units = US_CUSTOMARY_SYSTEM
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()


async def _poll(
    hass: HomeAssistant,
    emulator: VenstarEmulator,
    freezer: FrozenDateTimeFactory,
    times: int = 1,
) -> None:
    """A poll interval passes for both the thermostat and HA, then HA polls (`times` over)."""
    for _ in range(times):
        emulator.advance(60)
        freezer.tick(timedelta(seconds=60))
        async_fire_time_changed(hass)
        await hass.async_block_till_done(wait_background_tasks=True)


async def _setup_heating_house(
    hass: HomeAssistant, emulator: VenstarEmulator, entry: MockConfigEntry
) -> None:
    """A fast furnace (12 °F/h) that has 6 °F to go to the 74 °F home setpoint."""
    emulator.heat_rate = 12.0
    emulator.state.spacetemp = 68.0
    emulator.state.heattemp = 74.0
    await _setup(hass, entry)


def _attrs(hass: HomeAssistant) -> dict[str, Any]:
    state = hass.states.get(TTT)
    assert state is not None
    return dict(state.attributes)


async def test_default_rate_before_learning(
    hass: HomeAssistant, emulator: VenstarEmulator, config_entry: MockConfigEntry
) -> None:
    emulator.state.heattemp = 75.0
    await _setup(hass, config_entry)
    # 71 °F to 75 °F at the default 4 °F per hour.
    assert hass.states.get(TTT).state == "60.0"
    assert _attrs(hass)["target_temperature"] == 75.0
    assert _attrs(hass)["learned_heating_runs"] == 0


async def test_cooling_estimate_and_off(
    hass: HomeAssistant, emulator: VenstarEmulator, config_entry: MockConfigEntry
) -> None:
    emulator.state.mode = 2
    emulator.state.cooltemp = 68.0
    await _setup(hass, config_entry)
    # 71 °F down to 68 °F at the default 3 °F per hour.
    assert hass.states.get(TTT).state == "60.0"

    await hass.services.async_call(
        CLIMATE_DOMAIN,
        "turn_off",
        {ATTR_ENTITY_ID: "climate.colortouch"},
        blocking=True,
    )
    assert hass.states.get(TTT).state == STATE_UNKNOWN


async def test_auto_mode_targets_nearest_setpoint(
    hass: HomeAssistant, emulator: VenstarEmulator, config_entry: MockConfigEntry
) -> None:
    emulator.state.mode = 3
    emulator.state.heattemp = 73.0
    emulator.state.cooltemp = 78.0
    await _setup(hass, config_entry)
    assert _attrs(hass)["target_temperature"] == 73.0
    assert hass.states.get(TTT).state == "30.0"


async def test_learns_from_heating_and_remembers_home_setpoint(
    hass: HomeAssistant,
    emulator: VenstarEmulator,
    config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    hass_storage: dict[str, Any],
) -> None:
    await _setup_heating_house(hass, emulator, config_entry)
    assert hass.states.get("climate.colortouch").attributes["hvac_action"] == "heating"

    # Heat until the thermostat is satisfied, plus a few idle polls to close the run.
    await _poll(hass, emulator, freezer, times=35)
    assert emulator.state.state == 0
    attrs = _attrs(hass)
    assert attrs["learned_heating_runs"] == 1
    assert 9.0 < attrs["heat_rate"] < 15.0
    assert hass.states.get(TTT).state == "0.0"

    # Away lowers the setpoint; the estimate still aims at the home setpoint.
    await hass.services.async_call(
        CLIMATE_DOMAIN,
        "set_preset_mode",
        {ATTR_ENTITY_ID: "climate.colortouch", "preset_mode": "away"},
        blocking=True,
    )
    emulator.state.heattemp = 62.0
    emulator.state.spacetemp = 68.0
    await _poll(hass, emulator, freezer)
    assert _attrs(hass)["target_temperature"] == 74.0
    minutes = float(hass.states.get(TTT).state)
    assert minutes == round((74.0 - 68.0) / attrs["heat_rate"] * 60, 1)

    # Learned rate and home setpoint survive a reload.
    assert await hass.config_entries.async_unload(config_entry.entry_id)
    stored = hass_storage[STORE_KEY]["data"]
    assert stored["learner"]["heat_samples"] == 1
    assert stored["home"] == {"heat": 74.0, "cool": 74.0}
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    assert _attrs(hass)["learned_heating_runs"] == 1
    assert _attrs(hass)["target_temperature"] == 74.0


async def test_learned_state_is_saved_while_polling_goes_on(
    hass: HomeAssistant,
    emulator: VenstarEmulator,
    config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    hass_storage: dict[str, Any],
) -> None:
    """A crash must not lose the day's learning: polls every minute do not postpone the write."""
    await _setup_heating_house(hass, emulator, config_entry)
    assert STORE_KEY not in hass_storage

    # 35 minutes of heating until satisfied, then idle; no unload.
    await _poll(hass, emulator, freezer, times=35)
    assert _attrs(hass)["learned_heating_runs"] == 1
    # Within one save delay (300 s = 5 polls) the learned run is in storage.
    await _poll(hass, emulator, freezer, times=6)
    stored = hass_storage[STORE_KEY]["data"]
    assert stored["learner"]["heat_samples"] == 1
    assert stored["home"] == {"heat": 74.0, "cool": 74.0}


async def test_polls_that_teach_nothing_write_nothing(
    hass: HomeAssistant,
    emulator: VenstarEmulator,
    config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    hass_storage: dict[str, Any],
) -> None:
    """Storage is written for what changed (a new home setpoint), not for every poll."""
    emulator.state.mode = 0  # off: no run to learn from
    emulator.state.heattemp = 71.0
    await _setup(hass, config_entry)
    await _poll(hass, emulator, freezer, times=6)
    assert hass_storage[STORE_KEY]["data"]["home"] == {"heat": 71.0, "cool": 74.0}

    del hass_storage[STORE_KEY]
    await _poll(hass, emulator, freezer, times=30)
    assert STORE_KEY not in hass_storage

    emulator.state.heattemp = 70.0
    await _poll(hass, emulator, freezer, times=6)
    assert hass_storage[STORE_KEY]["data"]["home"] == {"heat": 70.0, "cool": 74.0}


async def test_corrupt_storage_falls_back_to_defaults(
    hass: HomeAssistant,
    emulator: VenstarEmulator,
    config_entry: MockConfigEntry,
    hass_storage: dict[str, Any],
) -> None:
    hass_storage[STORE_KEY] = {
        "version": 1,
        "minor_version": 1,
        "key": STORE_KEY,
        "data": {"learner": "garbage", "home": {"heat": "warm", "cool": True}},
    }
    emulator.state.heattemp = 75.0
    await _setup(hass, config_entry)
    assert _attrs(hass)["heat_rate"] == 4.0
    assert _attrs(hass)["target_temperature"] == 75.0


async def test_a_unit_change_while_away_keeps_the_home_target(
    hass: HomeAssistant,
    emulator: VenstarEmulator,
    config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    emulator.state.heattemp = 75.0
    emulator.state.spacetemp = 66.0
    await _setup(hass, config_entry)
    await hass.services.async_call(
        CLIMATE_DOMAIN,
        "set_preset_mode",
        {ATTR_ENTITY_ID: "climate.colortouch", "preset_mode": "away"},
        blocking=True,
    )
    assert emulator.state.heattemp == 62.0  # the away setpoint is in force
    emulator.device.set_units(1)
    await _poll(hass, emulator, freezer)
    # °C now: the remembered 75 °F home setpoint is 24 °C (the device's 0.5 °C step), and the
    # house at ~19 °C still has a way to go.
    assert _attrs(hass)["target_temperature"] == 24.0
    assert _attrs(hass)["heat_rate"] < 4.0
    assert float(hass.states.get(TTT).state) > 60
