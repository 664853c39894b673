"""SSDP parsing, the digest answerer on its own, and device identity matching."""

from __future__ import annotations

import hashlib

import pytest

from custom_components.venstar_local.api import (
    DeviceIdentity,
    DeviceType,
    SsdpDevice,
    normalize_mac,
    parse_ssdp,
)
from custom_components.venstar_local.api.digest import (
    AuthDowngradeError,
    HttpAuth,
    UnsupportedChallengeError,
    parse_challenges,
)


def test_ssdp_current_format() -> None:
    device = parse_ssdp(
        {
            "ST": "venstar:thermostat:ecp",
            "Location": "http://192.168.1.100:8080/",
            "USN": "colortouch:ecp:00:23:A7:3A:B2:72:name:Living%20Room:type:residential",
        }
    )
    assert device == SsdpDevice(
        mac="00:23:a7:3a:b2:72",
        name="Living Room",
        device_type=DeviceType.RESIDENTIAL,
        base_url="http://192.168.1.100:8080/",
        host="192.168.1.100",
        port=8080,
        https=False,
    )


def test_ssdp_legacy_notify_https_default_port() -> None:
    device = parse_ssdp(
        {
            "nt": "colortouch:ecp",
            "location": "https://10.0.0.7/",
            "usn": "ecp:00:23:a7:3a:b2:72:name:Caf%C3%A9",
        }
    )
    assert device is not None
    assert (device.name, device.device_type, device.port, device.https) == (
        "Café",
        None,
        443,
        True,
    )


def test_ssdp_unknown_type_and_plain_port() -> None:
    device = parse_ssdp(
        {
            "ST": "colortouch:ecp",
            "Location": "http://10.0.0.7/",
            "USN": "ecp:00:23:a7:3a:b2:72:name:Office:type:industrial",
        }
    )
    assert device is not None
    assert (device.device_type, device.port) == (None, 80)


@pytest.mark.parametrize(
    "headers",
    [
        {
            "ST": "upnp:rootdevice",
            "Location": "http://h/",
            "USN": "ecp:00:23:a7:3a:b2:72:name:x",
        },
        {"ST": "colortouch:ecp", "Location": "http://h/", "USN": "uuid:1234"},
        {
            "ST": "colortouch:ecp",
            "Location": "ftp://h/",
            "USN": "ecp:00:23:a7:3a:b2:72:name:x",
        },
        {
            "ST": "colortouch:ecp",
            "Location": "http://h:x/",
            "USN": "ecp:00:23:a7:3a:b2:72:name:x",
        },
        {"ST": "colortouch:ecp", "USN": "ecp:00:23:a7:3a:b2:72:name:x"},
    ],
)
def test_ssdp_not_a_thermostat(headers: dict[str, str]) -> None:
    assert parse_ssdp(headers) is None


def test_normalize_mac() -> None:
    assert normalize_mac("0023A73AB272") == "00:23:a7:3a:b2:72"
    with pytest.raises(ValueError, match="12 hex"):
        normalize_mac("00:23")


# ----- digest -------------------------------------------------------------------------
def _md5(text: str) -> str:
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()


def _fields(header: str) -> dict[str, str]:
    (challenge,) = parse_challenges([header.replace("Digest ", "Digest ", 1)])
    return challenge.params


def test_parse_several_challenges_in_one_header() -> None:
    challenges = parse_challenges(
        ['Digest realm="thermostat", nonce="a,b", algorithm=MD5, Basic realm="x"']
    )
    assert [(c.scheme, c.params.get("nonce")) for c in challenges] == [
        ("Digest", "a,b"),
        ("Basic", None),
    ]


def test_digest_without_qop_rfc2069() -> None:
    auth = HttpAuth("admin", "pw", cnonce_factory=lambda: "c")
    assert auth.authorization("GET", "/") is None
    assert not auth.has_challenge
    auth.update(['Digest realm="thermostat", nonce="n1"'])
    header = auth.authorization("GET", "/query/info")
    assert header is not None
    fields = _fields(header)
    ha1 = _md5("admin:thermostat:pw")
    ha2 = _md5("GET:/query/info")
    assert fields["response"] == _md5(f"{ha1}:n1:{ha2}")
    assert "nc" not in fields


