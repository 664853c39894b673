"""HTTPS, certificate pinning, HTTP Digest (MD5, SHA-256, stale nonces) and the PIN."""

from __future__ import annotations

import logging

import aiohttp
import pytest

from custom_components.venstar_local.api import (
    FanMode,
    VenstarAuthenticationError,
    VenstarCertificateMismatchError,
    VenstarClient,
    VenstarError,
)
from emulators.venstar import VenstarEmulator
from tests.venstar_fixtures import VenstarEmulatorFactory

from .conftest import ClientFactory

SECRET_PASSWORD = "s3cr3t-pa55"
SECRET_PIN = "0042"


async def secured(factory: VenstarEmulatorFactory, *algorithms: str) -> VenstarEmulator:
    return await factory(
        https=True,
        username="admin",
        password=SECRET_PASSWORD,
        pin=SECRET_PIN,
        digest_algorithms=algorithms or ("MD5",),
    )


def authorization(emu: VenstarEmulator, index: int) -> str:
    return emu.requests[index].headers.get("Authorization", "")


@pytest.mark.parametrize("algorithm", ["MD5", "SHA-256"])
async def test_digest_over_pinned_https_with_pin(
    venstar_emulator_factory: VenstarEmulatorFactory,
    client_factory: ClientFactory,
    algorithm: str,
) -> None:
    emu = await secured(venstar_emulator_factory, algorithm)
    client = client_factory(
        emu,
        username="admin",
        password=SECRET_PASSWORD,
        pin=42,
        certificate_fingerprint=emu.certificate_fingerprint,
    )
    assert (await client.info()).name == "COLORTOUCH"
    assert (await client.set_fan(FanMode.ON)).fan is FanMode.ON
    assert emu.state.fan == 1
    # One challenge, then credentials go along with every request (nonce count rising).
    assert [r.status for r in emu.requests] == [401, 200, 200, 200, 200]
    assert f"algorithm={algorithm}" in authorization(emu, 1)
    assert "nc=00000001" in authorization(emu, 1)
    assert "nc=00000004" in authorization(emu, 4)
    # The PIN goes with the write only (URL and form), never with a read.
    assert [r.query for r in emu.requests] == [{}] * 3 + [{"pin": SECRET_PIN}, {}]
    assert emu.requests[3].form == {"fan": "1", "pin": SECRET_PIN}


async def test_sha256_preferred_when_both_offered(
    venstar_emulator_factory: VenstarEmulatorFactory, client_factory: ClientFactory
) -> None:
    emu = await secured(venstar_emulator_factory, "MD5", "SHA-256")
    client = client_factory(emu, username="admin", password=SECRET_PASSWORD, pin="0042")
    await client.api_info()
    assert "algorithm=SHA-256" in authorization(emu, 1)


async def test_stale_nonce_is_answered_again(
    venstar_emulator_factory: VenstarEmulatorFactory, client_factory: ClientFactory
) -> None:
    emu = await secured(venstar_emulator_factory)
    client = client_factory(emu, username="admin", password=SECRET_PASSWORD, pin="0042")
    await client.api_info()
    assert emu.digest is not None
    emu.digest._nonce_counts.clear()  # the device forgot its nonces (reboot)
    await client.alerts()
    assert [r.status for r in emu.requests] == [401, 200, 401, 200]
    assert "nc=00000001" in authorization(emu, 3)


async def test_wrong_password_is_reported_without_secrets(
    venstar_emulator_factory: VenstarEmulatorFactory,
    client_factory: ClientFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    emu = await secured(venstar_emulator_factory)
    client = client_factory(
        emu, username="admin", password="wrong-" + SECRET_PASSWORD, pin="0042"
    )
    with pytest.raises(VenstarAuthenticationError) as err:
        await client.info()
    texts = [str(err.value), repr(err.value), repr(client), caplog.text]
    cause = err.value.__cause__ or err.value.__context__
    texts += [str(cause), repr(cause)]
    assert not any(SECRET_PASSWORD in text or SECRET_PIN in text for text in texts)


async def test_missing_credentials(
    venstar_emulator_factory: VenstarEmulatorFactory, client_factory: ClientFactory
) -> None:
    emu = await secured(venstar_emulator_factory)
    with pytest.raises(VenstarAuthenticationError):
        await client_factory(emu, pin="0042").api_info()


async def test_unpinned_https_accepts_the_self_signed_certificate(
    venstar_emulator_factory: VenstarEmulatorFactory, client_factory: ClientFactory
) -> None:
    emu = await venstar_emulator_factory(https=True)
    assert (await client_factory(emu).api_info()).model == "COLORTOUCH"


async def test_fingerprint_mismatch_is_not_retried(
    venstar_emulator_factory: VenstarEmulatorFactory, client_factory: ClientFactory
) -> None:
    emu = await venstar_emulator_factory(https=True)
    client = client_factory(emu, certificate_fingerprint="ab:" * 31 + "ab")
    with pytest.raises(VenstarCertificateMismatchError):
        await client.api_info()
    assert emu.requests == []


async def test_fingerprint_formats(
    venstar_emulator_factory: VenstarEmulatorFactory, client_factory: ClientFactory
) -> None:
    emu = await venstar_emulator_factory(https=True)
    assert emu.certificate_fingerprint is not None
    raw = bytes.fromhex(emu.certificate_fingerprint)
    colons = ":".join(f"{byte:02X}" for byte in raw)
    for fingerprint in (raw, colons):
        client = client_factory(emu, certificate_fingerprint=fingerprint)
        assert (await client.api_info()).api_version == 7


async def test_pin_only_with_writes_in_url_and_form(
    venstar_emulator_factory: VenstarEmulatorFactory, client_factory: ClientFactory
) -> None:
    emu = await venstar_emulator_factory(https=True, pin="0007")
    client = client_factory(emu, pin="7")
    await client.info()
    await client.sensors()
    await client.set_fan(FanMode.ON)
    reads = [r for r in emu.requests if r.method == "GET"]
    writes = [r for r in emu.requests if r.method == "POST"]
    assert len(reads) == 4
    assert all(r.query == {} and "pin" not in r.form for r in reads)
    assert [(r.query, r.form) for r in writes] == [
        ({"pin": "0007"}, {"fan": "1", "pin": "0007"})
    ]


@pytest.mark.parametrize(
    "secrets",
    [
        {"pin": "0042"},
        {"username": "admin", "password": SECRET_PASSWORD},
        {"password": SECRET_PASSWORD},
    ],
)
def test_secrets_are_never_configured_for_plain_http(
    session: aiohttp.ClientSession, secrets: dict[str, str]
) -> None:
    with pytest.raises(ValueError, match="only sent over HTTPS") as err:
        VenstarClient("127.0.0.1", session, **secrets)  # type: ignore[arg-type]
    assert SECRET_PASSWORD not in str(err.value)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"pin": "12345"},
        {"pin": "12a4"},
        {"pin": True},
        {"https": True, "certificate_fingerprint": "abc"},
        {"https": True, "certificate_fingerprint": b"short"},
    ],
)
def test_bad_settings_are_refused_at_construction(
    session: aiohttp.ClientSession, kwargs: dict[str, object]
) -> None:
    with pytest.raises(ValueError):
        VenstarClient("127.0.0.1", session, **kwargs)  # type: ignore[arg-type]


async def test_errors_share_one_base(client: VenstarClient) -> None:
    assert issubclass(VenstarCertificateMismatchError, VenstarError)
    assert repr(client).startswith("VenstarClient(http://127.0.0.1:")
