"""The emulator's profiles against the client's device schema: one description, no lag.

Every field a profile serves must be in the schema and read cleanly by the client (right
type, a documented code, a plausible value); every schema field must be served by some
profile, or the schema must say why none does. A field the client learns to read therefore
cannot go unexercised by the emulator again.
"""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest

from custom_components.venstar_local.api.parsers import (
    parse_alerts,
    parse_api_info,
    parse_info,
    parse_runtimes,
    parse_sensors,
)
from custom_components.venstar_local.api.quirks import detect_quirks
from emulators.venstar import PROFILES, VenstarEmulator
from tests.venstar_api.documents import DOCUMENTS
from tests.venstar_fixtures import VenstarEmulatorFactory

VARIANTS = [
    (profile, celsius) for profile in sorted(PROFILES) for celsius in (False, True)
]


async def _documents(emu: VenstarEmulator) -> dict[str, Any]:
    async with aiohttp.ClientSession() as session:
        documents = {}
        for path in DOCUMENTS:
            async with session.get(emu.base_url + path.lstrip("/")) as response:
                assert response.status == 200
                documents[path] = await response.json()
        return documents


def _entries(path: str, body: Any) -> list[dict[str, Any]]:
    _, list_key = DOCUMENTS[path]
    return [body] if list_key is None else list(body[list_key])


async def _served(factory: VenstarEmulatorFactory, profile: str, celsius: bool) -> Any:
    emu = await factory(profile=profile, celsius=celsius)
    emu.add_remote_sensor(3, "Bedroom", 20.5 if celsius else 69.0, battery=80)
    if PROFILES[profile].commercial:
        emu.device.set_override(on=True)
    emu.advance(120)
    return await _documents(emu)


@pytest.mark.parametrize(("profile", "celsius"), VARIANTS)
async def test_every_served_field_is_in_the_schema_and_read_cleanly(
    venstar_emulator_factory: VenstarEmulatorFactory, profile: str, celsius: bool
) -> None:
    documents = await _served(venstar_emulator_factory, profile, celsius)
    for path, body in documents.items():
        fields, _ = DOCUMENTS[path]
        for entry in _entries(path, body):
            assert set(entry) <= set(fields), (path, set(entry) - set(fields))
    api_info = parse_api_info(documents["/"])
    info = parse_info(
        documents["/query/info"],
        quirks=detect_quirks(api_info),
        model_known=api_info.model is not None,
    )
    sensors = parse_sensors(documents["/query/sensors"], unit=info.temperature_unit)
    runtimes = parse_runtimes(documents["/query/runtimes"])
    alerts = parse_alerts(documents["/query/alerts"])
    assert api_info.invalid == {}
    assert api_info.extra == {}
    assert info.invalid == {}
    assert info.extra == {}
    for item in (*sensors, *runtimes, *alerts):
        assert item.invalid == {}, item
    assert [sensor.extra for sensor in sensors] == [{}] * len(sensors)
    assert [day.extra for day in runtimes] == [{}] * len(runtimes)


async def test_every_schema_field_is_served_by_some_profile(
    venstar_emulator_factory: VenstarEmulatorFactory,
) -> None:
    served: dict[str, set[str]] = {path: set() for path in DOCUMENTS}
    for profile in PROFILES:
        documents = await _served(venstar_emulator_factory, profile, celsius=False)
        for path, body in documents.items():
            for entry in _entries(path, body):
                served[path] |= set(entry)
    for path, (fields, _) in DOCUMENTS.items():
        expected = {key for key, spec in fields.items() if spec.emulated is None}
        assert expected <= served[path], (path, expected - served[path])
        unemulated = {key for key, spec in fields.items() if spec.emulated is not None}
        assert not unemulated & served[path], (path, unemulated & served[path])
