"""Property tests: whatever a device sends, parsers raise nothing but the package's errors,
and one unreadable field costs that field only.

Each test draws batches of bodies and checks how many it parsed: 3,000 arbitrary JSON
values, 3,000 mutated info bodies, 2,000 mutated root/sensor/runtime/alert bodies, 1,500
raw byte strings and 1,000 SSDP header sets - 10,500 generated bodies in total. The
field-level tests corrupt one field at a time, with values chosen from the device schema to
be unusable for that field's kind (wrong type, undocumented code, oversized or non-finite
number, physically implausible value): 1,500 info bodies, 180 list entries and 60 roots.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
import json
from typing import Any

from hypothesis import HealthCheck, Phase, given, settings, strategies as st

from custom_components.venstar_local.api import (
    Quirk,
    SsdpDevice,
    VenstarApiError,
    VenstarInvalidResponseError,
    parse_ssdp,
    schema,
)
from custom_components.venstar_local.api.parsers import (
    decode_json,
    parse_alerts,
    parse_api_info,
    parse_command_result,
    parse_info,
    parse_runtimes,
    parse_sensors,
)

from .conftest import load_fixture
from .corruption import bad_values

BATCH = 5
ALL_QUIRKS = (
    Quirk.ALWAYS_CELSIUS
    | Quirk.FAN_SWAPPED
    | Quirk.STATE_SWAPPED
    | Quirk.HUMIDITY_MISLABELLED
)


def fuzz(examples: int) -> settings:
    """Deterministic, deadline-free settings for `examples` batches."""
    return settings(
        max_examples=examples,
        derandomize=True,
        deadline=None,
        database=None,
        phases=(Phase.generate, Phase.shrink),
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


def batches[T](strategy: st.SearchStrategy[T]) -> st.SearchStrategy[list[T]]:
    return st.lists(strategy, min_size=BATCH, max_size=BATCH)


scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12)
    | st.sampled_from(
        ["5.10", "2.19.16", "residential", "commercial", "Remote", "", "NaN"]
    )
)
json_values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=5)
        | st.dictionaries(st.text(max_size=8), children, max_size=6)
    ),
    max_leaves=12,
)


def _expect_only_package_errors(
    parse: Callable[[object], object], body: object
) -> None:
    try:
        parse(body)
    except VenstarInvalidResponseError:
        pass
    except VenstarApiError:
        # Only the device's own {"error": true, ...} answer may raise this.
        assert isinstance(body, dict)
        assert body.get("error") is True


def _parse_info_both_ways(body: object) -> None:
    _expect_only_package_errors(parse_info, body)
    _expect_only_package_errors(
        lambda data: parse_info(data, quirks=ALL_QUIRKS, model_known=False), body
    )


def _all_parsers(body: object) -> None:
    for parser in (
        parse_api_info,
        parse_sensors,
        parse_runtimes,
        parse_alerts,
        parse_command_result,
    ):
        _expect_only_package_errors(parser, body)
    _parse_info_both_ways(body)


def _mutated(fixture: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    keys = sorted(fixture)

    @st.composite
    def build(draw: st.DrawFn) -> dict[str, Any]:
        body = dict(fixture)
        for key in draw(st.lists(st.sampled_from(keys), max_size=4, unique=True)):
            if draw(st.booleans()):
                del body[key]
            else:
                body[key] = draw(scalars | json_values)
        body.update(draw(st.dictionaries(st.text(max_size=6), scalars, max_size=2)))
        return body

    return build()


def _mutated_list(name: str, key: str) -> st.SearchStrategy[dict[str, Any]]:
    entries: list[dict[str, Any]] = load_fixture(name)[key]
    return st.lists(
        st.one_of([_mutated(entry) for entry in entries]), max_size=len(entries) + 1
    ).map(lambda items: {key: items})


def test_arbitrary_json_values() -> None:
    seen: list[object] = []

    @fuzz(600)
    @given(batches(json_values))
    def run(bodies: list[object]) -> None:
        for body in bodies:
            _all_parsers(body)
        seen.extend(bodies)

    run()
    assert len(seen) >= 3000


def test_mutated_info() -> None:
    seen: list[object] = []

    @fuzz(600)
    @given(batches(_mutated(load_fixture("colortouch_info.json"))))
    def run(bodies: list[dict[str, Any]]) -> None:
        for body in bodies:
            _parse_info_both_ways(body)
        seen.extend(bodies)

    run()
    assert len(seen) >= 3000


def test_mutated_lists_and_root() -> None:
    seen: list[object] = []

    @fuzz(400)
    @given(
        batches(
            _mutated(load_fixture("colortouch_root.json"))
            | _mutated_list("colortouch_sensors.json", "sensors")
            | _mutated_list("colortouch_runtimes.json", "runtimes")
            | _mutated_list("colortouch_alerts.json", "alerts")
        )
    )
    def run(bodies: list[dict[str, Any]]) -> None:
        for body in bodies:
            _all_parsers(body)
        seen.extend(bodies)

    run()
    assert len(seen) >= 2000


def test_raw_bodies() -> None:
    seen: list[bytes] = []
    valid = json_values.map(lambda value: json.dumps(value).encode())

    @fuzz(300)
    @given(
        batches(
            st.binary(max_size=64)
            | valid
            | st.tuples(valid, st.integers(0, 200)).map(lambda pair: pair[0][: pair[1]])
        )
    )
    def run(raws: list[bytes]) -> None:
        for raw in raws:
            try:
                body = decode_json(raw)
            except VenstarInvalidResponseError:
                continue
            _all_parsers(body)
        seen.extend(raws)

    run()
    assert len(seen) >= 1500


def test_ssdp_headers() -> None:
    seen: list[dict[str, str]] = []
    header_values = st.text(max_size=40) | st.sampled_from(
        [
            "venstar:thermostat:ecp",
            "colortouch:ecp",
            "http://192.168.1.100:8080/",
            "https://[fe80::1]/",
            "http://[::1",
            "http://h:99999/",
            "colortouch:ecp:00:23:a7:3a:b2:72:name:Living%20Room:type:residential",
            "ecp:00:23:A7:3A:B2:72:name:%E2%82%AC%zz",
        ]
    )

    @fuzz(200)
    @given(
        batches(
            st.dictionaries(
                st.sampled_from(["ST", "NT", "USN", "Location", "location"]),
                header_values,
                max_size=5,
            )
        )
    )
    def run(header_sets: list[dict[str, str]]) -> None:
        for headers in header_sets:
            result = parse_ssdp(headers)
            assert result is None or isinstance(result, SsdpDevice)
        seen.extend(header_sets)

    run()
    assert len(seen) >= 1000


# ----- field-level corruption ------------------------------------------------------------
def _corruptions(
    body: dict[str, Any], fields: Mapping[str, schema.FieldSpec]
) -> st.SearchStrategy[tuple[str, str]]:
    keys = sorted(key for key in body if key in fields and key != "tempunits")
    return st.sampled_from(keys).flatmap(
        lambda key: st.tuples(st.just(key), bad_values(fields[key]))
    )


def _with(body: dict[str, Any], key: str, raw: str) -> Any:
    """`body` with `key` set to the raw JSON text, decoded as the client decodes it."""
    text = json.dumps({**body, key: "\0"}).replace('"\\u0000"', raw)
    return decode_json(text.encode())


def _differences(left: object, right: object) -> set[str]:
    return {
        name
        for name in left.__dataclass_fields__  # type: ignore[attr-defined]
        if name not in ("invalid", "extra")
        and getattr(left, name) != getattr(right, name)
    }


def _only_that_field(
    parsed: Any, baseline: Any, key: str, derived: frozenset[str] = frozenset()
) -> None:
    """The property: the corrupted field is unknown and recorded, nothing else changed
    (except what is `derived` from it)."""
    assert parsed.invalid, key
    assert {problem.key for problem in parsed.invalid.values()} == {key}
    changed = _differences(parsed, baseline)
    assert changed <= set(parsed.invalid) | derived, (key, changed)
    for attribute in parsed.invalid:
        assert getattr(parsed, attribute) in (None, ""), (key, attribute)


def _fuzz_info(body: dict[str, Any], seen: list[tuple[str, str]]) -> None:
    baseline = parse_info(body)

    @fuzz(150)
    @given(batches(_corruptions(body, schema.INFO)))
    def run(cases: list[tuple[str, str]]) -> None:
        for key, raw in cases:
            _only_that_field(parse_info(_with(body, key, raw)), baseline, key)
        seen.extend(cases)

    run()


def test_one_corrupted_info_field_changes_only_that_field() -> None:
    """Any single field made unreadable (type, code, size, plausibility) costs that field."""
    seen: list[tuple[str, str]] = []
    residential = load_fixture("colortouch_info.json")
    _fuzz_info(residential, seen)
    commercial = {k: v for k, v in residential.items() if k != "away"}
    _fuzz_info(
        {
            **commercial,
            "holiday": 0,
            "override": 1,
            "overridetime": 30,
            "forceunocc": 0,
        },
        seen,
    )
    assert len(seen) >= 1500
    assert len({key for key, _ in seen}) >= 25


def _fuzz_list(
    fixture: str,
    list_key: str,
    fields: Mapping[str, schema.FieldSpec],
    parse: Callable[[object], tuple[Any, ...]],
) -> int:
    entries: list[dict[str, Any]] = load_fixture(fixture)[list_key]
    baseline = parse({list_key: entries})
    seen: list[int] = []

    @fuzz(60)
    @given(
        st.integers(0, len(entries) - 1).flatmap(
            lambda index: st.tuples(
                st.just(index), _corruptions(entries[index], fields)
            )
        )
    )
    def run(case: tuple[int, tuple[str, str]]) -> None:
        index, (key, raw) = case
        corrupted = [*entries]
        corrupted[index] = _with(entries[index], key, raw)
        parsed = parse({list_key: corrupted})
        others = [item for i, item in enumerate(baseline) if i != index]
        seen.append(index)
        if key == "name" and list_key == "alerts":
            # An alert without a name cannot be told apart: it alone is left out.
            assert list(parsed) == others
            return
        assert len(parsed) == len(baseline)
        assert [item for i, item in enumerate(parsed) if i != index] == others
        # A built-in sensor's kind is known from its name only.
        derived = frozenset({"type"}) if key == "name" else frozenset()
        _only_that_field(parsed[index], baseline[index], key, derived)

    run()
    return len(seen)


def test_one_corrupted_list_entry_field_spares_every_other_entry() -> None:
    seen = _fuzz_list(
        "colortouch_sensors.json", "sensors", schema.SENSOR, parse_sensors
    )
    seen += _fuzz_list(
        "colortouch_runtimes.json", "runtimes", schema.RUNTIME, parse_runtimes
    )
    seen += _fuzz_list("colortouch_alerts.json", "alerts", schema.ALERT, parse_alerts)
    assert seen >= 180


def test_corrupted_root_fields_leave_the_identity_readable() -> None:
    body = load_fixture("colortouch_root.json")
    baseline = parse_api_info(body)
    fields = {key: spec for key, spec in schema.ROOT.items() if key != "type"}

    @fuzz(60)
    @given(_corruptions(body, fields))
    def run(case: tuple[str, str]) -> None:
        key, raw = case
        _only_that_field(parse_api_info(_with(body, key, raw)), baseline, key)

    run()
