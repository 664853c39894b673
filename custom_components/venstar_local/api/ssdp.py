"""Parse Venstar SSDP answers and NOTIFYs into `SsdpDevice`.

Two formats exist: the current ``ST: venstar:thermostat:ecp`` with
``USN: colortouch:ecp:<mac>:name:<url-encoded name>:type:<residential|commercial>`` and the
legacy ``ST: colortouch:ecp`` with ``USN: ecp:<mac>:name:<name>`` (no prefix, no type).
The MAC in the USN is the only hardware identifier a thermostat exposes.
"""

from __future__ import annotations

from collections.abc import Mapping
import re
from urllib.parse import unquote, urlsplit

from .enums import DeviceType
from .models import SsdpDevice

SEARCH_TARGETS = ("venstar:thermostat:ecp", "colortouch:ecp")
_USN = re.compile(
    r"^(?:(\w+):)?ecp:((?:[0-9A-Fa-f]{2}:){5}[0-9A-Fa-f]{2}):name:(.*?)(?::type:(\w+))?$"
)


def normalize_mac(mac: str) -> str:
    """Return a MAC as lower-case colon-separated pairs (Home Assistant's format)."""
    digits = re.sub(r"[^0-9a-fA-F]", "", mac).lower()
    if len(digits) != 12:
        raise ValueError("A MAC address has 12 hex digits")
    return ":".join(digits[index : index + 2] for index in range(0, 12, 2))


def parse_ssdp(headers: Mapping[str, str]) -> SsdpDevice | None:
    """Return the thermostat an SSDP answer or NOTIFY describes, or None if it is not one.

    Header names are matched case-insensitively; ``ST`` or ``NT`` must be one of the two
    Venstar search targets and ``Location`` an http(s) URL.
    """
    lowered = {key.lower(): value.strip() for key, value in headers.items()}
    target = lowered.get("st") or lowered.get("nt") or ""
    if target.lower() not in SEARCH_TARGETS:
        return None
    match = _USN.match(lowered.get("usn", ""))
    if match is None:
        return None
    try:
        location = urlsplit(lowered.get("location", ""))
        port = location.port
    except ValueError:  # malformed netloc or port
        return None
    if location.scheme not in ("http", "https") or not location.hostname:
        return None
    https = location.scheme == "https"
    type_text = (match.group(4) or "").lower()
    try:
        device_type: DeviceType | None = DeviceType(type_text)
    except ValueError:
        device_type = None
    host = location.hostname
    return SsdpDevice(
        mac=normalize_mac(match.group(2)),
        name=unquote(match.group(3)),
        device_type=device_type,
        base_url=f"{location.scheme}://{location.netloc}/",
        host=host,
        port=port if port is not None else (443 if https else 80),
        https=https,
    )
