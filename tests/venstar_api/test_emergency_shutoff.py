"""The emergency shutoff: mode off (and the fan) in as few posts as the device accepts."""

from __future__ import annotations

import asyncio

import pytest

from custom_components.venstar_local.api import (
    FanMode,
    HvacMode,
    VenstarClient,
    VenstarCommandRejectedError,
    VenstarNotConfirmedError,
    VenstarTimeoutError,
)
from emulators.venstar import VenstarEmulator
from tests.venstar_fixtures import VenstarEmulatorFactory

from .conftest import IDENTITY, ClientFactory

OFF_FAN_AUTO = {"mode": "0", "heattemp": "69", "cooltemp": "74", "fan": "0"}


def requests(emu: VenstarEmulator, since: int) -> list[tuple[str, str, dict[str, str]]]:
    return [(r.method, r.path, r.form) for r in emu.requests[since:]]


@pytest.fixture
async def polled(
    client_factory: ClientFactory, venstar_emulator: VenstarEmulator
) -> VenstarClient:
    """A client whose last poll was moments ago; the device heats with the fan on."""
    venstar_emulator.state.fan = 1
    client = client_factory(venstar_emulator, expected_identity=IDENTITY)
    await client.info()
    return client


async def test_one_post_when_the_schedule_is_off(
    polled: VenstarClient, venstar_emulator: VenstarEmulator
) -> None:
    start = len(venstar_emulator.requests)
    info = await polled.emergency_shutoff(FanMode.AUTO)
    assert (info.mode, info.fan) == (HvacMode.OFF, FanMode.AUTO)
    assert (venstar_emulator.state.mode, venstar_emulator.state.fan) == (0, 0)
    assert requests(venstar_emulator, start) == [
        ("POST", "/control", OFF_FAN_AUTO),
        ("GET", "/query/info", {}),
    ]


async def test_schedule_stopped_first_when_it_runs(
    client_factory: ClientFactory, venstar_emulator: VenstarEmulator
) -> None:
    venstar_emulator.state.schedule = 1
    client = client_factory(venstar_emulator, expected_identity=IDENTITY)
    await client.info()
    start = len(venstar_emulator.requests)
    info = await client.emergency_shutoff(FanMode.AUTO)
    assert info.mode is HvacMode.OFF
    assert info.schedule_enabled is False
    assert requests(venstar_emulator, start) == [
        ("POST", "/settings", {"schedule": "0"}),
        ("POST", "/control", OFF_FAN_AUTO),
        ("GET", "/query/info", {}),
    ]


async def test_away_with_the_schedule_running_is_left(
    client_factory: ClientFactory, venstar_emulator: VenstarEmulator
) -> None:
    """The device refuses both the mode change and stopping the schedule while away."""
    venstar_emulator.state.schedule = 1
    venstar_emulator.state.away = 1
    client = client_factory(venstar_emulator, expected_identity=IDENTITY)
    await client.info()
    info = await client.emergency_shutoff()
    assert info.mode is HvacMode.OFF
    assert [r.form for r in venstar_emulator.requests if r.method == "POST"] == [
        {"away": "0"},
        {"schedule": "0"},
        {"mode": "0", "heattemp": "69", "cooltemp": "74"},
    ]


async def test_without_fan_the_fan_is_left_alone(
    polled: VenstarClient, venstar_emulator: VenstarEmulator
) -> None:
    info = await polled.emergency_shutoff()
    assert (info.mode, info.fan) == (HvacMode.OFF, FanMode.ON)
    assert venstar_emulator.requests[-2].form == {
        "mode": "0",
        "heattemp": "69",
        "cooltemp": "74",
    }


async def test_already_off_is_confirmed_with_one_read(
    polled: VenstarClient, venstar_emulator: VenstarEmulator
) -> None:
    await polled.emergency_shutoff(FanMode.AUTO)
    start = len(venstar_emulator.requests)
    info = await polled.emergency_shutoff(FanMode.AUTO)
    assert info.mode is HvacMode.OFF
    assert requests(venstar_emulator, start) == [("GET", "/query/info", {})]


async def test_remembered_off_turned_on_at_the_wall_is_switched_off(
    polled: VenstarClient, venstar_emulator: VenstarEmulator
) -> None:
    await polled.emergency_shutoff(FanMode.AUTO)
    venstar_emulator.state.mode = 1
    venstar_emulator.state.schedule = 1
    start = len(venstar_emulator.requests)
    info = await polled.emergency_shutoff(FanMode.AUTO)
    assert info.mode is HvacMode.OFF
    assert [p for _, p, _ in requests(venstar_emulator, start)] == [
        "/query/info",
        "/settings",
        "/control",
        "/query/info",
    ]


