"""Screenshots of the running product in Debian's Chromium, driven by playwright-core."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
import shutil
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]
SCRIPT = REPO_ROOT / "browser" / "screenshot.cjs"
CHROMIUM = Path("/usr/bin/chromium")
TIMEOUT = 120.0


def browser_missing() -> str | None:
    """Say what is missing to run the browser, or None when everything is there."""
    if shutil.which("node") is None:
        return "Node.js is not installed"
    if not (REPO_ROOT / "browser" / "node_modules" / "playwright-core").is_dir():
        return "playwright-core is not installed; run scripts/setup"
    if not CHROMIUM.exists():
        return "Debian's chromium is not installed (apt-get install chromium)"
    return None


async def screenshot(url: str, out: Path, *expected: str) -> dict[str, Any]:
    """Open `url` logged in (trusted network), wait for `expected`, save `out`, return the verdict."""
    process = await asyncio.create_subprocess_exec(
        "node",
        str(SCRIPT),
        url,
        str(out),
        *expected,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        cwd=REPO_ROOT / "browser",
    )
    try:
        stdout, stderr = await asyncio.wait_for(process.communicate(), TIMEOUT)
    except TimeoutError:
        process.kill()
        await process.wait()
        raise
    lines = stdout.decode().strip().splitlines()
    if not lines:
        raise AssertionError(f"the browser printed nothing: {stderr.decode()[-2000:]}")
    result: dict[str, Any] = json.loads(lines[-1])
    return result
