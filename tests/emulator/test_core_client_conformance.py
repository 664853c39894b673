"""HA core's own Venstar client (``venstarcolortouch==0.19``) against the emulator.

The emulator imitates the device, so a third-party client that works with real thermostats
must work with it: every read, every write and the device's refusals, over plain HTTP and
over HTTPS with Digest auth and the screen-lock PIN (which that client sends in the URL of
every request). The client uses blocking ``requests``; it runs in a worker thread while the
emulator answers on the test's event loop, over loopback.

Its ``set_settings`` always sends ``hum_setpoint``/``dehum_setpoint`` (``None`` on models
without humidity); HA core only calls it where the unit reports humidity, so it is not
driven on the T2000 here.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest
from venstarcolortouch import VenstarColorTouch

from emulators.venstar import VenstarEmulator
from tests.venstar_fixtures import VenstarEmulatorFactory

# That client turns certificate verification off for the thermostat's self-signed one.
pytestmark = pytest.mark.filterwarnings(
    "ignore::urllib3.exceptions.InsecureRequestWarning"
)

SECURE = {"https": True, "username": "admin", "password": "s3cret", "pin": "0042"}


def _core_client(emu: VenstarEmulator, **overrides: Any) -> VenstarColorTouch:
    options: dict[str, Any] = {
        "addr": f"127.0.0.1:{emu.port}",
        "timeout": 5,
        "proto": "https" if emu.https else "http",
    }
    if emu.digest is not None:
        options.update(user=emu.digest.username, password=emu.digest.password)
    if emu.pin is not None:
        options["pin"] = emu.pin
    options.update(overrides)
    return VenstarColorTouch(**options)


async def _run[T](call: Callable[[], T]) -> T:
    """Run a blocking client call in a worker thread; the emulator keeps answering."""
    return await asyncio.to_thread(call)


@pytest.mark.parametrize("secure", [False, True], ids=["http", "https-digest-pin"])
async def test_every_read_matches_the_device(
    venstar_emulator_factory: VenstarEmulatorFactory, secure: bool
) -> None:
    emu = await venstar_emulator_factory(**(SECURE if secure else {}))
    emu.state.spacetemp = 73.0
    emu.add_remote_sensor(1, "Bedroom", 68.0, battery=90)
    core = _core_client(emu)
    assert await _run(core.login)
    assert await _run(core.update)
    assert (core.get_api_ver(), core.get_type(), core.model) == (
        7,
        "residential",
        "COLORTOUCH",
    )
    assert core.get_firmware_ver() == (5, 1)
    assert (core.name, core.mode, core.heattemp, core.cooltemp) == (
        "COLORTOUCH",
        core.MODE_HEAT,
        69.0,
        74.0,
    )
    assert (core.tempunits, core.away, core.schedule) == (0, 0, 0)
    assert (core.hum_setpoint, core.dehum_setpoint, core.hum_active) == (30, 99, 0)
    # The sensors agree with the info (HA core shows the sensors' temperature).
    assert core.get_indoor_temp() == 73.0
    assert core.get_indoor_humidity() == 41
    assert core.get_outdoor_temp() is None
    assert core.get_sensor("Bedroom", "battery") == 90
    assert core.get_sensor_list("Remote") == ["Bedroom"]
    assert core.runtimes[-1]["cool1"] == 12
    assert [alert["name"] for alert in core.alerts] == [
        "Air Filter",
        "UV Lamp",
        "Service",
    ]
    paths = {r.path for r in emu.requests}
    assert paths == {
        "/",
        "/query/info",
        "/query/sensors",
        "/query/runtimes",
        "/query/alerts",
    }
    if secure:
        assert all(r.query == {"pin": "0042"} for r in emu.requests)
        assert {r.status for r in emu.requests} == {200, 401}


@pytest.mark.parametrize("secure", [False, True], ids=["http", "https-digest-pin"])
async def test_every_write_and_refusal_as_on_the_device(
    venstar_emulator_factory: VenstarEmulatorFactory, secure: bool
) -> None:
    emu = await venstar_emulator_factory(**(SECURE if secure else {}))
    core = _core_client(emu)
    assert await _run(core.update_info)
    state = emu.state

    # Setpoints (sent as a pair), mode (with both setpoints), fan (alone).
    assert await _run(lambda: core.set_setpoints(70, 76))
    assert (state.heattemp, state.cooltemp) == (70, 76)
    assert await _run(lambda: core.set_mode(core.MODE_COOL))
    assert state.mode == 2
    assert await _run(lambda: core.set_fan(core.FAN_ON))
    assert state.fan == 1
    # A setpoint outside the limits: the device's own refusal, nothing changes.
    assert not await _run(lambda: core.set_setpoints(20, 76))
    assert (state.heattemp, state.cooltemp) == (70, 76)
    # Schedule on, then a mode change refused while it runs.
    assert await _run(lambda: core.set_schedule(1))
    assert state.schedule == 1
    assert not await _run(lambda: core.set_mode(core.MODE_HEAT))
    assert state.mode == 2
    # Away stops the schedule first (that client's way), then leaving away.
    assert await _run(lambda: core.set_away(1))
    assert (state.away, state.schedule) == (1, 0)
    assert await _run(lambda: core.set_away(0))
    assert state.away == 0
    # Auto with setpoints closer than the delta: refused by the device.
    core.heattemp, core.cooltemp = 74, 75
    assert not await _run(lambda: core.set_mode(core.MODE_AUTO))
    assert state.mode == 2
    # Humidity setpoints through /settings (with tempunits, as that client sends them).
    assert await _run(lambda: core.set_hum_setpoint(40))
    assert (state.hum_setpoint, state.dehum_setpoint, state.tempunits) == (40, 99, 0)
    assert not await _run(lambda: core.set_dehum_setpoint(42))
    assert (state.hum_setpoint, state.dehum_setpoint) == (40, 99)
    # Every form arrived without a Content-Type header and was read all the same.
    posts = [r for r in emu.requests if r.method == "POST"]
    assert posts
    assert all("Content-Type" not in r.headers for r in posts)


async def test_celsius_half_degrees_round_trip(
    venstar_emulator_factory: VenstarEmulatorFactory,
) -> None:
    emu = await venstar_emulator_factory(profile="t2000", celsius=True)
    core = _core_client(emu)
    assert await _run(core.update_info)
    assert core.tempunits == core.TEMPUNITS_C
    assert await _run(lambda: core.set_setpoints(20.5, 24.5))
    assert await _run(core.update_info)
    assert (core.heattemp, core.cooltemp) == (20.5, 24.5)
    assert await _run(core.update_sensors)
    assert core.get_indoor_temp() == 22  # the T2000 reports whole degrees there


@pytest.mark.parametrize("profile", ["t2000", "legacy", "t5900", "commercial"])
async def test_other_models_read_as_the_core_client_expects(
    venstar_emulator_factory: VenstarEmulatorFactory, profile: str
) -> None:
    emu = await venstar_emulator_factory(profile=profile)
    core = _core_client(emu)
    assert await _run(core.update)
    assert core.get_indoor_temp() == emu.state.spacetemp
    assert await _run(lambda: core.set_fan(core.FAN_ON))
    assert emu.state.fan == 1
    assert await _run(lambda: core.set_setpoints(66, 78))
    assert (emu.state.heattemp, emu.state.cooltemp) == (66, 78)
    if profile == "commercial":
        assert core.away is None  # not read on commercial units
    else:
        assert await _run(lambda: core.set_away(1))
        assert emu.state.away == 1


async def test_wrong_credentials_and_pin_are_refused(
    venstar_emulator_factory: VenstarEmulatorFactory,
) -> None:
    emu = await venstar_emulator_factory(**SECURE)
    assert not await _run(_core_client(emu, password="wrong").update_info)
    core = _core_client(emu, pin="1234")
    assert await _run(core.update_info)  # reads need no PIN
    assert not await _run(lambda: core.set_fan(core.FAN_ON))
    assert emu.state.fan == 0
    assert emu.requests[-1].status == 200  # the device's own {"error": ...} answer
