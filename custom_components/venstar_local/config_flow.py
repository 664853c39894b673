"""Config flow: manual setup, SSDP discovery, reauthentication, reconfiguration, options.

The unique id is the thermostat's MAC (HA's ``format_mac`` form). The HTTP API reports no
MAC, only SSDP does, so a manually added thermostat has no unique id; it is deduplicated by
address and gets its MAC as soon as discovery sees it at that address.

Security rules kept here:

* A username, password or PIN is accepted only with HTTPS (they are never sent in clear).
* Discovery (an unauthenticated multicast anyone on the network can send) may only propose
  a new *address* for a known thermostat. Protocol, port, credentials and the pinned
  certificate never change from discovery, and the new address is adopted only after the
  device there proves to be the configured thermostat - over HTTPS that includes the
  pinned certificate, checked before anything (credentials included) is sent.
"""

from __future__ import annotations

from collections.abc import Mapping
import re
from typing import Any, override

from homeassistant.config_entries import (
    SOURCE_IGNORE,
    ConfigEntry,
    ConfigFlow,
    ConfigFlowResult,
    OptionsFlow,
)
from homeassistant.const import CONF_HOST, CONF_PASSWORD, CONF_PORT, CONF_USERNAME
from homeassistant.core import callback
from homeassistant.helpers.selector import (
    BooleanSelector,
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    TextSelector,
    TextSelectorConfig,
    TextSelectorType,
)
from homeassistant.helpers.service_info.ssdp import SsdpServiceInfo
import voluptuous as vol

from .api import (
    DeviceIdentity,
    SsdpDevice,
    VenstarApiError,
    VenstarAuthenticationError,
    VenstarConnectionError,
    VenstarError,
    VenstarInvalidResponseError,
    VenstarWrongDeviceError,
    parse_ssdp,
)
from .client_factory import (
    async_fetch_certificate_fingerprint,
    create_client,
    default_port,
)
from .const import (
    CONF_CERT_FINGERPRINT,
    CONF_HTTPS,
    CONF_IDENTITY,
    CONF_MAC,
    CONF_PIN,
    CONF_POLL_INTERVAL,
    DEFAULT_POLL_INTERVAL,
    DOMAIN,
    LOGGER,
    MAX_POLL_INTERVAL,
    MIN_POLL_INTERVAL,
)
from .coordinator import VenstarConfigEntry
from .host_input import InvalidHostError, parse_host
from .stored_identity import identity_from_data, identity_to_data

_PIN = re.compile(r"^\d{1,4}$")
_CREDENTIAL_KEYS = (CONF_USERNAME, CONF_PASSWORD, CONF_PIN)

_TEXT = TextSelector(TextSelectorConfig(autocomplete="off"))
_PASSWORD = TextSelector(
    TextSelectorConfig(type=TextSelectorType.PASSWORD, autocomplete="off")
)
_PORT = NumberSelector(
    NumberSelectorConfig(min=1, max=65535, mode=NumberSelectorMode.BOX)
)


def _credentials_schema(defaults: Mapping[str, Any]) -> dict[vol.Marker, Any]:
    """Username, password and PIN; all optional (auth and PIN are off by default)."""
    return {
        vol.Optional(
            CONF_USERNAME,
            description={"suggested_value": defaults.get(CONF_USERNAME)},
        ): _TEXT,
        vol.Optional(
            CONF_PASSWORD,
            description={"suggested_value": defaults.get(CONF_PASSWORD)},
        ): _PASSWORD,
        vol.Optional(
            CONF_PIN, description={"suggested_value": defaults.get(CONF_PIN)}
        ): _PASSWORD,
    }


def _connection_schema(defaults: Mapping[str, Any]) -> vol.Schema:
    """Address, protocol and credentials."""
    return vol.Schema(
        {
            vol.Required(CONF_HOST, default=defaults.get(CONF_HOST, vol.UNDEFINED)): (
                _TEXT
            ),
            vol.Optional(
                CONF_PORT, description={"suggested_value": defaults.get(CONF_PORT)}
            ): _PORT,
            vol.Required(
                CONF_HTTPS, default=defaults.get(CONF_HTTPS, False)
            ): BooleanSelector(),
            **_credentials_schema(defaults),
        }
    )


