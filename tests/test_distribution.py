"""scripts/release builds one HACS-ready tree per integration, and each passes the HACS/hassfest rules."""

from __future__ import annotations

import json
from pathlib import Path
import shutil
import zipfile

import pytest

from distribution.build import DOMAINS, REPO_ROOT, main
from distribution.rules import check_distribution, check_hacs_json, check_manifest


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    assert main(["--version", "1.2.3", "--out", str(out)]) == 0
    return out


@pytest.mark.parametrize("domain", DOMAINS)
def test_each_distribution_passes_hacs_and_hassfest_rules(
    dist: Path, domain: str
) -> None:
    tree = dist / domain
    assert check_distribution(tree) == []
    assert [path.name for path in (tree / "custom_components").iterdir()] == [domain]
    manifest = json.loads(
        (tree / "custom_components" / domain / "manifest.json").read_text()
    )
    assert manifest["version"] == "1.2.3"
    hacs = json.loads((tree / "hacs.json").read_text())
    assert hacs["filename"] == f"{domain}.zip"
    assert (tree / "README.md").read_text().startswith("# ")


@pytest.mark.parametrize("domain", DOMAINS)
def test_zip_holds_the_integration_files_at_its_root(dist: Path, domain: str) -> None:
    with zipfile.ZipFile(dist / f"{domain}.zip") as archive:
        names = set(archive.namelist())
        manifest = json.loads(archive.read("manifest.json"))
    assert {
        "manifest.json",
        "__init__.py",
        "translations/en.json",
        "brand/icon.png",
    } <= names
    assert not [name for name in names if "__pycache__" in name]
    assert manifest["domain"] == domain
    assert manifest["version"] == "1.2.3"


@pytest.mark.parametrize("domain", DOMAINS)
def test_repository_manifests_pass_the_same_rules(domain: str) -> None:
    assert check_manifest(REPO_ROOT / "custom_components" / domain) == []


def test_a_tree_with_both_integrations_is_refused(tmp_path: Path) -> None:
    for domain in DOMAINS:
        shutil.copytree(
            REPO_ROOT / "custom_components" / domain,
            tmp_path / "custom_components" / domain,
        )
    (tmp_path / "hacs.json").write_text(json.dumps({"name": "Both"}))
    problems = check_distribution(tmp_path)
    assert "custom_components/ must hold exactly one integration, found 2" in problems
    assert "README.md is missing" in problems
    assert "LICENSE is missing" in problems


def test_hacs_json_schema_rules(tmp_path: Path) -> None:
    path = tmp_path / "hacs.json"
    path.write_text(json.dumps({"name": "X", "zip_release": True, "domains": ["x"]}))
    assert check_hacs_json(path) == [
        "hacs.json: unknown key 'domains'",
        "hacs.json: zip_release is True, but filename is not set",
    ]
    path.write_text(json.dumps({}))
    assert check_hacs_json(path) == ["hacs.json: 'name' is required"]


def test_manifest_rules_catch_what_hassfest_rejects(tmp_path: Path) -> None:
    folder = tmp_path / "demo_thing"
    folder.mkdir()
    (folder / "manifest.json").write_text(
        json.dumps(
            {
                "name": "Demo",
                "domain": "other",
                "version": "not a version!",
                "documentation": "https://www.home-assistant.io/integrations/demo",
                "codeowners": [],
            }
        )
    )
    assert check_manifest(folder) == [
        "manifest: missing 'issue_tracker'",
        "manifest: domain does not match the folder name",
        "manifest: keys not sorted (domain, name, then alphabetical)",
        "manifest: version 'not a version!' is not a valid version",
        "manifest: documentation must be an https URL outside home-assistant.io",
        "manifest: missing or invalid iot_class",
        "manifest: codeowners must be a non-empty list",
        "translations/en.json is missing",
        "brand/icon.png is missing",
    ]
