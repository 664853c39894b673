"""One bad field never makes another entity unavailable: checked on HA's entities.

The emulator serves one field of one document unreadable (values drawn by hypothesis from
the device schema: wrong types, undocumented codes, 400-digit numbers, NaN, physically
implausible values); after a poll every entity must still be available, every entity that
does not use that field must show exactly what it showed before, and the ones that use it
show unknown. When the device sends a readable value again, everything is back.

The thermostat's name is not corrupted here: it is how the thermostat is recognised, and an
unreadable identity is never trusted (that is the wrong-device path, tested elsewhere).
"""

from __future__ import annotations

from typing import Any

from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant, State
from homeassistant.helpers import entity_registry as er
from hypothesis import HealthCheck, Phase, given, settings, strategies as st
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.venstar_local.api import schema
from emulators.venstar import VenstarEmulator
from emulators.venstar.faults import FaultKind
from tests.venstar_api.corruption import bad_values
from tests.venstar_api.documents import DOCUMENTS

from .conftest import ENTRY_ID

ALL = "*"  # every attribute (and the state) of the climate entity may change

# What uses each field: entity keys (unique id suffix), and for the climate entity
# ("thermostat") the attributes that may change. Everything else must stay as it was.
INFO_USERS: dict[str, set[str]] = {
    "mode": {"thermostat:" + ALL, "time_to_temperature"},
    "state": {"thermostat:hvac_action", "operating_state", "time_to_temperature"},
    "fan": {"thermostat:fan_mode"},
    "fanstate": {"thermostat:hvac_action", "fan_running"},
    "tempunits": set(),
    "schedule": {"schedule"},
    "schedulepart": {"schedule_part"},
    "away": {"thermostat:preset_mode", "time_to_temperature"},
    "spacetemp": {
        "thermostat:current_temperature",
        "space_temperature",
        "time_to_temperature",
    },
    "heattemp": {"thermostat:temperature", "time_to_temperature"},
    "cooltemp": {"thermostat:target_temp_high", "time_to_temperature"},
    "heattempmin": {"thermostat:min_temp"},
    "heattempmax": {"thermostat:max_temp"},
    "cooltempmin": {"thermostat:min_temp"},
    "cooltempmax": {"thermostat:max_temp"},
    "setpointdelta": set(),
    "activestage": {"active_stage"},
    "hum": {"thermostat:current_humidity", "humidity"},
    "hum_active": {"humidification"},
    "hum_setpoint": {"thermostat:humidity"},
    "dehum_setpoint": {"dehumidify_setpoint"},
    "availablemodes": {"thermostat:hvac_modes"},
}
REMOTE = {"sensor_3_temperature", "sensor_3_battery"}
# (path, list index, field) -> users; list indexes: sensors 0 Thermostat, 1 Space Temp,
# 2 the remote Bedroom; runtimes 0 the oldest day, 6 today; alerts 0 Air Filter.
LIST_USERS: dict[tuple[str, int, str], set[str]] = {
    ("/query/sensors", 0, "name"): {"thermostat_temperature"},
    ("/query/sensors", 0, "temp"): {"thermostat_temperature"},
    ("/query/sensors", 0, "hum"): set(),
    ("/query/sensors", 1, "name"): set(),
    ("/query/sensors", 1, "temp"): set(),
    ("/query/sensors", 2, "id"): REMOTE,
    ("/query/sensors", 2, "name"): set(),
    ("/query/sensors", 2, "type"): set(),
    ("/query/sensors", 2, "temp"): {"sensor_3_temperature"},
    ("/query/sensors", 2, "battery"): {"sensor_3_battery"},
    ("/query/alerts", 0, "name"): {"alert_filter"},
    ("/query/alerts", 0, "active"): {"alert_filter"},
}
RUNTIME_KEYS = {
    "heat1": "heat1",
    "heat2": "heat2",
    "cool1": "cool1",
    "cool2": "cool2",
    "aux1": "aux1",
    "aux2": "aux2",
    "fc": "free_cooling",
}
for _index in (0, 6):
    LIST_USERS["/query/runtimes", _index, "ts"] = {
        f"runtime_{name}:history" for name in RUNTIME_KEYS.values()
    }
    for _key, _name in RUNTIME_KEYS.items():
        LIST_USERS["/query/runtimes", _index, _key] = {f"runtime_{_name}"}

type Target = tuple[str, int | None, str]


def _targets() -> list[tuple[Target, schema.FieldSpec]]:
    targets: list[tuple[Target, schema.FieldSpec]] = [
        (("/query/info", None, key), schema.INFO[key]) for key in INFO_USERS
    ]
    for path, index, key in LIST_USERS:
        fields, _ = DOCUMENTS[path]
        targets.append(((path, index, key), fields[key]))
    return targets


def _cases(rounds: int) -> list[tuple[Target, str]]:
    """Every target corrupted `rounds` times, with values hypothesis draws for its kind."""
    targets = _targets()
    cases: list[tuple[Target, str]] = []

    @settings(
        max_examples=rounds,
        derandomize=True,
        deadline=None,
        database=None,
        phases=(Phase.generate,),
        suppress_health_check=list(HealthCheck),
    )
    @given(st.tuples(*(bad_values(spec) for _, spec in targets)))
    def collect(values: tuple[str, ...]) -> None:
        cases.extend(zip((target for target, _ in targets), values, strict=True))

    collect()
    return cases