class _FormError(Exception):
    """A form input that is refused with a translated error (`key`)."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _normalize(user_input: Mapping[str, Any]) -> dict[str, Any]:
    """Entry data from a form: address parsed, port filled in, empty credentials dropped.

    What users paste into the host field (a URL, ``host:port``, brackets) is split into the
    form's fields. Raises `_FormError` for an unusable address, for a protocol or port in it
    that contradicts the form's own, and for credentials without HTTPS.
    """
    https = bool(user_input.get(CONF_HTTPS, False))
    try:
        address = parse_host(str(user_input.get(CONF_HOST) or ""))
    except InvalidHostError:
        raise _FormError("invalid_host") from None
    if address.https is not None:
        if https and not address.https:
            # Never silently weaken a protocol the user chose.
            raise _FormError("host_conflict")
        https = address.https
    port = int(user_input.get(CONF_PORT) or 0) or None
    if address.port is not None and port is not None and address.port != port:
        raise _FormError("host_conflict")
    data: dict[str, Any] = {
        CONF_HOST: address.host,
        CONF_PORT: address.port or port or default_port(https),
        CONF_HTTPS: https,
    }
    for key in _CREDENTIAL_KEYS:
        if value := str(user_input.get(key) or "").strip():
            data[key] = value
    if not https and any(key in data for key in _CREDENTIAL_KEYS):
        raise _FormError("credentials_need_https")
    return data


def _form_data(
    user_input: Mapping[str, Any], errors: dict[str, str]
) -> dict[str, Any] | None:
    """`_normalize`, with a refusal put into the form's `errors` instead (then None)."""
    try:
        return _normalize(user_input)
    except _FormError as err:
        errors["base"] = err.key
        return None


async def _validate(
    flow: ConfigFlow,
    data: dict[str, Any],
    errors: dict[str, str],
    expected: DeviceIdentity | None = None,
) -> DeviceIdentity | None:
    """Talk to the thermostat; fill `errors` and return None when it does not work.

    Over HTTPS the certificate is pinned here unless `data` already holds a pin (reauth
    keeps the one from setup, so new credentials only go to the same server).
    """
    if (pin := data.get(CONF_PIN)) is not None and not _PIN.match(pin):
        errors[CONF_PIN] = "invalid_pin"
        return None
    if not data[CONF_HTTPS]:
        data.pop(CONF_CERT_FINGERPRINT, None)
    elif CONF_CERT_FINGERPRINT not in data:
        try:
            data[CONF_CERT_FINGERPRINT] = await async_fetch_certificate_fingerprint(
                data[CONF_HOST], data[CONF_PORT]
            )
        except VenstarConnectionError:
            errors["base"] = "cannot_connect"
            return None
    client = create_client(flow.hass, data, expected_identity=expected)
    try:
        return await client.identify()
    except VenstarAuthenticationError:
        errors["base"] = "invalid_auth"
    except VenstarWrongDeviceError:
        errors["base"] = "wrong_device"
    except VenstarApiError as err:
        # The web server answers but has no API: the Local API switch is off (404), or
        # this is some other device's web server.
        errors["base"] = "api_disabled" if err.status == 404 else "not_venstar"
    except VenstarInvalidResponseError:
        errors["base"] = "not_venstar"
    except VenstarConnectionError:
        errors["base"] = "cannot_connect"
    except VenstarError:
        LOGGER.exception("Unexpected answer from the thermostat")
        errors["base"] = "unknown"
    return None


def _usn_model(usn: str) -> str | None:
    """Return the model prefix of a current-format USN (``colortouch:ecp:…`` → ``COLORTOUCH``)."""
    prefix, _, rest = usn.partition(":")
    return prefix.upper() if rest.startswith("ecp:") and prefix else None


