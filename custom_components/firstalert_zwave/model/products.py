"""Which Z-Wave nodes are First Alert / BRK smoke or CO detectors, and how they report.

A node is a detector when it is made by BRK Brands (manufacturer 312) *and* can report smoke or
CO: it has a Smoke or CO "Sensor status" notification value, or it is one of the legacy
products below that report with V1 Alarm frames and has those values. Manufacturer 312 alone is
not enough (BRK also makes locks and other products), and a node whose values are not known
yet (interview not finished) is checked again when they appear.

The product table (node-zwave-js device configs for 0x0138) says how a known detector
reports: legacy ZSMOKE/ZCOMBO send V1 Alarm frames that zwave-js maps to notifications
(``compat.alarmMapping``); the others send Notification reports. Products of 312 that are
not in the table but report smoke or CO are detectors read by their notification values only.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Final

from .codes import SENSORS, V1_HALVES, Variable

BRK_MANUFACTURER_ID: Final = 312


@dataclass(frozen=True, slots=True)
class Product:
    """A known First Alert / BRK detector model."""

    model: str
    description: str
    legacy_frames: bool
    co: bool


ZSMOKE: Final = Product("ZSMOKE", "Smoke Alarm", legacy_frames=True, co=False)
ZCOMBO: Final = Product(
    "ZCOMBO", "Smoke and Carbon Monoxide Alarm", legacy_frames=True, co=True
)
ZCOMBO_G: Final = Product(
    "ZCOMBO-G", "ZCombo-G Smoke/CO Alarm", legacy_frames=False, co=True
)
SMCO400: Final = Product(
    "SMCO400", "Smoke & Carbon Monoxide Alarm", legacy_frames=False, co=True
)

# (product type, product id) of manufacturer 312.
PRODUCTS: Final[dict[tuple[int, int], Product]] = {
    (0x0001, 0x0001): ZSMOKE,
    (0x0001, 0x0002): ZCOMBO,
    (0x000C, 0x0001): ZCOMBO,
    (0x0001, 0x0003): ZCOMBO_G,
    (0x0001, 0x0058): SMCO400,
}


def product(manufacturer_id: int, product_type: int, product_id: int) -> Product | None:
    """Return the known product, or None for anything not in the table."""
    if manufacturer_id != BRK_MANUFACTURER_ID:
        return None
    return PRODUCTS.get((product_type, product_id))


def is_detector(
    manufacturer_id: int,
    product_type: int,
    product_id: int,
    variables: Collection[Variable],
) -> bool:
    """Return whether a node with these ids and values is a smoke/CO detector."""
    if manufacturer_id != BRK_MANUFACTURER_ID:
        return False
    if any(variable in SENSORS for variable in variables):
        return True
    known = product(manufacturer_id, product_type, product_id)
    return (
        known is not None
        and known.legacy_frames
        and all(half in variables for half in V1_HALVES)
    )