def _users(target: Target) -> set[str]:
    path, index, key = target
    if path == "/query/info":
        return INFO_USERS[key]
    assert index is not None
    return LIST_USERS[path, index, key]


def _snapshot(hass: HomeAssistant) -> dict[str, State]:
    registry = er.async_get(hass)
    states = {}
    for entry in er.async_entries_for_config_entry(registry, ENTRY_ID):
        key = entry.unique_id.removeprefix(f"{ENTRY_ID}_")
        state = hass.states.get(entry.entity_id)
        assert state is not None, entry.entity_id
        states[key] = state
    return states


def _compare(
    before: dict[str, State], after: dict[str, State], users: set[str], case: Any
) -> None:
    assert set(after) == set(before), case
    for key, state in after.items():
        if state.state == STATE_UNAVAILABLE:
            # Only a remote sensor whose id is unreadable is no longer reported.
            assert key in users, (case, key)
            assert key in REMOTE, (case, key)
            continue
        old = before[key]
        attributes = {
            user.split(":")[1] for user in users if user.startswith(key + ":")
        }
        if key in users or ALL in attributes:
            continue
        if "state" not in attributes:
            assert state.state == old.state, (case, key, state.state, old.state)
        for name, value in old.attributes.items():
            if name not in attributes:
                assert state.attributes.get(name) == value, (case, key, name)


@pytest.mark.parametrize("emulator_kwargs", [{}])
async def test_one_bad_field_never_makes_another_entity_unavailable(
    hass: HomeAssistant,
    emulator: VenstarEmulator,
    config_entry: MockConfigEntry,
    enable_all_entities: None,
) -> None:
    emulator.add_remote_sensor(3, "Bedroom", 68.0, battery=80)
    config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    coordinator = config_entry.runtime_data.coordinator

    async def poll() -> dict[str, State]:
        coordinator._due.clear()  # read every document, not only info
        await coordinator.async_refresh()
        await hass.async_block_till_done()
        return _snapshot(hass)

    baseline = await poll()
    assert REMOTE | {"thermostat", "runtime_heat1", "alert_filter"} <= set(baseline)
    assert all(state.state != STATE_UNAVAILABLE for state in baseline.values())
    cases = _cases(rounds=3)
    assert len(cases) == 3 * len(_targets())
    for (path, index, key), raw in cases:
        emulator.faults.corrupt_field(path, key, raw, index=index)
        after = await poll()
        assert coordinator.last_update_success, (path, index, key, raw)
        _compare(baseline, after, _users((path, index, key)), (path, index, key, raw))
        emulator.faults.clear(FaultKind.FIELD)
    # Readable again: everything shows what it showed before.
    recovered = await poll()
    assert {key: state.state for key, state in recovered.items()} == {
        key: state.state for key, state in baseline.items()
    }


async def test_unreadable_field_is_logged_once_with_its_raw_value(
    hass: HomeAssistant,
    emulator: VenstarEmulator,
    init_integration: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    coordinator = init_integration.runtime_data.coordinator
    emulator.faults.corrupt_field("/query/info", "spacetemp", "-573")
    for _ in range(3):
        await coordinator.async_refresh()
    warnings = [
        r
        for r in caplog.records
        if r.levelname == "WARNING" and "unusable" in r.getMessage()
    ]
    assert len(warnings) == 1
    message = warnings[0].getMessage()
    assert "'spacetemp'" in message
    assert "-573" in message
    assert "outside the plausible" in message
    emulator.faults.clear(FaultKind.FIELD)
    await coordinator.async_refresh()
    await coordinator.async_refresh()
    recovered = [r for r in caplog.records if "readable" in r.getMessage()]
    recovered = [r for r in recovered if r.levelname == "INFO"]
    assert len(recovered) == 1
    assert hass.states.get("sensor.colortouch_space_temperature").state == "21.7"


async def test_diagnostics_keep_the_raw_value_of_an_unreadable_field(
    hass: HomeAssistant,
    emulator: VenstarEmulator,
    init_integration: MockConfigEntry,
    hass_client: ClientSessionGenerator,
) -> None:
    emulator.faults.corrupt_field("/query/info", "hum", "250")
    await init_integration.runtime_data.coordinator.async_refresh()
    diagnostics = await get_diagnostics_for_config_entry(
        hass, hass_client, init_integration
    )
    assert diagnostics["data"]["info"]["humidity"] is None
    assert diagnostics["data"]["info"]["invalid"]["humidity"] == {
        "key": "hum",
        "raw": "250",
        "reason": "outside the plausible 0 to 100",
    }
    assert hass.states.get("sensor.colortouch_humidity").state == "unknown"
    assert hass.states.get("climate.colortouch").state == "heat"


@pytest.mark.parametrize("profile", ["commercial"])
async def test_iaq_and_co2_reach_their_entities(
    hass: HomeAssistant, emulator: VenstarEmulator, init_integration: MockConfigEntry
) -> None:
    """The commercial profile's IAQ sensor, end to end over HTTP."""
    assert hass.states.get("sensor.office_carbon_dioxide").state == "650"
    assert hass.states.get("sensor.office_air_quality_index").state == "42"
    local = emulator.sensors[0]
    local.co2, local.iaq = 1200, 150
    coordinator = init_integration.runtime_data.coordinator
    coordinator._due.clear()
    await coordinator.async_refresh()
    await hass.async_block_till_done()
    assert hass.states.get("sensor.office_carbon_dioxide").state == "1200"
    assert hass.states.get("sensor.office_air_quality_index").state == "150"
