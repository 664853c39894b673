"""The integration's manifest, translations, icons and quality scale follow hassfest's rules."""

from __future__ import annotations

import json
from pathlib import Path
import re

import yaml

from custom_components.venstar_local import binary_sensor, sensor
from custom_components.venstar_local.api import REJECTION_PLACEHOLDERS

PACKAGE = Path(__file__).resolve().parents[2] / "custom_components" / "venstar_local"

RULES = {
    "bronze": [
        "action-setup", "appropriate-polling", "brands", "common-modules",
        "config-flow", "config-flow-test-coverage", "dependency-transparency",
        "docs-actions", "docs-high-level-description", "docs-installation-instructions",
        "docs-removal-instructions", "entity-event-setup", "entity-unique-id",
        "has-entity-name", "runtime-data", "test-before-configure", "test-before-setup",
        "unique-config-entry",
    ],
    "silver": [
        "action-exceptions", "config-entry-unloading", "docs-configuration-parameters",
        "docs-installation-parameters", "entity-unavailable", "integration-owner",
        "log-when-unavailable", "parallel-updates", "reauthentication-flow",
        "test-coverage",
    ],
    "gold": [
        "devices", "diagnostics", "discovery", "discovery-update-info",
        "docs-data-update", "docs-examples", "docs-known-limitations",
        "docs-supported-devices", "docs-supported-functions", "docs-troubleshooting",
        "docs-use-cases", "dynamic-devices", "entity-category", "entity-device-class",
        "entity-disabled-by-default", "entity-translations", "exception-translations",
        "icon-translations", "reconfiguration-flow", "repair-issues", "stale-devices",
    ],
    "platinum": ["async-dependency", "inject-websession", "strict-typing"],
}  # fmt: skip


def _json(name: str) -> dict:
    return json.loads((PACKAGE / name).read_text(encoding="utf-8"))


def test_manifest_keys_and_values() -> None:
    manifest = _json("manifest.json")
    keys = list(manifest)
    assert keys[:2] == ["domain", "name"]
    assert keys[2:] == sorted(keys[2:])
    assert manifest["domain"] == PACKAGE.name
    assert manifest["documentation"].startswith("https://")
    assert "home-assistant.io/integrations" not in manifest["documentation"]
    assert manifest["integration_type"] == "device"
    assert manifest["iot_class"] == "local_polling"
    assert manifest["requirements"] == []
    assert re.fullmatch(r"\d+\.\d+\.\d+", manifest["version"])
    targets = {"venstar:thermostat:ecp", "colortouch:ecp"}
    assert {m["st"] for m in manifest["ssdp"] if "st" in m} == targets
    assert {m["nt"] for m in manifest["ssdp"] if "nt" in m} == targets


def test_quality_scale_lists_every_rule_honestly() -> None:
    rules = yaml.safe_load((PACKAGE / "quality_scale.yaml").read_text())["rules"]
    expected = {rule for tier in RULES.values() for rule in tier}
    assert set(rules) == expected
    for name, value in rules.items():
        status = value if isinstance(value, str) else value["status"]
        assert status in ("done", "todo", "exempt"), name
        if status == "exempt":
            assert value["comment"], name


def test_every_translation_key_has_a_translation_and_icon_keys_exist() -> None:
    strings = _json("translations/en.json")
    entity = strings["entity"]
    for description in sensor.THERMOSTAT_SENSORS + sensor.RUNTIME_SENSORS:
        if description.translation_key:
            assert description.translation_key in entity["sensor"]
            if description.options:
                assert set(description.options) == set(
                    entity["sensor"][description.translation_key]["state"]
                )
    for description in binary_sensor.STATE_SENSORS:
        assert description.translation_key in entity["binary_sensor"]
    for name in ("Air Filter", "UV Lamp", "Service", "Humidifier Pad"):
        key = binary_sensor.alert_description(name).translation_key
        assert key in entity["binary_sensor"]
    icons = _json("icons.json")["entity"]
    for platform, keys in icons.items():
        assert set(keys) <= set(entity[platform]), platform


def test_exception_and_issue_placeholders_are_well_formed() -> None:
    strings = _json("translations/en.json")
    for section in ("exceptions", "issues"):
        for key, texts in strings[section].items():
            for text in texts.values():
                assert text.count("{") == text.count("}"), (section, key)


def test_every_client_rejection_has_a_message_with_its_placeholders() -> None:
    exceptions = _json("translations/en.json")["exceptions"]
    for key, placeholders in REJECTION_PLACEHOLDERS.items():
        message = exceptions[f"rejected_{key}"]["message"]
        assert set(re.findall(r"{(\w+)}", message)) <= set(placeholders), key


def test_every_action_has_translations_and_an_icon() -> None:
    services = yaml.safe_load((PACKAGE / "services.yaml").read_text())
    strings = _json("translations/en.json")
    icons = _json("icons.json")["services"]
    assert set(services) == set(strings["services"]) == set(icons)
    for name, spec in services.items():
        assert set(spec.get("fields", {})) == set(strings["services"][name]["fields"])
        for field in spec.get("fields", {}).values():
            selector = field.get("selector", {}).get("select")
            if selector and "translation_key" in selector:
                options = strings["selector"][selector["translation_key"]]["options"]
                assert set(options) == set(selector["options"])


def test_the_presence_action_describes_exactly_the_fields_it_accepts() -> None:
    from custom_components.venstar_local.presence.config import PRESENCE_SCHEMA

    services = yaml.safe_load((PACKAGE / "services.yaml").read_text())
    schema_keys = {str(key) for key in PRESENCE_SCHEMA.schema}
    assert set(services["presence_eco"]["fields"]) == schema_keys
