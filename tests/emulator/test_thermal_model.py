"""Thermal model, operating state, runtimes and schedule periods on the virtual clock."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from emulators.venstar import VenstarEmulator, emulator as emulator_module

from .helpers import get_json, info

CAPTURE_TS = 1637921499  # 2021-11-26 10:11:39 UTC
MIDNIGHT_AFTER = 1637971200


def _emulator(**kwargs: Any) -> VenstarEmulator:
    return VenstarEmulator(**kwargs)


def test_documented_rates() -> None:
    emu = _emulator()
    assert (emu.heat_rate, emu.cool_rate, emu.drift_rate, emu.outdoor_temp) == (
        4.0,
        3.0,
        1.0,
        50.0,
    )


def test_heating_moves_toward_setpoint_at_heat_rate() -> None:
    emu = _emulator()
    emu.state.spacetemp = 65.0
    emu.state.heattemp = 75.0
    emu.advance(3600)
    assert emu.state.spacetemp == 65.0 + emu.heat_rate
    assert (emu.state.state, emu.state.activestage, emu.state.fanstate) == (1, 2, 1)
    assert emu.device.runtimes_body()["runtimes"][-1]["heat1"] == 60
    assert emu.device.runtimes_body()["runtimes"][-1]["heat2"] == 60
    # Within the last 3 °F the second stage drops out; at the setpoint the call ends.
    emu.advance(3600)
    assert emu.state.spacetemp == 73.0
    assert emu.state.activestage == 1
    emu.advance(1800)
    assert emu.state.spacetemp == 75.0
    assert (emu.state.state, emu.state.activestage, emu.state.fanstate) == (0, 0, 0)


def test_custom_rate_is_used() -> None:
    emu = _emulator()
    emu.heat_rate = 8.0
    emu.state.spacetemp = 60.0
    emu.state.heattemp = 70.0
    emu.advance(1800)
    assert emu.state.spacetemp == 64.0


def test_cooling_moves_toward_setpoint_at_cool_rate() -> None:
    emu = _emulator()
    emu.state.mode = 2
    emu.state.cooltemp = 70.0
    emu.state.spacetemp = 80.0
    emu.advance(2 * 3600)
    assert emu.state.spacetemp == 80.0 - 2 * emu.cool_rate
    assert emu.state.state == 2
    today = emu.device.runtimes_body()["runtimes"][-1]
    assert today["cool1"] == 12 + 120
    assert today["heat1"] == 0


def test_idle_drifts_toward_outdoor() -> None:
    emu = _emulator()
    emu.state.mode = 0
    emu.advance(2 * 3600)
    assert emu.state.spacetemp == 71.0 - 2 * emu.drift_rate
    assert emu.state.state == 0
    emu.outdoor_temp = 90.0
    emu.advance(3 * 3600)
    assert emu.state.spacetemp == 72.0


def test_built_in_sensors_follow_space_temperature() -> None:
    emu = _emulator()
    emu.state.mode = 0
    emu.add_remote_sensor(1, "Bedroom", 68.0, battery=80)
    emu.advance(3600)
    temps = {sensor.name: sensor.temp for sensor in emu.sensors}
    assert emu.state.spacetemp == 70.0  # 71 °F drifting 1 °F/h toward the outdoors
    assert temps == {"Thermostat": 70.0, "Space Temp": 70.0, "Bedroom": 68.0}


def test_hysteresis() -> None:
    emu = _emulator()  # heat mode, heat setpoint 69
    emu.state.spacetemp = 68.5
    emu.device.refresh()
    assert emu.state.state == 0
    emu.state.spacetemp = 68.0
    emu.device.refresh()
    assert emu.state.state == 1
    # Once heating, it keeps going until the setpoint itself.
    emu.advance(10 * 60)
    assert emu.state.state == 1
    emu.advance(10 * 60)
    assert emu.state.spacetemp == 69.0
    assert emu.state.state == 0


def test_auto_mode_heats_and_cools() -> None:
    emu = _emulator()
    emu.state.mode = 3
    emu.state.spacetemp = 80.0
    emu.advance(60)
    assert emu.state.state == 2
    emu.state.spacetemp = 60.0
    emu.advance(60)
    assert emu.state.state == 1


def test_fan_on_keeps_fanstate() -> None:
    emu = _emulator()
    emu.state.fan = 1
    emu.advance(3600)
    assert (emu.state.state, emu.state.fanstate) == (0, 1)


def test_runtimes_roll_over_at_midnight() -> None:
    emu = _emulator()
    emu.state.mode = 2
    emu.state.cooltemp = 60.0
    emu.state.spacetemp = 90.0
    emu.cool_rate = 0.0  # keep cooling all day
    emu.advance(MIDNIGHT_AFTER - CAPTURE_TS + 600)
    days = emu.device.runtimes_body()["runtimes"]
    assert len(days) == 7
    assert [day["ts"] for day in days] == [
        1637539200,
        1637625600,
        1637712000,
        1637798400,
        1637884800,
        MIDNIGHT_AFTER,
        MIDNIGHT_AFTER + 600,
    ]
    assert days[0]["cool1"] == 216  # the oldest captured day dropped out
    assert days[-2]["cool1"] == 12 + (MIDNIGHT_AFTER - CAPTURE_TS) // 60
    assert days[-1]["cool1"] == 10
    assert days[-1]["cool2"] == 10


def test_a_week_later_only_new_days_remain() -> None:
    emu = _emulator()
    emu.state.mode = 0
    emu.advance(8 * 86400)
    days = emu.device.runtimes_body()["runtimes"]
    assert len(days) == 7
    assert all(day["ts"] % 86400 == 0 for day in days[:-1])
    assert days[-1]["ts"] == CAPTURE_TS + 8 * 86400
    assert all(day["cool1"] == 0 for day in days)


@pytest.mark.parametrize(
    ("seconds_after_capture", "part"),
    [(0, 1), (8 * 3600, 2), (12 * 3600, 3), (20 * 3600, 0), (22 * 3600, 1)],
)
def test_schedule_part_follows_time_of_day(
    seconds_after_capture: int, part: int
) -> None:
    emu = _emulator()
    emu.state.schedule = 1
    emu.advance(seconds_after_capture + 1)
    assert emu.state.schedulepart == part


def test_time_only_moves_forward() -> None:
    with pytest.raises(ValueError, match="forward"):
        _emulator().advance(-1)


async def test_external_clock_is_followed(venstar_emulator_factory: Any) -> None:
    now = [1_700_000_000.0]
    emu = await venstar_emulator_factory(clock=lambda: now[0])
    runtimes = (await get_json(emu, "query/runtimes"))["runtimes"]
    assert runtimes[-1]["ts"] == 1_700_000_000
    assert runtimes[-2]["ts"] == 1_700_000_000 // 86400 * 86400
    now[0] += 2 * 3600
    emu.state.mode = 0
    body = await info(emu)
    assert body["spacetemp"] == 69.0
    runtimes = (await get_json(emu, "query/runtimes"))["runtimes"]
    assert runtimes[-1]["ts"] == 1_700_000_000 + 2 * 3600


async def test_auto_tick_runs_scaled_time(
    venstar_emulator_factory: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(emulator_module, "TICK_INTERVAL", 0.01)
    emu = await venstar_emulator_factory(auto_tick=True, time_scale=3600)
    start = emu.now()
    for _ in range(200):
        if emu.now() - start >= 3600:
            break
        await asyncio.sleep(0.01)
    assert emu.now() - start >= 3600
    assert emu.state.spacetemp < 71.0


@pytest.mark.parametrize("held_state", [3, 4])
def test_lockout_and_error_hold_until_cleared(held_state: int) -> None:
    emu = _emulator()
    emu.state.spacetemp = 60.0
    emu.state.state = held_state
    emu.advance(3600)
    assert (emu.state.state, emu.state.activestage, emu.state.fanstate) == (
        held_state,
        0,
        0,
    )
    assert emu.state.spacetemp == 59.0  # idle drift only
    emu.state.state = 0
    emu.advance(60)
    assert emu.state.state == 1


async def test_model_state_follows_direct_edits_on_next_request(
    venstar_emulator: VenstarEmulator,
) -> None:
    venstar_emulator.state.spacetemp = 66.0
    venstar_emulator.state.heattemp = 74.0
    body = await info(venstar_emulator)
    assert (body["state"], body["activestage"], body["fanstate"]) == (1, 2, 1)


def test_a_year_later_runtimes_cover_the_last_week() -> None:
    emu = _emulator()
    emu.state.mode = 0
    emu.advance(365 * 86400)
    days = emu.device.runtimes_body()["runtimes"]
    now = CAPTURE_TS + 365 * 86400
    assert [day["ts"] for day in days] == [
        *(now // 86400 * 86400 - k * 86400 for k in range(5, -1, -1)),
        now,
    ]
    assert emu.state.spacetemp == emu.outdoor_temp
