"""Health settings: stored options are bounded, whatever they contain."""

from __future__ import annotations

from typing import Any

import pytest

from custom_components.firstalert_zwave.model.settings import (
    DEFAULT_OFFLINE_MULTIPLIER,
    offline_multiplier,
)


@pytest.mark.parametrize(
    ("stored", "used"),
    [
        (3, 3.0),
        (2.5, 2.5),
        (0, 1.5),
        (-4, 1.5),
        (10**15, 10.0),
        (float("inf"), DEFAULT_OFFLINE_MULTIPLIER),
        (float("nan"), DEFAULT_OFFLINE_MULTIPLIER),
        (True, DEFAULT_OFFLINE_MULTIPLIER),
        ("3", DEFAULT_OFFLINE_MULTIPLIER),
        (None, DEFAULT_OFFLINE_MULTIPLIER),
    ],
)
def test_an_absurd_offline_multiplier_is_bounded(stored: Any, used: float) -> None:
    assert offline_multiplier(stored) == used
