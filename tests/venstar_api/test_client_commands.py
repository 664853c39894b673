"""Commands against the emulator: what is sent, what the device ends up with, what is refused."""

from __future__ import annotations

import asyncio

import pytest

from custom_components.venstar_local.api import (
    REJECTION_PLACEHOLDERS,
    FanMode,
    HvacMode,
    VenstarApiError,
    VenstarClient,
    VenstarCommandRejectedError,
    VenstarInvalidResponseError,
    VenstarTimeoutError,
    VenstarWrongDeviceError,
)
from emulators.venstar import VenstarEmulator
from tests.venstar_fixtures import VenstarEmulatorFactory, requested

from .conftest import IDENTITY, ClientFactory


def writes(emu: VenstarEmulator) -> list[tuple[str, list[tuple[str, str]]]]:
    return [(r.path, list(r.form.items())) for r in emu.requests if r.method == "POST"]


def assert_rejected(err: VenstarCommandRejectedError, key: str) -> None:
    assert err.key == key
    assert tuple(err.placeholders) == REJECTION_PLACEHOLDERS[key]


async def test_mode_change_sends_both_setpoints_in_order(
    client: VenstarClient, venstar_emulator: VenstarEmulator
) -> None:
    info = await client.set_hvac_mode(HvacMode.COOL)
    assert info.mode is HvacMode.COOL
    assert venstar_emulator.state.mode == 2
    assert writes(venstar_emulator) == [
        ("/control", [("mode", "2"), ("heattemp", "69"), ("cooltemp", "74")])
    ]
    # A new client reads the state first, then writes and reads back.
    assert [r.path for r in venstar_emulator.requests] == [
        "/",
        "/query/info",
        "/control",
        "/query/info",
    ]
    assert client.last_info is info


async def test_mode_change_with_setpoints(
    client: VenstarClient, venstar_emulator: VenstarEmulator
) -> None:
    info = await client.set_hvac_mode(HvacMode.AUTO, heat=66.4, cool=77.5)
    assert (info.mode, info.heat_setpoint, info.cool_setpoint) == (
        HvacMode.AUTO,
        66.0,
        78.0,
    )
    assert (venstar_emulator.state.heattemp, venstar_emulator.state.cooltemp) == (
        66.0,
        78.0,
    )


async def test_mode_change_to_auto_pushes_cool_setpoint(
    client: VenstarClient, venstar_emulator: VenstarEmulator
) -> None:
    venstar_emulator.state.cooltemp = 70.0
    info = await client.set_hvac_mode(HvacMode.AUTO)
    assert (info.heat_setpoint, info.cool_setpoint) == (69.0, 71.0)


async def test_mode_change_stops_a_running_schedule(
    client: VenstarClient, venstar_emulator: VenstarEmulator
) -> None:
    venstar_emulator.state.schedule = 1
    info = await client.set_hvac_mode(HvacMode.COOL)
    assert info.mode is HvacMode.COOL
    assert info.schedule_enabled is False
    assert writes(venstar_emulator) == [
        ("/settings", [("schedule", "0")]),
        ("/control", [("mode", "2"), ("heattemp", "69"), ("cooltemp", "74")]),
    ]


async def test_same_mode_leaves_the_schedule_alone(
    client: VenstarClient, venstar_emulator: VenstarEmulator
) -> None:
    venstar_emulator.state.schedule = 1
    info = await client.set_hvac_mode(HvacMode.HEAT, heat=70)
    assert info.schedule_enabled is True
    assert writes(venstar_emulator) == [
        ("/control", [("heattemp", "70"), ("cooltemp", "74")])
    ]


async def test_failed_mode_change_restores_the_schedule(
    client: VenstarClient, venstar_emulator: VenstarEmulator
) -> None:
    venstar_emulator.state.schedule = 1
    venstar_emulator.faults.http_500(path="/control", count=1)
    with pytest.raises(VenstarApiError) as err:
        await client.set_hvac_mode(HvacMode.COOL)
    assert err.value.status == 500
    assert venstar_emulator.state.schedule == 1
    assert venstar_emulator.state.mode == 1
    assert writes(venstar_emulator)[-1] == ("/settings", [("schedule", "1")])


async def test_failed_restore_is_logged_and_state_forgotten(
    client_factory: ClientFactory,
    venstar_emulator: VenstarEmulator,
    caplog: pytest.LogCaptureFixture,
) -> None:
    client = client_factory(venstar_emulator, timeout=0.3)
    venstar_emulator.state.schedule = 1
    venstar_emulator.faults.timeout(path="/control", count=1)
    task = asyncio.create_task(client.set_hvac_mode(HvacMode.COOL))
    await requested(venstar_emulator, "/control")
    venstar_emulator.state.away = 1  # someone pressed Away on the wall meanwhile
    with pytest.raises(VenstarTimeoutError):
        await task
    assert "Could not undo" in caplog.text
    assert client.last_info is None
    assert venstar_emulator.state.mode == 1


