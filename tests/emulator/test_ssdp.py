"""SSDP: M-SEARCH on loopback answered in the current and the legacy form."""

from __future__ import annotations

import asyncio
import re
from typing import Any

import pytest

from emulators.venstar import VenstarEmulator
from emulators.venstar.ssdp import parse_search

MARKER = "colortouch:ecp"
USN_PATTERN = r"^(?:(\w+):)?ecp:((?:[0-9A-Fa-f]{2}:){5}[0-9A-Fa-f]{2}):name:(.*?)(?::type:(\w+))?$"


class _Collector(asyncio.DatagramProtocol):
    def __init__(self) -> None:
        self.answers: asyncio.Queue[bytes] = asyncio.Queue()

    def datagram_received(self, data: bytes, addr: Any) -> None:
        self.answers.put_nowait(data)


def _search(st: str, man: str = '"ssdp:discover"') -> bytes:
    return (
        "M-SEARCH * HTTP/1.1\r\n"
        "HOST: 239.255.255.250:1900\r\n"
        f"MAN: {man}\r\n"
        "MX: 1\r\n"
        f"ST: {st}\r\n\r\n"
    ).encode()


def _headers(data: bytes) -> dict[str, str]:
    status, *lines = data.decode().split("\r\n")
    assert status == "HTTP/1.1 200 OK"
    return {
        key.strip().lower(): value.strip()
        for key, _, value in (line.partition(":") for line in lines if line)
    }


async def _ask(
    emu: VenstarEmulator, payload: bytes, expected: int
) -> list[dict[str, str]]:
    """Send `payload`, then a marker search; return the answers that came before the marker."""
    loop = asyncio.get_running_loop()
    transport, collector = await loop.create_datagram_endpoint(
        _Collector, local_addr=("127.0.0.1", 0)
    )
    try:
        assert emu.ssdp_port is not None
        transport.sendto(payload, ("127.0.0.1", emu.ssdp_port))
        transport.sendto(_search(MARKER), ("127.0.0.1", emu.ssdp_port))
        answers: list[dict[str, str]] = []
        while True:
            headers = _headers(await asyncio.wait_for(collector.answers.get(), 5))
            if headers["st"] == MARKER and len(answers) >= expected:
                break
            answers.append(headers)
        return answers
    finally:
        transport.close()


async def test_current_form(venstar_emulator_factory: Any) -> None:
    emu = await venstar_emulator_factory(name="Living Room")
    await emu.start_ssdp()
    (answer,) = await _ask(emu, _search("venstar:thermostat:ecp"), 1)
    assert answer == {
        "cache-control": "max-age=300",
        "st": "venstar:thermostat:ecp",
        "location": emu.base_url,
        "usn": "colortouch:ecp:00:23:a7:3a:b2:72:name:Living%20Room:type:residential",
    }
    assert re.match(USN_PATTERN, answer["usn"])


async def test_legacy_form(venstar_emulator_factory: Any) -> None:
    emu = await venstar_emulator_factory(name="Living Room", mac="00:23:a7:00:00:09")
    await emu.start_ssdp()
    (answer,) = await _ask(emu, _search("colortouch:ecp"), 1)
    assert answer["st"] == "colortouch:ecp"
    assert answer["usn"] == "ecp:00:23:a7:00:00:09:name:Living%20Room"


async def test_ssdp_all_gets_both_and_commercial_type(
    venstar_emulator_factory: Any,
) -> None:
    emu = await venstar_emulator_factory(profile="commercial")
    await emu.start_ssdp()
    answers = await _ask(emu, _search("ssdp:all"), 2)
    assert {a["st"] for a in answers} == {"venstar:thermostat:ecp", "colortouch:ecp"}
    current = next(a for a in answers if a["st"] == "venstar:thermostat:ecp")
    assert current["usn"].endswith(":name:Office:type:commercial")


async def test_https_location(venstar_emulator_factory: Any) -> None:
    emu = await venstar_emulator_factory(https=True)
    await emu.start_ssdp()
    (answer,) = await _ask(emu, _search("venstar:thermostat:ecp"), 1)
    assert answer["location"] == f"https://127.0.0.1:{emu.port}/"


async def test_other_searches_are_ignored(venstar_emulator_factory: Any) -> None:
    emu = await venstar_emulator_factory()
    await emu.start_ssdp()
    for payload in (
        _search("upnp:rootdevice"),
        _search("venstar:thermostat:ecp", man='"ssdp:alive"'),
        b"NOTIFY * HTTP/1.1\r\nNT: venstar:thermostat:ecp\r\n\r\n",
        b"\xff\xfe",
    ):
        assert await _ask(emu, payload, 0) == []
    # Still answering afterwards.
    assert len(await _ask(emu, _search("venstar:thermostat:ecp"), 1)) == 1


def test_parse_search_accepts_bare_newlines() -> None:
    payload = b'M-SEARCH * HTTP/1.1\nMAN: "ssdp:discover"\nST: colortouch:ecp\n\n'
    assert parse_search(payload) == "colortouch:ecp"


async def test_only_loopback_and_once(venstar_emulator_factory: Any) -> None:
    emu = await venstar_emulator_factory()
    with pytest.raises(ValueError, match="loopback"):
        await emu.start_ssdp(host="0.0.0.0")  # noqa: S104 - refused before binding
    port = await emu.start_ssdp()
    assert port == emu.ssdp_port
    with pytest.raises(RuntimeError):
        await emu.start_ssdp()
    await emu.stop()
    assert emu.ssdp_port is None


async def test_notify_to_a_loopback_listener(venstar_emulator_factory: Any) -> None:
    emu = await venstar_emulator_factory(name="Den")
    loop = asyncio.get_running_loop()
    transport, collector = await loop.create_datagram_endpoint(
        _Collector, local_addr=("127.0.0.1", 0)
    )
    try:
        await emu.send_ssdp_notify(transport.get_extra_info("sockname")[1])
        messages = [
            (await asyncio.wait_for(collector.answers.get(), 5)).decode()
            for _ in range(2)
        ]
    finally:
        transport.close()
    for message in messages:
        assert message.startswith("NOTIFY * HTTP/1.1\r\n")
        assert "NTS: ssdp:alive\r\n" in message
        assert f"Location: {emu.base_url}\r\n" in message
    assert (
        "USN: colortouch:ecp:00:23:a7:3a:b2:72:name:Den:type:residential\r\n"
        in messages[0]
    )
    assert "USN: ecp:00:23:a7:3a:b2:72:name:Den\r\n" in messages[1]
    with pytest.raises(ValueError, match="loopback"):
        await emu.send_ssdp_notify(1900, host="239.255.255.250")
