"""The thermostat's identity as kept in config entry data (verified before every write)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .api import DeviceIdentity, DeviceType
from .const import CONF_IDENTITY, CONF_MAC


def identity_to_data(identity: DeviceIdentity) -> dict[str, Any]:
    """Store an identity in config entry data (JSON-serialisable)."""
    return {
        "name": identity.name,
        "model": identity.model,
        "device_type": identity.device_type.value,
    }


def identity_from_data(data: Mapping[str, Any]) -> DeviceIdentity | None:
    """Return the identity stored with a config entry, with the MAC when discovery knew it."""
    stored = data.get(CONF_IDENTITY)
    if not stored:
        return None
    return DeviceIdentity(
        name=stored["name"],
        model=stored.get("model"),
        device_type=DeviceType(stored["device_type"]),
        mac=data.get(CONF_MAC),
    )
