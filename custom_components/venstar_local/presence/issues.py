"""The repair issue of presence eco: two automations steering one thermostat.

Each would take the other's writes for changes made by someone else and hold off for the grace
period, so the house would follow neither. The first keeps the thermostat; the second is
refused (its action call fails) until the first is turned off or deleted.
"""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir

from ..const import DOMAIN

ISSUE_DUPLICATE = "presence_duplicate"


def _issue_id(refused: str) -> str:
    return f"{ISSUE_DUPLICATE}_{refused}"


def raise_duplicate(
    hass: HomeAssistant, owner: str, refused: str, climate: str
) -> None:
    """Say that `refused` is not followed because `owner` already steers `climate`."""
    ir.async_create_issue(
        hass,
        DOMAIN,
        _issue_id(refused),
        is_fixable=False,
        is_persistent=False,
        severity=ir.IssueSeverity.WARNING,
        translation_key=ISSUE_DUPLICATE,
        translation_placeholders={
            "owner": owner,
            "other": refused,
            "climate": climate,
        },
    )


def delete_duplicate(hass: HomeAssistant, refused: str) -> None:
    """Clear the issue: the refused automation took over, moved elsewhere, is off or gone."""
    ir.async_delete_issue(hass, DOMAIN, _issue_id(refused))
