"""The `/_emulator/` JSON control endpoint used by demos and end-to-end tests."""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
import pytest

from emulators.venstar import VenstarEmulator, recording

from .helpers import get_json, info


async def _call(
    emu: VenstarEmulator, method: str, path: str, body: Any = None
) -> tuple[int, Any]:
    async with (
        aiohttp.ClientSession() as session,
        session.request(
            method, emu.base_url + "_emulator/" + path, json=body
        ) as response,
    ):
        return response.status, await response.json()


async def test_state_dump_and_edit(venstar_emulator: VenstarEmulator) -> None:
    status, dump = await _call(venstar_emulator, "GET", "state")
    assert status == 200
    assert dump["profile"] == "colortouch"
    assert dump["info"]["spacetemp"] == 71.0
    assert dump["rates"] == {
        "heat_rate": 4.0,
        "cool_rate": 3.0,
        "drift_rate": 1.0,
        "outdoor_temp": 50.0,
    }
    status, dump = await _call(
        venstar_emulator, "POST", "state", {"spacetemp": 65.0, "name": "Hall"}
    )
    assert status == 200
    body = await info(venstar_emulator)
    assert (body["spacetemp"], body["name"]) == (65.0, "Hall")
    # Control calls are not part of the device's request record.
    assert [r.path for r in venstar_emulator.requests] == ["/query/info"]


async def test_state_tempunits_converts(venstar_emulator: VenstarEmulator) -> None:
    await _call(venstar_emulator, "POST", "state", {"tempunits": 1})
    assert (await info(venstar_emulator))["heattemp"] == 20.5


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "state", {"colour": 1}),
        ("POST", "state", {"name": 3}),
        ("POST", "state", {"mode": "heat"}),
        ("POST", "state", [1, 2]),
        ("POST", "alerts", {"name": "Service"}),
        ("POST", "sensors", {"id": 1, "temp": 70}),
        ("POST", "sensors", {"id": 30, "name": "Far", "temp": 70}),
        ("DELETE", "sensors/Nowhere", None),
        ("POST", "faults", {"kind": "meteor"}),
        ("POST", "faults", {"kind": "http_500", "count": "two"}),
        ("POST", "faults", {"kind": "http_500", "path": 5}),
        ("POST", "faults", {"kind": "field", "field": "hum"}),
        (
            "POST",
            "faults",
            {"kind": "field", "field": "temp", "value": "1", "index": "0"},
        ),
        ("POST", "advance", {"seconds": "soon"}),
        ("POST", "advance", {"seconds": -5}),
        ("POST", "identity", {}),
        ("POST", "rates", {"heat_rate": True}),
    ],
)
async def test_bad_input_answers_400(
    venstar_emulator: VenstarEmulator, method: str, path: str, body: Any
) -> None:
    status, answer = await _call(venstar_emulator, method, path, body)
    assert status == 400
    assert answer["error"]


async def test_non_json_body_answers_400(venstar_emulator: VenstarEmulator) -> None:
    async with (
        aiohttp.ClientSession() as session,
        session.post(
            venstar_emulator.base_url + "_emulator/state", data="nope"
        ) as response,
    ):
        assert response.status == 400


async def test_alerts_and_sensors(venstar_emulator: VenstarEmulator) -> None:
    await _call(venstar_emulator, "POST", "alerts", {"name": "Service", "active": True})
    await _call(
        venstar_emulator, "POST", "alerts", {"name": "Humidifier Pad", "active": True}
    )
    alerts = (await get_json(venstar_emulator, "query/alerts"))["alerts"]
    assert {a["name"]: a["active"] for a in alerts} == {
        "Air Filter": True,
        "UV Lamp": False,
        "Service": True,
        "Humidifier Pad": True,
    }
    status, _ = await _call(
        venstar_emulator,
        "POST",
        "sensors",
        {
            "id": 0,
            "name": "Living Room",
            "temp": 73.0,
            "battery": 100,
            "type": "Remote",
        },
    )
    assert status == 200
    sensors = (await get_json(venstar_emulator, "query/sensors"))["sensors"]
    assert sensors[-1] == {
        "id": 0,
        "name": "Living Room",
        "temp": 73.0,
        "battery": 100,
        "type": "Remote",
    }
    await _call(venstar_emulator, "DELETE", "sensors/Living Room")
    assert len((await get_json(venstar_emulator, "query/sensors"))["sensors"]) == 2


