"""`POST /settings`: away/schedule interplay, humidity, units, commercial settings."""

from __future__ import annotations

from typing import Any

import pytest

from emulators.venstar import VenstarEmulator

from .helpers import get_json, info, post_form

SCHEDULE_WHILE_AWAY = "Schedule change is not allowed while away"


async def test_schedule_on_sets_schedulepart(venstar_emulator: VenstarEmulator) -> None:
    assert (await info(venstar_emulator))["schedulepart"] == 255
    assert await post_form(venstar_emulator, "settings", {"schedule": 1}) == {
        "success": True
    }
    body = await info(venstar_emulator)
    # The capture was taken at 10:11 UTC, which is the "day" period.
    assert (body["schedule"], body["schedulepart"]) == (1, 1)
    assert await post_form(venstar_emulator, "settings", {"schedule": 0}) == {
        "success": True
    }
    assert (await info(venstar_emulator))["schedulepart"] == 255


async def test_away_suspends_schedule_and_refuses_schedule_posts(
    venstar_emulator: VenstarEmulator,
) -> None:
    await post_form(venstar_emulator, "settings", {"schedule": 1})
    assert await post_form(venstar_emulator, "settings", {"away": 1}) == {
        "success": True
    }
    body = await info(venstar_emulator)
    assert (body["away"], body["schedule"], body["schedulepart"]) == (1, 1, 255)
    for form in ({"schedule": 0}, {"schedule": 1}, {"away": 0, "schedule": 1}):
        assert await post_form(venstar_emulator, "settings", form) == {
            "error": True,
            "reason": SCHEDULE_WHILE_AWAY,
        }
    # Leaving away does not need schedule=1; the schedule resumes.
    assert await post_form(venstar_emulator, "settings", {"away": 0}) == {
        "success": True
    }
    body = await info(venstar_emulator)
    assert (body["away"], body["schedulepart"]) == (0, 1)


async def test_away_and_schedule_together_refused(
    venstar_emulator: VenstarEmulator,
) -> None:
    result = await post_form(venstar_emulator, "settings", {"away": 1, "schedule": 0})
    assert result == {"error": True, "reason": SCHEDULE_WHILE_AWAY}
    assert (await info(venstar_emulator))["away"] == 0


async def test_humidity_setpoints(venstar_emulator: VenstarEmulator) -> None:
    result = await post_form(
        venstar_emulator, "settings", {"hum_setpoint": 40, "dehum_setpoint": 55}
    )
    assert result == {"success": True}
    body = await info(venstar_emulator)
    assert (body["hum_setpoint"], body["dehum_setpoint"]) == (40, 55)
    assert await post_form(venstar_emulator, "settings", {"dehum_setpoint": 42}) == {
        "error": True,
        "reason": "Dehumidify setpoint needs to be 3% more than humidify setpoint",
    }
    assert await post_form(venstar_emulator, "settings", {"dehum_setpoint": 43}) == {
        "success": True
    }


@pytest.mark.parametrize(
    ("form", "reason"),
    [
        ({"hum_setpoint": 61}, "Invalid value for hum_setpoint"),
        ({"dehum_setpoint": 24}, "Invalid value for dehum_setpoint"),
        ({"away": 2}, "Invalid value for away"),
        ({"tempunits": "C"}, "Invalid value for tempunits"),
        ({"schedule": -1}, "Invalid value for schedule"),
        ({"override": 1}, "Unknown parameter override"),
        ({"spMin": 60}, "Unknown parameter spMin"),
        ({}, "No parameters"),
    ],
)
async def test_invalid_settings(
    venstar_emulator: VenstarEmulator, form: dict[str, Any], reason: str
) -> None:
    assert await post_form(venstar_emulator, "settings", form) == {
        "error": True,
        "reason": reason,
    }


async def test_switch_to_celsius_converts_everything(
    venstar_emulator: VenstarEmulator,
) -> None:
    assert await post_form(venstar_emulator, "settings", {"tempunits": 1}) == {
        "success": True
    }
    body = await info(venstar_emulator)
    assert body["tempunits"] == 1
    assert body["spacetemp"] == 21.5  # 71 °F
    assert body["heattemp"] == 20.5  # 69 °F
    assert body["cooltemp"] == 23.5  # 74 °F
    assert (body["heattempmin"], body["heattempmax"]) == (1.5, 37.0)
    assert body["setpointdelta"] == 1.0
    sensors = await get_json(venstar_emulator, "query/sensors")
    assert sensors["sensors"][0]["temp"] == 21.5  # the room sensor reads the space
    assert venstar_emulator.heat_rate == pytest.approx(4.0 * 5 / 9)
    await post_form(venstar_emulator, "settings", {"tempunits": 0})
    assert (await info(venstar_emulator))["heattemp"] == 69.0


