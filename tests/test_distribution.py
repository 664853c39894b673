"""scripts/release builds one HACS-ready tree per integration, and each passes the HACS/hassfest rules."""

from __future__ import annotations

import json
from pathlib import Path
import shutil
from typing import Any
import zipfile

from homeassistant.core import HomeAssistant
from homeassistant.loader import async_get_custom_components
import pytest

import custom_components
from distribution.build import DOMAINS, REPO_ROOT, main
from distribution.git import git
from distribution.hacs_client import (
    Installed,
    Refused,
    git_tree,
    hacs_adds_integration,
    repository_files,
)
from distribution.repositories import (
    HACS_POINTER_FOLDER,
    MAIN_REPOSITORY,
    PUBLISHED_REPOSITORIES,
)
from distribution.rules import (
    check_distribution,
    check_hacs_install,
    check_hacs_json,
    check_main_repository,
    check_manifest,
)

IDENTITY = ("-c", "user.name=Test", "-c", "user.email=test@example.invalid")


def write(path: Path, text: str = "x") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def copy_integrations(target: Path) -> None:
    for domain in DOMAINS:
        shutil.copytree(
            REPO_ROOT / "custom_components" / domain,
            target / "custom_components" / domain,
            ignore=shutil.ignore_patterns("__pycache__"),
        )


def built_manifest(tree: Path, domain: str) -> dict[str, Any]:
    """Return the manifest of the integration in a built repository tree."""
    manifest: dict[str, Any] = json.loads(
        (tree / "custom_components" / domain / "manifest.json").read_text()
    )
    return manifest


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
    manifest = built_manifest(tree, domain)
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


@pytest.mark.parametrize("domain", DOMAINS)
def test_hacs_installs_each_published_tree_under_its_own_name(
    dist: Path, domain: str
) -> None:
    manifest = built_manifest(dist / domain, domain)
    assert hacs_adds_integration(
        dist / domain, PUBLISHED_REPOSITORIES[domain]
    ) == Installed(
        domain=domain, name=manifest["name"], source=f"custom_components/{domain}"
    )


@pytest.mark.parametrize("domain", DOMAINS)
def test_built_manifest_points_at_its_published_repository(
    dist: Path, domain: str
) -> None:
    manifest = built_manifest(dist / domain, domain)
    assert manifest["documentation"] == (
        f"https://github.com/{PUBLISHED_REPOSITORIES[domain]}/blob/v1.2.3/README.md"
    )
    assert manifest["issue_tracker"] == f"https://github.com/{MAIN_REPOSITORY}/issues"


def test_the_same_version_builds_the_same_zips(dist: Path, tmp_path: Path) -> None:
    assert main(["--version", "1.2.3", "--out", str(tmp_path)]) == 0
    for domain in DOMAINS:
        zip_name = f"{domain}.zip"
        assert (tmp_path / zip_name).read_bytes() == (dist / zip_name).read_bytes()


def test_hacs_refuses_the_main_repository_naming_the_published_ones() -> None:
    outcome = hacs_adds_integration(REPO_ROOT, MAIN_REPOSITORY)
    assert outcome == Refused(
        f"No manifest.json file found 'custom_components/{HACS_POINTER_FOLDER}/manifest.json'",
        shown=True,
    )
    assert "local-home-bridge.venstar_local" in outcome.message
    assert "local-home-bridge.firstalert_zwave" in outcome.message
    assert check_main_repository(REPO_ROOT, MAIN_REPOSITORY) == []


async def test_home_assistant_ignores_the_pointer_folder(hass: HomeAssistant) -> None:
    assert (REPO_ROOT / "custom_components" / HACS_POINTER_FOLDER).is_dir()
    assert custom_components.__path__ == [str(REPO_ROOT / "custom_components")]
    assert set(await async_get_custom_components(hass)) == set(DOMAINS)


def test_the_former_layout_installed_first_alert_labelled_venstar(
    tmp_path: Path,
) -> None:
    copy_integrations(tmp_path)
    write(tmp_path / "hacs.json", json.dumps({"name": "Venstar Local"}))
    assert hacs_adds_integration(tmp_path, MAIN_REPOSITORY) == Installed(
        domain="firstalert_zwave",
        name="Venstar Local",
        source="custom_components/firstalert_zwave",
    )
    assert check_main_repository(tmp_path, MAIN_REPOSITORY) == [
        "hacs.json at the root: the main repository is not a HACS repository",
        "HACS installs custom_components/firstalert_zwave as 'Venstar Local' from the main repository",
    ]
    assert check_distribution(tmp_path)[0] == (
        "custom_components/ must hold exactly one integration, found 2"
    )


