"""`POST /control` follows the firmware's rules and answers its exact error strings."""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest

from emulators.venstar import VenstarEmulator

from .helpers import info, post_form

BOTH = "Both Setpoints are required"


async def test_setpoints_and_mode_change_state(
    venstar_emulator: VenstarEmulator,
) -> None:
    result = await post_form(
        venstar_emulator, "control", {"mode": 3, "heattemp": 66, "cooltemp": 76}
    )
    assert result == {"success": True}
    body = await info(venstar_emulator)
    assert (body["mode"], body["heattemp"], body["cooltemp"]) == (3, 66.0, 76.0)


async def test_fan_alone_is_accepted(venstar_emulator: VenstarEmulator) -> None:
    assert await post_form(venstar_emulator, "control", {"fan": 1}) == {"success": True}
    body = await info(venstar_emulator)
    assert body["fan"] == 1
    assert body["fanstate"] == 1


@pytest.mark.parametrize(
    "form",
    [
        {"mode": 2},
        {"mode": 2, "heattemp": 68},
        {"mode": 2, "cooltemp": 75},
        {"heattemp": 68},
        {"cooltemp": 75},
        {"heattemp": 68.125, "cooltemp": 75},
        {"heattemp": 68, "cooltemp": "75.333"},
    ],
)
async def test_both_setpoints_required(
    venstar_emulator: VenstarEmulator, form: dict[str, Any]
) -> None:
    before = await info(venstar_emulator)
    result = await post_form(venstar_emulator, "control", form)
    assert result == {"error": True, "reason": BOTH}
    assert await info(venstar_emulator) == before


async def test_two_decimals_are_accepted_and_rounded_to_display(
    venstar_emulator: VenstarEmulator,
) -> None:
    result = await post_form(
        venstar_emulator, "control", {"heattemp": "67.75", "cooltemp": "75.25"}
    )
    assert result == {"success": True}
    body = await info(venstar_emulator)
    assert (body["heattemp"], body["cooltemp"]) == (68.0, 75.0)


async def test_mode_change_refused_while_schedule_runs(
    venstar_emulator: VenstarEmulator,
) -> None:
    assert await post_form(venstar_emulator, "settings", {"schedule": 1}) == {
        "success": True
    }
    result = await post_form(
        venstar_emulator, "control", {"mode": 2, "heattemp": 69, "cooltemp": 74}
    )
    assert result == {
        "error": True,
        "reason": "Mode change is not allowed when running schedule",
    }
    same_mode = await post_form(
        venstar_emulator, "control", {"mode": 1, "heattemp": 70, "cooltemp": 74}
    )
    assert same_mode == {"success": True}
    assert (await info(venstar_emulator))["mode"] == 1


@pytest.mark.parametrize(
    ("heat", "cool", "reason"),
    [
        (34, 74, "New value less than alowed min"),
        (69, 34, "New value less than alowed min"),
        (100, 101, "Wrong Setpoints"),
        (69, 100, "Wrong Setpoints"),
    ],
)
async def test_limits(
    venstar_emulator: VenstarEmulator, heat: float, cool: float, reason: str
) -> None:
    result = await post_form(
        venstar_emulator, "control", {"heattemp": heat, "cooltemp": cool}
    )
    assert result == {"error": True, "reason": reason}


async def test_limits_are_inclusive(venstar_emulator: VenstarEmulator) -> None:
    result = await post_form(
        venstar_emulator, "control", {"heattemp": 35, "cooltemp": 99}
    )
    assert result == {"success": True}


async def test_installer_restricted_limits(venstar_emulator: VenstarEmulator) -> None:
    venstar_emulator.state.cooltempmin = 69.0
    venstar_emulator.state.heattempmax = 74.0
    assert await post_form(
        venstar_emulator, "control", {"heattemp": 75, "cooltemp": 78}
    ) == {
        "error": True,
        "reason": "Wrong Setpoints",
    }
    assert await post_form(
        venstar_emulator, "control", {"heattemp": 66, "cooltemp": 68}
    ) == {
        "error": True,
        "reason": "New value less than alowed min",
    }


