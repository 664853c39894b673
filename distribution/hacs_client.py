"""What HACS does when a user adds a repository as an *Integration*, modelled offline.

This follows the HACS client (hacs/integration, `custom_components/hacs/`), step by step:

- `repositories/base.py` `common_validate`: `hacs.json` is read first when the tree has one.
- `repositories/integration.py` `validate_repository`: with `content_in_root` the manifest is
  `manifest.json` at the root; otherwise the content is `custom_components/<name>`, where `<name>` is
  `utils/filters.py` `get_first_directory_in_directory(tree, "custom_components")`: the first tree
  entry that is a directory and whose path starts with `custom_components` (GitHub's recursive tree,
  in git's order). No such directory: `HacsException("<Integration owner/name> Repository structure
  for <ref> is not compliant")`.
- `async_get_integration_manifest`: a manifest path that is not in the tree raises
  `HacsException("No manifest.json file found '<path>'")`; a manifest without `domain` only adds
  "Missing expected key 'domain' in manifest.json" to `validate.errors`.
- `base.py` `async_register_repository` returns `validate.errors` without raising, so those are only
  logged; `websocket/repositories.py` `hacs_repositories_add` sends the text of a raised exception
  as `HacsDispatchEvent.ERROR`, which the *Custom repositories* dialog shows (hacs/frontend
  `hacs-custom-repositories-dialog.ts`).
- `repositories/base.py` `display_name`: the `hacs.json` name, else the manifest name; the content
  is installed to `custom_components/<manifest domain>` (`HacsIntegrationRepository.localpath`).
"""

from __future__ import annotations

from dataclasses import dataclass
import json
from pathlib import Path
from typing import Any

from .git import git

CUSTOM_COMPONENTS = "custom_components"
# Never in a published tree: git ignores them (.gitignore), so GitHub never lists them.
_UNTRACKED = frozenset({".git", "__pycache__", ".mypy_cache", ".ruff_cache"})


@dataclass(frozen=True)
class TreeEntry:
    """One entry of a repository tree as GitHub lists it."""

    path: str
    is_directory: bool

    @property
    def filename(self) -> str:
        """Return the last path component (HACS's `LegacyTreeFile.filename`)."""
        return self.path.rsplit("/", 1)[-1]


@dataclass(frozen=True)
class Installed:
    """HACS accepts the repository and installs `source` as `custom_components/<domain>`."""

    domain: str
    name: str
    source: str


@dataclass(frozen=True)
class Refused:
    """HACS refuses the repository; `shown` tells whether the user sees `message` in the dialog."""

    message: str
    shown: bool


def repository_files(root: Path) -> list[str]:
    """Return the file paths a push of `root` would publish (git's view when it is a checkout)."""
    if (root / ".git").exists():
        listed = git(
            "ls-files", "-z", "--cached", "--others", "--exclude-standard", cwd=root
        )
        return [path for path in listed.split("\0") if path and (root / path).exists()]
    return [
        path.relative_to(root).as_posix()
        for path in root.rglob("*")
        if path.is_file()
        and not _UNTRACKED.intersection(path.relative_to(root).parts)
        and path.suffix != ".pyc"
    ]


def git_tree(files: list[str]) -> list[TreeEntry]:
    """Return the recursive tree of `files` in git's order: each tree before its entries.

    Git sorts the entries of a tree by name, comparing a directory as its name followed by "/".
    """
    nested: dict[str, Any] = {}
    for path in files:
        node = nested
        parts = path.split("/")
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = None

    entries: list[TreeEntry] = []

    def walk(node: dict[str, Any], prefix: str) -> None:
        def key(name: str) -> bytes:
            return (name + "/" if node[name] is not None else name).encode()

        for name in sorted(node, key=key):
            child = node[name]
            entries.append(TreeEntry(prefix + name, child is not None))
            if child is not None:
                walk(child, f"{prefix}{name}/")

    walk(nested, "")
    return entries


def first_directory(tree: list[TreeEntry], dirname: str) -> str | None:
    """Return HACS's `get_first_directory_in_directory(tree, dirname)`."""
    for entry in tree:
        if (
            entry.path.startswith(dirname)
            and entry.path != dirname
            and entry.is_directory
        ):
            return entry.filename
    return None


def hacs_adds_integration(
    root: Path, full_name: str, ref: str = "main"
) -> Installed | Refused:
    """Return what HACS does with the repository `full_name` whose tree is `root`."""
    tree = git_tree(repository_files(root))
    files = {entry.path for entry in tree if not entry.is_directory}
    hacs: dict[str, Any] = {}
    if "hacs.json" in files:
        hacs = json.loads((root / "hacs.json").read_text())

    if hacs.get("content_in_root"):
        source = ""
        manifest_path = "manifest.json"
    else:
        name = first_directory(tree, CUSTOM_COMPONENTS)
        if name is None:
            return Refused(
                f"<Integration {full_name}> Repository structure for {ref} is not compliant",
                shown=True,
            )
        source = f"{CUSTOM_COMPONENTS}/{name}"
        manifest_path = f"{source}/manifest.json"

    if manifest_path not in files:
        return Refused(f"No manifest.json file found '{manifest_path}'", shown=True)
    manifest: dict[str, Any] = json.loads((root / manifest_path).read_text())
    if "domain" not in manifest:
        return Refused("Missing expected key ''domain'' in manifest.json", shown=False)
    display_name = (
        hacs.get("name")
        or manifest.get("name")
        or full_name.rsplit("/", maxsplit=1)[-1]
        .replace("-", " ")
        .replace("_", " ")
        .title()
    )
    return Installed(domain=manifest["domain"], name=display_name, source=source)
