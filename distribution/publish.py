"""Publish the built HACS repositories: push each `dist/<domain>/` tree, tag it, release its zip.

HACS installs an integration from a GitHub release of the repository the user added: with
`zip_release` it downloads the release asset `<domain>.zip`. For each integration this:

1. fetches the published repository's history and tags;
2. commits the built tree on top of its branch (the commit's tree is exactly the built tree; history
   is kept, nothing is force-pushed) and tags the commit `v<version>`; branch and tag are pushed
   in one atomic push;
3. creates the GitHub release of that tag with `<domain>.zip` attached (GitHub CLI `gh`).

Running it again for a version that is already published with the same content changes nothing,
and finishes a release whose push went through but whose GitHub release was not created. A version
already published with other content, or older than the newest published one, is refused.

Credentials: `PUBLISH_TOKEN` (a token allowed to push to both repositories and create releases)
is given to git as an HTTP header and to `gh` as `GH_TOKEN`; it never appears in a command line
or in the output.

Usage: python -m distribution.publish --version 1.2.3 [--dist dist] [--remote DOMAIN=URL]
"""

from __future__ import annotations

import argparse
import base64
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
import json
import os
from pathlib import Path
import subprocess
import sys
import tempfile

from awesomeversion import AwesomeVersion

from .git import GitError, git
from .repositories import (
    DOMAINS,
    MAIN_REPOSITORY,
    PUBLISHED_REPOSITORIES,
    github_url,
    release_tag,
)
from .rules import check_distribution

REPO_ROOT = Path(__file__).resolve().parent.parent
BRANCH = "main"
TOKEN_VARIABLE = "PUBLISH_TOKEN"  # noqa: S105 - the name of the variable, not a secret
# The identity GitHub shows for commits made by Actions; GIT_AUTHOR_*/GIT_COMMITTER_* override it.
DEFAULT_IDENTITY = {
    "GIT_AUTHOR_NAME": "github-actions[bot]",
    "GIT_AUTHOR_EMAIL": "41898282+github-actions[bot]@users.noreply.github.com",
    "GIT_COMMITTER_NAME": "github-actions[bot]",
    "GIT_COMMITTER_EMAIL": "41898282+github-actions[bot]@users.noreply.github.com",
}


class PublishError(Exception):
    """Publishing was refused or failed; the message says why and what to do."""


@dataclass(frozen=True)
class Publication:
    """The tagged commit of one published version."""

    tag: str
    commit: str
    pushed: bool  # False: the version was already published with the same content


def auth_env(token: str | None) -> dict[str, str]:
    """Return the environment that lets git push to GitHub with `token` (none without one).

    The token goes into an HTTP header set through git's environment configuration, as
    actions/checkout does, so it is never part of a URL or an argument.
    """
    if not token:
        return {}
    basic = base64.b64encode(f"x-access-token:{token}".encode()).decode()
    return {
        "GIT_CONFIG_COUNT": "1",
        "GIT_CONFIG_KEY_0": "http.https://github.com/.extraheader",
        "GIT_CONFIG_VALUE_0": f"AUTHORIZATION: basic {basic}",
    }


FETCHED = ("+refs/heads/*:refs/remotes/origin/*", "+refs/tags/*:refs/tags/*")


def _identity() -> dict[str, str]:
    return {key: os.environ.get(key, value) for key, value in DEFAULT_IDENTITY.items()}


class _Scratch:
    """A bare repository holding what is fetched from, and pushed to, one published repository."""

    def __init__(self, path: Path, env: Mapping[str, str]) -> None:
        self.path = path
        self.env = dict(env)
        git("init", "--quiet", "--bare", str(path), cwd=path.parent)

    def __call__(self, *args: str, work_tree: Path | None = None) -> str:
        """Run git on this repository (with `work_tree`: on those files, with its own index)."""
        if work_tree is None:
            return git("--git-dir", str(self.path), *args, cwd=self.path, env=self.env)
        index = {"GIT_INDEX_FILE": str(self.path / "publish.index")}
        return git(
            *("--git-dir", str(self.path), "--work-tree", str(work_tree), *args),
            cwd=work_tree,
            env={**self.env, **index},
        )

    def rev(self, ref: str) -> str | None:
        """Return the object `ref` names, or None when there is none."""
        try:
            return self("rev-parse", "--verify", "--quiet", ref).strip()
        except GitError:
            return None

    def version_tags(self) -> dict[str, AwesomeVersion]:
        """Return the release tags (`v<version>`) and their versions."""
        names = self("for-each-ref", "--format=%(refname:short)", "refs/tags").split()
        versions = {name: AwesomeVersion(name[1:]) for name in names if name[:1] == "v"}
        return {name: version for name, version in versions.items() if version.valid}


