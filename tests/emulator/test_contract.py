"""The ColorTouch profile answers exactly what the real T7850 captures hold."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from emulators.venstar import VenstarEmulator

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "venstar"

CAPTURES = {
    "": "colortouch_root.json",
    "query/info": "colortouch_info.json",
    "query/sensors": "colortouch_sensors.json",
    "query/runtimes": "colortouch_runtimes.json",
    "query/alerts": "colortouch_alerts.json",
}


def _shape(value: Any) -> Any:
    """Keys (in order) and value types, recursively."""
    if isinstance(value, dict):
        return [(key, _shape(item)) for key, item in value.items()]
    if isinstance(value, list):
        return [_shape(item) for item in value]
    return type(value).__name__


@pytest.mark.parametrize(("path", "capture"), CAPTURES.items())
async def test_colortouch_matches_capture(
    venstar_emulator: VenstarEmulator, path: str, capture: str
) -> None:
    expected = json.loads((FIXTURES / capture).read_text())
    async with (
        aiohttp.ClientSession() as session,
        session.get(venstar_emulator.base_url + path) as response,
    ):
        assert response.status == 200
        assert response.content_type == "application/json"
        body = await response.json()
    assert _shape(body) == _shape(expected)
    if path == "query/sensors":
        # The capture's built-in sensors (70 °F) were read at another moment than its info
        # (71 °F); a unit reports one room temperature, so the emulator's sensors follow
        # the info. Everything else is the capture.
        space = venstar_emulator.state.spacetemp
        for sensor in expected["sensors"]:
            sensor["temp"] = space
    assert body == expected


async def test_room_sensors_agree_with_info(venstar_emulator: VenstarEmulator) -> None:
    """Setting the room temperature moves the built-in sensors too (HA core reads those)."""
    venstar_emulator.state.spacetemp = 75.0
    venstar_emulator.add_remote_sensor(1, "Bedroom", 66.0)
    async with aiohttp.ClientSession() as session:
        async with session.get(venstar_emulator.base_url + "query/info") as response:
            info = await response.json()
        async with session.get(venstar_emulator.base_url + "query/sensors") as response:
            sensors = {s["name"]: s["temp"] for s in (await response.json())["sensors"]}
    assert info["spacetemp"] == 75.0
    assert sensors == {"Thermostat": 75.0, "Space Temp": 75.0, "Bedroom": 66.0}


async def test_base_url_is_loopback_http(venstar_emulator: VenstarEmulator) -> None:
    assert venstar_emulator.base_url == f"http://127.0.0.1:{venstar_emulator.port}/"
    assert venstar_emulator.port > 0
    assert venstar_emulator.certificate_fingerprint is None


async def test_factory_starts_independent_emulators(
    venstar_emulator_factory: Any,
) -> None:
    first = await venstar_emulator_factory(name="Upstairs")
    second = await venstar_emulator_factory(name="Downstairs", mac="00:23:a7:00:00:02")
    assert first.port != second.port
    async with aiohttp.ClientSession() as session:
        for emu, name in ((first, "Upstairs"), (second, "Downstairs")):
            async with session.get(emu.base_url + "query/info") as response:
                assert (await response.json())["name"] == name
