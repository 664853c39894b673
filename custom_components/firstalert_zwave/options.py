"""The entry's options, read once with defaults and bounds."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .const import (
    CONF_OFFLINE_MULTIPLIER,
    CONF_REPAIR_END_OF_LIFE,
    CONF_REPAIR_OFFLINE,
    DEFAULT_REPAIR_END_OF_LIFE,
    DEFAULT_REPAIR_OFFLINE,
)
from .model.settings import DEFAULT_OFFLINE_MULTIPLIER, offline_multiplier


@dataclass(frozen=True, slots=True)
class Options:
    """Options from the options flow, with defaults (absurd stored values are bounded)."""

    offline_multiplier: float = DEFAULT_OFFLINE_MULTIPLIER
    repair_end_of_life: bool = DEFAULT_REPAIR_END_OF_LIFE
    repair_offline: bool = DEFAULT_REPAIR_OFFLINE

    @classmethod
    def from_options(cls, options: Mapping[str, Any]) -> Options:
        """Read an entry's options."""
        return cls(
            offline_multiplier=offline_multiplier(
                options.get(CONF_OFFLINE_MULTIPLIER, DEFAULT_OFFLINE_MULTIPLIER)
            ),
            repair_end_of_life=options.get(
                CONF_REPAIR_END_OF_LIFE, DEFAULT_REPAIR_END_OF_LIFE
            )
            is not False,
            repair_offline=options.get(CONF_REPAIR_OFFLINE, DEFAULT_REPAIR_OFFLINE)
            is not False,
        )