class VenstarConfigFlow(ConfigFlow, domain=DOMAIN):
    """Set up a Venstar thermostat."""

    VERSION = 1

    _discovered: SsdpDevice
    _discovered_model: str | None

    @staticmethod
    @callback
    @override
    def async_get_options_flow(config_entry: VenstarConfigEntry) -> OptionsFlow:
        """Options: poll interval."""
        return VenstarOptionsFlow()

    @override
    async def async_step_user(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Set up by address."""
        errors: dict[str, str] = {}
        if (
            user_input is not None
            and (data := _form_data(user_input, errors)) is not None
        ):
            self._async_abort_entries_match(
                {CONF_HOST: data[CONF_HOST], CONF_PORT: data[CONF_PORT]}
            )
            if identity := await _validate(self, data, errors):
                return self._create(identity, data)
        return self.async_show_form(
            step_id="user",
            data_schema=_connection_schema(user_input or {}),
            errors=errors,
        )

    def _create(
        self, identity: DeviceIdentity, data: dict[str, Any]
    ) -> ConfigFlowResult:
        """Create the entry, storing who the thermostat is for later identity checks."""
        data[CONF_IDENTITY] = identity_to_data(identity)
        title = identity.name or identity.model or "Venstar"
        return self.async_create_entry(title=title, data=data)

    @override
    async def async_step_ssdp(
        self, discovery_info: SsdpServiceInfo
    ) -> ConfigFlowResult:
        """Handle a thermostat that announced itself; its USN carries the MAC."""
        # Answers to a search carry ST, the thermostat's periodic NOTIFYs carry NT.
        headers = {
            **discovery_info.ssdp_headers,
            "st": discovery_info.ssdp_st or "",
            "nt": discovery_info.ssdp_nt or "",
            "usn": discovery_info.ssdp_usn,
            "location": discovery_info.ssdp_location or "",
        }
        if (device := parse_ssdp(headers)) is None:
            return self.async_abort(reason="not_venstar_device")
        await self.async_set_unique_id(device.mac)
        known = self.hass.config_entries.async_entry_for_domain_unique_id(
            DOMAIN, device.mac
        )
        if known is not None and known.source != SOURCE_IGNORE:
            return await self._async_follow_announcement(known, device.host)
        self._abort_if_unique_id_configured()
        for entry in self._async_current_entries(include_ignore=False):
            if entry.unique_id is None and entry.data[CONF_HOST] == device.host:
                # Added by hand before discovery knew it: adopt the MAC as unique id,
                # once the device there proves to be that thermostat. Nothing else changes.
                if not await self._async_proves_identity(entry, dict(entry.data)):
                    return self.async_abort(reason="discovery_unverified")
                self.hass.config_entries.async_update_entry(
                    entry,
                    unique_id=device.mac,
                    data={**entry.data, CONF_MAC: device.mac},
                )
                self.hass.config_entries.async_schedule_reload(entry.entry_id)
                return self.async_abort(reason="already_configured")
        self._discovered = device
        self._discovered_model = _usn_model(discovery_info.ssdp_usn)
        self.context["title_placeholders"] = {
            "name": device.name,
            "model": self._discovered_model or "Venstar",
        }
        return await self.async_step_discovery_confirm()

    async def _async_follow_announcement(
        self, entry: ConfigEntry, host: str
    ) -> ConfigFlowResult:
        """Move a known thermostat to an announced address, only if it proves itself there.

        Only the host is taken from the announcement; the entry keeps its protocol, port,
        credentials and pinned certificate, so a spoofed announcement can neither weaken
        the connection nor collect credentials (over HTTPS the pinned certificate is checked
        before any request is sent; over HTTP no secret is ever configured).
        """
        if entry.data[CONF_HOST] == host:
            return self.async_abort(reason="already_configured")
        candidate = {**entry.data, CONF_HOST: host}
        if not await self._async_proves_identity(entry, candidate):
            LOGGER.warning(
                "A device announced itself as %s at a new address, but it is not that "
                "thermostat (or does not present its certificate); the address is kept",
                entry.title,
            )
            return self.async_abort(reason="discovery_unverified")
        self.hass.config_entries.async_update_entry(entry, data=candidate)
        self.hass.config_entries.async_schedule_reload(entry.entry_id)
        return self.async_abort(reason="already_configured")

    async def _async_proves_identity(
        self, entry: ConfigEntry, data: dict[str, Any]
    ) -> bool:
        """Whether the device at `data`'s address is the thermostat of `entry`."""
        expected = identity_from_data(entry.data)
        if expected is None:
            return False
        try:
            await create_client(self.hass, data, expected_identity=expected).identify()
        except VenstarError:
            return False
        return True

    async def async_step_discovery_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Confirm a discovered thermostat, with credentials if it needs them."""
        errors: dict[str, str] = {}
        device = self._discovered
        if user_input is not None:
            data = _form_data(
                {
                    **user_input,
                    CONF_HOST: device.host,
                    CONF_PORT: device.port,
                    CONF_HTTPS: device.https,
                },
                errors,
            )
            if data is not None:
                data[CONF_MAC] = device.mac
                if identity := await _validate(self, data, errors):
                    return self._create(identity, data)
        return self.async_show_form(
            step_id="discovery_confirm",
            data_schema=vol.Schema(_credentials_schema(user_input or {})),
            description_placeholders={
                "name": device.name,
                "model": self._discovered_model or "Venstar",
                "host": device.host,
            },
            errors=errors,
        )

    async def async_step_reauth(
        self, entry_data: Mapping[str, Any]
    ) -> ConfigFlowResult:
        """Start reauthentication: the thermostat refused the stored credentials."""
        return await self.async_step_reauth_confirm()

    async def async_step_reauth_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for new credentials and check them against the same thermostat."""
        errors: dict[str, str] = {}
        entry = self._get_reauth_entry()
        if user_input is not None:
            data = {
                key: value
                for key, value in entry.data.items()
                if key not in _CREDENTIAL_KEYS
            }
            if (form := _form_data({**data, **user_input}, errors)) is not None:
                data.update(form)
                if await _validate(self, data, errors, identity_from_data(entry.data)):
                    return self.async_update_reload_and_abort(entry, data=data)
        return self.async_show_form(
            step_id="reauth_confirm",
            data_schema=vol.Schema(_credentials_schema(user_input or entry.data)),
            description_placeholders={"name": entry.title},
            errors=errors,
        )

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change address or credentials of a configured thermostat."""
        errors: dict[str, str] = {}
        entry = self._get_reconfigure_entry()
        if user_input is not None:
            data = _form_data(user_input, errors)
            if data is not None and (identity := await _validate(self, data, errors)):
                stored = identity_from_data(entry.data)
                # The HTTP API has no MAC, so "the same thermostat" means the same model
                # and product line. The name may differ: renaming the thermostat and then
                # reconfiguring is how a user clears a wrong-device report.
                if stored is not None and (
                    stored.model != identity.model
                    or stored.device_type is not identity.device_type
                ):
                    return self.async_abort(reason="unique_id_mismatch")
                data[CONF_IDENTITY] = identity_to_data(identity)
                if mac := entry.data.get(CONF_MAC):
                    data[CONF_MAC] = mac
                return self.async_update_reload_and_abort(entry, data=data)
        return self.async_show_form(
            step_id="reconfigure",
            data_schema=_connection_schema(user_input or entry.data),
            errors=errors,
        )


class VenstarOptionsFlow(OptionsFlow):
    """Tune how often the thermostat is polled."""

    async def async_step_init(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Poll interval of the thermostat's state."""
        if user_input is not None:
            return self.async_create_entry(
                data={CONF_POLL_INTERVAL: int(user_input[CONF_POLL_INTERVAL])}
            )
        current = self.config_entry.options.get(
            CONF_POLL_INTERVAL, DEFAULT_POLL_INTERVAL
        )
        return self.async_show_form(
            step_id="init",
            data_schema=vol.Schema(
                {
                    vol.Required(CONF_POLL_INTERVAL, default=current): NumberSelector(
                        NumberSelectorConfig(
                            min=MIN_POLL_INTERVAL,
                            max=MAX_POLL_INTERVAL,
                            step=5,
                            unit_of_measurement="s",
                            mode=NumberSelectorMode.BOX,
                        )
                    )
                }
            ),
        )
