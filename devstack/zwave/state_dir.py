"""The network's state directory: zwave-server's config and a driver cache that matches the mock."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
import secrets
import shutil

from .commands import MOCK_CONFIG


def prepare_state_dir(state_dir: Path) -> Path:
    """Write zwave-server's config and drop a driver cache made for another mock config.

    A cached interview would hide changed device capabilities, so the cache lives only as long
    as the mock config it was made with. Returns the path of zwave-server's config.
    """
    state_dir.mkdir(parents=True, exist_ok=True)
    cache_dir = state_dir / "cache"
    stamp = state_dir / "mock-config.sha256"
    digest = hashlib.sha256(MOCK_CONFIG.read_bytes()).hexdigest()
    if not stamp.exists() or stamp.read_text() != digest:
        shutil.rmtree(cache_dir, ignore_errors=True)
        stamp.write_text(digest)
    # The detectors are non-secure, but zwave-server refuses a config without S0 key;
    # random keys per start keep real network keys out of the state dir.
    config = {
        "securityKeys": {
            name: secrets.token_hex(16)
            for name in (
                "S0_Legacy",
                "S2_Unauthenticated",
                "S2_Authenticated",
                "S2_AccessControl",
            )
        },
        "storage": {"cacheDir": str(cache_dir)},
        # Without forceConsole the driver logs nothing when stdout is not a TTY.
        "logConfig": {"enabled": True, "forceConsole": True, "level": "info"},
    }
    path = state_dir / "zwave-server.json"
    path.write_text(json.dumps(config, indent=2))
    path.chmod(0o600)
    return path
