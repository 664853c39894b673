"""Another device at the address: kept-alive connections end, certificates differ.

An IP address can change hands; an established TCP connection cannot. The emulator models
"another device answers here" (the identity switch, an identity fault) the way the network
does: connections kept alive to the device that left end, a request sent over one is reset
unanswered, and over HTTPS the device answering presents its own certificate.
"""

from __future__ import annotations

import asyncio
import hashlib
import ssl

import aiohttp
import pytest

from emulators.venstar import VenstarEmulator
from tests.venstar_fixtures import VenstarEmulatorFactory


async def _control(emu: VenstarEmulator, method: str, body: object = None) -> None:
    async with (
        aiohttp.ClientSession() as session,
        session.request(
            method, f"{emu.base_url}_emulator/identity", json=body, ssl=False
        ) as response,
    ):
        assert response.status == 200


async def _peer_certificate(emu: VenstarEmulator) -> str:
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    _, writer = await asyncio.open_connection(emu.host, emu.port, ssl=context)
    try:
        der = writer.get_extra_info("ssl_object").getpeercert(binary_form=True)
    finally:
        writer.close()
        await writer.wait_closed()
    return hashlib.sha256(der).hexdigest()


async def _closed(response: aiohttp.ClientResponse) -> bool:
    """Whether the connection that carried `response` ends within a few loop turns."""
    protocol = response._protocol
    for _ in range(20):
        if protocol is None or not protocol.is_connected():
            return True
        await asyncio.sleep(0)
    return False


async def test_identity_switch_ends_the_connections_kept_alive(
    venstar_emulator: VenstarEmulator,
) -> None:
    async with aiohttp.ClientSession() as session:
        async with session.get(f"{venstar_emulator.base_url}query/info") as before:
            assert (await before.json())["name"] == "COLORTOUCH"
        await _control(venstar_emulator, "POST", {"name": "Upstairs"})
        assert await _closed(before)
        async with session.get(f"{venstar_emulator.base_url}query/info") as after:
            assert (await after.json())["name"] == "Upstairs"
        await _control(venstar_emulator, "DELETE")
        assert await _closed(after)
    assert [r.connection for r in venstar_emulator.requests] == [1, 2]


async def test_identity_set_in_python_ends_the_connections_too(
    venstar_emulator: VenstarEmulator,
) -> None:
    async with aiohttp.ClientSession() as session:
        async with session.get(f"{venstar_emulator.base_url}query/info") as before:
            await before.read()
        venstar_emulator.identity = {"firmware": "5.2"}  # a firmware update restarts it
        assert await _closed(before)


async def test_request_over_a_connection_of_the_device_that_left_is_reset(
    venstar_emulator: VenstarEmulator,
) -> None:
    """An identity fault: the next request over the old connection never reaches anyone."""
    reader, writer = await asyncio.open_connection(
        venstar_emulator.host, venstar_emulator.port
    )
    request = (
        b"POST /control HTTP/1.1\r\nHost: thermostat\r\nContent-Length: 5\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\n\r\nfan=1"
    )
    writer.write(request)
    assert (await reader.readuntil(b"\r\n\r\n")).startswith(b"HTTP/1.1 200")
    await reader.read(200)  # the small JSON answer
    fault = venstar_emulator.faults.identity(name="Upstairs")
    venstar_emulator.state.fan = 0
    writer.write(request)
    with pytest.raises((ConnectionError, asyncio.IncompleteReadError)):
        await reader.readuntil(b"\r\n\r\n")
    writer.close()
    assert venstar_emulator.state.fan == 0
    assert [r.path for r in venstar_emulator.requests] == ["/control"]
    assert fault.hits == 0
    # A new connection reaches the device that answers now.
    async with (
        aiohttp.ClientSession() as session,
        session.get(f"{venstar_emulator.base_url}query/info") as response,
    ):
        assert (await response.json())["name"] == "Upstairs"
    assert fault.hits == 1


async def test_every_device_presents_its_own_certificate(
    venstar_emulator_factory: VenstarEmulatorFactory,
) -> None:
    emu = await venstar_emulator_factory(https=True)
    own = emu.certificate_fingerprint
    assert await _peer_certificate(emu) == own
    await _control(emu, "POST", {"name": "Upstairs"})
    other = emu.certificate_fingerprint
    assert other != own
    assert await _peer_certificate(emu) == other
    await _control(emu, "POST", {"firmware": "5.2"})  # an update keeps the certificate
    assert emu.certificate_fingerprint == own
    await _control(emu, "DELETE")
    assert await _peer_certificate(emu) == own
    # The same thermostat started again keeps its certificate; another has its own.
    port = emu.port
    await emu.stop()
    again = await venstar_emulator_factory(https=True, port=port)
    assert await _peer_certificate(again) == own
    neighbour = await venstar_emulator_factory(https=True, name="Upstairs")
    assert neighbour.certificate_fingerprint == other
    elsewhere = await venstar_emulator_factory(https=True, mac="00:23:a7:00:00:01")
    assert elsewhere.certificate_fingerprint not in (own, other)
    assert (await _peer_certificate(neighbour)) == other
