"""Which nodes are detectors: BRK products that can report smoke or CO."""

from __future__ import annotations

from custom_components.firstalert_zwave.model import Variable, is_detector, product
from custom_components.firstalert_zwave.model.products import PRODUCTS

SENSORS = {Variable.SMOKE_SENSOR, Variable.BATTERY_LEVEL}
V1 = {Variable.ALARM_TYPE, Variable.ALARM_LEVEL}


def test_every_first_alert_product_of_the_device_configs_is_known() -> None:
    assert {(key, known.model) for key, known in PRODUCTS.items()} == {
        ((1, 1), "ZSMOKE"),
        ((1, 2), "ZCOMBO"),
        ((12, 1), "ZCOMBO"),
        ((1, 3), "ZCOMBO-G"),
        ((1, 88), "SMCO400"),
    }
    legacy = product(312, 1, 2)
    assert legacy is not None
    assert legacy.legacy_frames
    zcombo_g = product(312, 1, 3)
    assert zcombo_g is not None
    assert not zcombo_g.legacy_frames
    assert product(134, 1, 3) is None


def test_a_known_detector_with_smoke_or_co_values_is_a_detector() -> None:
    assert is_detector(312, 1, 3, SENSORS)
    assert is_detector(312, 1, 3, {Variable.CO_SENSOR})


def test_a_known_detector_without_values_yet_is_not_one_yet() -> None:
    assert not is_detector(312, 1, 3, set())
    assert not is_detector(312, 1, 3, {Variable.BATTERY_LEVEL})


def test_a_brk_lock_is_not_a_detector() -> None:
    assert not is_detector(312, 3, 7, {Variable.BATTERY_LEVEL, Variable.BATTERY_LOW})
    # V1 alarm values alone make only a known legacy detector: a lock reports alarms too.
    assert not is_detector(312, 3, 7, V1)


def test_an_unknown_brk_product_that_reports_smoke_is_a_detector() -> None:
    assert is_detector(312, 1, 99, {Variable.SMOKE_SENSOR})
    assert product(312, 1, 99) is None


def test_a_legacy_detector_is_recognised_by_its_alarm_frames() -> None:
    assert is_detector(312, 1, 2, V1)
    assert not is_detector(312, 1, 3, V1)  # the ZCOMBO-G reports notifications


def test_smoke_values_of_another_manufacturer_are_not_a_first_alert_detector() -> None:
    assert not is_detector(134, 1, 3, SENSORS)
