"""Start, stop and forget the household's response with its config entry."""

from __future__ import annotations

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.util.hass_dict import HassKey

from .const import DOMAIN
from .controller import ResponseController
from .storage import async_load, response_store

# The controller of each loaded household entry, by entry id.
DATA_CONTROLLERS: HassKey[dict[str, ResponseController]] = HassKey(f"{DOMAIN}_response")


async def async_setup_response(
    hass: HomeAssistant, entry: ConfigEntry
) -> ResponseController:
    """Resume the response from its stored configuration and memory, and start it.

    An alarm already on (or remembered) is acted on at once, before Home Assistant has
    finished starting and before the blueprint's automation has run.
    """
    store = response_store(hass)
    config, memory = await async_load(store)
    controller = ResponseController(hass, entry, store, config, memory)
    hass.data.setdefault(DATA_CONTROLLERS, {})[entry.entry_id] = controller
    controller.async_start()
    return controller


def response_of(hass: HomeAssistant, entry: ConfigEntry) -> ResponseController | None:
    """Return the response of a loaded entry."""
    return hass.data.get(DATA_CONTROLLERS, {}).get(entry.entry_id)


async def async_unload_response(hass: HomeAssistant, entry: ConfigEntry) -> None:
    """Stop the response: calls in flight finish, nothing lingers, the memory is saved."""
    controller = hass.data.get(DATA_CONTROLLERS, {}).pop(entry.entry_id, None)
    if controller is not None:
        await controller.async_stop()


async def async_remove_response(hass: HomeAssistant) -> None:
    """Forget the stored configuration and memory (the entry was deleted)."""
    await response_store(hass).async_remove()
