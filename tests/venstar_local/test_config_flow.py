"""Config flow against the emulator: user, SSDP, reauth, reconfigure, options, every error."""

from __future__ import annotations

from collections.abc import AsyncIterator
from ipaddress import ip_address
import socket
from typing import Any
from unittest.mock import patch

from aiohttp import web
from homeassistant.config_entries import SOURCE_SSDP, SOURCE_USER, ConfigEntryState
from homeassistant.const import CONF_HOST, CONF_PASSWORD, CONF_PORT, CONF_USERNAME
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.service_info.ssdp import SsdpServiceInfo
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.venstar_local.api import VenstarClient, VenstarError
from custom_components.venstar_local.const import (
    CONF_CERT_FINGERPRINT,
    CONF_HTTPS,
    CONF_IDENTITY,
    CONF_MAC,
    CONF_PIN,
    CONF_POLL_INTERVAL,
    DOMAIN,
)
from emulators.venstar import VenstarEmulator
from tests.venstar_fixtures import VenstarEmulatorFactory

from .conftest import ENTRY_ID, IDENTITIES, MAC, entry_data

AUTH = {"https": True, "username": "admin", "password": "secret"}


def ssdp_info(
    emulator: VenstarEmulator,
    *,
    mac: str = MAC,
    name: str = "Living%20Room",
    legacy: bool = False,
    host: str = "127.0.0.1",
) -> SsdpServiceInfo:
    """An SSDP answer as the thermostat sends it."""
    scheme = "https" if emulator.https else "http"
    if legacy:
        st, usn = "colortouch:ecp", f"ecp:{mac}:name:{name}"
    else:
        st = "venstar:thermostat:ecp"
        usn = f"colortouch:ecp:{mac}:name:{name}:type:residential"
    return SsdpServiceInfo(
        ssdp_usn=usn,
        ssdp_st=st,
        ssdp_location=f"{scheme}://{host}:{emulator.port}/",
        upnp={},
    )


def free_port() -> int:
    """A loopback port nobody listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
async def not_found_server(socket_enabled: None) -> AsyncIterator[int]:
    """A web server that answers 404 to everything (a thermostat with the API off)."""
    app = web.Application()
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    yield port
    await runner.cleanup()


def _http_input(port: int) -> dict[str, Any]:
    """The user form for a thermostat on this machine over plain HTTP."""
    return {CONF_HOST: "127.0.0.1", CONF_PORT: port, CONF_HTTPS: False}


async def _user_flow(hass: HomeAssistant, user_input: dict[str, Any]) -> Any:
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "user"
    return await hass.config_entries.flow.async_configure(result["flow_id"], user_input)


async def test_user_creates_entry(
    hass: HomeAssistant, emulator: VenstarEmulator
) -> None:
    result = await _user_flow(hass, _http_input(emulator.port))
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "COLORTOUCH"
    assert result["data"] == {
        CONF_HOST: "127.0.0.1",
        CONF_PORT: emulator.port,
        CONF_HTTPS: False,
        CONF_IDENTITY: IDENTITIES["colortouch"],
    }
    assert result["result"].unique_id is None
    assert result["result"].state is ConfigEntryState.LOADED


@pytest.mark.parametrize("emulator_kwargs", [{**AUTH, "pin": "0042"}])
async def test_user_with_https_auth_and_pin(
    hass: HomeAssistant, emulator: VenstarEmulator
) -> None:
    result = await _user_flow(
        hass,
        {
            CONF_HOST: "127.0.0.1",
            CONF_PORT: emulator.port,
            CONF_HTTPS: True,
            CONF_USERNAME: "admin",
            CONF_PASSWORD: "wrong",
        },
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "invalid_auth"}

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {
            CONF_HOST: "127.0.0.1",
            CONF_PORT: emulator.port,
            CONF_HTTPS: True,
            CONF_USERNAME: "admin",
            CONF_PASSWORD: "secret",
            CONF_PIN: "12345",
        },
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {CONF_PIN: "invalid_pin"}

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {
            CONF_HOST: "127.0.0.1",
            CONF_PORT: emulator.port,
            CONF_HTTPS: True,
            CONF_USERNAME: "admin",
            CONF_PASSWORD: "secret",
            CONF_PIN: "0042",
        },
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"][CONF_USERNAME] == "admin"
    assert result["data"][CONF_PIN] == "0042"
    # The self-signed certificate seen now is pinned for every later connection.
    assert result["data"][CONF_CERT_FINGERPRINT] == emulator.certificate_fingerprint


@pytest.mark.parametrize(
    ("pasted", "port_field", "https", "host"),
    [
        ("http://127.0.0.1:{port}/", None, False, "127.0.0.1"),
        ("127.0.0.1:{port}", None, False, "127.0.0.1"),
        ("  127.0.0.1  ", "{port}", False, "127.0.0.1"),
        ("localhost", "{port}", False, "localhost"),
        ("LOCALHOST.:{port}", None, False, "localhost"),
        ("https://127.0.0.1:{port}", None, False, "127.0.0.1"),
    ],
)
async def test_user_accepts_what_users_paste(  # noqa: PLR0917
    hass: HomeAssistant,
    venstar_emulator_factory: VenstarEmulatorFactory,
    pasted: str,
    port_field: str | None,
    https: bool,
    host: str,
) -> None:
    """A URL, host:port or a host name fill the form's fields (scheme included)."""
    emulator = await venstar_emulator_factory(https=pasted.startswith("https"))
    user_input: dict[str, Any] = {
        CONF_HOST: pasted.format(port=emulator.port),
        CONF_HTTPS: https,
    }
    if port_field is not None:
        user_input[CONF_PORT] = int(port_field.format(port=emulator.port))
    result = await _user_flow(hass, user_input)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"][CONF_HOST] == host
    assert result["data"][CONF_PORT] == emulator.port
    assert result["data"][CONF_HTTPS] is emulator.https
    assert result["result"].state is ConfigEntryState.LOADED