async def test_mode_change_refused_while_away_with_schedule(
    client: VenstarClient, venstar_emulator: VenstarEmulator
) -> None:
    venstar_emulator.state.schedule = 1
    venstar_emulator.state.away = 1
    with pytest.raises(VenstarCommandRejectedError) as err:
        await client.set_hvac_mode(HvacMode.COOL)
    assert_rejected(err.value, "mode_change_schedule_away")
    assert writes(venstar_emulator) == []


async def test_mode_outside_available_modes_is_refused(
    client: VenstarClient, venstar_emulator: VenstarEmulator
) -> None:
    venstar_emulator.state.availablemodes = 2  # heat only
    with pytest.raises(VenstarCommandRejectedError) as err:
        await client.set_hvac_mode(HvacMode.COOL)
    assert_rejected(err.value, "mode_not_available")
    assert err.value.placeholders["mode"] == "cool"
    assert writes(venstar_emulator) == []
    assert (await client.set_hvac_mode(HvacMode.OFF)).mode is HvacMode.OFF


async def test_setpoints_are_rounded_to_whole_fahrenheit(
    client: VenstarClient, venstar_emulator: VenstarEmulator
) -> None:
    info = await client.set_setpoints(heat=70.49999999, cool=75.5)
    assert (info.heat_setpoint, info.cool_setpoint) == (70.0, 76.0)
    assert writes(venstar_emulator) == [
        ("/control", [("heattemp", "70"), ("cooltemp", "76")])
    ]


async def test_setpoints_are_rounded_to_half_celsius(
    venstar_emulator_factory: VenstarEmulatorFactory, client_factory: ClientFactory
) -> None:
    emu = await venstar_emulator_factory(celsius=True)
    client = client_factory(emu)
    info = await client.set_setpoints(heat=21.26, cool=24.1)
    assert (info.heat_setpoint, info.cool_setpoint) == (21.5, 24.0)
    assert writes(emu) == [("/control", [("heattemp", "21.5"), ("cooltemp", "24.0")])]


async def test_single_setpoint_keeps_the_other(
    client: VenstarClient, venstar_emulator: VenstarEmulator
) -> None:
    info = await client.set_setpoints(heat=71)
    assert (info.heat_setpoint, info.cool_setpoint) == (71.0, 74.0)


async def test_setpoint_outside_installer_limits_is_refused(
    client: VenstarClient, venstar_emulator: VenstarEmulator
) -> None:
    venstar_emulator.state.heattempmax = 74.0
    with pytest.raises(VenstarCommandRejectedError) as err:
        await client.set_setpoints(heat=75)
    assert_rejected(err.value, "setpoint_out_of_range")
    assert dict(err.value.placeholders) == {
        "setpoint": "heat",
        "value": "75",
        "min": "35",
        "max": "74",
        "unit": "°F",
    }
    assert "range 35-74°F" in str(err.value)
    assert writes(venstar_emulator) == []


async def test_auto_pushes_the_other_setpoint(
    client: VenstarClient, venstar_emulator: VenstarEmulator
) -> None:
    venstar_emulator.state.mode = 3
    info = await client.set_setpoints(heat=73)
    assert (info.heat_setpoint, info.cool_setpoint) == (73.0, 75.0)
    info = await client.set_setpoints(cool=70)
    assert (info.heat_setpoint, info.cool_setpoint) == (68.0, 70.0)


async def test_auto_delta_boundary_is_accepted(
    client: VenstarClient, venstar_emulator: VenstarEmulator
) -> None:
    venstar_emulator.state.mode = 3
    info = await client.set_setpoints(heat=70, cool=72)
    assert (info.heat_setpoint, info.cool_setpoint) == (70.0, 72.0)


async def test_auto_setpoints_too_close_are_refused(
    client: VenstarClient, venstar_emulator: VenstarEmulator
) -> None:
    venstar_emulator.state.mode = 3
    with pytest.raises(VenstarCommandRejectedError) as err:
        await client.set_setpoints(heat=71, cool=72)
    assert_rejected(err.value, "setpoint_delta")
    assert writes(venstar_emulator) == []


async def test_fan(client: VenstarClient, venstar_emulator: VenstarEmulator) -> None:
    info = await client.set_fan(FanMode.ON)
    assert info.fan is FanMode.ON
    assert info.fan_running is True
    assert writes(venstar_emulator) == [("/control", [("fan", "1")])]


async def test_away_and_schedule(
    client: VenstarClient, venstar_emulator: VenstarEmulator
) -> None:
    assert (await client.set_schedule(True)).schedule_enabled is True
    info = await client.set_away(True)
    assert info.away is True
    with pytest.raises(VenstarCommandRejectedError) as err:
        await client.set_schedule(False)
    assert_rejected(err.value, "schedule_while_away")
    info = await client.set_away(False)
    assert info.away is False
    assert info.schedule_enabled is True
    assert writes(venstar_emulator) == [
        ("/settings", [("schedule", "1")]),
        ("/settings", [("away", "1")]),
        ("/settings", [("away", "0")]),
    ]


