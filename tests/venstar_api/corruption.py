"""Values that no field of a given kind can hold, drawn by hypothesis from the device schema.

Shared by the parser fuzz and the Home Assistant entity property test: each value makes
exactly the field it is put in unreadable - a wrong type, an undocumented code, an oversized
or non-finite number, or a physically implausible value. Values are raw JSON text, so they
can be what Python's JSON encoder cannot produce (a 400-digit integer).
"""

from __future__ import annotations

from hypothesis import strategies as st

from custom_components.venstar_local.api import schema

# Values no field of the given kind can hold: each makes exactly that field unreadable.
_WRONG_TYPES = st.sampled_from(['"x"', "[]", "{}", '"71"', "[1, 2]", '{"a": 1}'])
_NON_NUMBERS = _WRONG_TYPES | st.sampled_from(["true", "false"])
_HUGE = st.integers(25, 400).map(lambda digits: "9" * digits)
_NON_FINITE = st.sampled_from(["NaN", "Infinity", "-Infinity", "1e999"])


def bad_values(spec: schema.FieldSpec) -> st.SearchStrategy[str]:
    """Raw JSON text that is unusable for a field of this kind."""
    kind = spec.kind
    if kind is schema.Kind.TEXT:
        return st.sampled_from(["5", "[]", "{}", "true", "1.5"]) | _HUGE
    if kind is schema.Kind.FIRMWARE:
        return st.sampled_from(['"beta"', '""', "[]", "true", '"1.2.3.4.5.6.7"'])
    if kind in (schema.Kind.FLAG, schema.Kind.BOOLEAN):
        return st.sampled_from(["2", "-1", "0.5", "1.0", '"1"', "[]"]) | _HUGE
    if kind is schema.Kind.CODE:
        undocumented = st.integers(-(2**40), 2**40).filter(
            lambda code: code not in spec.codes
        )
        return _NON_NUMBERS | _HUGE | _NON_FINITE | undocumented.map(str)
    low, high = spec.plausible_range() or (0, 0)
    outside = st.one_of(
        st.floats(max_value=low - 1, allow_nan=False, allow_infinity=False),
        st.floats(min_value=high + 1, allow_nan=False, allow_infinity=False),
    ).map(repr)
    return _NON_NUMBERS | _HUGE | _NON_FINITE | outside