@pytest.mark.parametrize(
    "pasted",
    [
        "",
        "   ",
        "http://",
        "ftp://192.168.1.20",
        "http://admin:pw@192.168.1.20/",
        "http://192.168.1.20/query/info",
        "http://192.168.1.20/?pin=1",
        "192.168.1.20:0",
        "192.168.1.20:99999",
        "192.168.1.20:80x",
        "[::1",
        "[zz::1]:80",
        "999.1.1.1",
        "thermo stat",
        "thermo_stat.lan",
        "-bad.lan",
        "\u2603" * 64,
        "bad\x00host",
        "x\ud800y",
        "a" * 300,
        "a." * 130,
    ],
)
async def test_user_malformed_host_is_a_form_error(
    hass: HomeAssistant, pasted: str
) -> None:
    result = await _user_flow(hass, {CONF_HOST: pasted, CONF_HTTPS: False})
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "invalid_host"}


@pytest.mark.parametrize(
    ("user_input"),
    [
        {CONF_HOST: "http://127.0.0.1", CONF_HTTPS: True},
        {CONF_HOST: "127.0.0.1:1234", CONF_PORT: 5678, CONF_HTTPS: False},
        {CONF_HOST: "https://127.0.0.1:1234", CONF_PORT: 5678, CONF_HTTPS: True},
    ],
)
async def test_user_address_contradicting_the_fields_is_refused(
    hass: HomeAssistant, user_input: dict[str, Any]
) -> None:
    result = await _user_flow(hass, user_input)
    assert result["errors"] == {"base": "host_conflict"}


@pytest.mark.parametrize(
    "secrets",
    [
        {CONF_USERNAME: "admin", CONF_PASSWORD: "secret"},
        {CONF_PASSWORD: "secret"},
        {CONF_PIN: "0042"},
    ],
)
async def test_user_credentials_need_https(
    hass: HomeAssistant, emulator: VenstarEmulator, secrets: dict[str, str]
) -> None:
    """Never a password or PIN in clear: the form refuses them without HTTPS."""
    result = await _user_flow(
        hass,
        {
            CONF_HOST: "127.0.0.1",
            CONF_PORT: emulator.port,
            CONF_HTTPS: False,
            **secrets,
        },
    )
    assert result["errors"] == {"base": "credentials_need_https"}
    assert emulator.requests == []