def test_digest_md5_sess_and_quoting() -> None:
    auth = HttpAuth('ad"min', "pw", cnonce_factory=lambda: "cn")
    stale = auth.update(
        [
            'Digest realm="thermostat", qop="auth,auth-int", nonce="n", algorithm=MD5-sess, stale=true'
        ]
    )
    assert stale is True
    header = auth.authorization("POST", "/control")
    assert header is not None
    fields = _fields(header)
    assert fields["username"] == 'ad"min'
    ha1 = _md5(f"{_md5('ad"min:thermostat:pw')}:n:cn")
    ha2 = _md5("POST:/control")
    assert fields["response"] == _md5(f"{ha1}:n:00000001:cn:auth:{ha2}")
    assert "opaque" not in fields


def test_unsupported_and_basic_challenges() -> None:
    auth = HttpAuth("admin", "pw", allow_basic=True)
    with pytest.raises(UnsupportedChallengeError):
        auth.update(['Digest realm="x", nonce="n", algorithm=SHA-512'])
    with pytest.raises(UnsupportedChallengeError):
        auth.update(['Digest realm="x", nonce="n", qop="auth-int"'])
    with pytest.raises(UnsupportedChallengeError):
        auth.update(['Digest realm="x", qop="auth"'])
    auth.update(['Basic realm="thermostat"'])
    assert auth.authorization("GET", "/") == "Basic YWRtaW46cHc="
    assert "pw" not in repr(auth)
    assert repr(auth) == "HttpAuth(scheme='Basic')"


def test_basic_is_never_answered_unless_allowed() -> None:
    auth = HttpAuth("admin", "pw")
    with pytest.raises(UnsupportedChallengeError):
        auth.update(['Basic realm="thermostat"'])
    assert auth.authorization("GET", "/") is None


@pytest.mark.parametrize(
    ("first", "then"),
    [
        ('Digest realm="t", qop="auth", nonce="a"', 'Basic realm="t"'),
        (
            'Digest realm="t", qop="auth", nonce="a", algorithm=SHA-256',
            'Digest realm="t", qop="auth", nonce="b", algorithm=MD5',
        ),
    ],
)
def test_no_downgrade_after_digest(first: str, then: str) -> None:
    auth = HttpAuth("admin", "pw", allow_basic=True)
    auth.update([first])
    with pytest.raises(AuthDowngradeError):
        auth.update([then])
    assert (auth.authorization("GET", "/") or "").startswith("Digest ")


def test_new_nonce_restarts_the_count() -> None:
    auth = HttpAuth("admin", "pw")
    auth.update(['Digest realm="t", qop="auth", nonce="n1"'])
    auth.authorization("GET", "/")
    auth.authorization("GET", "/")
    auth.update(['Digest realm="t", qop="auth", nonce="n1"'])
    assert "nc=00000003" in (auth.authorization("GET", "/") or "")
    auth.update(['Digest realm="t", qop="auth", nonce="n2"'])
    assert "nc=00000001" in (auth.authorization("GET", "/") or "")


# ----- identity -----------------------------------------------------------------------
def _identity(**kwargs: object) -> DeviceIdentity:
    base: dict[str, object] = {
        "name": "Hall",
        "model": "COLORTOUCH",
        "device_type": DeviceType.RESIDENTIAL,
    }
    base.update(kwargs)
    return DeviceIdentity(**base)  # type: ignore[arg-type]


def test_identity_matching() -> None:
    hall = _identity()
    assert hall.matches(_identity(firmware=(6, 0), api_version=9))
    assert hall.matches(_identity(model=None))
    assert not hall.matches(_identity(name="Office"))
    assert not hall.matches(_identity(model="T2000"))
    assert not hall.matches(_identity(device_type=DeviceType.COMMERCIAL))
    with_mac = _identity(mac="00:23:a7:3a:b2:72")
    assert with_mac.matches(_identity(name="Renamed", mac="00:23:a7:3a:b2:72"))
    assert not with_mac.matches(_identity(mac="00:23:a7:3a:b2:73"))
    assert with_mac.matches(hall)
