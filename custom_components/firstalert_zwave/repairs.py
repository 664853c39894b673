"""Fix flow of a kept alarm: a person confirms that the smoke or CO is over.

An alarm is kept when Z-Wave JS shows a detector clear although the detector never said
the alarm ended (a test ended during it, a re-interview, a clear that cannot be told apart
from a test end). Only the detector or a person can end it; this flow is the person's way.
"""

from __future__ import annotations

from typing import Any

from homeassistant import data_entry_flow
from homeassistant.components.repairs import RepairsFlow
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
import voluptuous as vol

from .const import DOMAIN
from .model import Kind
from .runtime_data import FirstAlertConfigEntry


class KeptAlarmRepairFlow(RepairsFlow):
    """Confirm that a kept smoke/CO alarm of one detector is over."""

    def __init__(self, key: str, kind: Kind) -> None:
        """Remember which detector and alarm the issue is about."""
        self.key = key
        self.kind = kind

    async def async_step_init(
        self, user_input: dict[str, Any] | None = None
    ) -> data_entry_flow.FlowResult:
        """Show the confirmation."""
        return await self.async_step_confirm()

    async def async_step_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> data_entry_flow.FlowResult:
        """Release the kept alarm once the person confirms."""
        issue = ir.async_get(self.hass).async_get_issue(DOMAIN, self.issue_id)
        placeholders = issue.translation_placeholders if issue else None
        if user_input is None:
            return self.async_show_form(
                step_id="confirm",
                data_schema=vol.Schema({}),
                description_placeholders=placeholders,
            )
        entry: FirstAlertConfigEntry | None = next(
            (
                entry
                for entry in self.hass.config_entries.async_entries(DOMAIN)
                if entry.state is ConfigEntryState.LOADED
            ),
            None,
        )
        if entry is None:
            return self.async_abort(reason="not_loaded")
        if not entry.runtime_data.household.async_confirm_clear(self.key, self.kind):
            return self.async_abort(reason="not_kept")
        return self.async_create_entry(data={})


async def async_create_fix_flow(
    hass: HomeAssistant, issue_id: str, data: dict[str, Any] | None
) -> RepairsFlow:
    """Create the fix flow of a kept alarm issue."""
    data = data or {}
    return KeptAlarmRepairFlow(str(data.get("key")), Kind(str(data.get("alarm"))))