async def test_user_default_port(hass: HomeAssistant, socket_enabled: None) -> None:
    """Without a port the protocol's default is used (nothing listens there in tests)."""
    with patch(
        "custom_components.venstar_local.client_factory.default_port",
        return_value=free_port(),
    ):
        result = await _user_flow(hass, {CONF_HOST: "127.0.0.1", CONF_HTTPS: False})
    assert result["errors"] == {"base": "cannot_connect"}


async def test_user_https_unreachable(
    hass: HomeAssistant, socket_enabled: None
) -> None:
    result = await _user_flow(
        hass, {CONF_HOST: "127.0.0.1", CONF_PORT: free_port(), CONF_HTTPS: True}
    )
    assert result["errors"] == {"base": "cannot_connect"}


async def test_user_cannot_connect_then_recovers(
    hass: HomeAssistant, emulator: VenstarEmulator
) -> None:
    result = await _user_flow(hass, _http_input(free_port()))
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "cannot_connect"}

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        _http_input(emulator.port),
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_user_api_disabled(hass: HomeAssistant, not_found_server: int) -> None:
    result = await _user_flow(hass, _http_input(not_found_server))
    assert result["errors"] == {"base": "api_disabled"}


@pytest.mark.parametrize("fault", ["malformed_json", "http_500"])
async def test_user_not_venstar(
    hass: HomeAssistant, emulator: VenstarEmulator, fault: str
) -> None:
    emulator.faults.add(fault, path="/")
    result = await _user_flow(hass, _http_input(emulator.port))
    assert result["errors"] == {"base": "not_venstar"}


async def test_user_timeout(hass: HomeAssistant, emulator: VenstarEmulator) -> None:
    emulator.faults.timeout(path="/")
    with patch("custom_components.venstar_local.client_factory.REQUEST_RETRIES", 0):
        result = await _user_flow(hass, _http_input(emulator.port))
    assert result["errors"] == {"base": "cannot_connect"}


async def test_user_unknown_error(
    hass: HomeAssistant, emulator: VenstarEmulator
) -> None:
    """A client error of no known kind (no emulator fault produces one) is "unknown"."""
    with patch.object(VenstarClient, "identify", side_effect=VenstarError("odd")):
        result = await _user_flow(hass, _http_input(emulator.port))
    assert result["errors"] == {"base": "unknown"}


async def test_user_already_configured(
    hass: HomeAssistant, emulator: VenstarEmulator
) -> None:
    MockConfigEntry(domain=DOMAIN, data=entry_data(emulator, "colortouch")).add_to_hass(
        hass
    )
    result = await _user_flow(hass, _http_input(emulator.port))
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"


async def test_ssdp_discovery_creates_entry(
    hass: HomeAssistant, venstar_emulator_factory: VenstarEmulatorFactory
) -> None:
    emulator = await venstar_emulator_factory(name="Living Room")
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_SSDP}, data=ssdp_info(emulator)
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "discovery_confirm"
    assert result["description_placeholders"] == {
        "name": "Living Room",
        "model": "COLORTOUCH",
        "host": "127.0.0.1",
    }
    flows = hass.config_entries.flow.async_progress()
    assert flows[0]["context"]["title_placeholders"] == {
        "name": "Living Room",
        "model": "COLORTOUCH",
    }

    result = await hass.config_entries.flow.async_configure(result["flow_id"], {})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Living Room"
    assert result["result"].unique_id == MAC
    assert result["data"][CONF_MAC] == MAC
    assert result["data"][CONF_PORT] == emulator.port


@pytest.mark.parametrize("emulator_kwargs", [AUTH])
async def test_ssdp_legacy_with_credentials(
    hass: HomeAssistant, emulator: VenstarEmulator
) -> None:
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_SSDP}, data=ssdp_info(emulator, legacy=True)
    )
    assert result["description_placeholders"]["model"] == "Venstar"

    result = await hass.config_entries.flow.async_configure(result["flow_id"], {})
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "invalid_auth"}

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_USERNAME: "admin", CONF_PASSWORD: "secret"}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"][CONF_HTTPS] is True
    assert result["data"][CONF_PORT] == emulator.port