async def test_auto_needs_setpointdelta(venstar_emulator: VenstarEmulator) -> None:
    too_close = await post_form(
        venstar_emulator, "control", {"mode": 3, "heattemp": 70, "cooltemp": 71}
    )
    assert too_close == {"error": True, "reason": "Wrong Setpoints"}
    boundary = await post_form(
        venstar_emulator, "control", {"mode": 3, "heattemp": 70, "cooltemp": 72}
    )
    assert boundary == {"success": True}


async def test_heat_mode_does_not_need_delta(venstar_emulator: VenstarEmulator) -> None:
    result = await post_form(
        venstar_emulator, "control", {"mode": 1, "heattemp": 72, "cooltemp": 72}
    )
    assert result == {"success": True}


@pytest.mark.parametrize(
    ("availablemodes", "mode", "accepted"),
    [
        (0, 3, True),
        (1, 3, False),
        (1, 2, True),
        (2, 2, False),
        (2, 1, True),
        (3, 1, False),
        (3, 0, True),
    ],
)
async def test_availablemodes(
    venstar_emulator: VenstarEmulator, availablemodes: int, mode: int, accepted: bool
) -> None:
    venstar_emulator.state.availablemodes = availablemodes
    result = await post_form(
        venstar_emulator, "control", {"mode": mode, "heattemp": 68, "cooltemp": 75}
    )
    if accepted:
        assert result == {"success": True}
        assert (await info(venstar_emulator))["mode"] == mode
    else:
        assert result == {
            "error": True,
            "reason": "Mode is not available on this thermostat",
        }


@pytest.mark.parametrize(
    ("form", "reason"),
    [
        ({"mode": 4, "heattemp": 68, "cooltemp": 75}, "Invalid value for mode"),
        ({"mode": "heat", "heattemp": 68, "cooltemp": 75}, "Invalid value for mode"),
        ({"fan": 2}, "Invalid value for fan"),
        ({"heattemp": "warm", "cooltemp": 75}, "Invalid value for heattemp"),
        ({"heattemp": 68, "cooltemp": "nan"}, "Invalid value for cooltemp"),
        ({"swing": 1}, "Unknown parameter swing"),
        ({}, "No parameters"),
    ],
)
async def test_invalid_values_rejected(
    venstar_emulator: VenstarEmulator, form: dict[str, Any], reason: str
) -> None:
    assert await post_form(venstar_emulator, "control", form) == {
        "error": True,
        "reason": reason,
    }


async def test_celsius_setpoints_round_to_half_degrees(
    venstar_emulator_factory: Any,
) -> None:
    emu = await venstar_emulator_factory(celsius=True)
    result = await post_form(emu, "control", {"heattemp": "20.25", "cooltemp": "24.7"})
    assert result == {"success": True}
    body = await info(emu)
    assert (body["heattemp"], body["cooltemp"]) == (20.5, 24.5)


@pytest.mark.parametrize("content_type", [None, "text/plain"])
async def test_form_body_is_read_whatever_the_content_type(
    venstar_emulator: VenstarEmulator, content_type: str | None
) -> None:
    """HA core's venstarcolortouch posts ``key=value`` bodies with no Content-Type."""
    headers = {"Content-Type": content_type} if content_type else {}
    async with (
        aiohttp.ClientSession(skip_auto_headers=("Content-Type",)) as session,
        session.post(
            venstar_emulator.base_url + "control",
            data=b"mode=3&heattemp=66&cooltemp=76",
            headers=headers,
        ) as response,
    ):
        assert "Content-Type" not in response.request_info.headers or content_type
        assert await response.json() == {"success": True}
    body = await info(venstar_emulator)
    assert (body["mode"], body["heattemp"], body["cooltemp"]) == (3, 66.0, 76.0)