def publish_tree(
    tree: Path,
    remote: str,
    version: str,
    *,
    message: str,
    workdir: Path,
    env: Mapping[str, str] | None = None,
) -> Publication:
    """Push `tree` as the next commit of `remote`'s main branch, tagged `v<version>`."""
    tag = release_tag(version)
    repo = _Scratch(workdir / "scratch.git", {**(env or {}), **_identity()})
    repo("fetch", "--quiet", "--no-tags", remote, *FETCHED)
    # The tree object of the built files, exactly as they are (ignore rules do not apply).
    repo("add", "--all", "--force", ".", work_tree=tree)
    new_tree = repo("write-tree", work_tree=tree).strip()

    tags = repo.version_tags()
    if tag in tags:
        if repo.rev(f"{tag}^{{tree}}") != new_tree:
            raise PublishError(
                f"{remote}: {tag} is already published with different content; "
                "publish a new version instead"
            )
        return Publication(tag, repo.rev(f"{tag}^{{commit}}") or "", pushed=False)
    newer = sorted(
        name for name, known in tags.items() if known > AwesomeVersion(version)
    )
    if newer:
        raise PublishError(
            f"{remote}: {tag} is older than {', '.join(newer)}, already published"
        )

    parent = repo.rev(f"refs/remotes/origin/{BRANCH}")
    if parent is not None and repo.rev(f"{parent}^{{tree}}") == new_tree:
        commit = parent
    else:
        parents = ["-p", parent] if parent else []
        commit = repo("commit-tree", new_tree, *parents, "-m", message).strip()
    repo("tag", "--annotate", tag, "-m", message, commit)
    pushed = (f"{commit}:refs/heads/{BRANCH}", f"refs/tags/{tag}")
    try:
        repo("push", "--quiet", "--atomic", remote, *pushed)
    except GitError as err:
        raise PublishError(
            f"{remote}: push of {tag} refused ({err}); nothing was changed there. If the "
            "repository changed while publishing, run the release again"
        ) from err
    return Publication(tag, commit, pushed=True)


def _gh(
    gh: str, args: Sequence[str], env: Mapping[str, str]
) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(  # noqa: S603 - gh with arguments built here
            [gh, *args],
            env={**os.environ, "GH_PROMPT_DISABLED": "1", **env},
            capture_output=True,
            text=True,
            check=False,
        )
    except FileNotFoundError as err:
        raise PublishError(f"the GitHub CLI ({gh}) is not installed") from err


def ensure_release(
    repository: str,
    tag: str,
    asset: Path,
    *,
    title: str,
    notes: str,
    prerelease: bool = False,
    gh: str = "gh",
    env: Mapping[str, str] | None = None,
) -> str:
    """Make sure `repository` has a release of `tag` with `asset`; return what was done.

    Returns "created", "uploaded" (the release existed without the asset) or "present".
    """
    env = env or {}
    view = _gh(
        gh, ["release", "view", tag, "--repo", repository, "--json", "assets"], env
    )
    if view.returncode != 0:
        if "not found" not in view.stderr.lower():
            raise PublishError(
                f"{repository}: gh release view failed: {view.stderr.strip()}"
            )
        created = _gh(
            gh,
            [
                "release", "create", tag, str(asset),
                "--repo", repository,
                "--verify-tag",
                "--title", title,
                "--notes", notes,
                *(["--prerelease"] if prerelease else []),
            ],
            env,
        )  # fmt: skip
        if created.returncode != 0:
            raise PublishError(
                f"{repository}: gh release create failed: {created.stderr.strip()}"
            )
        return "created"
    assets = {item["name"]: item for item in json.loads(view.stdout)["assets"]}
    present = assets.get(asset.name)
    if present is None:
        uploaded = _gh(
            gh, ["release", "upload", tag, str(asset), "--repo", repository], env
        )
        if uploaded.returncode != 0:
            raise PublishError(
                f"{repository}: gh release upload failed: {uploaded.stderr.strip()}"
            )
        return "uploaded"
    if present["size"] != asset.stat().st_size:
        raise PublishError(
            f"{repository}: release {tag} already has a different {asset.name}; "
            "publish a new version instead"
        )
    return "present"


