"""The learner, fed by polling the Venstar emulator's /query/info, finds the emulator's rates."""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest

from custom_components.venstar_local.thermal_learning import Action, RecoveryRateLearner
from emulators.venstar import VenstarEmulator
from tests.venstar_fixtures import VenstarEmulatorFactory

ACTIONS: dict[int, Action] = {0: "idle", 1: "heating", 2: "cooling"}
POLL_SECONDS = 120


async def poll(
    session: aiohttp.ClientSession, emu: VenstarEmulator, learner: RecoveryRateLearner
) -> dict[str, Any]:
    async with session.get(f"{emu.base_url}query/info") as response:
        info: dict[str, Any] = await response.json(content_type=None)
    learner.observe(
        emu.now(),
        float(info["spacetemp"]),
        ACTIONS.get(int(info["state"]), "idle"),
        unit="C" if info["tempunits"] == 1 else "F",
    )
    return info


async def run_cycle(
    session: aiohttp.ClientSession,
    emu: VenstarEmulator,
    learner: RecoveryRateLearner,
    *,
    mode: int,
    start: float,
    setpoint: float,
) -> None:
    """Put the room at `start`, ask for `setpoint`, poll until the thermostat goes idle."""
    emu.state.mode = mode
    if mode == 1:
        emu.state.heattemp = setpoint
    else:
        emu.state.cooltemp = setpoint
    emu.state.spacetemp = start
    emu.device.refresh()
    for _ in range(400):
        emu.advance(POLL_SECONDS)
        info = await poll(session, emu, learner)
        if info["state"] == 0:
            break
    # A few idle polls end the run for the learner.
    for _ in range(3):
        emu.advance(POLL_SECONDS)
        await poll(session, emu, learner)


@pytest.mark.parametrize(("heat_rate", "cool_rate"), [(4.0, 3.0), (9.0, 1.5)])
async def test_learns_the_emulator_rates_within_20_percent(
    venstar_emulator_factory: VenstarEmulatorFactory,
    heat_rate: float,
    cool_rate: float,
) -> None:
    emu = await venstar_emulator_factory()
    emu.heat_rate = heat_rate
    emu.cool_rate = cool_rate
    learner = RecoveryRateLearner(default_heat_rate=2.0, default_cool_rate=6.0)
    async with aiohttp.ClientSession() as session:
        for _ in range(3):
            await run_cycle(session, emu, learner, mode=1, start=62.0, setpoint=72.0)
            await run_cycle(session, emu, learner, mode=2, start=82.0, setpoint=74.0)

    assert learner.heat_samples == 3
    assert learner.cool_samples == 3
    assert learner.heat_rate == pytest.approx(heat_rate, rel=0.2)
    assert learner.cool_rate == pytest.approx(cool_rate, rel=0.2)
    assert learner.unit == "F"
    assert learner.minutes_to_reach(62.0, 72.0) == pytest.approx(
        10 / heat_rate * 60, rel=0.2
    )


async def test_celsius_device_learns_in_celsius(
    venstar_emulator_factory: VenstarEmulatorFactory,
) -> None:
    emu = await venstar_emulator_factory(celsius=True)
    learner = RecoveryRateLearner(default_heat_rate=2.0, default_cool_rate=2.0)
    async with aiohttp.ClientSession() as session:
        for _ in range(2):
            await run_cycle(session, emu, learner, mode=1, start=16.0, setpoint=22.0)
    assert learner.unit == "C"
    assert learner.heat_rate == pytest.approx(emu.heat_rate, rel=0.2)
