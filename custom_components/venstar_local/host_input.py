"""Turn what a user pastes into the host field into a host, and maybe a port and protocol.

Users paste ``192.168.1.20``, ``192.168.1.20:8080``, ``http://192.168.1.20/``,
``https://thermostat.lan``, ``[fe80::1]:8080`` or a bare IPv6 address. Everything that is
not an IP address or a valid host name, or that carries more than an address (a path, a
query, a user name), is refused with `InvalidHostError` - never an unhandled exception.
IPv6 hosts are returned without brackets (the client adds them to URLs).
"""

from __future__ import annotations

from dataclasses import dataclass
import ipaddress
import re
from urllib.parse import urlsplit

MAX_HOST_LENGTH = 253
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_BRACKETED = re.compile(r"^\[([^\]]+)\](?::(\d{1,5}))?$")
_HOST_PORT = re.compile(r"^([^:]+):(\d{1,5})$")


class InvalidHostError(ValueError):
    """The text is not an address the thermostat can be reached at."""


@dataclass(frozen=True, slots=True)
class HostInput:
    """The parts of a pasted address: `port` and `https` are None when it did not say."""

    host: str
    port: int | None = None
    https: bool | None = None


def parse_host(text: str) -> HostInput:
    """Split a pasted address into host, port and protocol; raise `InvalidHostError`."""
    text = text.strip()
    if not text or len(text) > MAX_HOST_LENGTH + 16:
        raise InvalidHostError(text[:20])
    https: bool | None = None
    if "://" in text:
        scheme, _, _ = text.partition("://")
        if scheme.lower() not in ("http", "https"):
            raise InvalidHostError(text[:20])
        https = scheme.lower() == "https"
        try:
            parts = urlsplit(text)
            port = parts.port
        except ValueError:
            raise InvalidHostError(text[:20]) from None
        if (
            parts.username is not None
            or parts.password is not None
            or parts.path not in ("", "/")
            or parts.query
            or parts.fragment
            or not parts.hostname
        ):
            raise InvalidHostError(text[:20])
        return HostInput(_valid_host(parts.hostname), _valid_port(port), https)
    text = text.removesuffix("/")
    if match := _BRACKETED.match(text):
        return HostInput(_valid_ip6(match.group(1)), _valid_port(match.group(2)))
    if text.count(":") >= 2:
        return HostInput(_valid_ip6(text))
    if match := _HOST_PORT.match(text):
        return HostInput(_valid_host(match.group(1)), _valid_port(match.group(2)))
    return HostInput(_valid_host(text))


def _valid_port(port: int | str | None) -> int | None:
    if port is None:
        return None
    value = int(port)
    if not 1 <= value <= 65535:
        raise InvalidHostError(str(port))
    return value


def _valid_ip6(text: str) -> str:
    try:
        return str(ipaddress.IPv6Address(text))
    except ValueError:
        raise InvalidHostError(text[:20]) from None


def _valid_host(text: str) -> str:
    """Return an IP address, or a host name in its ASCII (IDNA) form, lower-case."""
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        pass
    name = text.lower().removesuffix(".")
    if not name.isascii():
        try:
            name = name.encode("idna").decode("ascii")
        except UnicodeError:
            raise InvalidHostError(text[:20]) from None
    labels = name.split(".")
    if len(name) > MAX_HOST_LENGTH or not all(_LABEL.match(label) for label in labels):
        raise InvalidHostError(text[:20])
    if labels[-1].isdigit():
        # Dotted numbers that are not an IPv4 address (999.1.1.1, 1.2.3).
        raise InvalidHostError(text[:20])
    return name
