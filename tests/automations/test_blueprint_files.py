"""Every blueprint file is valid for HA 2025.4, importable, and follows the house style."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from homeassistant.components.automation.config import AUTOMATION_BLUEPRINT_SCHEMA
from homeassistant.components.blueprint import models
from homeassistant.components.blueprint.schemas import BLUEPRINT_SCHEMA
from homeassistant.util.yaml import load_yaml
import pytest

BLUEPRINTS = sorted(
    (Path(__file__).resolve().parents[2] / "automations").glob("*.yaml")
)
README = Path(__file__).resolve().parents[2] / "automations" / "README.md"
SOURCE = "https://github.com/local-home-bridge/local-home-bridge/blob/main/automations/"
STEP_LISTS = ("actions", "sequence", "then", "else", "default", "parallel")


def test_both_blueprints_exist() -> None:
    assert {path.name for path in BLUEPRINTS} >= {
        "presence_eco.yaml",
        "alarm_response.yaml",
    }


@pytest.mark.parametrize("path", BLUEPRINTS, ids=lambda p: p.name)
def test_blueprint_schema(path: Path) -> None:
    data = load_yaml(path)
    blueprint = models.Blueprint(
        data, expected_domain="automation", schema=BLUEPRINT_SCHEMA
    )
    assert blueprint.metadata["source_url"] == SOURCE + path.name
    assert blueprint.metadata["homeassistant"]["min_version"] == "2025.4.0"
    assert blueprint.metadata["description"]
    # Every input has a name, and a description or a self-explaining selector.
    for section in blueprint.metadata["input"].values():
        assert section["name"]
        for item in section.get("input", {}).values():
            assert item["name"]
            assert "selector" in item


@pytest.mark.parametrize("path", BLUEPRINTS, ids=lambda p: p.name)
def test_instance_config_validates_with_defaults(path: Path) -> None:
    blueprint = models.Blueprint(
        load_yaml(path),
        expected_domain="automation",
        schema=AUTOMATION_BLUEPRINT_SCHEMA,
    )
    required = {
        key: "binary_sensor.smoke" if "sensor" in key else "climate.thermostat"
        for key, value in _inputs(blueprint.metadata["input"]).items()
        if value is None or "default" not in value
    }
    substituted = models.BlueprintInputs(
        blueprint, {"use_blueprint": {"path": path.name, "input": required}}
    ).async_substitute()
    assert substituted["triggers"]
    assert substituted["actions"]


@pytest.mark.parametrize("path", BLUEPRINTS, ids=lambda p: p.name)
def test_modern_syntax_and_an_alias_on_every_step(path: Path) -> None:
    data = load_yaml(path)
    assert "trigger" not in data
    assert "action" not in data
    assert "condition" not in data
    for trigger in data["triggers"]:
        assert "platform" not in trigger
        assert trigger.get("alias"), trigger
    missing = [step for step in _steps(data["actions"]) if not step.get("alias")]
    assert missing == []
    assert "service:" not in path.read_text()


@pytest.mark.parametrize("path", BLUEPRINTS, ids=lambda p: p.name)
def test_readme_lists_the_import_link(path: Path) -> None:
    from urllib.parse import quote

    link = (
        "https://my.home-assistant.io/redirect/blueprint_import/?blueprint_url="
        + quote(SOURCE + path.name, safe="")
    )
    assert link in README.read_text()


def _inputs(section: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key, value in section.items():
        if isinstance(value, dict) and "input" in value:
            found.update(_inputs(value["input"]))
        else:
            found[key] = value
    return found


def _steps(node: Any) -> list[dict[str, Any]]:
    """All action steps, including those inside choose/if/parallel/repeat."""
    found: list[dict[str, Any]] = []
    if isinstance(node, list):
        for item in node:
            found.extend(_steps(item))
        return found
    if not isinstance(node, dict):
        return found
    is_step = any(
        key in node
        for key in (
            "action",
            "choose",
            "if",
            "parallel",
            "repeat",
            "variables",
            "delay",
            "wait_template",
            "wait_for_trigger",
            "sequence",
            "condition",
            "event",
            "stop",
        )
    )
    if is_step and "conditions" not in node:
        found.append(node)
    for key in STEP_LISTS:
        if key in node:
            found.extend(_steps(node[key]))
    if "choose" in node:
        for option in node["choose"]:
            found.append(option)
            found.extend(_steps(option.get("sequence", [])))
    if "repeat" in node:
        found.extend(_steps(node["repeat"].get("sequence", [])))
    return found
