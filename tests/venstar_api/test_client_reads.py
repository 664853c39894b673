"""Every read endpoint against the emulator, for every emulated model."""

from __future__ import annotations

import pytest

from custom_components.venstar_local.api import (
    DeviceType,
    HvacMode,
    Quirk,
    SensorType,
    TemperatureUnit,
    VenstarClient,
)
from emulators.venstar import VenstarEmulator
from tests.venstar_fixtures import VenstarEmulatorFactory

from .conftest import ClientFactory


async def test_colortouch_reads_match_the_captures(
    client: VenstarClient, venstar_emulator: VenstarEmulator
) -> None:
    api = await client.api_info()
    assert (api.api_version, api.device_type, api.model, api.firmware) == (
        7,
        DeviceType.RESIDENTIAL,
        "COLORTOUCH",
        (5, 1),
    )
    info = await client.info()
    assert client.last_info is info
    assert (info.name, info.mode, info.heat_setpoint, info.cool_setpoint) == (
        "COLORTOUCH",
        HvacMode.HEAT,
        69.0,
        74.0,
    )
    assert info.humidity == 41
    sensors = await client.sensors()
    assert [(s.name, s.type, s.temperature) for s in sensors] == [
        ("Thermostat", SensorType.LOCAL, 71.0),
        ("Space Temp", SensorType.CONTROL, 71.0),
    ]
    runtimes = await client.runtimes()
    assert [day.cool1 for day in runtimes] == [156, 216, 234, 225, 153, 94, 12]
    alerts = await client.alerts()
    assert {alert.name: alert.active for alert in alerts} == {
        "Air Filter": True,
        "UV Lamp": False,
        "Service": False,
    }
    assert [(r.method, r.path) for r in venstar_emulator.requests] == [
        ("GET", "/"),
        ("GET", "/query/info"),
        ("GET", "/query/sensors"),
        ("GET", "/query/runtimes"),
        ("GET", "/query/alerts"),
    ]
    assert client.request_count == 5
    assert client.quirks == Quirk.NONE


async def test_first_info_learns_the_model_once(
    client: VenstarClient, venstar_emulator: VenstarEmulator
) -> None:
    assert client.quirks is None
    await client.info()
    await client.info()
    assert [r.path for r in venstar_emulator.requests] == [
        "/",
        "/query/info",
        "/query/info",
    ]


async def test_remote_sensors_and_alert_changes(
    client: VenstarClient, venstar_emulator: VenstarEmulator
) -> None:
    venstar_emulator.add_remote_sensor(3, "Bedroom", 68.0, battery=80)
    venstar_emulator.add_remote_sensor(4, "Porch", 40.0, type="Outdoor")
    venstar_emulator.set_alert("Service", True)
    sensors = {sensor.name: sensor for sensor in await client.sensors()}
    assert (sensors["Bedroom"].id, sensors["Bedroom"].battery) == (3, 80)
    assert sensors["Bedroom"].type is SensorType.REMOTE
    assert sensors["Porch"].type is SensorType.OUTDOOR
    assert {a.name for a in await client.alerts() if a.active} == {
        "Air Filter",
        "Service",
    }


async def test_t2000_int_numbers_without_humidity(
    venstar_emulator_factory: VenstarEmulatorFactory, client_factory: ClientFactory
) -> None:
    emu = await venstar_emulator_factory(profile="t2000")
    client = client_factory(emu)
    info = await client.info()
    assert (info.mode, info.heat_setpoint, info.cool_setpoint) == (
        HvacMode.COOL,
        68.0,
        76.0,
    )
    assert isinstance(info.heat_setpoint, float)
    assert info.humidity is None
    assert info.supports_humidity_setpoints is False
    assert client.quirks == Quirk.NONE


async def test_legacy_api3_infers_fahrenheit(
    venstar_emulator_factory: VenstarEmulatorFactory, client_factory: ClientFactory
) -> None:
    emu = await venstar_emulator_factory(profile="legacy")
    client = client_factory(emu)
    api = await client.api_info()
    assert (api.api_version, api.model, api.firmware) == (3, None, None)
    info = await client.info()
    assert info.temperature_unit is TemperatureUnit.FAHRENHEIT
    assert info.active_stage is None


async def test_legacy_api3_infers_celsius(
    venstar_emulator_factory: VenstarEmulatorFactory, client_factory: ClientFactory
) -> None:
    emu = await venstar_emulator_factory(profile="legacy", celsius=True)
    emu.state.tempunits = 0  # a unit claiming °F while its limits are plainly °C
    info = await client_factory(emu).info()
    assert info.temperature_unit is TemperatureUnit.CELSIUS
    assert info.display_unit is TemperatureUnit.FAHRENHEIT


async def test_commercial_fields(
    venstar_emulator_factory: VenstarEmulatorFactory, client_factory: ClientFactory
) -> None:
    emu = await venstar_emulator_factory(profile="commercial")
    client = client_factory(emu)
    info = await client.info()
    assert info.away is None
    assert info.is_commercial
    assert (info.holiday, info.override, info.override_minutes) == (False, False, 0)
    runtimes = await client.runtimes()
    assert runtimes[-1].override == 0


async def test_celsius_half_degrees(
    venstar_emulator_factory: VenstarEmulatorFactory, client_factory: ClientFactory
) -> None:
    emu = await venstar_emulator_factory(celsius=True)
    client = client_factory(emu)
    sensors = await client.sensors()  # learns the unit from info first
    assert [r.path for r in emu.requests] == ["/", "/query/info", "/query/sensors"]
    assert {sensor.temperature_unit for sensor in sensors} == {TemperatureUnit.CELSIUS}
    info = await client.info()
    assert info.temperature_unit is TemperatureUnit.CELSIUS
    assert info.heat_setpoint == pytest.approx(20.5)
    assert (info.heat_setpoint * 2).is_integer()


async def test_quirks_override_applies(
    client_factory: ClientFactory, venstar_emulator: VenstarEmulator
) -> None:
    venstar_emulator.state.fan = 1
    venstar_emulator.state.fanstate = 0
    client = client_factory(venstar_emulator, quirks=Quirk.FAN_SWAPPED)
    info = await client.info()
    assert client.quirks == Quirk.FAN_SWAPPED
    assert info.fan_running is True


async def test_detected_quirk_from_the_root(
    venstar_emulator_factory: VenstarEmulatorFactory, client_factory: ClientFactory
) -> None:
    emu = await venstar_emulator_factory(profile="t2000")
    emu.identity = {"firmware": "4.38"}
    emu.state.tempunits = 0
    client = client_factory(emu)
    info = await client.info()
    assert client.quirks == Quirk.ALWAYS_CELSIUS
    assert info.temperature_unit is TemperatureUnit.CELSIUS