def check_built(dist: Path, domain: str, version: str) -> list[str]:
    """Return why `dist/<domain>` must not be published as `version` (nothing: it may)."""
    tree = dist / domain
    manifest_path = tree / "custom_components" / domain / "manifest.json"
    if not manifest_path.is_file():
        return [f"{tree} is not a built distribution (run scripts/release)"]
    problems = [
        f"{domain}: {problem}"
        for problem in check_distribution(tree, PUBLISHED_REPOSITORIES[domain])
    ]
    built = json.loads(manifest_path.read_text()).get("version")
    if built != version:
        problems.append(f"{domain}: built as version {built}, not {version}")
    if not (dist / f"{domain}.zip").is_file():
        problems.append(f"{domain}: {domain}.zip is missing")
    return problems


def _source() -> str:
    repository = os.environ.get("GITHUB_REPOSITORY", MAIN_REPOSITORY)
    try:
        sha = (
            os.environ.get("GITHUB_SHA")
            or git("rev-parse", "HEAD", cwd=REPO_ROOT).strip()
        )
    except GitError:
        return repository
    return f"{repository}@{sha}"


def main(argv: list[str] | None = None) -> int:
    """Publish every integration; stop at the first refusal with its reason."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--version", required=True)
    parser.add_argument("--dist", type=Path, default=REPO_ROOT / "dist")
    parser.add_argument(
        "--remote",
        action="append",
        default=[],
        metavar="DOMAIN=URL",
        help="push DOMAIN here instead of its GitHub repository",
    )
    parser.add_argument(
        "--no-release",
        action="store_true",
        help="push and tag only (no GitHub release)",
    )
    parser.add_argument(
        "--prerelease",
        action="store_true",
        help="mark the releases as pre-releases (HACS offers them only to users who want betas)",
    )
    parser.add_argument(
        "--gh", default="gh", help="the GitHub CLI to create releases with"
    )
    args = parser.parse_args(argv)

    remotes = {
        domain: f"{github_url(repo)}.git"
        for domain, repo in PUBLISHED_REPOSITORIES.items()
    }
    for item in args.remote:
        domain, _, url = item.partition("=")
        if domain not in remotes or not url:
            parser.error(f"--remote {item}: expected one of {', '.join(DOMAINS)}=URL")
        remotes[domain] = url

    problems = [
        p for domain in DOMAINS for p in check_built(args.dist, domain, args.version)
    ]
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1

    token = os.environ.get(TOKEN_VARIABLE)
    gh_env = {"GH_TOKEN": token} if token else {}
    source = _source()
    tag = release_tag(args.version)
    try:
        for domain in DOMAINS:
            manifest = json.loads(
                (
                    args.dist / domain / "custom_components" / domain / "manifest.json"
                ).read_text()
            )
            title = f"{manifest['name']} {args.version}"
            with tempfile.TemporaryDirectory() as workdir:
                publication = publish_tree(
                    args.dist / domain,
                    remotes[domain],
                    args.version,
                    message=f"{title}\n\nBuilt from {source}.",
                    workdir=Path(workdir),
                    env=auth_env(token),
                )
            state = "pushed" if publication.pushed else "already published, unchanged"
            print(
                f"{domain} {tag}: {state} ({publication.commit[:12]}) at {remotes[domain]}"
            )
            if args.no_release:
                continue
            done = ensure_release(
                PUBLISHED_REPOSITORIES[domain],
                tag,
                args.dist / f"{domain}.zip",
                title=title,
                prerelease=args.prerelease,
                notes=(
                    f"Built from {source}. What changed: "
                    f"{github_url(MAIN_REPOSITORY)}/releases/tag/{tag}"
                ),
                gh=args.gh,
                env=gh_env,
            )
            print(f"{domain} {tag}: GitHub release {done}")
    except (PublishError, GitError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
