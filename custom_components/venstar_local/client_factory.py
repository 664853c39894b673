"""Build the Venstar client from a config entry's data, the same way everywhere.

The config flow (to validate), setup and diagnostics all talk to the thermostat through a
client made here, so session choice, TLS handling and request pacing are decided once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
import contextlib
import hashlib
from typing import Any

from homeassistant.const import CONF_HOST, CONF_PASSWORD, CONF_PORT, CONF_USERNAME
from homeassistant.core import HomeAssistant
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.util.ssl import get_default_no_verify_context

from .api import DeviceIdentity, VenstarClient, VenstarConnectionError
from .const import (
    CONF_CERT_FINGERPRINT,
    CONF_HTTPS,
    CONF_PIN,
    DEFAULT_HTTP_PORT,
    DEFAULT_HTTPS_PORT,
    MIN_REQUEST_GAP,
    REQUEST_RETRIES,
    REQUEST_TIMEOUT,
    RETRY_BACKOFF,
)


def default_port(https: bool) -> int:
    """Return the port the thermostat serves its API on for the chosen protocol."""
    return DEFAULT_HTTPS_PORT if https else DEFAULT_HTTP_PORT


def create_client(
    hass: HomeAssistant,
    data: Mapping[str, Any],
    *,
    expected_identity: DeviceIdentity | None = None,
) -> VenstarClient:
    """Return a client for the thermostat described by config entry `data`.

    Thermostats serve a self-signed certificate, so HA's shared session without
    certificate verification is used; the session is shared, never closed by us. Over
    HTTPS the certificate seen at setup is pinned (trust on first use), so credentials
    are never sent to another server presenting some other certificate. Secrets are only
    ever passed for HTTPS (the flows refuse them otherwise; data from before that rule
    loses them here rather than sending them in clear).
    """
    https = bool(data.get(CONF_HTTPS, False))
    return VenstarClient(
        data[CONF_HOST],
        async_get_clientsession(hass, verify_ssl=False),
        port=data.get(CONF_PORT) or default_port(https),
        https=https,
        username=(data.get(CONF_USERNAME) or None) if https else None,
        password=(data.get(CONF_PASSWORD) or None) if https else None,
        pin=(data.get(CONF_PIN) or None) if https else None,
        certificate_fingerprint=data.get(CONF_CERT_FINGERPRINT) if https else None,
        timeout=REQUEST_TIMEOUT,
        min_request_gap=MIN_REQUEST_GAP,
        retries=REQUEST_RETRIES,
        retry_backoff=RETRY_BACKOFF,
        expected_identity=expected_identity,
    )


async def async_fetch_certificate_fingerprint(host: str, port: int) -> str:
    """Return the SHA-256 (hex) of the certificate the thermostat presents now."""
    try:
        async with asyncio.timeout(REQUEST_TIMEOUT):
            _, writer = await asyncio.open_connection(
                host, port, ssl=get_default_no_verify_context()
            )
    except (OSError, TimeoutError) as err:
        raise VenstarConnectionError(
            f"TLS connection to {host}:{port} failed: {type(err).__name__}"
        ) from err
    try:
        certificate = writer.get_extra_info("ssl_object").getpeercert(binary_form=True)
    finally:
        writer.close()
        with contextlib.suppress(OSError, TimeoutError):
            async with asyncio.timeout(REQUEST_TIMEOUT):
                await writer.wait_closed()
    return hashlib.sha256(certificate).hexdigest()
