"""Config flow against the emulator: user, SSDP, reauth, reconfigure, options, every error."""

from __future__ import annotations

from collections.abc import AsyncIterator
import socket
from typing import Any
from unittest.mock import patch

from aiohttp import web
from homeassistant.config_entries import SOURCE_SSDP, SOURCE_USER, ConfigEntryState
from homeassistant.const import CONF_HOST, CONF_PASSWORD, CONF_PORT, CONF_USERNAME
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
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
    result = await _user_flow(
        hass, {CONF_HOST: "127.0.0.1", CONF_PORT: emulator.port, CONF_HTTPS: False}
    )
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


async def test_user_default_port(hass: HomeAssistant, socket_enabled: None) -> None:
    """Without a port the protocol's default is used (nothing listens there in tests)."""
    with patch(
        "custom_components.venstar_local.connection.default_port",
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
    result = await _user_flow(
        hass, {CONF_HOST: "127.0.0.1", CONF_PORT: free_port(), CONF_HTTPS: False}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "cannot_connect"}

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {CONF_HOST: "127.0.0.1", CONF_PORT: emulator.port, CONF_HTTPS: False},
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_user_api_disabled(hass: HomeAssistant, not_found_server: int) -> None:
    result = await _user_flow(
        hass, {CONF_HOST: "127.0.0.1", CONF_PORT: not_found_server, CONF_HTTPS: False}
    )
    assert result["errors"] == {"base": "api_disabled"}


@pytest.mark.parametrize("fault", ["malformed_json", "http_500"])
async def test_user_not_venstar(
    hass: HomeAssistant, emulator: VenstarEmulator, fault: str
) -> None:
    emulator.faults.add(fault, path="/")
    result = await _user_flow(
        hass, {CONF_HOST: "127.0.0.1", CONF_PORT: emulator.port, CONF_HTTPS: False}
    )
    assert result["errors"] == {"base": "not_venstar"}


async def test_user_timeout(hass: HomeAssistant, emulator: VenstarEmulator) -> None:
    emulator.faults.timeout(path="/")
    with patch("custom_components.venstar_local.connection.REQUEST_RETRIES", 0):
        result = await _user_flow(
            hass, {CONF_HOST: "127.0.0.1", CONF_PORT: emulator.port, CONF_HTTPS: False}
        )
    assert result["errors"] == {"base": "cannot_connect"}


async def test_user_unknown_error(
    hass: HomeAssistant, emulator: VenstarEmulator
) -> None:
    """A client error of no known kind (no emulator fault produces one) is "unknown"."""
    with patch.object(VenstarClient, "identify", side_effect=VenstarError("odd")):
        result = await _user_flow(
            hass, {CONF_HOST: "127.0.0.1", CONF_PORT: emulator.port, CONF_HTTPS: False}
        )
    assert result["errors"] == {"base": "unknown"}


async def test_user_already_configured(
    hass: HomeAssistant, emulator: VenstarEmulator
) -> None:
    MockConfigEntry(domain=DOMAIN, data=entry_data(emulator, "colortouch")).add_to_hass(
        hass
    )
    result = await _user_flow(
        hass, {CONF_HOST: "127.0.0.1", CONF_PORT: emulator.port, CONF_HTTPS: False}
    )
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


async def test_ssdp_updates_host_of_known_thermostat(
    hass: HomeAssistant, emulator: VenstarEmulator, init_integration: MockConfigEntry
) -> None:
    """The thermostat moved to another port/address: the entry follows silently."""
    moved = ssdp_info(emulator)
    moved.ssdp_location = "http://127.0.0.1:8080/"
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_SSDP}, data=moved
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert init_integration.data[CONF_PORT] == 8080
    assert init_integration.data[CONF_HOST] == "127.0.0.1"


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
    assert entry.data[CONF_MAC] == MAC
    assert other.unique_id is None
    assert entry.state is ConfigEntryState.LOADED


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
        {CONF_HOST: "127.0.0.1", CONF_PORT: free_port(), CONF_HTTPS: False},
    )
    assert result["errors"] == {"base": "cannot_connect"}

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {CONF_HOST: "127.0.0.1", CONF_PORT: moved.port, CONF_HTTPS: False},
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
        {CONF_HOST: "127.0.0.1", CONF_PORT: emulator.port, CONF_HTTPS: False},
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
        {CONF_HOST: "127.0.0.1", CONF_PORT: other.port, CONF_HTTPS: False},
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