async def test_ssdp_notify_is_recognised(
    hass: HomeAssistant, emulator: VenstarEmulator
) -> None:
    """A periodic NOTIFY (NT instead of ST) offers the thermostat as well."""
    info = ssdp_info(emulator)
    info.ssdp_nt, info.ssdp_st = info.ssdp_st, ""
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_SSDP}, data=info
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "discovery_confirm"


async def test_ssdp_not_a_venstar(
    hass: HomeAssistant, emulator: VenstarEmulator
) -> None:
    info = ssdp_info(emulator)
    info.ssdp_usn = "uuid:1234::urn:schemas-upnp-org:device:Basic:1"
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_SSDP}, data=info
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "not_venstar_device"


def _known_entry(
    emulator: VenstarEmulator, host: str = "localhost", **extra: Any
) -> MockConfigEntry:
    """A discovered (MAC known) thermostat whose entry points at `host`."""
    return MockConfigEntry(
        domain=DOMAIN,
        entry_id=ENTRY_ID,
        unique_id=MAC,
        title="COLORTOUCH",
        data={
            **entry_data(emulator, "colortouch", **{CONF_MAC: MAC}),
            CONF_HOST: host,
            **extra,
        },
    )


async def _announce(hass: HomeAssistant, location: str) -> Any:
    info = SsdpServiceInfo(
        ssdp_usn=f"colortouch:ecp:{MAC}:name:COLORTOUCH:type:residential",
        ssdp_st="venstar:thermostat:ecp",
        ssdp_location=location,
        upnp={},
    )
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_SSDP}, data=info
    )
    await hass.async_block_till_done()
    return result


async def test_discovery_moves_to_a_new_address_only_after_identity_proof(
    hass: HomeAssistant, emulator: VenstarEmulator
) -> None:
    """The address may change (the same device answers there), nothing else."""
    entry = _known_entry(emulator)
    entry.add_to_hass(hass)
    result = await _announce(hass, f"http://127.0.0.1:{emulator.port}/")
    assert result["reason"] == "already_configured"
    assert entry.data[CONF_HOST] == "127.0.0.1"
    assert entry.data[CONF_PORT] == emulator.port
    # The same announcement again changes nothing.
    requests = len(emulator.requests)
    assert (await _announce(hass, f"http://127.0.0.1:{emulator.port}/"))[
        "reason"
    ] == "already_configured"
    assert entry.data[CONF_HOST] == "127.0.0.1"
    assert len(emulator.requests) == requests  # nothing to prove at a known address


async def test_discovery_keeps_the_address_when_another_device_answers(
    hass: HomeAssistant, emulator: VenstarEmulator
) -> None:
    entry = _known_entry(emulator)
    entry.add_to_hass(hass)
    emulator.faults.identity(name="Garage")
    result = await _announce(hass, f"http://127.0.0.1:{emulator.port}/")
    assert result["reason"] == "discovery_unverified"
    assert entry.data[CONF_HOST] == "localhost"


async def test_discovery_never_changes_protocol_port_or_credentials(
    hass: HomeAssistant, venstar_emulator_factory: VenstarEmulatorFactory
) -> None:
    """A spoofed http:// Location for an HTTPS entry: no downgrade, no credentials leak.

    The attacker's server (at the Location's port) is never contacted: only the host of an
    announcement is used, with the entry's own protocol, port and pinned certificate.
    """
    thermostat = await venstar_emulator_factory(**AUTH, pin="0042")
    attacker = await venstar_emulator_factory()
    entry = _known_entry(
        thermostat,
        **{
            CONF_USERNAME: "admin",
            CONF_PASSWORD: "secret",
            CONF_PIN: "0042",
            CONF_CERT_FINGERPRINT: thermostat.certificate_fingerprint,
        },
    )
    entry.add_to_hass(hass)
    before = dict(entry.data)
    result = await _announce(hass, f"http://127.0.0.1:{attacker.port}/")
    assert result["reason"] == "already_configured"
    assert attacker.requests == []
    assert entry.data == {**before, CONF_HOST: "127.0.0.1"}
    assert entry.data[CONF_HTTPS] is True


