"""Repair issues for detectors that need a person.

* end of life and offline (each can be turned off in the options);
* a *kept* alarm: Z-Wave JS shows the detector clear, but the detector never said the alarm
  was over (see ``model.detector``). The issue explains why the household still counts the
  alarm, and its fix flow lets a person confirm that it is over.

Issues are created and deleted as detector views change; the ids already raised are kept
with the name/area they show, so a stream of value reports costs nothing here and a renamed
detector gets its issue text updated.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir

from .const import (
    DOMAIN,
    ISSUE_END_OF_LIFE,
    ISSUE_KEPT_CO,
    ISSUE_KEPT_SMOKE,
    ISSUE_OFFLINE,
)
from .model import AlarmModel, Kind
from .options import Options

ISSUE_KINDS: Final = (ISSUE_END_OF_LIFE, ISSUE_OFFLINE, ISSUE_KEPT_SMOKE, ISSUE_KEPT_CO)


def issue_id(kind: str, key: str) -> str:
    """Return the issue id of one problem of one detector."""
    return f"{kind}_{key}"


class DetectorIssues:
    """Raises and deletes the repair issues of every detector."""

    def __init__(self, hass: HomeAssistant) -> None:
        """Start with nothing raised."""
        self.hass = hass
        self._raised: dict[str, tuple[str, str | None]] = {}

    def sync(self, model: AlarmModel, keys: Iterable[str], options: Options) -> None:
        """Create or delete the issues of ``keys`` to match their current state."""
        for key in keys:
            if key not in model:
                continue
            view = model.detector(key)
            identity = model.identity(key)
            shown = (identity.name, identity.area)
            for kind, active, severity, alarm in (
                (
                    ISSUE_END_OF_LIFE,
                    view.end_of_life and options.repair_end_of_life,
                    ir.IssueSeverity.ERROR,
                    None,
                ),
                (
                    ISSUE_OFFLINE,
                    view.offline and options.repair_offline,
                    ir.IssueSeverity.WARNING,
                    None,
                ),
                (ISSUE_KEPT_SMOKE, view.smoke_kept, ir.IssueSeverity.ERROR, Kind.SMOKE),
                (ISSUE_KEPT_CO, view.co_kept, ir.IssueSeverity.ERROR, Kind.CO),
            ):
                ident = issue_id(kind, key)
                if not active:
                    if self._raised.pop(ident, None) is not None:
                        ir.async_delete_issue(self.hass, DOMAIN, ident)
                    continue
                if self._raised.get(ident) == shown:
                    continue
                self._raised[ident] = shown
                ir.async_create_issue(
                    self.hass,
                    DOMAIN,
                    ident,
                    # A kept alarm's fix flow releases it: it needs to know which.
                    data={"key": key, "alarm": alarm.value} if alarm else None,
                    is_fixable=alarm is not None,
                    is_persistent=False,
                    severity=severity,
                    translation_key=kind,
                    translation_placeholders={
                        "name": identity.name,
                        "area": identity.area or "-",
                    },
                )

    def delete_detector(self, key: str) -> None:
        """Delete every issue of a detector that is gone."""
        for kind in ISSUE_KINDS:
            ident = issue_id(kind, key)
            self._raised.pop(ident, None)
            ir.async_delete_issue(self.hass, DOMAIN, ident)


def async_delete_all_issues(hass: HomeAssistant) -> None:
    """Delete every issue of the integration (entry removed)."""
    registry = ir.async_get(hass)
    for domain, ident in list(registry.issues):
        if domain == DOMAIN:
            ir.async_delete_issue(hass, DOMAIN, ident)
