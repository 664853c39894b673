"""The response's persisted document: its configuration and its memory."""

from __future__ import annotations

from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.helpers.storage import Store

from .config import ResponseConfig
from .const import DOMAIN, LOGGER
from .memory import Memory

STORAGE_KEY = f"{DOMAIN}.response"
STORAGE_VERSION = 1


def response_store(hass: HomeAssistant) -> Store[dict[str, Any]]:
    """Return the store of the household's response (one per installation)."""
    return Store(hass, STORAGE_VERSION, STORAGE_KEY)


async def async_load(
    store: Store[dict[str, Any]],
) -> tuple[ResponseConfig | None, Memory]:
    """Load the stored configuration and memory; a damaged document starts empty.

    Whatever is on disk (a document of another version, a hand edit, a half-written
    file), the household alarm and the response still start: the automation hands the
    configuration over again at once.
    """
    try:
        data = await store.async_load()
        if not data:
            return None, Memory()
        config_data = data.get("config")
        config = ResponseConfig.from_dict(config_data) if config_data else None
        memory = Memory.from_dict(data.get("memory") or {})
    except Exception as err:  # noqa: BLE001 - a broken file must not stop the response
        LOGGER.error(
            "Stored alarm response state is unreadable, starting empty: %s: %s",
            type(err).__name__,
            err,
        )
        return None, Memory()
    return config, memory


def document(config: ResponseConfig | None, memory: Memory) -> dict[str, Any]:
    """Return what is stored."""
    return {
        "config": config.to_dict() if config else None,
        "memory": memory.to_dict(),
    }
