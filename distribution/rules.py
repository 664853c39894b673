"""The HACS and hassfest rules a distributed integration must meet, checked locally.

hassfest and the HACS action run upstream against GitHub; these checks cover the same rules offline
(ha_conventions: hacs.json schema, one integration per repository, manifest keys and order, version,
documentation URL, iot_class, translations, brand icon), plus what the HACS client itself does with a
repository a user adds (`distribution.hacs_client`): a published tree installs its integration under
its own name, and the main repository is refused with a message naming the published repositories.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from awesomeversion import AwesomeVersion, AwesomeVersionStrategy

from .hacs_client import Installed, hacs_adds_integration
from .repositories import PUBLISHED_REPOSITORIES

HACS_KEYS = frozenset(
    {
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
)
MANIFEST_REQUIRED = (
    "domain",
    "name",
    "codeowners",
    "documentation",
    "issue_tracker",
    "version",
)
IOT_CLASSES = frozenset(
    {
        "assumed_state",
        "calculated",
        "cloud_polling",
        "cloud_push",
        "local_polling",
        "local_push",
    }
)
VERSION_STRATEGIES = frozenset(
    {
        AwesomeVersionStrategy.CALVER,
        AwesomeVersionStrategy.SEMVER,
        AwesomeVersionStrategy.SIMPLEVER,
        AwesomeVersionStrategy.BUILDVER,
        AwesomeVersionStrategy.PEP440,
    }
)


def check_manifest(integration_dir: Path) -> list[str]:
    """Return every hassfest/HACS manifest problem of one integration folder."""
    manifest: dict[str, Any] = json.loads(
        (integration_dir / "manifest.json").read_text()
    )
    problems = [
        f"manifest: missing '{key}'" for key in MANIFEST_REQUIRED if key not in manifest
    ]
    if manifest.get("domain") != integration_dir.name:
        problems.append("manifest: domain does not match the folder name")
    keys = list(manifest)
    if keys[:2] != ["domain", "name"] or keys[2:] != sorted(keys[2:]):
        problems.append("manifest: keys not sorted (domain, name, then alphabetical)")
    version = AwesomeVersion(str(manifest.get("version", "")))
    if version.strategy not in VERSION_STRATEGIES:
        problems.append(
            f"manifest: version {manifest.get('version')!r} is not a valid version"
        )
    documentation = str(manifest.get("documentation", ""))
    if not documentation.startswith("https://") or documentation.startswith(
        "https://www.home-assistant.io/integrations"
    ):
        problems.append(
            "manifest: documentation must be an https URL outside home-assistant.io"
        )
    if manifest.get("iot_class") not in IOT_CLASSES:
        problems.append("manifest: missing or invalid iot_class")
    if not isinstance(manifest.get("codeowners"), list) or not manifest.get(
        "codeowners"
    ):
        problems.append("manifest: codeowners must be a non-empty list")
    translations = integration_dir / "translations" / "en.json"
    if not translations.is_file():
        problems.append("translations/en.json is missing")
    else:
        json.loads(translations.read_text())
    if not (integration_dir / "brand" / "icon.png").is_file():
        problems.append("brand/icon.png is missing")
    return problems


def check_hacs_json(path: Path) -> list[str]:
    """Return every problem of a hacs.json against HACS's schema (unknown keys fail)."""
    data: dict[str, Any] = json.loads(path.read_text())
    problems = [
        f"hacs.json: unknown key '{key}'" for key in data if key not in HACS_KEYS
    ]
    if not isinstance(data.get("name"), str) or not data["name"]:
        problems.append("hacs.json: 'name' is required")
    if data.get("zip_release") and not data.get("filename"):
        problems.append("hacs.json: zip_release is True, but filename is not set")
    return problems


def check_hacs_install(root: Path, full_name: str) -> list[str]:
    """Return the problems of what HACS installs from a published tree (none: the right thing)."""
    outcome = hacs_adds_integration(root, full_name)
    if not isinstance(outcome, Installed):
        return [f"HACS refuses the repository: {outcome.message}"]
    problems: list[str] = []
    manifest = json.loads((root / outcome.source / "manifest.json").read_text())
    if outcome.name != manifest.get("name"):
        problems.append(
            f"HACS would install {outcome.domain} as '{outcome.name}', "
            f"but its manifest names it '{manifest.get('name')}'"
        )
    if outcome.source and Path(outcome.source).name != outcome.domain:
        problems.append(
            f"HACS would install {outcome.source} as custom_components/{outcome.domain}"
        )
    return problems


def check_main_repository(root: Path, full_name: str) -> list[str]:
    """Return the problems of the main repository: HACS must refuse it and name the right ones."""
    problems: list[str] = []
    if (root / "hacs.json").exists():
        problems.append(
            "hacs.json at the root: the main repository is not a HACS repository"
        )
    outcome = hacs_adds_integration(root, full_name)
    if isinstance(outcome, Installed):
        return [
            *problems,
            f"HACS installs {outcome.source} as '{outcome.name}' from the main repository",
        ]
    if not outcome.shown:
        problems.append(f"HACS refuses it without telling the user: {outcome.message}")
    problems.extend(
        f"HACS's refusal does not name {repository}: {outcome.message}"
        for repository in PUBLISHED_REPOSITORIES.values()
        if repository.replace("/", ".") not in outcome.message
    )
    return problems


def check_distribution(root: Path, full_name: str = "owner/repository") -> list[str]:
    """Return every problem of a repository tree HACS would install from."""
    components = root / "custom_components"
    folders = (
        [path for path in components.iterdir() if path.is_dir()]
        if components.is_dir()
        else []
    )
    problems: list[str] = []
    if len(folders) != 1:
        problems.append(
            f"custom_components/ must hold exactly one integration, found {len(folders)}"
        )
    manifests = list(components.glob("*/manifest.json"))
    if len(manifests) != 1:
        problems.append(f"exactly one manifest.json expected, found {len(manifests)}")
    for folder in folders:
        problems.extend(check_manifest(folder))
    if (root / "hacs.json").is_file():
        problems.extend(check_hacs_json(root / "hacs.json"))
    else:
        problems.append("hacs.json is missing")
    if not any(
        (root / name).is_file() for name in ("README.md", "readme.md", "info.md")
    ):
        problems.append("README.md is missing")
    if not (root / "LICENSE").is_file():
        problems.append("LICENSE is missing")
    if not problems:
        problems.extend(check_hacs_install(root, full_name))
    return problems