async def test_discovery_refuses_a_device_without_the_pinned_certificate(
    hass: HomeAssistant, venstar_emulator_factory: VenstarEmulatorFactory
) -> None:
    impostor = await venstar_emulator_factory(**AUTH)
    entry = _known_entry(
        impostor,
        **{
            CONF_USERNAME: "admin",
            CONF_PASSWORD: "secret",
            CONF_CERT_FINGERPRINT: "ab" * 32,
        },
    )
    entry.add_to_hass(hass)
    result = await _announce(hass, f"https://127.0.0.1:{impostor.port}/")
    assert result["reason"] == "discovery_unverified"
    assert entry.data[CONF_HOST] == "localhost"
    assert impostor.requests == []  # refused at the TLS handshake, before any request


async def test_discovery_https_location_never_unpins_an_http_entry(
    hass: HomeAssistant, emulator: VenstarEmulator
) -> None:
    """The reverse spoof (https:// for an HTTP entry) does not switch to unverified TLS."""
    entry = _known_entry(emulator)
    entry.add_to_hass(hass)
    result = await _announce(hass, "https://127.0.0.1:1/")
    assert result["reason"] == "already_configured"
    assert entry.data[CONF_HTTPS] is False
    assert entry.data[CONF_PORT] == emulator.port
    assert CONF_CERT_FINGERPRINT not in entry.data


async def test_discovery_of_an_entry_without_stored_identity_changes_nothing(
    hass: HomeAssistant, emulator: VenstarEmulator
) -> None:
    entry = _known_entry(emulator)
    data = dict(entry.data)
    del data[CONF_IDENTITY]
    entry = MockConfigEntry(domain=DOMAIN, unique_id=MAC, data=data)
    entry.add_to_hass(hass)
    result = await _announce(hass, f"http://127.0.0.1:{emulator.port}/")
    assert result["reason"] == "discovery_unverified"
    assert entry.data[CONF_HOST] == "localhost"


async def test_ssdp_upgrades_manual_entry_to_mac(
    hass: HomeAssistant, emulator: VenstarEmulator
) -> None:
    entry = MockConfigEntry(
        domain=DOMAIN, entry_id=ENTRY_ID, data=entry_data(emulator, "colortouch")
    )
    entry.add_to_hass(hass)
    other = MockConfigEntry(
        domain=DOMAIN,
        data={**entry_data(emulator, "colortouch"), CONF_HOST: "192.0.2.10"},
    )
    other.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()

    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_SSDP}, data=ssdp_info(emulator)
    )
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert entry.unique_id == MAC
    assert entry.data == {**entry_data(emulator, "colortouch"), CONF_MAC: MAC}
    assert other.unique_id is None
    assert entry.state is ConfigEntryState.LOADED


async def test_ssdp_does_not_give_a_manual_entry_the_mac_of_another_device(
    hass: HomeAssistant, emulator: VenstarEmulator
) -> None:
    entry = MockConfigEntry(domain=DOMAIN, data=entry_data(emulator, "colortouch"))
    entry.add_to_hass(hass)
    emulator.faults.identity(name="Garage")
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_SSDP}, data=ssdp_info(emulator)
    )
    assert result["reason"] == "discovery_unverified"
    assert entry.unique_id is None
    assert CONF_MAC not in entry.data


async def test_reauth(hass: HomeAssistant, venstar_emulator_factory: Any) -> None:
    emulator = await venstar_emulator_factory(**AUTH)
    entry = MockConfigEntry(
        domain=DOMAIN,
        entry_id=ENTRY_ID,
        unique_id=MAC,
        title="COLORTOUCH",
        data=entry_data(
            emulator, "colortouch", **{CONF_USERNAME: "admin", CONF_PASSWORD: "old"}
        ),
    )
    entry.add_to_hass(hass)
    assert not await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.SETUP_ERROR

    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert len(flows) == 1
    assert flows[0]["step_id"] == "reauth_confirm"
    flow_id = flows[0]["flow_id"]

    result = await hass.config_entries.flow.async_configure(
        flow_id, {CONF_USERNAME: "admin", CONF_PASSWORD: "still-wrong"}
    )
    assert result["errors"] == {"base": "invalid_auth"}

    emulator.faults.identity(name="Garage", count=2)
    result = await hass.config_entries.flow.async_configure(
        flow_id, {CONF_USERNAME: "admin", CONF_PASSWORD: "secret"}
    )
    assert result["errors"] == {"base": "wrong_device"}

    result = await hass.config_entries.flow.async_configure(
        flow_id, {CONF_USERNAME: "admin", CONF_PASSWORD: "secret"}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    await hass.async_block_till_done()
    assert entry.data[CONF_PASSWORD] == "secret"
    assert entry.state is ConfigEntryState.LOADED


async def test_reconfigure_moves_to_new_address(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    venstar_emulator_factory: VenstarEmulatorFactory,
) -> None:
    moved = await venstar_emulator_factory()
    result = await init_integration.start_reconfigure_flow(hass)
    assert result["step_id"] == "reconfigure"

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        _http_input(free_port()),
    )
    assert result["errors"] == {"base": "cannot_connect"}

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        _http_input(moved.port),
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    await hass.async_block_till_done()
    assert init_integration.data[CONF_PORT] == moved.port
    assert init_integration.data[CONF_MAC] == MAC
    assert init_integration.state is ConfigEntryState.LOADED


