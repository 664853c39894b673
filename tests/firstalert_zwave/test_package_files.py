"""Manifest, translations, icons and quality scale follow the rules HA and hassfest apply."""

from __future__ import annotations

import json
from pathlib import Path

from awesomeversion import AwesomeVersion
import yaml

from custom_components.firstalert_zwave.binary_sensor import (
    DETECTOR_BINARY_SENSORS,
    HOUSEHOLD_BINARY_SENSORS,
)
from custom_components.firstalert_zwave.const import (
    ISSUE_END_OF_LIFE,
    ISSUE_KEPT_CO,
    ISSUE_KEPT_SMOKE,
    ISSUE_OFFLINE,
)
from custom_components.firstalert_zwave.event import ALARM_EVENTS
from custom_components.firstalert_zwave.sensor import DETECTOR_SENSORS, HOUSEHOLD_ALARM

PACKAGE = Path(__file__).resolve().parents[2] / "custom_components" / "firstalert_zwave"
RULES = {
    "action-setup",
    "appropriate-polling",
    "brands",
    "common-modules",
    "config-flow",
    "config-flow-test-coverage",
    "dependency-transparency",
    "docs-actions",
    "docs-high-level-description",
    "docs-installation-instructions",
    "docs-removal-instructions",
    "entity-event-setup",
    "entity-unique-id",
    "has-entity-name",
    "runtime-data",
    "test-before-configure",
    "test-before-setup",
    "unique-config-entry",
    "action-exceptions",
    "config-entry-unloading",
    "docs-configuration-parameters",
    "docs-installation-parameters",
    "entity-unavailable",
    "integration-owner",
    "log-when-unavailable",
    "parallel-updates",
    "reauthentication-flow",
    "test-coverage",
    "devices",
    "diagnostics",
    "discovery",
    "discovery-update-info",
    "docs-data-update",
    "docs-examples",
    "docs-known-limitations",
    "docs-supported-devices",
    "docs-supported-functions",
    "docs-troubleshooting",
    "docs-use-cases",
    "dynamic-devices",
    "entity-category",
    "entity-device-class",
    "entity-disabled-by-default",
    "entity-translations",
    "exception-translations",
    "icon-translations",
    "reconfiguration-flow",
    "repair-issues",
    "stale-devices",
    "async-dependency",
    "inject-websession",
    "strict-typing",
}


def _json(name: str) -> dict:  # type: ignore[type-arg]
    return json.loads((PACKAGE / name).read_text())  # type: ignore[no-any-return]


def test_manifest() -> None:
    manifest = _json("manifest.json")
    keys = list(manifest)
    assert keys[:2] == ["domain", "name"]
    assert keys[2:] == sorted(keys[2:])
    assert manifest["domain"] == PACKAGE.name
    assert AwesomeVersion(manifest["version"]).valid
    assert manifest["documentation"].startswith("https://")
    assert "home-assistant.io/integrations" not in manifest["documentation"]
    assert manifest["issue_tracker"].startswith("https://")
    assert manifest["codeowners"]
    assert manifest["dependencies"] == ["zwave_js"]
    assert manifest["iot_class"] == "local_push"
    assert manifest["integration_type"] == "service"
    assert manifest["single_config_entry"] is True
    assert manifest["config_flow"] is True


def test_every_translation_key_is_translated() -> None:
    entity = _json("translations/en.json")["entity"]
    for platform, descriptions in (
        ("binary_sensor", (*DETECTOR_BINARY_SENSORS, *HOUSEHOLD_BINARY_SENSORS)),
        ("sensor", (*DETECTOR_SENSORS, HOUSEHOLD_ALARM)),
        ("event", (ALARM_EVENTS,)),
    ):
        for description in descriptions:
            translation = entity[platform][description.translation_key]
            assert translation["name"]
            for option in getattr(description, "options", None) or ():
                assert translation["state"][option]
    event_states = entity["event"]["alarm_events"]["state_attributes"]["event_type"][
        "state"
    ]
    assert set(event_states) == set(ALARM_EVENTS.event_types or ())
    issues = _json("translations/en.json")["issues"]
    assert {ISSUE_END_OF_LIFE, ISSUE_OFFLINE} <= set(issues)
    for kept in (ISSUE_KEPT_SMOKE, ISSUE_KEPT_CO):
        fix_flow = issues[kept]["fix_flow"]
        assert issues[kept]["title"]
        assert fix_flow["step"]["confirm"]["description"]
        assert set(fix_flow["abort"]) == {"not_loaded", "not_kept"}


def test_icons_refer_to_translated_entities() -> None:
    icons = _json("icons.json")["entity"]
    entity = _json("translations/en.json")["entity"]
    for platform, keys in icons.items():
        assert set(keys) <= set(entity[platform])


def test_quality_scale_lists_every_rule_and_explains_exemptions() -> None:
    rules = yaml.safe_load((PACKAGE / "quality_scale.yaml").read_text())["rules"]
    assert set(rules) == RULES
    for rule, value in rules.items():
        if isinstance(value, dict):
            assert value["status"] in ("done", "todo", "exempt"), rule
            if value["status"] == "exempt":
                assert value["comment"], rule
        else:
            assert value in ("done", "todo"), rule
