"""SSDP responder on loopback: answers M-SEARCH like a thermostat does, never multicasts.

Both search targets are answered: the current `venstar:thermostat:ecp` (USN with model prefix
and type) and the legacy `colortouch:ecp` (USN without them). The socket is bound to a loopback
address only, so nothing leaves the machine.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
import ipaddress
from urllib.parse import quote

CURRENT_ST = "venstar:thermostat:ecp"
LEGACY_ST = "colortouch:ecp"
MAX_AGE = 300


@dataclass(frozen=True)
class Advertisement:
    """What one thermostat announces: its API base URL, MAC, name and type."""

    location: str
    mac: str
    name: str
    type: str

    def usn(self, st: str) -> str:
        """USN in the form that matches the search target."""
        name = quote(self.name, safe="")
        if st == LEGACY_ST:
            return f"ecp:{self.mac}:name:{name}"
        return f"colortouch:ecp:{self.mac}:name:{name}:type:{self.type}"

    def response(self, st: str) -> bytes:
        """Build the unicast answer to an M-SEARCH for `st`."""
        lines = [
            "HTTP/1.1 200 OK",
            f"Cache-Control: max-age={MAX_AGE}",
            f"ST: {st}",
            f"Location: {self.location}",
            f"USN: {self.usn(st)}",
            "",
            "",
        ]
        return "\r\n".join(lines).encode()

    def notify(self, nt: str) -> bytes:
        """Build the `NOTIFY ssdp:alive` a thermostat sends periodically for `nt`."""
        lines = [
            "NOTIFY * HTTP/1.1",
            "Host: 239.255.255.250:1900",
            f"Cache-Control: max-age={MAX_AGE}",
            f"NT: {nt}",
            "NTS: ssdp:alive",
            f"Location: {self.location}",
            f"USN: {self.usn(nt)}",
            "",
            "",
        ]
        return "\r\n".join(lines).encode()


def parse_search(data: bytes) -> str | None:
    """Search target of an M-SEARCH datagram, or None when it is not a discover request."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    lines = text.split("\r\n") if "\r\n" in text else text.split("\n")
    if not lines or not lines[0].upper().startswith("M-SEARCH * HTTP/1.1"):
        return None
    headers: dict[str, str] = {}
    for line in lines[1:]:
        key, sep, value = line.partition(":")
        if sep:
            headers[key.strip().lower()] = value.strip()
    if headers.get("man", "").strip('"') != "ssdp:discover":
        return None
    return headers.get("st")


def answered_targets(st: str) -> list[str]:
    """Search targets to answer for a requested ST (ssdp:all gets both forms)."""
    if st == "ssdp:all":
        return [CURRENT_ST, LEGACY_ST]
    if st in (CURRENT_ST, LEGACY_ST):
        return [st]
    return []


class SSDPResponder(asyncio.DatagramProtocol):
    """Datagram protocol answering M-SEARCH with the current advertisement."""

    def __init__(self, advertisement: Callable[[], Advertisement]) -> None:
        """`advertisement` is called per search so name/port changes show up at once."""
        self._advertisement = advertisement
        self._transport: asyncio.DatagramTransport | None = None
        self.searches = 0

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        """Keep the transport to answer on."""
        if isinstance(transport, asyncio.DatagramTransport):
            self._transport = transport

    def datagram_received(self, data: bytes, addr: tuple[str | int, int]) -> None:
        """Answer a discover request for one of our search targets."""
        st = parse_search(data)
        if st is None or self._transport is None:
            return
        targets = answered_targets(st)
        if targets:
            self.searches += 1
        advertisement = self._advertisement()
        for target in targets:
            self._transport.sendto(advertisement.response(target), addr)


def _require_loopback(host: str) -> None:
    if not ipaddress.ip_address(host).is_loopback:
        raise ValueError("SSDP traffic of the emulator stays on loopback addresses")


async def send_notify(advertisement: Advertisement, host: str, port: int) -> None:
    """Send both NOTIFY forms to one loopback listener (a stand-in for the multicast group)."""
    _require_loopback(host)
    loop = asyncio.get_running_loop()
    transport, _ = await loop.create_datagram_endpoint(
        asyncio.DatagramProtocol, remote_addr=(host, port)
    )
    try:
        for nt in (CURRENT_ST, LEGACY_ST):
            transport.sendto(advertisement.notify(nt))
    finally:
        transport.close()


async def start_responder(
    advertisement: Callable[[], Advertisement], host: str, port: int
) -> tuple[asyncio.DatagramTransport, SSDPResponder]:
    """Bind the responder to a loopback address (anything else is refused)."""
    _require_loopback(host)
    loop = asyncio.get_running_loop()
    transport, protocol = await loop.create_datagram_endpoint(
        lambda: SSDPResponder(advertisement), local_addr=(host, port)
    )
    return transport, protocol