async def test_reconfigure_accepts_renamed_thermostat(
    hass: HomeAssistant, init_integration: MockConfigEntry, emulator: VenstarEmulator
) -> None:
    emulator.state.name = "Hallway"
    result = await init_integration.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        _http_input(emulator.port),
    )
    assert result["reason"] == "reconfigure_successful"
    assert init_integration.data[CONF_IDENTITY]["name"] == "Hallway"


async def test_reconfigure_refuses_other_thermostat(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    venstar_emulator_factory: VenstarEmulatorFactory,
) -> None:
    other = await venstar_emulator_factory(profile="t2000")
    result = await init_integration.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        _http_input(other.port),
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "unique_id_mismatch"
    assert init_integration.data[CONF_PORT] != other.port


async def test_options_poll_interval(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    coordinator = init_integration.runtime_data.coordinator
    result = await hass.config_entries.options.async_init(init_integration.entry_id)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "init"

    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {CONF_POLL_INTERVAL: 60}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert init_integration.options == {CONF_POLL_INTERVAL: 60}
    # Applied without a reload: same coordinator, new interval.
    assert init_integration.runtime_data.coordinator is coordinator
    assert coordinator.update_interval is not None
    assert coordinator.update_interval.total_seconds() == 60


async def test_discovered_http_thermostat_refuses_credentials(
    hass: HomeAssistant, emulator: VenstarEmulator
) -> None:
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_SSDP}, data=ssdp_info(emulator)
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PIN: "0042"}
    )
    assert result["errors"] == {"base": "credentials_need_https"}
    assert emulator.requests == []


async def test_reauth_of_an_http_entry_refuses_credentials(
    hass: HomeAssistant, init_integration: MockConfigEntry, emulator: VenstarEmulator
) -> None:
    result = await init_integration.start_reauth_flow(hass)
    requests = len(emulator.requests)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_USERNAME: "admin", CONF_PASSWORD: "secret"}
    )
    assert result["errors"] == {"base": "credentials_need_https"}
    assert len(emulator.requests) == requests


async def test_reconfigure_with_a_malformed_host_is_a_form_error(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    result = await init_integration.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_HOST: "http://x/y", CONF_HTTPS: False}
    )
    assert result["errors"] == {"base": "invalid_host"}
    assert init_integration.data[CONF_HOST] == "127.0.0.1"


async def test_setup_by_host_name_stays_on_loopback(
    hass: HomeAssistant, emulator: VenstarEmulator
) -> None:
    """A host name works (HA's resolver) and "localhost" resolves to loopback only."""
    result = await _user_flow(
        hass, {CONF_HOST: "localhost", CONF_PORT: emulator.port, CONF_HTTPS: False}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    entry = result["result"]
    assert entry.state is ConfigEntryState.LOADED
    assert entry.data[CONF_HOST] == "localhost"
    resolver = async_get_clientsession(hass, verify_ssl=False).connector._resolver  # type: ignore[union-attr]
    addresses = await resolver.resolve("localhost", emulator.port)
    assert addresses
    assert all(ip_address(found["host"]).is_loopback for found in addresses)
    assert {r.path for r in emulator.requests} >= {"/", "/query/info"}
