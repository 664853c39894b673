"""Discovery end to end: M-SEARCH the emulator on loopback, parse, connect to what was found."""

from __future__ import annotations

import asyncio

import aiohttp

from custom_components.venstar_local.api import (
    SEARCH_TARGETS,
    DeviceType,
    VenstarClient,
    parse_ssdp,
)
from tests.venstar_fixtures import VenstarEmulatorFactory


class _Collector(asyncio.DatagramProtocol):
    def __init__(self) -> None:
        self.answers: asyncio.Queue[bytes] = asyncio.Queue()

    def datagram_received(self, data: bytes, addr: tuple[str | int, int]) -> None:
        self.answers.put_nowait(data)


def _headers(datagram: bytes) -> dict[str, str]:
    lines = datagram.decode().split("\r\n")[1:]
    return {
        key.strip(): value.strip()
        for key, sep, value in (line.partition(":") for line in lines)
        if sep
    }


async def test_both_search_targets_lead_to_the_thermostat(
    venstar_emulator_factory: VenstarEmulatorFactory, session: aiohttp.ClientSession
) -> None:
    emu = await venstar_emulator_factory(name="Living Room")
    ssdp_port = await emu.start_ssdp()
    loop = asyncio.get_running_loop()
    transport, collector = await loop.create_datagram_endpoint(
        _Collector, local_addr=("127.0.0.1", 0)
    )
    try:
        found = []
        for target in SEARCH_TARGETS:
            search = (
                "M-SEARCH * HTTP/1.1\r\nHost: 239.255.255.250:1900\r\n"
                f'Man: "ssdp:discover"\r\nST: {target}\r\n\r\n'
            )
            transport.sendto(search.encode(), ("127.0.0.1", ssdp_port))
            answer = await asyncio.wait_for(collector.answers.get(), 5)
            found.append(parse_ssdp(_headers(answer)))
    finally:
        transport.close()
    current, legacy = found
    assert current is not None
    assert legacy is not None
    assert current.mac == legacy.mac == "00:23:a7:3a:b2:72"
    assert current.name == legacy.name == "Living Room"
    assert (current.device_type, legacy.device_type) == (DeviceType.RESIDENTIAL, None)
    assert current.base_url == emu.base_url
    client = VenstarClient(
        current.host, session, port=current.port, https=current.https
    )
    assert (await client.info()).name == "Living Room"
