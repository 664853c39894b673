"""Config flow: manual setup, SSDP discovery, reauthentication, reconfiguration, options.

The unique id is the thermostat's MAC (HA's ``format_mac`` form). The HTTP API reports no
MAC, only SSDP does, so a manually added thermostat has no unique id; it is deduplicated by
address and gets its MAC as soon as discovery sees it at that address.
"""

from __future__ import annotations

from collections.abc import Mapping
import re
from typing import Any

from homeassistant.config_entries import ConfigFlow, ConfigFlowResult, OptionsFlow
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
    VenstarTimeoutError,
    VenstarWrongDeviceError,
    parse_ssdp,
)
from .connection import (
    async_fetch_certificate_fingerprint,
    create_client,
    default_port,
    identity_from_data,
    identity_to_data,
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


def _normalize(user_input: Mapping[str, Any]) -> dict[str, Any]:
    """Entry data from a form: port filled in, empty credentials dropped."""
    https = bool(user_input.get(CONF_HTTPS, False))
    data: dict[str, Any] = {
        CONF_HOST: str(user_input[CONF_HOST]).strip(),
        CONF_PORT: int(user_input.get(CONF_PORT) or default_port(https)),
        CONF_HTTPS: https,
    }
    for key in _CREDENTIAL_KEYS:
        if value := str(user_input.get(key) or "").strip():
            data[key] = value
    return data


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
    except (VenstarConnectionError, VenstarTimeoutError):
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
    def async_get_options_flow(config_entry: VenstarConfigEntry) -> OptionsFlow:
        """Options: poll interval."""
        return VenstarOptionsFlow()

    async def async_step_user(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Set up by address."""
        errors: dict[str, str] = {}
        if user_input is not None:
            data = _normalize(user_input)
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
        address = {
            CONF_HOST: device.host,
            CONF_PORT: device.port,
            CONF_HTTPS: device.https,
        }
        self._abort_if_unique_id_configured(updates=address)
        for entry in self._async_current_entries(include_ignore=False):
            if entry.unique_id is None and entry.data[CONF_HOST] == device.host:
                # Added by hand before discovery knew it: adopt the MAC as unique id.
                self.hass.config_entries.async_update_entry(
                    entry,
                    unique_id=device.mac,
                    data={**entry.data, **address, CONF_MAC: device.mac},
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

    async def async_step_discovery_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Confirm a discovered thermostat, with credentials if it needs them."""
        errors: dict[str, str] = {}
        device = self._discovered
        if user_input is not None:
            data = _normalize(
                {
                    CONF_HOST: device.host,
                    CONF_PORT: device.port,
                    CONF_HTTPS: device.https,
                    **user_input,
                }
            )
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
            data.update(_normalize({**data, **user_input}))
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
            data = _normalize(user_input)
            if identity := await _validate(self, data, errors):
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