async def test_commercial_has_no_away(
    venstar_emulator_factory: VenstarEmulatorFactory, client_factory: ClientFactory
) -> None:
    emu = await venstar_emulator_factory(profile="commercial")
    client = client_factory(emu)
    with pytest.raises(VenstarCommandRejectedError) as err:
        await client.set_away(True)
    assert_rejected(err.value, "not_supported")
    assert (await client.set_schedule(True)).schedule_enabled is True


async def test_humidity_setpoints(
    client: VenstarClient, venstar_emulator: VenstarEmulator
) -> None:
    info = await client.set_humidity_setpoints(humidify=35, dehumidify=60)
    assert (info.humidify_setpoint, info.dehumidify_setpoint) == (35, 60)
    info = await client.set_humidity_setpoints(humidify=40.4)
    assert (info.humidify_setpoint, info.dehumidify_setpoint) == (40, 60)
    assert writes(venstar_emulator)[-1] == (
        "/settings",
        [("hum_setpoint", "40"), ("dehum_setpoint", "60")],
    )
    with pytest.raises(VenstarCommandRejectedError) as err:
        await client.set_humidity_setpoints(dehumidify=42)
    assert_rejected(err.value, "humidity_separation")
    with pytest.raises(VenstarCommandRejectedError) as err:
        await client.set_humidity_setpoints(humidify=61)
    assert_rejected(err.value, "humidity_out_of_range")
    assert len(writes(venstar_emulator)) == 2


async def test_humidity_not_supported(
    venstar_emulator_factory: VenstarEmulatorFactory, client_factory: ClientFactory
) -> None:
    emu = await venstar_emulator_factory(profile="t2000")
    with pytest.raises(VenstarCommandRejectedError) as err:
        await client_factory(emu).set_humidity_setpoints(humidify=30)
    assert_rejected(err.value, "not_supported")


async def test_failed_read_back_forgets_the_state(
    client: VenstarClient, venstar_emulator: VenstarEmulator
) -> None:
    venstar_emulator.faults.latency(0.1, path="/control", count=1)
    task = asyncio.create_task(client.set_fan(FanMode.ON))
    await requested(venstar_emulator, "/control")
    venstar_emulator.faults.malformed_json(path="/query/info", count=1)
    with pytest.raises(VenstarInvalidResponseError):
        await task
    assert venstar_emulator.state.fan == 1
    assert client.last_info is None


async def test_device_refusal_carries_its_reason(
    venstar_emulator_factory: VenstarEmulatorFactory, client_factory: ClientFactory
) -> None:
    emu = await venstar_emulator_factory(https=True, pin="1234")
    client = client_factory(emu, pin="4321")
    with pytest.raises(VenstarApiError) as err:
        await client.set_fan(FanMode.ON)
    assert err.value.reason == "Invalid PIN"
    assert emu.state.fan == 0
    assert client.last_info is not None  # a refusal changes nothing


async def test_expected_identity_checked_before_writing(
    client_factory: ClientFactory, venstar_emulator: VenstarEmulator
) -> None:
    client = client_factory(venstar_emulator, expected_identity=IDENTITY)
    venstar_emulator.faults.identity()
    with pytest.raises(VenstarWrongDeviceError, match="Other Thermostat"):
        await client.set_fan(FanMode.AUTO)
    assert venstar_emulator.state.fan == 0
    assert writes(venstar_emulator) == []


async def test_cancelled_command_finishes_on_the_device(
    client: VenstarClient, venstar_emulator: VenstarEmulator
) -> None:
    venstar_emulator.faults.latency(0.2, path="/control", count=1)
    task = asyncio.create_task(client.set_fan(FanMode.ON))
    await requested(venstar_emulator, "/control")
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    # The write was completed and read back before the cancellation surfaced.
    assert venstar_emulator.state.fan == 1
    assert client.last_info is not None
    assert client.last_info.fan is FanMode.ON
    assert venstar_emulator.requests[-1].path == "/query/info"
    assert venstar_emulator.requests[-1].end is not None


async def test_repeated_cancellation_still_waits_for_the_device(
    client: VenstarClient, venstar_emulator: VenstarEmulator
) -> None:
    venstar_emulator.faults.latency(0.2, path="/control", count=1)
    task = asyncio.create_task(client.set_fan(FanMode.ON))
    await requested(venstar_emulator, "/control")
    for _ in range(3):
        task.cancel()
        await asyncio.sleep(0.02)
    with pytest.raises(asyncio.CancelledError):
        await task
    assert venstar_emulator.state.fan == 1
    assert all(r.end is not None for r in venstar_emulator.requests)


async def test_cancelled_before_writing_sends_nothing(
    client: VenstarClient, venstar_emulator: VenstarEmulator
) -> None:
    venstar_emulator.faults.latency(0.2, path="/query/info", count=1)
    task = asyncio.create_task(client.set_fan(FanMode.ON))
    await requested(venstar_emulator, "/query/info")
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert writes(venstar_emulator) == []
    assert all(r.end is not None for r in venstar_emulator.requests)
    assert (await client.info()).fan is FanMode.AUTO
