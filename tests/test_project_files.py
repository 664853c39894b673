"""The repository's own packaging files follow the HACS rules users depend on."""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HACS_KEYS = {
    "name",
    "content_in_root",
    "zip_release",
    "filename",
    "hide_default_branch",
    "country",
    "homeassistant",
    "hacs",
    "persistent_directory",
    "render_readme",
}


def test_hacs_json_uses_only_known_keys() -> None:
    data = json.loads((ROOT / "hacs.json").read_text())
    assert data["name"]
    assert set(data) <= HACS_KEYS


def test_ci_runs_exactly_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text()
    assert "exec scripts/test" in ci
    assert "scripts/test" in (ROOT / "README.md").read_text()