async def test_schedule_started_since_the_poll_is_handled(
    polled: VenstarClient, venstar_emulator: VenstarEmulator
) -> None:
    venstar_emulator.state.schedule = 1  # resumed on the thermostat after the poll
    start = len(venstar_emulator.requests)
    info = await polled.emergency_shutoff(FanMode.AUTO)
    assert info.mode is HvacMode.OFF
    assert requests(venstar_emulator, start) == [
        ("POST", "/control", OFF_FAN_AUTO),  # refused: nothing changed
        ("GET", "/query/info", {}),
        ("POST", "/settings", {"schedule": "0"}),
        ("POST", "/control", OFF_FAN_AUTO),
        ("GET", "/query/info", {}),
    ]


async def test_without_a_recent_poll_the_identity_is_read_first(
    client_factory: ClientFactory, venstar_emulator: VenstarEmulator
) -> None:
    client = client_factory(venstar_emulator, expected_identity=IDENTITY)
    await client.emergency_shutoff(FanMode.AUTO)
    assert [r.path for r in venstar_emulator.requests] == [
        "/",
        "/query/info",
        "/control",
        "/query/info",
    ]


async def test_not_confirmed_when_the_device_reports_otherwise(
    polled: VenstarClient, venstar_emulator: VenstarEmulator
) -> None:
    venstar_emulator.faults.latency(0.2, path="/query/info", count=1)
    task = asyncio.create_task(polled.emergency_shutoff(FanMode.AUTO))
    while not any(
        r.path == "/query/info" and r.end is None for r in venstar_emulator.requests
    ):
        await asyncio.sleep(0.01)
    venstar_emulator.state.mode = 1  # switched back to heat before the read-back
    with pytest.raises(VenstarNotConfirmedError, match="heat"):
        await task


async def test_failed_mode_write_keeps_the_schedule_stopped(
    client_factory: ClientFactory, venstar_emulator: VenstarEmulator
) -> None:
    """No undo: a stopped schedule is closer to off than a running one."""
    venstar_emulator.state.schedule = 1
    client = client_factory(venstar_emulator, expected_identity=IDENTITY, timeout=0.2)
    await client.info()
    venstar_emulator.faults.timeout(path="/control", count=1)
    with pytest.raises(VenstarTimeoutError):
        await client.emergency_shutoff(FanMode.AUTO)
    assert venstar_emulator.state.schedule == 0
    assert [r.path for r in venstar_emulator.requests if r.method == "POST"] == [
        "/settings",
        "/control",
    ]
    assert client.last_info is None


async def test_celsius_setpoints_are_sent_as_the_device_has_them(
    venstar_emulator_factory: VenstarEmulatorFactory, client_factory: ClientFactory
) -> None:
    emu = await venstar_emulator_factory(celsius=True)
    client = client_factory(emu)
    await client.info()
    await client.emergency_shutoff(FanMode.AUTO)
    control = emu.requests[-2].form
    assert control["mode"] == "0"
    assert float(control["heattemp"]) == emu.state.heattemp
    assert float(control["cooltemp"]) == emu.state.cooltemp


async def test_unknown_fan_is_refused(polled: VenstarClient) -> None:
    with pytest.raises(VenstarCommandRejectedError):
        await polled.emergency_shutoff(7)  # type: ignore[arg-type]


async def test_shutoff_is_never_refused_for_an_unreadable_value(
    client_factory: ClientFactory, venstar_emulator: VenstarEmulator
) -> None:
    """Smoke does not wait for a readable setpoint: the least active one is sent instead,
    and a schedule whose state is unreadable is stopped first."""
    venstar_emulator.state.schedule = 1
    venstar_emulator.faults.corrupt_field("/query/info", "heattemp", '"hot"')
    venstar_emulator.faults.corrupt_field("/query/info", "schedule", "7")
    client = client_factory(venstar_emulator, expected_identity=IDENTITY)
    info = await client.info()
    assert (info.heat_setpoint, info.schedule_enabled) == (None, None)
    start = len(venstar_emulator.requests)
    info = await client.emergency_shutoff(FanMode.AUTO)
    assert info.mode is HvacMode.OFF
    assert venstar_emulator.state.mode == 0
    assert requests(venstar_emulator, start)[:2] == [
        ("POST", "/settings", {"schedule": "0"}),
        ("POST", "/control", {**OFF_FAN_AUTO, "heattemp": "35"}),
    ]
