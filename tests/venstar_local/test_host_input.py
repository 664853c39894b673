"""What users paste into the host field, split into host, port and protocol."""

from __future__ import annotations

import pytest

from custom_components.venstar_local.host_input import (
    HostInput,
    InvalidHostError,
    parse_host,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("192.168.1.20", HostInput("192.168.1.20")),
        ("192.168.1.20:8080", HostInput("192.168.1.20", 8080)),
        ("192.168.1.20/", HostInput("192.168.1.20")),
        ("http://192.168.1.20", HostInput("192.168.1.20", None, False)),
        ("HTTPS://192.168.1.20:8443/", HostInput("192.168.1.20", 8443, True)),
        ("https://Thermostat.LAN", HostInput("thermostat.lan", None, True)),
        ("thermostat.local.", HostInput("thermostat.local")),
        ("[::1]", HostInput("::1")),
        ("[fe80::1]:8080", HostInput("fe80::1", 8080)),
        ("fe80::0001", HostInput("fe80::1")),
        ("http://[::1]:8080/", HostInput("::1", 8080, False)),
        ("küche.lan", HostInput("xn--kche-0ra.lan")),
        ("ab\u3002cd", HostInput("ab.cd")),
    ],
)
def test_pasted_addresses_are_split_into_the_form_fields(
    text: str, expected: HostInput
) -> None:
    assert parse_host(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "http://",
        "https://[zz]/",
        "http://h:abc/",
        "http://u@h/",
        "http://h/#x",
        "[::1]:80x",
        "[fe80::1",
        "1.2.3",
        "256.1.1.1",
        "a" * 64 + ".lan",
        "x." * 127 + "x",
        "thermo stat",
        "host:65536",
    ],
)
def test_unusable_addresses_are_refused(text: str) -> None:
    with pytest.raises(InvalidHostError):
        parse_host(text)
