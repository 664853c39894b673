"""Repair issues for detectors that need the user: end of life, offline.

Issues are created and deleted as the model's detector views change; ``raised`` maps the
ids already raised to the name/area they show, so a stream of value reports costs nothing
here and a renamed detector gets its issue text updated.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir

from .const import DOMAIN, ISSUE_END_OF_LIFE, ISSUE_OFFLINE
from .model import AlarmModel

if TYPE_CHECKING:
    from .coordinator import Options


def issue_id(kind: str, key: str) -> str:
    """Return the issue id of one problem of one detector."""
    return f"{kind}_{key}"


def async_sync_issues(
    hass: HomeAssistant,
    model: AlarmModel,
    keys: Iterable[str],
    options: Options,
    raised: dict[str, tuple[str, str | None]],
) -> None:
    """Create or delete the issues of ``keys`` to match their current state."""
    for key in keys:
        view = model.detector(key)
        identity = model.identity(key)
        placeholders = {
            "name": identity.name,
            "area": identity.area or "-",
        }
        for kind, active, enabled, severity in (
            (
                ISSUE_END_OF_LIFE,
                view.end_of_life,
                options.repair_end_of_life,
                ir.IssueSeverity.ERROR,
            ),
            (
                ISSUE_OFFLINE,
                view.offline,
                options.repair_offline,
                ir.IssueSeverity.WARNING,
            ),
        ):
            ident = issue_id(kind, key)
            shown = (identity.name, identity.area)
            if active and enabled:
                if raised.get(ident) == shown:
                    continue
                raised[ident] = shown
                ir.async_create_issue(
                    hass,
                    DOMAIN,
                    ident,
                    is_fixable=False,
                    is_persistent=False,
                    severity=severity,
                    translation_key=kind,
                    translation_placeholders=placeholders,
                )
            elif raised.pop(ident, None) is not None:
                ir.async_delete_issue(hass, DOMAIN, ident)


def async_delete_detector_issues(
    hass: HomeAssistant, key: str, raised: dict[str, tuple[str, str | None]]
) -> None:
    """Delete every issue of a detector that is gone."""
    for kind in (ISSUE_END_OF_LIFE, ISSUE_OFFLINE):
        ident = issue_id(kind, key)
        raised.pop(ident, None)
        ir.async_delete_issue(hass, DOMAIN, ident)


def async_delete_all_issues(hass: HomeAssistant) -> None:
    """Delete every issue of the integration (entry removed)."""
    registry = ir.async_get(hass)
    for domain, ident in list(registry.issues):
        if domain == DOMAIN:
            ir.async_delete_issue(hass, DOMAIN, ident)
