"""Profiles: T2000, legacy (API 3), commercial and the Celsius option."""

from __future__ import annotations

from typing import Any

import pytest

from emulators.venstar import PROFILES, VenstarEmulator

from .helpers import get_json, info, post_form

HUMIDITY = {"hum", "hum_active", "hum_setpoint", "dehum_setpoint"}


async def test_t2000_answers_like_a_real_t2000(
    venstar_emulator_factory: Any,
) -> None:
    """API 7 root, decimal temperatures, an integer setpointdelta, integer sensor temps."""
    emu = await venstar_emulator_factory(profile="t2000")
    root = await get_json(emu, "")
    assert root == {
        "api_ver": 7,
        "type": "residential",
        "model": "T2000",
        "firmware": "5.65",
    }
    body = await info(emu)
    assert not HUMIDITY & body.keys()
    assert list(body)[:4] == ["name", "mode", "state", "activestage"]
    assert list(body)[-2:] == ["setpointdelta", "availablemodes"]
    for key in ("spacetemp", "heattemp", "cooltemp", "heattempmin"):
        assert type(body[key]) is float
    assert type(body["setpointdelta"]) is int
    sensors = (await get_json(emu, "query/sensors"))["sensors"]
    assert all(
        type(sensor["temp"]) is int and "hum" not in sensor for sensor in sensors
    )


@pytest.mark.parametrize(
    "kwargs", [{"https": True}, {"username": "u", "password": "p"}]
)
@pytest.mark.parametrize("profile", ["t2000", "legacy"])
def test_http_only_profiles_refuse_https_and_auth(
    profile: str, kwargs: dict[str, Any]
) -> None:
    with pytest.raises(ValueError, match="neither HTTPS nor auth"):
        VenstarEmulator(profile, **kwargs)


async def test_legacy_root_has_no_model_or_firmware(
    venstar_emulator_factory: Any,
) -> None:
    emu = await venstar_emulator_factory(profile="legacy")
    assert await get_json(emu, "") == {"api_ver": 3, "type": "residential"}
    body = await info(emu)
    assert "activestage" not in body
    assert not HUMIDITY & body.keys()
    assert body["away"] == 0


async def test_commercial_has_override_instead_of_away(
    venstar_emulator_factory: Any,
) -> None:
    emu = await venstar_emulator_factory(profile="commercial")
    root = await get_json(emu, "")
    assert root["type"] == "commercial"
    body = await info(emu)
    assert "away" not in body
    assert {
        "holiday": 0,
        "override": 0,
        "overridetime": 0,
        "forceunocc": 0,
    }.items() <= body.items()
    keys = list(body)
    assert keys.index("holiday") == keys.index("schedulepart") + 1
    runtimes = (await get_json(emu, "query/runtimes"))["runtimes"]
    assert all("ov" in day for day in runtimes)


async def test_celsius_option(venstar_emulator_factory: Any) -> None:
    emu = await venstar_emulator_factory(celsius=True)
    body = await info(emu)
    assert body["tempunits"] == 1
    for key in ("spacetemp", "heattemp", "cooltemp", "setpointdelta"):
        assert isinstance(body[key], float)
        assert (body[key] * 2) == int(body[key] * 2)
    assert body["spacetemp"] == 21.5


async def test_name_option(venstar_emulator_factory: Any) -> None:
    emu = await venstar_emulator_factory(name="Living Room")
    assert (await info(emu))["name"] == "Living Room"


def test_unknown_profile_and_bad_arguments() -> None:
    assert set(PROFILES) == {"colortouch", "t2000", "legacy", "t5900", "commercial"}
    with pytest.raises(ValueError, match="unknown profile"):
        VenstarEmulator("t9999")
    with pytest.raises(ValueError, match="go together"):
        VenstarEmulator(username="u")
    with pytest.raises(ValueError, match="4 digits"):
        VenstarEmulator(pin="12")
    with pytest.raises(ValueError, match="positive"):
        VenstarEmulator(time_scale=0)
    with pytest.raises(ValueError, match="digest algorithms"):
        VenstarEmulator(
            https=True, username="u", password="p", digest_algorithms=("SHA-1",)
        )
    with pytest.raises(ValueError, match="need https"):
        VenstarEmulator(username="u", password="p")


async def test_context_manager_and_lists(socket_enabled: None) -> None:
    async with VenstarEmulator() as emu:
        assert emu.port > 0
        assert [a.name for a in emu.alerts] == ["Air Filter", "UV Lamp", "Service"]
        assert emu.runtimes[-1].minutes("cool1") == 12
        with pytest.raises(RuntimeError, match="already started"):
            await emu.start()
        with pytest.raises(ValueError, match="type is one of"):
            emu.add_remote_sensor(1, "Attic", 90.0, type="Attic")
        assert emu.set_alert("UV Lamp", True).active
        assert not emu.remove_sensor("Nowhere")
    assert emu.port > 0


async def test_t2000_in_celsius_keeps_half_degrees(
    venstar_emulator_factory: Any,
) -> None:
    """A real T2000 in °C serves 20.5, not 21 (and accepts and keeps half degrees)."""
    emu = await venstar_emulator_factory(profile="t2000", celsius=True)
    body = await info(emu)
    assert body["tempunits"] == 1
    assert (body["spacetemp"], body["heattemp"], body["cooltemp"]) == (22.0, 20.0, 24.5)
    assert (body["heattempmin"], body["heattempmax"]) == (1.5, 37.0)
    assert await post_form(emu, "control", {"heattemp": 20.5, "cooltemp": 24.5}) == {
        "success": True
    }
    assert (await info(emu))["heattemp"] == 20.5


async def test_t5900_serves_humidity_in_the_wrong_fields(
    venstar_emulator_factory: Any,
) -> None:
    """API 5 T5900 firmware 4.08: room humidity as hum_setpoint, setpoints shifted."""
    emu = await venstar_emulator_factory(profile="t5900")
    assert await get_json(emu, "") == {
        "api_ver": 5,
        "type": "residential",
        "firmware": "4.08",
    }
    body = await info(emu)
    assert (body["hum"], body["hum_setpoint"]) == (0, 44)
    assert (body["dehum_setpoint"], body["hum_active"]) == (35, 55)
    assert await post_form(
        emu, "settings", {"hum_setpoint": 30, "dehum_setpoint": 60}
    ) == {"success": True}
    body = await info(emu)
    assert (body["hum_setpoint"], body["dehum_setpoint"], body["hum_active"]) == (
        44,
        30,
        60,
    )
