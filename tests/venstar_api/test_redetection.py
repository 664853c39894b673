"""A firmware update or reboot between two polls is noticed, and the defects re-detected."""

from __future__ import annotations

from custom_components.venstar_local.api import FanMode, Quirk, TemperatureUnit
from custom_components.venstar_local.api.client import API_INFO_MAX_AGE
from tests.venstar_fixtures import VenstarEmulatorFactory

from .conftest import ClientFactory


def _paths(emu: object, since: int) -> list[str]:
    return [r.path for r in emu.requests[since:]]  # type: ignore[attr-defined]


async def test_unit_fix_by_a_firmware_update_is_noticed_at_once(
    venstar_emulator_factory: VenstarEmulatorFactory, client_factory: ClientFactory
) -> None:
    """T2000 4.38 reports °C whatever the unit says; once updated to 5.65 it reports °F.

    The first info after the update contradicts the assumed defect (a heat limit only °F
    can have), so GET / is read again before that info is interpreted: no °F value is ever
    shown as °C.
    """
    emu = await venstar_emulator_factory(profile="t2000")
    emu.identity = {"firmware": "4.38"}
    client = client_factory(emu)
    info = await client.info()
    assert client.quirks == Quirk.ALWAYS_CELSIUS
    assert info.temperature_unit is TemperatureUnit.CELSIUS
    assert info.space_temperature == 22.0  # 72 °F reported in °C by the old firmware
    emu.identity = {}  # updated to 5.65 (and rebooted) between two polls
    start = len(emu.requests)
    info = await client.info()
    assert _paths(emu, start) == ["/query/info", "/"]
    assert client.quirks == Quirk.NONE
    assert info.temperature_unit is TemperatureUnit.FAHRENHEIT
    assert (info.space_temperature, info.heat_setpoint_max) == (72.0, 99.0)
    assert info.invalid == {}


async def test_dropped_connection_rereads_the_firmware(
    venstar_emulator_factory: VenstarEmulatorFactory, client_factory: ClientFactory
) -> None:
    """A reboot drops connections: the retried read is followed by a fresh GET /."""
    emu = await venstar_emulator_factory(profile="t2000")
    emu.identity = {"firmware": "5.28"}  # swaps fan and fanstate
    client = client_factory(emu)
    assert client.quirks is None
    emu.state.fan = 1
    assert (await client.info()).fan is FanMode.ON
    assert client.quirks == Quirk.FAN_SWAPPED
    emu.identity = {}  # 5.65 fixed the swap; the update rebooted the unit
    # Two resets: aiohttp itself silently retries a reused connection once.
    emu.faults.reset(path="/query/info", count=2)
    start = len(emu.requests)
    info = await client.info()
    assert _paths(emu, start) == ["/query/info"] * 3 + ["/"]
    assert client.quirks == Quirk.NONE
    assert info.fan is FanMode.ON
    assert info.fan_running is True


async def test_firmware_is_reread_when_old_even_without_a_sign(
    venstar_emulator_factory: VenstarEmulatorFactory, client_factory: ClientFactory
) -> None:
    now = [1000.0]
    emu = await venstar_emulator_factory()
    client = client_factory(emu, clock=lambda: now[0])
    await client.info()
    start = len(emu.requests)
    now[0] += API_INFO_MAX_AGE - 1
    await client.info()
    assert _paths(emu, start) == ["/query/info"]
    emu.identity = {"firmware": "5.2"}
    now[0] += 1
    await client.info()
    assert _paths(emu, start + 1) == ["/", "/query/info"]
    assert client.last_api_info is not None
    assert client.last_api_info.firmware == (5, 2)


async def test_fresh_challenge_after_a_reboot_rereads_the_firmware(
    venstar_emulator_factory: VenstarEmulatorFactory, client_factory: ClientFactory
) -> None:
    """A unit that forgot its digest nonces restarted: GET / is read again."""
    emu = await venstar_emulator_factory(https=True, username="admin", password="pw")
    client = client_factory(emu, username="admin", password="pw")
    await client.info()
    assert emu.digest is not None
    emu.digest._nonce_counts.clear()
    start = len(emu.requests)
    await client.info()
    assert [(r.path, r.status) for r in emu.requests[start:]] == [
        ("/query/info", 401),
        ("/query/info", 200),
        ("/", 200),
    ]
