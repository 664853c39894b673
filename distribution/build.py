"""Build one HACS-ready repository tree and zip per integration, stamped with one release version.

HACS manages a single integration per repository, so each integration is published from its own
tree: `custom_components/<domain>/`, `hacs.json`, `README.md`, `LICENSE`.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
import shutil
import sys
import tomllib
import zipfile

from .repositories import (
    DOMAINS,
    PUBLISHED_REPOSITORIES,
    documentation_url,
    issue_tracker_url,
)
from .rules import check_distribution

REPO_ROOT = Path(__file__).resolve().parent.parent
MIN_HA_VERSION = "2025.4.0"
IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc")
# Zip entries carry this date and mode, so one version always builds the same bytes.
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
ZIP_MODE = 0o644 << 16


def project_version() -> str:
    """Return the release version: the project's version in pyproject.toml."""
    data = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())
    return str(data["project"]["version"])


def build_distribution(domain: str, version: str, out_dir: Path) -> Path:
    """Write `out_dir/<domain>/` (a repository tree) and `out_dir/<domain>.zip`; return the tree."""
    source = REPO_ROOT / "custom_components" / domain
    tree = out_dir / domain
    if tree.exists():
        shutil.rmtree(tree)
    integration = tree / "custom_components" / domain
    shutil.copytree(source, integration, ignore=IGNORED)

    manifest_path = integration / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["version"] = version
    # Users of the published repository read its README at their version and report to the
    # main repository, where the code is changed.
    manifest["documentation"] = documentation_url(domain, version)
    manifest["issue_tracker"] = issue_tracker_url()
    manifest_path.write_text(json.dumps(manifest, indent=2) + "\n")

    zip_name = f"{domain}.zip"
    hacs = {
        "name": manifest["name"],
        "filename": zip_name,
        "homeassistant": MIN_HA_VERSION,
        "zip_release": True,
    }
    (tree / "hacs.json").write_text(json.dumps(hacs, indent=2) + "\n")
    shutil.copy2(REPO_ROOT / "docs" / f"{domain}.md", tree / "README.md")
    shutil.copy2(REPO_ROOT / "LICENSE", tree / "LICENSE")

    write_zip(integration, out_dir / zip_name)
    return tree


def write_zip(folder: Path, target: Path) -> None:
    """Zip the files of `folder` at the archive's root, byte for byte the same on every build.

    HACS unpacks a zip release straight into custom_components/<domain>/.
    """
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                entry = zipfile.ZipInfo(path.relative_to(folder).as_posix(), ZIP_DATE)
                entry.external_attr = ZIP_MODE
                entry.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(entry, path.read_bytes())


def main(argv: list[str] | None = None) -> int:
    """Build every distribution and refuse to finish if one breaks a HACS/hassfest rule."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--version", default=project_version())
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "dist")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    failed = False
    for domain in DOMAINS:
        tree = build_distribution(domain, args.version, args.out)
        problems = check_distribution(tree, PUBLISHED_REPOSITORIES[domain])
        for problem in problems:
            print(f"{domain}: {problem}", file=sys.stderr)
        failed |= bool(problems)
        print(f"{domain} {args.version}: {tree} and {args.out / f'{domain}.zip'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
