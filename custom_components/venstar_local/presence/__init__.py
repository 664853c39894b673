"""Presence eco: home, away, vacation and preheat for any thermostat, level-triggered.

The presence eco blueprint is the user's configuration; on every trigger (start-up, reload, a
periodic hand-over) it calls the `venstar_local.presence_eco` action with its inputs and its
own entity id. That action is idempotent: it (re)configures this automation's controller, which
then follows the facts by itself. See automations/README.md for the design.
"""

from __future__ import annotations

from homeassistant.const import EVENT_HOMEASSISTANT_STOP
from homeassistant.core import (
    Context,
    Event,
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers.typing import ConfigType
from homeassistant.util.hass_dict import HassKey

from ..const import DOMAIN
from .config import ATTR_AUTOMATION, PRESENCE_SCHEMA, PresenceConfig
from .controller import PresenceController
from .store import PresenceStore, Record

SERVICE_PRESENCE_ECO = "presence_eco"
DATA_PRESENCE: HassKey[PresenceManager] = HassKey(f"{DOMAIN}_presence")


class PresenceManager:
    """Every automation's controller, and the store they share."""

    def __init__(self, hass: HomeAssistant) -> None:
        """Nothing is loaded yet; call `async_load`."""
        self.hass = hass
        self.store = PresenceStore(hass)
        self.controllers: dict[str, PresenceController] = {}

    async def async_load(self) -> None:
        """Read what was remembered before the last shutdown."""
        await self.store.async_load()

    @callback
    def configure(
        self, config: PresenceConfig, context: Context | None = None
    ) -> PresenceController:
        """Hand an automation's inputs to its controller (created on first use)."""
        controller = self.controllers.get(config.automation)
        if controller is None:
            controller = PresenceController(
                self.hass,
                config.automation,
                self.store.claim(config.automation),
                self.save,
                owner_of=self.owner_of,
                released=self.reconsider,
            )
            self.controllers[config.automation] = controller
        controller.configure(config, context)
        return controller

    def owner_of(self, asking: PresenceController) -> str | None:
        """Return the automation already steering `asking`'s thermostat, if another does."""
        climate = asking.config.climate if asking.config else None
        return next(
            (
                controller.automation
                for controller in self.controllers.values()
                if controller is not asking
                and controller.following
                and controller.config is not None
                and controller.config.climate == climate
            ),
            None,
        )

    @callback
    def reconsider(self) -> None:
        """Let an automation refused for a thermostat take over if that thermostat is free now."""
        for controller in list(self.controllers.values()):
            if controller.refused_by is not None and controller.attached:
                controller.retry()

    @callback
    def save(self) -> None:
        """Persist every attached controller's memory (delayed)."""
        self.store.save(
            {
                automation: Record(controller.memory, controller.written)
                for automation, controller in self.controllers.items()
                if controller.attached
            }
        )

    async def async_stop(self, _event: Event | None = None) -> None:
        """Stop every controller and save what they know (Home Assistant stops)."""
        self.save()
        for controller in self.controllers.values():
            controller.shutdown()
        await self.store.async_flush()


async def async_setup_presence(hass: HomeAssistant, _config: ConfigType) -> None:
    """Load the remembered state and register the presence eco action."""
    manager = PresenceManager(hass)
    await manager.async_load()
    hass.data[DATA_PRESENCE] = manager
    hass.bus.async_listen_once(EVENT_HOMEASSISTANT_STOP, manager.async_stop)

    async def handle(call: ServiceCall) -> ServiceResponse:
        automation = call.data[ATTR_AUTOMATION]
        if hass.states.get(automation) is None:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="presence_unknown_automation",
                translation_placeholders={"automation": automation},
            )
        config = PresenceConfig.from_data(dict(call.data))
        controller = manager.configure(config, call.context)
        if controller.refused_by is not None:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="presence_duplicate",
                translation_placeholders={
                    "automation": automation,
                    "owner": controller.refused_by,
                    "climate": config.climate,
                },
            )
        if not call.return_response:
            return None
        decision = controller.preview(config)
        return controller.as_dict() | {
            "setting": decision.setting.value if decision.setting else None,
            "reason": decision.reason,
            "held": decision.held,
        }

    hass.services.async_register(
        DOMAIN,
        SERVICE_PRESENCE_ECO,
        handle,
        schema=PRESENCE_SCHEMA,
        supports_response=SupportsResponse.OPTIONAL,
    )
