"""The alarm model stays free of Home Assistant and zwave-js imports."""

from __future__ import annotations

import ast
from pathlib import Path

MODEL = (
    Path(__file__).resolve().parents[3]
    / "custom_components"
    / "firstalert_zwave"
    / "model"
)


def test_model_imports_only_the_standard_library_and_itself() -> None:
    for path in sorted(MODEL.glob("*.py")):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:  # relative import inside the model
                    continue
                modules = [node.module or ""]
            else:
                continue
            for module in modules:
                root = module.split(".")[0]
                assert root not in {"homeassistant", "zwave_js_server", "voluptuous"}, (
                    f"{path.name} imports {module}"
                )
