"""The repository's own project files do what users and CI depend on.

HACS packaging is checked in tests/test_distribution.py (the main repository is not a HACS
repository; the published ones are).
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_ci_runs_exactly_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text()
    assert "exec scripts/test" in ci
    assert "scripts/test" in (ROOT / "README.md").read_text()
