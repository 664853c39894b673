"""Presence eco on the thermostats people actually have: presets named otherwise, no presets,
slow ones, modes changed at the device, heating/cooling ranges.

Each thermostat is a real climate entity behind Home Assistant's climate service layer; the
household and the automation are the ones a user creates.
"""

from __future__ import annotations

import asyncio
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant, ServiceCall
import pytest

from .conftest import SetupBlueprint
from .entities import FakeThermostat
from .helpers import settle, tick
from .presence_house import (
    attribute,
    household,
    inputs,
    messages,
    move,
    preset,
    start_presence,
    thermostat,
    writes,
)

__all__ = ["household", "thermostat"]


async def everyone_leaves(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    for who in ("alice", "bob"):
        await move(hass, who, "not_home")
    await tick(hass, freezer, minutes=31)


def without_presets(thermostat: FakeThermostat, hvac_mode: str | None = None) -> None:
    thermostat._attr_preset_modes = None
    thermostat._attr_preset_mode = None
    if hvac_mode is not None:
        thermostat._attr_hvac_mode = hvac_mode  # type: ignore[assignment]
    thermostat.async_write_ha_state()


@pytest.mark.usefixtures("household")
async def test_a_thermostat_without_a_home_preset_leaves_away_through_none(
    hass: HomeAssistant,
    setup_blueprint: SetupBlueprint,
    freezer: FrozenDateTimeFactory,
    thermostat: FakeThermostat,
    logbook_calls: list[ServiceCall],
) -> None:
    """Core Venstar and generic thermostats offer `none`/`away`; the inputs say `home`/`away`.

    Setting the home setpoints would leave such a thermostat in its away preset (a core
    Venstar in away keeps away whatever setpoint it gets): `none` is its way home.
    """
    thermostat._attr_preset_modes = ["none", "away"]
    thermostat._attr_preset_mode = "none"
    thermostat.async_write_ha_state()
    # The preset names are left as the blueprint fills them in.
    await start_presence(hass, setup_blueprint, inputs())
    await everyone_leaves(hass, freezer)
    assert preset(hass) == "away"
    await move(hass, "alice", "home")
    assert preset(hass) == "none"
    assert writes(thermostat) == [("preset_mode", "away"), ("preset_mode", "none")]
    assert messages(logbook_calls)[-1] == "set home (none): Alice is home"


@pytest.mark.usefixtures("household")
async def test_a_preset_the_thermostat_does_not_offer_is_reported_once_and_setpoints_are_set(
    hass: HomeAssistant,
    setup_blueprint: SetupBlueprint,
    freezer: FrozenDateTimeFactory,
    thermostat: FakeThermostat,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A typo ("Away") or another brand's name ("eco") is told, not silently worked around."""
    thermostat._attr_preset_modes = ["comfort", "eco"]
    thermostat._attr_preset_mode = "comfort"
    thermostat.async_write_ha_state()
    await start_presence(
        hass, setup_blueprint, inputs(away_preset="Away", home_preset="comfort")
    )
    for _ in range(2):
        await everyone_leaves(hass, freezer)
        assert attribute(hass, "temperature") == 62  # the away setpoint instead
        await move(hass, "alice", "home")
        assert preset(hass) == "comfort"
    warnings = [
        record.getMessage()
        for record in caplog.records
        if "offers the presets" in record.getMessage()
    ]
    assert warnings == [
        (
            "automation.under_test: climate.living_room offers the presets comfort, eco "
            "but not 'Away'; its setpoints are set instead (check the preset names of "
            "automation.under_test)"
        )
    ]


@pytest.mark.usefixtures("household")
async def test_a_slow_thermostat_reporting_our_own_preset_late_starts_no_hold(
    hass: HomeAssistant,
    setup_blueprint: SetupBlueprint,
    freezer: FrozenDateTimeFactory,
    thermostat: FakeThermostat,
    logbook_calls: list[ServiceCall],
) -> None:
    """A write that takes longer than Home Assistant keeps its context on the entity (5 s).

    The state then arrives without our context; it is still our own preset being written,
    not someone at the thermostat.
    """
    await start_presence(hass, setup_blueprint, inputs())
    thermostat.stall = asyncio.Event()
    await everyone_leaves(hass, freezer)
    await tick(hass, freezer, seconds=8)  # the thermostat answers after 8 s
    thermostat.stall.set()
    await settle(hass)
    assert preset(hass) == "away"
    await move(hass, "alice", "home")
    assert preset(hass) == "home"  # not held by a change of its own
    assert not any("changed the thermostat" in m for m in messages(logbook_calls))


@pytest.mark.usefixtures("household")
async def test_a_mode_changed_at_the_thermostat_gets_the_setting_of_the_new_mode(
    hass: HomeAssistant,
    setup_blueprint: SetupBlueprint,
    freezer: FrozenDateTimeFactory,
    thermostat: FakeThermostat,
) -> None:
    """Off while everyone left, then switched to heat on its own screen: away, not 68 °F."""
    without_presets(thermostat, hvac_mode="off")
    await start_presence(
        hass,
        setup_blueprint,
        inputs(eco_heat_temperature=60, home_heat_temperature=69),
    )
    await everyone_leaves(hass, freezer)
    assert writes(thermostat) == []  # nothing to set while off
    thermostat._attr_hvac_mode = "heat"  # type: ignore[assignment]  # seen by a poll
    thermostat.async_write_ha_state()
    await settle(hass)
    assert attribute(hass, "temperature") == 60
    await tick(hass, freezer, minutes=10)
    thermostat._attr_hvac_mode = "cool"  # type: ignore[assignment]
    thermostat.async_write_ha_state()
    await settle(hass)
    assert attribute(hass, "temperature") == 82  # the away cooling default
    assert [kind for kind, _ in writes(thermostat)] == ["temperature", "temperature"]


@pytest.mark.usefixtures("household")
async def test_a_heating_setpoint_chosen_alone_never_crosses_the_default_cooling_one(
    hass: HomeAssistant,
    setup_blueprint: SetupBlueprint,
    freezer: FrozenDateTimeFactory,
    thermostat: FakeThermostat,
    logbook_calls: list[ServiceCall],
) -> None:
    """Home heat 76 °F with the cooling setpoint left empty (default 75 °F) in heat/cool."""
    without_presets(thermostat, hvac_mode="heat_cool")
    await start_presence(
        hass,
        setup_blueprint,
        inputs(home_heat_temperature=76, eco_cool_temperature=60),
    )
    assert (
        attribute(hass, "target_temp_low"),
        attribute(hass, "target_temp_high"),
    ) == (
        76,
        78,
    )
    await everyone_leaves(hass, freezer)
    assert (
        attribute(hass, "target_temp_low"),
        attribute(hass, "target_temp_high"),
    ) == (
        58,
        60,
    )
    assert not any("could not set" in m for m in messages(logbook_calls))


@pytest.mark.usefixtures("household")
@pytest.mark.parametrize(
    ("hvac_mode", "expected"),
    [("heat", {"temperature": 62}), ("heat_cool", {"low": 62, "high": 82})],
)
async def test_setpoint_only_thermostats_get_each_mode_its_setpoints(
    hass: HomeAssistant,
    setup_blueprint: SetupBlueprint,
    freezer: FrozenDateTimeFactory,
    *,
    thermostat: FakeThermostat,
    hvac_mode: str,
    expected: dict[str, Any],
) -> None:
    without_presets(thermostat, hvac_mode=hvac_mode)
    await start_presence(hass, setup_blueprint, inputs())
    await everyone_leaves(hass, freezer)
    if "temperature" in expected:
        assert attribute(hass, "temperature") == expected["temperature"]
    else:
        assert (
            attribute(hass, "target_temp_low"),
            attribute(hass, "target_temp_high"),
        ) == (expected["low"], expected["high"])
    await move(hass, "bob", "home")
    await tick(hass, freezer, minutes=1)
    assert len(writes(thermostat)) == 2  # away, then home: nothing redundant