async def test_faults_routes(venstar_emulator: VenstarEmulator) -> None:
    status, answer = await _call(
        venstar_emulator,
        "POST",
        "faults",
        {"kind": "http_500", "count": 1, "path": "/query/info"},
    )
    assert status == 200
    assert answer["fault"]["kind"] == "http_500"
    await _call(venstar_emulator, "POST", "faults", {"kind": "latency", "delay": 0.01})
    await _call(
        venstar_emulator, "POST", "faults", {"kind": "busy", "busy_response": "reset"}
    )
    _, listed = await _call(venstar_emulator, "GET", "faults")
    assert [f["kind"] for f in listed["faults"]] == ["http_500", "latency", "busy"]
    async with (
        aiohttp.ClientSession() as session,
        session.get(venstar_emulator.base_url + "query/info") as response,
    ):
        assert response.status == 500
    _, listed = await _call(venstar_emulator, "DELETE", "faults?kind=latency")
    assert [f["kind"] for f in listed["faults"]] == ["busy"]
    _, listed = await _call(venstar_emulator, "DELETE", "faults")
    assert listed["faults"] == []


async def test_field_fault_route(venstar_emulator: VenstarEmulator) -> None:
    """One field of one answer replaced by raw JSON text, e.g. a 40-digit number."""
    status, answer = await _call(
        venstar_emulator,
        "POST",
        "faults",
        {"kind": "field", "path": "/query/info", "field": "hum", "value": "9" * 40},
    )
    assert status == 200
    assert answer["fault"]["field"] == "hum"
    await _call(
        venstar_emulator,
        "POST",
        "faults",
        {
            "kind": "field",
            "path": "/query/sensors",
            "field": "temp",
            "value": '"hot"',
            "index": 1,
        },
    )
    assert (await info(venstar_emulator))["hum"] == int("9" * 40)
    sensors = (await get_json(venstar_emulator, "query/sensors"))["sensors"]
    assert [sensor["temp"] for sensor in sensors] == [71.0, "hot"]


async def test_identity_route(venstar_emulator: VenstarEmulator) -> None:
    await _call(
        venstar_emulator, "POST", "identity", {"name": "Other", "model": "VYG-3900"}
    )
    assert (await get_json(venstar_emulator, ""))["model"] == "VYG-3900"
    assert (await info(venstar_emulator))["name"] == "Other"
    await _call(venstar_emulator, "DELETE", "identity")
    assert (await get_json(venstar_emulator, ""))["model"] == "COLORTOUCH"


async def test_advance_and_rates(venstar_emulator: VenstarEmulator) -> None:
    await _call(
        venstar_emulator, "POST", "rates", {"drift_rate": 2.0, "outdoor_temp": 40.0}
    )
    await _call(venstar_emulator, "POST", "state", {"mode": 0})
    status, dump = await _call(venstar_emulator, "POST", "advance", {"seconds": 3600})
    assert status == 200
    assert dump["info"]["spacetemp"] == 69.0
    assert dump["now"] == 1637921499 + 3600


async def test_requests_route(venstar_emulator: VenstarEmulator) -> None:
    before = asyncio.get_running_loop().time()
    await info(venstar_emulator)
    _, listed = await _call(venstar_emulator, "GET", "requests")
    (recorded,) = listed["requests"]
    timing = {key: recorded.pop(key) for key in ("start", "end")}
    assert recorded == {
        "method": "GET",
        "path": "/query/info",
        "query": {},
        "form": {},
        "status": 200,
        "connection": 1,
    }
    assert (
        before <= timing["start"] <= timing["end"] <= asyncio.get_running_loop().time()
    )
    assert listed["max_concurrent_requests"] == 1
    await _call(venstar_emulator, "DELETE", "requests")
    assert venstar_emulator.requests == []
    assert venstar_emulator.max_concurrent_requests == 0


async def test_request_record_keeps_the_newest(
    venstar_emulator: VenstarEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A demo left running for weeks must not grow its request record without bound."""
    monkeypatch.setattr(recording, "MAX_RECORDED", 3)
    for _ in range(4):
        await info(venstar_emulator)
    await get_json(venstar_emulator, "query/sensors")
    assert [r.path for r in venstar_emulator.requests] == [
        "/query/info",
        "/query/info",
        "/query/sensors",
    ]