def test_a_published_tree_named_after_another_integration_is_caught(
    tmp_path: Path,
) -> None:
    shutil.copytree(
        REPO_ROOT / "custom_components" / "firstalert_zwave",
        tmp_path / "custom_components" / "firstalert_zwave",
    )
    write(tmp_path / "hacs.json", json.dumps({"name": "Venstar Local"}))
    write(tmp_path / "README.md")
    write(tmp_path / "LICENSE")
    assert check_distribution(tmp_path) == [
        (
            "HACS would install firstalert_zwave as 'Venstar Local', "
            "but its manifest names it 'First Alert Z-Wave alarms'"
        )
    ]


def test_a_folder_whose_name_is_not_the_domain_is_caught(tmp_path: Path) -> None:
    shutil.copytree(
        REPO_ROOT / "custom_components" / "venstar_local",
        tmp_path / "custom_components" / "venstar",
    )
    assert check_distribution(tmp_path)[0] == (
        "manifest: domain does not match the folder name"
    )
    assert check_hacs_install(tmp_path, "owner/venstar") == [
        "HACS would install custom_components/venstar as custom_components/venstar_local"
    ]


def test_pointer_that_names_one_repository_only_is_caught(tmp_path: Path) -> None:
    copy_integrations(tmp_path)
    write(
        tmp_path
        / "custom_components"
        / "HACS-add-local-home-bridge.venstar_local"
        / "README.md"
    )
    assert check_main_repository(tmp_path, MAIN_REPOSITORY) == [
        (
            "HACS's refusal does not name local-home-bridge/firstalert_zwave: No manifest.json "
            "file found 'custom_components/HACS-add-local-home-bridge.venstar_local/manifest.json'"
        )
    ]


def test_refusals_hacs_shows_and_the_one_it_only_logs(tmp_path: Path) -> None:
    write(tmp_path / "README.md")
    assert hacs_adds_integration(tmp_path, "owner/thing", ref="v1.0.0") == Refused(
        "<Integration owner/thing> Repository structure for v1.0.0 is not compliant",
        shown=True,
    )
    write(tmp_path / "custom_components" / "thing" / "manifest.json", "{}")
    outcome = hacs_adds_integration(tmp_path, "owner/thing")
    assert outcome == Refused(
        "Missing expected key ''domain'' in manifest.json", shown=False
    )
    assert check_hacs_install(tmp_path, "owner/thing") == [
        f"HACS refuses the repository: {outcome.message}"
    ]
    assert check_main_repository(tmp_path, "owner/thing")[0] == (
        f"HACS refuses it without telling the user: {outcome.message}"
    )


def test_content_in_root_and_name_fallbacks(tmp_path: Path) -> None:
    write(tmp_path / "hacs.json", json.dumps({"content_in_root": True}))
    write(tmp_path / "custom_components" / "ignored" / "manifest.json", "{}")
    assert hacs_adds_integration(tmp_path, "owner/my-thing") == Refused(
        "No manifest.json file found 'manifest.json'", shown=True
    )
    write(tmp_path / "manifest.json", json.dumps({"domain": "my_thing"}))
    assert hacs_adds_integration(tmp_path, "owner/my-thing") == Installed(
        domain="my_thing", name="My Thing", source=""
    )


def test_tree_order_is_gits_and_ignored_files_are_not_listed(tmp_path: Path) -> None:
    paths = [
        "custom_components/venstar_local/manifest.json",
        "custom_components/firstalert_zwave/brand/icon.png",
        "custom_components/firstalert_zwave/__init__.py",
        "custom_components/firstalert_zwave.md",
        "custom_components/__init__.py",
        f"custom_components/{HACS_POINTER_FOLDER}/README.md",
        "custom_components-notes/a.txt",
        "custom_components.txt",
        "README.md",
        ".gitignore",
    ]
    for path in paths:
        write(tmp_path / path, "__pycache__/\n" if path == ".gitignore" else "x")
    git("init", "-q", cwd=tmp_path)
    git("add", "-A", cwd=tmp_path)
    git(*IDENTITY, "commit", "-q", "-m", "tree", cwd=tmp_path)
    write(tmp_path / "custom_components" / "__pycache__" / "x.pyc")
    listed = git(
        "ls-tree", "-r", "-t", "--name-only", "HEAD", cwd=tmp_path
    ).splitlines()

    assert [entry.path for entry in git_tree(repository_files(tmp_path))] == listed
    assert listed.index(f"custom_components/{HACS_POINTER_FOLDER}") < listed.index(
        "custom_components/firstalert_zwave"
    )


def test_readme_names_the_repositories_to_add() -> None:
    readme = (REPO_ROOT / "README.md").read_text()
    pointer = (
        REPO_ROOT / "custom_components" / HACS_POINTER_FOLDER / "README.md"
    ).read_text()
    for repository in PUBLISHED_REPOSITORIES.values():
        assert f"https://github.com/{repository}" in readme
        assert f"https://github.com/{repository}" in pointer
    assert HACS_POINTER_FOLDER in readme
