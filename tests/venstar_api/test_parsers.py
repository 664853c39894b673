"""Parsing of real captures and of the variations other models and firmware send."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from custom_components.venstar_local.api import (
    Alert,
    ApiInfo,
    AvailableModes,
    DeviceType,
    FanMode,
    HvacMode,
    OperatingState,
    Quirk,
    SchedulePart,
    SensorType,
    TemperatureUnit,
    VenstarApiError,
    VenstarInvalidResponseError,
    detect_quirks,
    format_firmware,
)
from custom_components.venstar_local.api.parsers import (
    decode_json,
    parse_alerts,
    parse_api_info,
    parse_command_result,
    parse_firmware,
    parse_info,
    parse_runtimes,
    parse_sensors,
)

from .conftest import load_fixture


def info_with(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = load_fixture("colortouch_info.json")
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def test_root_capture() -> None:
    api = parse_api_info(load_fixture("colortouch_root.json"))
    assert api == ApiInfo(
        api_version=7,
        device_type=DeviceType.RESIDENTIAL,
        model="COLORTOUCH",
        firmware=(5, 1),
    )
    assert api.firmware_version == "5.1"


def test_root_api3_has_no_model_or_firmware() -> None:
    api = parse_api_info({"api_ver": 3, "type": "residential"})
    assert api.model is None
    assert api.firmware is None
    assert api.firmware_version is None


@pytest.mark.parametrize(
    "body", [{"api_ver": 7, "type": "industrial"}, {"type": "residential"}]
)
def test_root_invalid(body: dict[str, Any]) -> None:
    with pytest.raises(VenstarInvalidResponseError):
        parse_api_info(body)


def test_root_keeps_unknown_fields_and_defaults_type() -> None:
    api = parse_api_info(
        {"api_ver": 9, "model": "TOUCHSCREEN", "firmware": "6.93", "serial": "x"}
    )
    assert api.device_type is DeviceType.RESIDENTIAL
    assert api.extra == {"serial": "x"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5.1", (5, 1)),
        ("5.10", (5, 10)),
        ("2.19.16", (2, 19, 16)),
        ("4.38b", (4, 38)),
        (6, (6,)),
    ],
)
def test_firmware_parses_to_comparable_tuples(
    text: object, expected: tuple[int, ...]
) -> None:
    assert parse_firmware(text) == expected


def test_firmware_compares_numerically() -> None:
    assert parse_firmware("5.10") > parse_firmware("5.9")  # type: ignore[operator]
    assert format_firmware((5, 10)) == "5.10"
    assert format_firmware(None) is None


@pytest.mark.parametrize("bad", ["beta", "", True, [5, 1], "9" * 5000])
def test_firmware_garbage_is_invalid(bad: object) -> None:
    with pytest.raises(VenstarInvalidResponseError):
        parse_firmware(bad)


def test_info_capture_every_field() -> None:
    info = parse_info(load_fixture("colortouch_info.json"))
    assert info.name == "COLORTOUCH"
    assert info.mode is HvacMode.HEAT
    assert info.state is OperatingState.IDLE
    assert info.fan is FanMode.AUTO
    assert info.fan_running is False
    assert info.temperature_unit is TemperatureUnit.FAHRENHEIT
    assert info.display_unit is TemperatureUnit.FAHRENHEIT
    assert info.schedule_enabled is False
    assert info.schedule_part is SchedulePart.INACTIVE
    assert info.away is False
    assert info.is_commercial is False
    assert info.supports_away is True
    assert (info.space_temperature, info.heat_setpoint, info.cool_setpoint) == (
        71.0,
        69.0,
        74.0,
    )
    assert (info.heat_setpoint_min, info.heat_setpoint_max) == (35.0, 99.0)
    assert (info.cool_setpoint_min, info.cool_setpoint_max) == (35.0, 99.0)
    assert info.setpoint_delta == 2.0
    assert info.active_stage == 0
    assert info.humidity == 41
    assert info.humidification_enabled == 0
    assert (info.humidify_setpoint, info.dehumidify_setpoint) == (30, 99)
    assert info.supports_humidity_setpoints is True
    assert info.available_modes is AvailableModes.ALL
    assert info.hvac_modes == (
        HvacMode.OFF,
        HvacMode.HEAT,
        HvacMode.COOL,
        HvacMode.AUTO,
    )
    assert info.holiday is None
    assert info.override is None
    assert info.extra == {}


def test_info_ints_half_degrees_and_unknown_fields() -> None:
    info = parse_info(
        info_with(
            tempunits=1,
            spacetemp=21.5,
            heattemp=20,
            cooltemp=23.5,
            setpointdelta=2,
            newfield=[1],
        )
    )
    assert info.temperature_unit is TemperatureUnit.CELSIUS
    assert info.space_temperature == 21.5
    assert info.heat_setpoint == 20.0
    assert isinstance(info.heat_setpoint, float)
    assert info.setpoint_delta == 2.0
    assert info.extra == {"newfield": [1]}


def test_info_missing_optional_fields_get_defaults() -> None:
    data = info_with(
        heattempmin=None,
        heattempmax=None,
        cooltempmin=None,
        cooltempmax=None,
        setpointdelta=None,
        availablemodes=None,
        schedulepart=None,
        activestage=None,
        hum=None,
        hum_active=None,
        hum_setpoint=None,
        dehum_setpoint=None,
        fanstate=None,
        name=None,
    )
    info = parse_info(data)
    assert (info.heat_setpoint_min, info.heat_setpoint_max) == (35.0, 99.0)
    assert info.setpoint_delta == 2.0
    assert info.available_modes is AvailableModes.ALL
    assert info.schedule_part is SchedulePart.INACTIVE
    assert info.active_stage is None
    assert info.humidity is None
    assert info.supports_humidity_setpoints is False
    assert info.fan_running is None
    assert info.name == ""


def test_info_celsius_defaults() -> None:
    info = parse_info(
        info_with(tempunits=1, heattempmin=None, heattempmax=None, setpointdelta=None)
    )
    assert (info.heat_setpoint_min, info.heat_setpoint_max, info.setpoint_delta) == (
        2.0,
        37.0,
        1.0,
    )


def test_info_commercial_fields() -> None:
    data = info_with(away=None, holiday=1, override=0, overridetime=42, forceunocc=0)
    info = parse_info(data)
    assert info.away is None
    assert info.supports_away is False
    assert info.is_commercial is True
    assert (
        info.holiday,
        info.override,
        info.override_minutes,
        info.force_unoccupied,
    ) == (
        True,
        False,
        42,
        False,
    )


def test_info_reports_device_error_reason() -> None:
    with pytest.raises(VenstarApiError) as err:
        parse_info({"error": True, "reason": "Invalid PIN"})
    assert err.value.reason == "Invalid PIN"
    with pytest.raises(VenstarApiError, match="Unspecified"):
        parse_info({"error": True})


BASELINE = parse_info(load_fixture("colortouch_info.json"))


@pytest.mark.parametrize(
    ("changes", "attribute", "reason"),
    [
        ({"mode": 7}, "mode", "undocumented code"),
        ({"mode": "1"}, "mode", "not a number"),
        ({"mode": 1.5}, "mode", "not a whole number"),
        ({"mode": None}, "mode", "missing"),
        ({"state": 5}, "state", "undocumented code"),
        ({"spacetemp": None}, "space_temperature", "missing"),
        ({"spacetemp": "71"}, "space_temperature", "not a number"),
        ({"spacetemp": True}, "space_temperature", "not a number"),
        ({"spacetemp": -573}, "space_temperature", "outside the plausible"),
        ({"heattemp": float("nan")}, "heat_setpoint", "not a finite number"),
        ({"heattemp": 10**400}, "heat_setpoint", "number out of range"),
        ({"cooltemp": 2760}, "cool_setpoint", "outside the plausible"),
        ({"hum": 250}, "humidity", "outside the plausible"),
        ({"hum_setpoint": 30.5}, "humidify_setpoint", "not a whole number"),
        ({"away": 2}, "away", "not 0 or 1"),
        ({"away": 1.0}, "away", "not 0 or 1"),
        ({"name": 5}, "name", "not text"),
        ({"schedulepart": 7}, "schedule_part", "undocumented code"),
        ({"availablemodes": "all"}, "available_modes", "not a number"),
        ({"setpointdelta": 99}, "setpoint_delta", "outside the plausible"),
        ({"activestage": 3}, "active_stage", "undocumented code"),
    ],
)
def test_one_unreadable_field_is_unknown_and_nothing_else(
    changes: dict[str, Any], attribute: str, reason: str
) -> None:
    """Field-level tolerance: the bad field is None (raw value kept), the rest as before."""
    info = parse_info(info_with(**changes))
    assert getattr(info, attribute) in (None, "")
    problem = info.invalid[attribute]
    (key,) = changes
    assert problem.key == key
    assert reason in problem.reason
    assert set(info.invalid) == {attribute}
    assert info.has(attribute)
    for name in BASELINE.__dataclass_fields__:
        if name not in (attribute, "invalid", "extra"):
            assert getattr(info, name) == getattr(BASELINE, name), name


def test_float_humidity_is_read_not_refused() -> None:
    info = parse_info(info_with(hum=41.5))
    assert info.humidity == 41.5
    assert info.invalid == {}


def test_unreadable_tempunits_infers_the_unit_from_the_limits() -> None:
    info = parse_info(info_with(tempunits=3))
    assert info.temperature_unit is TemperatureUnit.FAHRENHEIT
    assert info.display_unit is TemperatureUnit.FAHRENHEIT
    assert info.invalid["display_unit"].raw == "3"
    assert info.space_temperature == 71.0
    celsius = parse_info(info_with(tempunits="C", heattempmax=32, spacetemp=21.5))
    assert celsius.temperature_unit is TemperatureUnit.CELSIUS
    assert celsius.space_temperature == 21.5


def test_limits_with_min_above_max_are_both_unknown() -> None:
    info = parse_info(info_with(heattempmin=80, heattempmax=60))
    assert (info.heat_setpoint_min, info.heat_setpoint_max) == (None, None)
    assert info.invalid["heat_setpoint_min"].reason == "heattempmin above heattempmax"
    assert info.invalid["heat_setpoint_max"].raw == "60"
    assert (info.cool_setpoint_min, info.cool_setpoint_max) == (35.0, 99.0)
    assert info.heat_setpoint == 69.0


def test_raw_values_are_kept_short() -> None:
    info = parse_info(info_with(name="x" * 500))
    assert info.name == "x" * 500
    bad = parse_info(info_with(spacetemp="y" * 500))
    assert len(bad.invalid["space_temperature"].raw) == 80


def test_info_integral_floats_are_accepted_as_codes() -> None:
    assert parse_info(info_with(mode=2.0)).mode is HvacMode.COOL


@pytest.mark.parametrize("body", [[], "info", 3, None])
def test_non_objects_are_invalid(body: object) -> None:
    for parser in (
        parse_api_info,
        parse_info,
        parse_sensors,
        parse_runtimes,
        parse_alerts,
    ):
        with pytest.raises(VenstarInvalidResponseError):
            parser(body)


# ----- quirks ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("root", "expected"),
    [
        (
            {
                "api_ver": 7,
                "type": "residential",
                "model": "COLORTOUCH",
                "firmware": "5.1",
            },
            Quirk.NONE,
        ),
        (
            {"api_ver": 5, "type": "residential", "model": "T2000", "firmware": "4.38"},
            Quirk.ALWAYS_CELSIUS,
        ),
        (
            {"api_ver": 5, "type": "residential", "model": "T2000", "firmware": "5.28"},
            Quirk.FAN_SWAPPED,
        ),
        (
            {"api_ver": 5, "type": "residential", "model": "T2000", "firmware": "5.65"},
            Quirk.NONE,
        ),
        (
            {
                "api_ver": 5,
                "type": "residential",
                "model": "VYG-3800",
                "firmware": "5.10",
            },
            Quirk.ALWAYS_CELSIUS,
        ),
        (
            {
                "api_ver": 5,
                "type": "residential",
                "model": "VYG-3800",
                "firmware": "2.22.19",
            },
            Quirk.STATE_SWAPPED,
        ),
        (
            {
                "api_ver": 5,
                "type": "residential",
                "model": "VYG-3800",
                "firmware": "2.23.19",
            },
            Quirk.NONE,
        ),
        (
            {"api_ver": 5, "type": "residential", "model": "T3900", "firmware": "5.28"},
            Quirk.NONE,
        ),
        (
            {"api_ver": 5, "type": "residential", "firmware": "4.08"},
            Quirk.HUMIDITY_MISLABELLED,
        ),
        ({"api_ver": 5, "type": "commercial", "firmware": "4.08"}, Quirk.NONE),
        ({"api_ver": 3, "type": "residential"}, Quirk.NONE),
    ],
)
def test_detect_quirks(root: dict[str, Any], expected: Quirk) -> None:
    assert detect_quirks(parse_api_info(root)) == expected


def test_always_celsius_overrides_tempunits() -> None:
    info = parse_info(
        info_with(tempunits=0, heattemp=20.5, heattempmax=37),
        quirks=Quirk.ALWAYS_CELSIUS,
    )
    assert info.temperature_unit is TemperatureUnit.CELSIUS
    assert info.display_unit is TemperatureUnit.FAHRENHEIT


@pytest.mark.parametrize(
    ("heattempmax", "tempunits", "unit"),
    [
        (99, 1, TemperatureUnit.FAHRENHEIT),
        (32, 0, TemperatureUnit.CELSIUS),
        (None, 1, TemperatureUnit.CELSIUS),
    ],
)
def test_unknown_model_infers_unit_from_limits(
    heattempmax: int | None, tempunits: int, unit: TemperatureUnit
) -> None:
    info = parse_info(
        info_with(heattempmax=heattempmax, tempunits=tempunits), model_known=False
    )
    assert info.temperature_unit is unit


def test_fan_swap_quirk() -> None:
    info = parse_info(info_with(fan=0, fanstate=1), quirks=Quirk.FAN_SWAPPED)
    assert info.fan is FanMode.ON
    assert info.fan_running is False


@pytest.mark.parametrize(
    ("raw", "corrected"),
    [
        (1, OperatingState.COOLING),
        (2, OperatingState.HEATING),
        (0, OperatingState.IDLE),
        (3, OperatingState.LOCKOUT),
    ],
)
def test_state_swap_quirk(raw: int, corrected: OperatingState) -> None:
    assert (
        parse_info(info_with(state=raw), quirks=Quirk.STATE_SWAPPED).state is corrected
    )


def test_legacy_humidity_reads_room_humidity_from_hum_setpoint() -> None:
    """API 5 units with mislabelled fields: room humidity in hum_setpoint, hum stays 0."""
    data = info_with(hum=0, hum_setpoint=44, dehum_setpoint=35, hum_active=55)
    info = parse_info(data, quirks=Quirk.HUMIDITY_MISLABELLED)
    assert info.humidity == 44
    assert (info.humidify_setpoint, info.dehumidify_setpoint) == (35, 55)
    assert info.humidification_enabled is None
    assert "hum_setpoint" not in info.extra
    assert "hum" not in info.extra


# ----- sensors, runtimes, alerts -------------------------------------------------------
def test_sensors_capture() -> None:
    sensors = parse_sensors(load_fixture("colortouch_sensors.json"))
    assert [(s.name, s.type, s.temperature, s.humidity) for s in sensors] == [
        ("Thermostat", SensorType.LOCAL, 70.0, 41),
        ("Space Temp", SensorType.CONTROL, 70.0, None),
    ]


def test_sensors_remote_iaq_and_unknown() -> None:
    sensors = parse_sensors(
        {
            "sensors": [
                {
                    "id": 0,
                    "name": "Living Room",
                    "temp": 73.0,
                    "battery": 100,
                    "type": "Remote",
                },
                {"name": "Outdoor", "temp": 0.0},
                {"name": "IAQ", "temp": 70, "co2": 650, "iaq": 41.5, "voc": 3},
                {"id": 3, "name": "Duct", "temp": 55, "type": "Mystery"},
                {"temp": 60},
            ]
        }
    )
    remote, outdoor, iaq, mystery, nameless = sensors
    assert (remote.id, remote.battery, remote.type) == (0, 100, SensorType.REMOTE)
    assert outdoor.type is SensorType.OUTDOOR
    assert (iaq.co2, iaq.iaq, iaq.type, iaq.extra) == (
        650.0,
        41.5,
        SensorType.UNKNOWN,
        {"voc": 3},
    )
    assert mystery.type is SensorType.UNKNOWN
    assert nameless.name == ""


@pytest.mark.parametrize("body", [{"sensors": None}, {"sensors": []}, {}])
def test_sensors_empty(body: dict[str, Any]) -> None:
    assert parse_sensors(body) == ()


def test_sensors_invalid() -> None:
    with pytest.raises(VenstarInvalidResponseError):
        parse_sensors({"sensors": {}})


def test_one_bad_sensor_reading_spares_the_others() -> None:
    sensors = parse_sensors(
        {
            "sensors": [
                1,
                {"name": "Thermostat", "temp": "hot", "hum": 41},
                {"id": 0, "name": "Den", "temp": 72, "battery": 250, "type": "Remote"},
                {"id": "x", "name": "Ghost", "temp": 70, "type": "Remote"},
                {"id": 1, "name": "Attic", "temp": 80, "type": 3},
            ]
        }
    )
    local, den, ghost, attic = sensors
    assert (local.temperature, local.humidity) == (None, 41)
    assert local.invalid["temperature"].raw == "'hot'"
    assert (den.temperature, den.battery, den.invalid["battery"].raw) == (
        72,
        None,
        "250",
    )
    assert (ghost.id, ghost.has("id"), ghost.temperature) == (None, True, 70)
    assert (attic.type, attic.temperature) == (SensorType.UNKNOWN, 80)


def test_runtimes_capture() -> None:
    runtimes = parse_runtimes(load_fixture("colortouch_runtimes.json"))
    assert len(runtimes) == 7
    assert runtimes[0].timestamp == datetime(2021, 11, 21, tzinfo=UTC)
    assert [day.cool1 for day in runtimes] == [156, 216, 234, 225, 153, 94, 12]
    assert runtimes[-1].timestamp == datetime.fromtimestamp(1637921499, UTC)
    assert runtimes[-1].override is None


def test_runtimes_optional_keys() -> None:
    (day,) = parse_runtimes(
        {
            "runtimes": [
                {
                    "ts": 1637452800,
                    "heat1": 5,
                    "ov": 7,
                    "filterHours": 12345,
                    "filterDays": 30,
                    "x": 1,
                }
            ]
        }
    )
    assert (day.heat1, day.cool1, day.override, day.filter_hours, day.filter_days) == (
        5,
        0,
        7,
        123.45,
        30,
    )
    assert day.extra == {"x": 1}


@pytest.mark.parametrize(
    ("entry", "attribute"),
    [
        ({"heat1": 1}, "timestamp"),
        ({"ts": "x", "heat1": 1}, "timestamp"),
        ({"ts": 10**20, "heat1": 1}, "timestamp"),
        ({"ts": 86400, "heat1": 1}, "timestamp"),
        ({"ts": 1637452800, "heat1": 1, "cool1": 1.5}, "cool1"),
        ({"ts": 1637452800, "heat1": 1, "cool1": 1441}, "cool1"),
    ],
)
def test_runtime_bad_field_is_unknown(entry: dict[str, Any], attribute: str) -> None:
    (day,) = parse_runtimes({"runtimes": [entry]})
    assert getattr(day, attribute) is None
    assert attribute in day.invalid
    assert day.heat1 == 1
    assert parse_runtimes({"runtimes": [1, entry]}) == (day,)


def test_alerts_capture_and_int_flags() -> None:
    assert parse_alerts(load_fixture("colortouch_alerts.json"))[0] == Alert(
        name="Air Filter", active=True
    )
    assert parse_alerts({"alerts": [{"name": "Service", "active": 0}]}) == (
        Alert(name="Service", active=False),
    )


@pytest.mark.parametrize("active", ["yes", 2, 1.0, None])
def test_alert_with_unreadable_flag_is_unknown(active: object) -> None:
    (service, filter_alert) = parse_alerts(
        {
            "alerts": [
                {"name": "Service", "active": active},
                {"name": "Air Filter", "active": True},
                {"name": 5, "active": True},
                "x",
            ]
        }
    )
    assert service.active is None
    assert "active" in service.invalid
    assert filter_alert == Alert(name="Air Filter", active=True)


# ----- bodies and command answers ------------------------------------------------------
@pytest.mark.parametrize("body", [b"", b"{", b"\xff\xfe", b"[" * 100000, b'{"a": 1,,}'])
def test_decode_json_garbage(body: bytes) -> None:
    with pytest.raises(VenstarInvalidResponseError):
        decode_json(body)


def test_huge_integer_costs_one_field_not_the_document() -> None:
    """A 5000-digit integer (over Python's int-from-text limit) is one unreadable field."""
    body = decode_json(b'{"mode": 1, "state": 0, "spacetemp": ' + b"9" * 5000 + b"}")
    assert body["mode"] == 1
    info = parse_info(info_with(spacetemp=body["spacetemp"]))
    assert info.space_temperature is None
    assert info.invalid["space_temperature"].reason == "not a number"
    assert info.heat_setpoint == 69.0


def test_command_results() -> None:
    parse_command_result({"success": True})
    with pytest.raises(VenstarApiError) as err:
        parse_command_result({"error": True, "reason": "Wrong Setpoints"})
    assert err.value.reason == "Wrong Setpoints"
    assert err.value.status is None
    bodies: tuple[object, ...] = ({"success": False}, {}, [], "ok")
    for body in bodies:
        with pytest.raises(VenstarInvalidResponseError):
            parse_command_result(body)
