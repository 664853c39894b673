"""The response's actions, registered once in ``async_setup``.

``configure_response`` is what the blueprint calls on every trigger: it hands over the
inputs and the automation's own entity id, and is idempotent. ``safety_checkup`` dry-runs
the response for smoke and CO now.
"""

from __future__ import annotations

from typing import Any

from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import config_validation as cv
import voluptuous as vol

from .config import (
    DEFAULT_ARRIVAL_CONFIRMATION_SECONDS,
    DEFAULT_CLEAR_DELAY_MINUTES,
    DEFAULT_SMOKE_FAN_MODE,
    DEFAULT_UNLOCK_ATTEMPTS,
    DEFAULT_UNLOCK_VERIFY_SECONDS,
    DEFAULT_ZONE,
    MAX_ARRIVAL_CONFIRMATION_SECONDS,
    MAX_CLEAR_DELAY,
    MAX_UNLOCK_ATTEMPTS,
    MAX_UNLOCK_VERIFY_SECONDS,
    ResponseConfig,
)
from .const import DOMAIN
from .controller import OwnedElsewhereError, ResponseController
from .lifecycle import DATA_CONTROLLERS

SERVICE_CONFIGURE = "configure_response"
SERVICE_CHECKUP = "safety_checkup"


def _notify_action(value: Any) -> str:
    """Validate "notify.alices_phone" (any domain.action)."""
    return str(cv.service(value))


# Each list takes only entities of the domain its action is called on (a light among the
# locks would be "unlocked" with lock.unlock, which does nothing): such a call is refused
# and the configuration stays as it was.
CONFIGURE_SCHEMA = vol.Schema(
    {
        vol.Optional("automation"): cv.entity_domain("automation"),
        vol.Required("alarm_sensors"): cv.entities_domain("binary_sensor"),
        vol.Optional("people", default=list): cv.entities_domain(
            ["person", "device_tracker"]
        ),
        vol.Optional("presence_zone", default=DEFAULT_ZONE): cv.entity_domain("zone"),
        vol.Optional("occupancy_entities", default=list): cv.entity_ids,
        vol.Optional(
            "arrival_confirmation", default=DEFAULT_ARRIVAL_CONFIRMATION_SECONDS
        ): vol.All(
            vol.Coerce(float), vol.Range(min=0, max=MAX_ARRIVAL_CONFIRMATION_SECONDS)
        ),
        vol.Optional("locks", default=list): cv.entities_domain("lock"),
        vol.Optional("unlock_attempts", default=DEFAULT_UNLOCK_ATTEMPTS): vol.All(
            vol.Coerce(int), vol.Range(min=1, max=MAX_UNLOCK_ATTEMPTS)
        ),
        vol.Optional(
            "unlock_verify_seconds", default=DEFAULT_UNLOCK_VERIFY_SECONDS
        ): vol.All(vol.Coerce(float), vol.Range(min=1, max=MAX_UNLOCK_VERIFY_SECONDS)),
        vol.Optional("escape_lights", default=list): cv.entities_domain("light"),
        vol.Optional("area_lights", default=True): cv.boolean,
        vol.Optional("climates", default=list): cv.entities_domain("climate"),
        vol.Optional("smoke_fan_mode", default=DEFAULT_SMOKE_FAN_MODE): cv.string,
        vol.Optional("schedule_switches", default=list): cv.entities_domain("switch"),
        vol.Optional("restore_after_smoke", default=True): cv.boolean,
        vol.Optional("clear_delay", default=DEFAULT_CLEAR_DELAY_MINUTES): vol.All(
            vol.Coerce(float), vol.Range(min=0, max=MAX_CLEAR_DELAY)
        ),
        vol.Optional("notify_actions", default=list): vol.All(
            cv.ensure_list, [_notify_action]
        ),
        vol.Optional("notify_data", default=dict): vol.Any(None, dict),
        vol.Optional("persistent_notification", default=True): cv.boolean,
    }
)


def controller_of(hass: HomeAssistant) -> ResponseController:
    """Return the household's controller (it exists from the start of setup to unload)."""
    for controller in hass.data.get(DATA_CONTROLLERS, {}).values():
        return controller
    raise ServiceValidationError(
        translation_domain=DOMAIN, translation_key="response_not_loaded"
    )


@callback
def async_register_services(hass: HomeAssistant) -> None:
    """Register the response's actions (once, for the integration)."""

    async def configure(call: ServiceCall) -> None:
        controller = controller_of(hass)
        try:
            controller.async_configure(ResponseConfig.from_dict(call.data))
        except OwnedElsewhereError as err:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="response_owned",
                translation_placeholders={"owner": err.owner, "other": err.other},
            ) from err

    async def safety_checkup(call: ServiceCall) -> ServiceResponse:
        result = controller_of(hass).async_checkup(notify=True)
        return result.to_dict() if call.return_response else None

    hass.services.async_register(
        DOMAIN, SERVICE_CONFIGURE, configure, schema=CONFIGURE_SCHEMA
    )
    hass.services.async_register(
        DOMAIN,
        SERVICE_CHECKUP,
        safety_checkup,
        schema=vol.Schema({}),
        supports_response=SupportsResponse.OPTIONAL,
    )