async def test_get_single_setting(venstar_emulator: VenstarEmulator) -> None:
    assert await get_json(venstar_emulator, "settings?q=hum_setpoint") == {
        "hum_setpoint": 30
    }
    assert await get_json(venstar_emulator, "settings?q=bogus") == {
        "error": True,
        "reason": "Unknown parameter bogus",
    }


async def test_commercial_override_holiday_forceunocc(
    venstar_emulator_factory: Any,
) -> None:
    emu = await venstar_emulator_factory(profile="commercial")
    assert await post_form(emu, "settings", {"away": 1}) == {
        "error": True,
        "reason": "Unknown parameter away",
    }
    assert await post_form(
        emu, "settings", {"override": 1, "forceunocc": 1, "holiday": 1}
    ) == {"success": True}
    body = await info(emu)
    assert (
        body["override"],
        body["overridetime"],
        body["forceunocc"],
        body["holiday"],
    ) == (
        1,
        60,
        1,
        1,
    )
    emu.advance(30 * 60)
    assert (await info(emu))["overridetime"] == 30
    emu.advance(30 * 60)
    body = await info(emu)
    assert (body["override"], body["overridetime"]) == (0, 0)
    runtimes = await get_json(emu, "query/runtimes")
    assert runtimes["runtimes"][-1]["ov"] == 60


async def test_settings_without_humidity_on_t2000(
    venstar_emulator_factory: Any,
) -> None:
    emu = await venstar_emulator_factory(profile="t2000")
    assert await post_form(emu, "settings", {"hum_setpoint": 40}) == {
        "error": True,
        "reason": "Unknown parameter hum_setpoint",
    }


async def setpoints(emu: VenstarEmulator) -> tuple[float, float]:
    body = await info(emu)
    return body["heattemp"], body["cooltemp"]


async def test_away_reports_the_away_setpoints_and_home_restores_the_previous_ones(
    venstar_emulator: VenstarEmulator,
) -> None:
    emu = venstar_emulator
    assert await setpoints(emu) == (69.0, 74.0)  # the capture
    await post_form(emu, "settings", {"away": 1})
    assert await setpoints(emu) == (62.0, 85.0)  # the unit's away settings are in force
    await post_form(emu, "settings", {"away": 1})  # again: nothing changes
    assert await setpoints(emu) == (62.0, 85.0)
    await post_form(emu, "settings", {"away": 0})
    assert await setpoints(emu) == (69.0, 74.0)


async def test_a_setpoint_written_while_away_lasts_until_home(
    venstar_emulator: VenstarEmulator,
) -> None:
    emu = venstar_emulator
    await post_form(emu, "settings", {"away": 1})
    await post_form(emu, "control", {"heattemp": 60, "cooltemp": 88})
    assert await setpoints(emu) == (60.0, 88.0)
    await post_form(emu, "settings", {"away": 0})
    assert await setpoints(emu) == (69.0, 74.0)


async def test_away_setpoints_stay_within_the_limits(
    venstar_emulator: VenstarEmulator,
) -> None:
    emu = venstar_emulator
    emu.state.heattempmin, emu.state.cooltempmax = 65.0, 80.0
    await post_form(emu, "settings", {"away": 1})
    assert await setpoints(emu) == (65.0, 80.0)


async def test_a_unit_change_while_away_converts_the_setpoints_to_come_back_to(
    venstar_emulator: VenstarEmulator,
) -> None:
    emu = venstar_emulator
    await post_form(emu, "settings", {"away": 1})
    await post_form(emu, "settings", {"tempunits": 1})
    assert await setpoints(emu) == (16.5, 29.5)  # 62 / 85 °F
    await post_form(emu, "settings", {"away": 0})
    assert await setpoints(emu) == (20.5, 23.5)  # 69 / 74 °F
