"""The client library stands alone: no Home Assistant imports, a complete public API."""

from __future__ import annotations

import ast
from pathlib import Path

from custom_components.venstar_local import api

API_DIR = Path(api.__file__).parent


def test_library_never_imports_home_assistant() -> None:
    for source in API_DIR.glob("*.py"):
        tree = ast.parse(source.read_text(), filename=str(source))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""] if node.level == 0 else []
            else:
                continue
            assert not any(name.split(".")[0] == "homeassistant" for name in names), (
                source
            )


def test_everything_exported_exists() -> None:
    for name in api.__all__:
        assert getattr(api, name) is not None
    assert {
        "VenstarClient",
        "VenstarError",
        "VenstarConnectionError",
        "VenstarTimeoutError",
        "VenstarAuthenticationError",
        "VenstarApiError",
        "VenstarInvalidResponseError",
        "VenstarWrongDeviceError",
        "VenstarCommandRejectedError",
        "ApiInfo",
        "ThermostatInfo",
        "Sensor",
        "RuntimeDay",
        "Alert",
        "DeviceIdentity",
        "SsdpDevice",
        "parse_ssdp",
    } <= set(api.__all__)
