"""Per-package coverage gates, reported before pytest's own summary line.

pytest-cov only knows one total; the quality bar is per integration (and 100% for config
flows), so the gates are checked here after pytest-cov has collected its data.
"""

from __future__ import annotations

from collections.abc import Generator
import io
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# (glob relative to the repository root, minimum percent). Gates whose files do not exist yet are skipped.
GATES: tuple[tuple[str, float], ...] = (
    ("custom_components/venstar_local/*", 95.0),
    ("custom_components/firstalert_zwave/*", 95.0),
    ("custom_components/venstar_local/config_flow.py", 100.0),
    ("custom_components/firstalert_zwave/config_flow.py", 100.0),
)


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtestloop(session: pytest.Session) -> Generator[None]:
    """After the run (and after pytest-cov stopped measuring), check every gate."""
    yield
    cov_plugin = session.config.pluginmanager.getplugin("_cov")
    controller = getattr(cov_plugin, "cov_controller", None)
    cov = getattr(controller, "cov", None)
    if cov is None or session.config.option.collectonly or session.testsfailed:
        return
    # Gates apply to full runs only: a run of a subset of tests is not judged by them.
    if session.config.args and any(
        Path(arg).resolve() != ROOT / "tests" for arg in session.config.args
    ):
        return
    reporter = session.config.pluginmanager.getplugin("terminalreporter")
    for pattern, minimum in GATES:
        if not list(ROOT.glob(pattern)):
            continue
        try:
            percent = cov.report(include=[str(ROOT / pattern)], file=io.StringIO())
        except Exception as err:  # noqa: BLE001 - coverage raises its own base class
            percent = 0.0
            reporter.write_line(f"coverage gate {pattern}: {err}", red=True)
        ok = percent >= minimum
        reporter.write_line(
            f"coverage gate {pattern}: {percent:.1f}% (minimum {minimum:.0f}%)",
            green=ok,
            red=not ok,
        )
        if not ok:
            session.testsfailed += 1
