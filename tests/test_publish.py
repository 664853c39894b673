"""The release tool publishes each built tree to its own repository: bare git repositories stand in
for the two GitHub repositories, and a stand-in `gh` keeps the GitHub releases in a JSON file."""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path
import shutil
import stat
import sys

import pytest
import yaml

from distribution import build
from distribution.git import GitError, git
from distribution.hacs_client import Installed, hacs_adds_integration
from distribution.publish import (
    PublishError,
    auth_env,
    ensure_release,
    main,
    publish_tree,
)
from distribution.repositories import DOMAINS, PUBLISHED_REPOSITORIES

IDENTITY = ("-c", "user.name=Test", "-c", "user.email=test@example.invalid")
TOKEN = "ghp_not-a-real-token"

FAKE_GH = """#!{python}
import json, os, subprocess, sys

state_path = os.environ["FAKE_GH_STATE"]
with open(state_path) as file:
    state = json.load(file)
args = sys.argv[1:]
state["calls"].append({{"args": args, "token": os.environ.get("GH_TOKEN")}})


def option(name):
    return args[args.index(name) + 1]


def save():
    with open(state_path, "w") as file:
        json.dump(state, file)


repo, tag = option("--repo"), args[2]
releases = state["releases"].setdefault(repo, {{}})
if state.get("fail"):
    save()
    sys.exit(state["fail"])
if args[:2] == ["release", "view"]:
    save()
    if tag not in releases:
        sys.exit("release not found")
    print(json.dumps({{"assets": releases[tag]["assets"]}}))
elif args[:2] == ["release", "create"]:
    tagged = subprocess.run(
        ["git", "--git-dir", state["remotes"][repo], "rev-parse", "--verify", "refs/tags/" + tag],
        capture_output=True,
    )
    if "--verify-tag" in args and tagged.returncode != 0:
        save()
        sys.exit("tag " + tag + " doesn't exist in the repo")
    asset = args[3]
    releases[tag] = {{
        "prerelease": "--prerelease" in args,
        "title": option("--title"),
        "notes": option("--notes"),
        "assets": [{{"name": os.path.basename(asset), "size": os.path.getsize(asset)}}],
    }}
    save()
elif args[:2] == ["release", "upload"]:
    asset = args[3]
    releases[tag]["assets"].append(
        {{"name": os.path.basename(asset), "size": os.path.getsize(asset)}}
    )
    save()
else:
    sys.exit("unexpected: " + " ".join(args))
"""


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    assert build.main(["--version", "1.2.3", "--out", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def dist_next(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist-next")
    assert build.main(["--version", "1.2.4", "--out", str(out)]) == 0
    return out


@pytest.fixture
def remotes(tmp_path: Path) -> dict[str, Path]:
    made = {}
    for domain in DOMAINS:
        made[domain] = tmp_path / "remotes" / f"{domain}.git"
        made[domain].mkdir(parents=True)
        git("init", "--quiet", "--bare", "--initial-branch=main", cwd=made[domain])
    return made


@pytest.fixture
def fake_gh(
    tmp_path: Path, remotes: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Return the state file of a stand-in `gh` that is on PATH for the test."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    gh = bin_dir / "gh"
    gh.write_text(FAKE_GH.format(python=sys.executable))
    gh.chmod(gh.stat().st_mode | stat.S_IXUSR)
    state = tmp_path / "gh-state.json"
    state.write_text(
        json.dumps(
            {
                "calls": [],
                "releases": {},
                "remotes": {
                    PUBLISHED_REPOSITORIES[domain]: str(path)
                    for domain, path in remotes.items()
                },
            }
        )
    )
    monkeypatch.setenv("FAKE_GH_STATE", str(state))
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    return state


def remote_args(remotes: dict[str, Path]) -> list[str]:
    return [arg for d, p in remotes.items() for arg in ("--remote", f"{d}={p}")]


def refs(remote: Path) -> str:
    return git("for-each-ref", "--format=%(refname) %(objectname)", cwd=remote)


def published_files(remote: Path, ref: str) -> list[str]:
    return git("ls-tree", "-r", "--name-only", ref, cwd=remote).split()


def tree_files(tree: Path) -> list[str]:
    return sorted(
        p.relative_to(tree).as_posix() for p in tree.rglob("*") if p.is_file()
    )


def test_first_release_pushes_each_tree_tagged_and_hacs_installs_it(
    dist: Path,
    remotes: dict[str, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert (
        main(
            [
                "--version",
                "1.2.3",
                "--dist",
                str(dist),
                "--no-release",
                *remote_args(remotes),
            ]
        )
        == 0
    )

    for domain, remote in remotes.items():
        assert published_files(remote, "v1.2.3") == tree_files(dist / domain)
        assert git("cat-file", "-t", "v1.2.3", cwd=remote).strip() == "tag"
        tagged = git("rev-parse", "v1.2.3^{commit}", cwd=remote)
        assert git("rev-parse", "refs/heads/main", cwd=remote) == tagged
        message = git("log", "-1", "--format=%an%n%s%n%b", "v1.2.3", cwd=remote)
        assert message.startswith("github-actions[bot]\n")
        assert "1.2.3" in message.splitlines()[1]
        assert "Built from local-home-bridge/local-home-bridge@" in message

        clone = tmp_path / "clones" / domain
        git(
            "clone",
            "--quiet",
            "--branch",
            "v1.2.3",
            str(remote),
            str(clone),
            cwd=tmp_path,
        )
        outcome = hacs_adds_integration(clone, PUBLISHED_REPOSITORIES[domain])
        assert isinstance(outcome, Installed)
        assert outcome.domain == domain
    assert "venstar_local v1.2.3: pushed" in capsys.readouterr().out


def test_publishing_the_same_version_again_changes_nothing(
    dist: Path, remotes: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    args = [
        "--version",
        "1.2.3",
        "--dist",
        str(dist),
        "--no-release",
        *remote_args(remotes),
    ]
    assert main(args) == 0
    before = {domain: refs(remote) for domain, remote in remotes.items()}
    capsys.readouterr()

    assert main(args) == 0

    assert {domain: refs(remote) for domain, remote in remotes.items()} == before
    assert capsys.readouterr().out.count("already published, unchanged") == 2


def test_the_same_version_with_other_content_is_refused(
    dist: Path, remotes: dict[str, Path], tmp_path: Path
) -> None:
    remote = remotes["venstar_local"]
    publish_tree(
        dist / "venstar_local", str(remote), "1.2.3", message="m", workdir=tmp_path
    )
    before = refs(remote)
    changed = tmp_path / "changed"
    shutil.copytree(dist / "venstar_local", changed)
    (changed / "README.md").write_text("# Something else\n")
    workdir = tmp_path / "again"
    workdir.mkdir()

    with pytest.raises(
        PublishError, match=r"v1\.2\.3 is already published with different content"
    ):
        publish_tree(changed, str(remote), "1.2.3", message="m", workdir=workdir)
    assert refs(remote) == before


def test_a_new_version_is_a_new_commit_and_tag_on_top_of_the_history(
    dist: Path, dist_next: Path, remotes: dict[str, Path], tmp_path: Path
) -> None:
    remote = remotes["firstalert_zwave"]
    # The repository was created on GitHub with a README and a licence of its own.
    seed = tmp_path / "seed"
    seed.mkdir()
    git("init", "--quiet", "--initial-branch=main", cwd=seed)
    (seed / "README.md").write_text("# firstalert_zwave\n")
    (seed / "NOTICE").write_text("created on GitHub\n")
    git("add", "-A", cwd=seed)
    git(*IDENTITY, "commit", "--quiet", "-m", "Initial commit", cwd=seed)
    git("push", "--quiet", str(remote), "main", cwd=seed)
    initial = git("rev-parse", "main", cwd=seed).strip()
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()

    first = publish_tree(
        dist / "firstalert_zwave",
        str(remote),
        "1.2.3",
        message="1.2.3",
        workdir=tmp_path / "one",
    )
    second = publish_tree(
        dist_next / "firstalert_zwave",
        str(remote),
        "1.2.4",
        message="1.2.4",
        workdir=tmp_path / "two",
    )

    assert first.pushed
    assert second.pushed
    history = git("rev-list", "main", cwd=remote).split()
    assert history == [second.commit, first.commit, initial]
    assert git("rev-parse", "v1.2.3^{commit}", cwd=remote).strip() == first.commit
    assert git("rev-parse", "v1.2.4^{commit}", cwd=remote).strip() == second.commit
    assert published_files(remote, "v1.2.4") == tree_files(
        dist_next / "firstalert_zwave"
    )
    assert "NOTICE" not in published_files(remote, "main")
    assert git("show", f"{initial}:NOTICE", cwd=remote) == "created on GitHub\n"
    manifest = json.loads(
        git(
            "show",
            "v1.2.4:custom_components/firstalert_zwave/manifest.json",
            cwd=remote,
        )
    )
    assert manifest["version"] == "1.2.4"


def test_an_older_version_than_published_is_refused(
    dist: Path, dist_next: Path, remotes: dict[str, Path], tmp_path: Path
) -> None:
    remote = remotes["venstar_local"]
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    publish_tree(
        dist_next / "venstar_local",
        str(remote),
        "1.2.4",
        message="m",
        workdir=tmp_path / "a",
    )
    before = refs(remote)

    with pytest.raises(
        PublishError, match=r"v1.2.3 is older than v1.2.4, already published"
    ):
        publish_tree(
            dist / "venstar_local",
            str(remote),
            "1.2.3",
            message="m",
            workdir=tmp_path / "b",
        )
    assert refs(remote) == before


def test_a_refused_push_leaves_neither_branch_nor_tag(
    dist: Path, remotes: dict[str, Path], tmp_path: Path
) -> None:
    remote = remotes["venstar_local"]
    hook = remote / "hooks" / "update"
    hook.write_text('#!/bin/sh\n[ "$1" = refs/heads/main ] && exit 1\nexit 0\n')
    hook.chmod(0o755)

    with pytest.raises(PublishError, match=r"push of v1\.2\.3 refused"):
        publish_tree(
            dist / "venstar_local", str(remote), "1.2.3", message="m", workdir=tmp_path
        )
    assert refs(remote) == ""


def test_a_tree_built_for_another_version_is_not_published(
    dist: Path, remotes: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--version", "1.2.5", "--dist", str(dist), *remote_args(remotes)]) == 1

    assert "venstar_local: built as version 1.2.3, not 1.2.5" in capsys.readouterr().err
    assert all(refs(remote) == "" for remote in remotes.values())


def test_unknown_remote_domain_and_missing_build_are_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        main(["--version", "1.0.0", "--remote", "venstar=/x"])
    assert main(["--version", "1.0.0", "--dist", str(tmp_path)]) == 1
    assert (
        "is not a built distribution (run scripts/release)" in capsys.readouterr().err
    )


def test_the_token_reaches_git_as_a_header_and_gh_as_gh_token(
    dist: Path,
    remotes: dict[str, Path],
    fake_gh: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    env = auth_env(TOKEN)
    header = git(
        "config",
        "--get",
        "http.https://github.com/.extraheader",
        cwd=Path.cwd(),
        env=env,
    )
    assert base64.b64decode(header.split()[-1]).decode() == f"x-access-token:{TOKEN}"
    assert auth_env(None) == {}
    monkeypatch.setenv("PUBLISH_TOKEN", TOKEN)

    assert main(["--version", "1.2.3", "--dist", str(dist), *remote_args(remotes)]) == 0

    calls = json.loads(fake_gh.read_text())["calls"]
    assert calls
    assert all(call["token"] == TOKEN for call in calls)
    assert not any(TOKEN in arg for call in calls for arg in call["args"])
    output = capsys.readouterr()
    assert TOKEN not in output.out + output.err


def test_releases_are_created_once_with_the_zip_hacs_downloads(
    dist: Path,
    remotes: dict[str, Path],
    fake_gh: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    args = ["--version", "1.2.3", "--dist", str(dist), *remote_args(remotes)]
    assert main(args) == 0
    assert capsys.readouterr().out.count("GitHub release created") == 2

    releases = json.loads(fake_gh.read_text())["releases"]
    for domain in DOMAINS:
        release = releases[PUBLISHED_REPOSITORIES[domain]]["v1.2.3"]
        hacs = json.loads((dist / domain / "hacs.json").read_text())
        assert release["assets"] == [
            {"name": hacs["filename"], "size": (dist / f"{domain}.zip").stat().st_size}
        ]
        assert release["title"].endswith(" 1.2.3")
        assert release["prerelease"] is False
        assert "releases/tag/v1.2.3" in release["notes"]

    # A second run (a re-run of the workflow) finds everything in place.
    assert main(args) == 0
    assert capsys.readouterr().out.count("GitHub release present") == 2
    assert json.loads(fake_gh.read_text())["releases"] == releases


def test_a_release_without_its_zip_gets_it_and_a_different_zip_is_refused(
    dist: Path, remotes: dict[str, Path], fake_gh: Path
) -> None:
    repository = PUBLISHED_REPOSITORIES["venstar_local"]
    asset = dist / "venstar_local.zip"
    state = json.loads(fake_gh.read_text())
    state["releases"][repository] = {"v1.2.3": {"assets": []}}
    fake_gh.write_text(json.dumps(state))

    assert (
        ensure_release(repository, "v1.2.3", asset, title="t", notes="n") == "uploaded"
    )
    assert (
        ensure_release(repository, "v1.2.3", asset, title="t", notes="n") == "present"
    )

    state = json.loads(fake_gh.read_text())
    state["releases"][repository]["v1.2.3"]["assets"][0]["size"] += 1
    fake_gh.write_text(json.dumps(state))
    with pytest.raises(
        PublishError, match=r"already has a different venstar_local\.zip"
    ):
        ensure_release(repository, "v1.2.3", asset, title="t", notes="n")


def test_gh_failures_are_reported(dist: Path, fake_gh: Path) -> None:
    repository = PUBLISHED_REPOSITORIES["venstar_local"]
    asset = dist / "venstar_local.zip"
    # The tag was never pushed: the release is not created from some other commit.
    with pytest.raises(
        PublishError, match=r"gh release create failed: tag v1\.2\.3 doesn't exist"
    ):
        ensure_release(repository, "v1.2.3", asset, title="t", notes="n")

    state = json.loads(fake_gh.read_text())
    state["fail"] = "HTTP 401: Bad credentials"
    fake_gh.write_text(json.dumps(state))
    with pytest.raises(
        PublishError, match="gh release view failed: HTTP 401: Bad credentials"
    ):
        ensure_release(repository, "v1.2.3", asset, title="t", notes="n")

    state["fail"] = None
    state["releases"][repository] = {"v1.2.3": {"assets": []}}
    fake_gh.write_text(json.dumps(state))
    (fake_gh.parent / "bin" / "gh").write_text(
        FAKE_GH.format(python=sys.executable).replace(
            'args[:2] == ["release", "upload"]', "False"
        )
    )
    with pytest.raises(
        PublishError, match="gh release upload failed: unexpected: release upload"
    ):
        ensure_release(repository, "v1.2.3", asset, title="t", notes="n")

    with pytest.raises(
        PublishError, match=r"the GitHub CLI \(no-such-gh\) is not installed"
    ):
        ensure_release(
            repository, "v1.2.3", asset, title="t", notes="n", gh="no-such-gh"
        )


def test_git_errors_name_the_command_and_gits_reason(tmp_path: Path) -> None:
    with pytest.raises(
        GitError, match="git rev-parse failed: fatal: not a git repository"
    ):
        git("rev-parse", "HEAD", cwd=tmp_path)


def test_a_pre_release_is_published_as_one(
    dist: Path, remotes: dict[str, Path], fake_gh: Path
) -> None:
    args = ["--version", "1.2.3", "--dist", str(dist), "--prerelease"]
    assert main([*args, *remote_args(remotes)]) == 0

    releases = json.loads(fake_gh.read_text())["releases"]
    assert [releases[repo]["v1.2.3"]["prerelease"] for repo in releases] == [True, True]


def test_the_release_workflow_publishes_with_the_token_from_secrets() -> None:
    workflow = yaml.safe_load(
        (build.REPO_ROOT / ".github" / "workflows" / "release.yml").read_text()
    )
    assert workflow[True]["release"] == {
        "types": ["published"]
    }  # YAML reads `on:` as True
    steps = workflow["jobs"]["publish"]["steps"]
    checkout = next(
        s for s in steps if s.get("uses", "").startswith("actions/checkout")
    )
    assert checkout["with"]["persist-credentials"] is False
    publish = next(s for s in steps if "distribution.publish" in s.get("run", ""))
    assert publish["env"]["PUBLISH_TOKEN"] == "${{ secrets.PUBLISH_TOKEN }}"
    assert "scripts/release" in "".join(s.get("run", "") for s in steps)
