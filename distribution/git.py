"""Running git for the release tools: one place that starts it and reports its errors."""

from __future__ import annotations

from collections.abc import Mapping
import os
from pathlib import Path
import shutil
import subprocess


class GitError(Exception):
    """A git command failed; the message holds the command's arguments and git's own error."""


def git(
    *args: str,
    cwd: Path,
    env: Mapping[str, str] | None = None,
) -> str:
    """Run `git args` in `cwd` and return its output; raise GitError when it fails.

    `env` is added to the environment; git never asks for input (a missing credential fails).
    """
    executable = shutil.which("git")
    if executable is None:
        raise GitError("git is not installed")
    result = subprocess.run(  # noqa: S603 - arguments built by the release tools themselves
        [executable, *args],
        cwd=cwd,
        env={**os.environ, "GIT_TERMINAL_PROMPT": "0", **(env or {})},
        capture_output=True,
        check=False,
    )
    if result.returncode != 0:
        error = result.stderr.decode(errors="replace").strip()
        raise GitError(f"git {args[0]} failed: {error}")
    return result.stdout.decode(errors="replace")
