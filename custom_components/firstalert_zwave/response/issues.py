"""Repair issues of the alarm response: its automation gone, two automations, a checkup problem."""

from __future__ import annotations

from collections.abc import Sequence

from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir

from .const import DOMAIN

ISSUE_AUTOMATION_MISSING = "response_automation_missing"
ISSUE_DUPLICATE = "response_duplicate"
ISSUE_CHECKUP = "response_checkup"


def _create(
    hass: HomeAssistant,
    issue_id: str,
    severity: ir.IssueSeverity,
    placeholders: dict[str, str],
) -> None:
    """Raise one of the response's issues (a person fixes each in the automation)."""
    ir.async_create_issue(
        hass,
        DOMAIN,
        issue_id,
        is_fixable=False,
        is_persistent=False,
        severity=severity,
        translation_key=issue_id,
        translation_placeholders=placeholders,
    )


def raise_automation_missing(hass: HomeAssistant, automation: str) -> None:
    """Say that the automation configuring the response is gone (it stands down)."""
    _create(
        hass,
        ISSUE_AUTOMATION_MISSING,
        ir.IssueSeverity.ERROR,
        {"automation": automation},
    )


def raise_duplicate(hass: HomeAssistant, owner: str, other: str) -> None:
    """Say that a second automation tries to configure the household's one response."""
    _create(
        hass,
        ISSUE_DUPLICATE,
        ir.IssueSeverity.WARNING,
        {"owner": owner, "other": other},
    )


def raise_checkup(hass: HomeAssistant, problems: Sequence[str]) -> None:
    """Show what the safety checkup found that would fail during a real alarm."""
    _create(
        hass,
        ISSUE_CHECKUP,
        ir.IssueSeverity.ERROR,
        {"problems": "\n".join(f"- {problem}" for problem in problems)},
    )


def delete(hass: HomeAssistant, issue_id: str) -> None:
    """Delete one of the response's issues (nothing happens if it is not raised)."""
    ir.async_delete_issue(hass, DOMAIN, issue_id)
