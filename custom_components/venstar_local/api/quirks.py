"""Which firmware defects apply to a thermostat, decided from ``GET /`` alone.

The client reads ``GET /`` once per client before the first ``/query/info`` and derives the
quirks from model and firmware, so no user setting is needed; a caller that knows better
can pass ``quirks=`` to the client to override detection. The rules:

* ``ALWAYS_CELSIUS`` — T2xxx/T3xxx (``T2000``, ``T3800``, ``VYG-3800``, …) firmware below 5.28
  reports temperatures in °C whatever ``tempunits`` says (fixed in 5.28). A three-part
  firmware is a Wi-Fi module's version and says nothing about the thermostat's, so it never
  triggers this.
* ``UNIT_BY_LIMITS`` is not a flag: when the model is unknown (API 3 roots, some API 5 units)
  the unit is inferred from ``heattempmax`` (≥ 40 means °F) — see `parsers.parse_info`.
* ``FAN_SWAPPED`` — T2000 firmware 5.28 exchanges ``fan`` and ``fanstate``.
* ``STATE_SWAPPED`` — Voyager (``VYG-…``) behind an ACCVWF1 Wi-Fi module: the root then
  reports the module's three-part firmware; module firmware 2.22.19 exchanges heating and
  cooling in ``state``.
* ``HUMIDITY_MISLABELLED`` — residential API 5 units without a model key (T5900 firmware
  4.08): the room humidity arrives in ``hum_setpoint`` (``hum`` stays 0), the humidify
  setpoint in ``dehum_setpoint`` and the dehumidify setpoint in ``hum_active``.
  Commercial API 5 units are not affected.

A firmware update changes the answer; `quirks_contradicted` tells when an info body cannot
be what the assumed defects say (so the client reads ``GET /`` again at once).
"""

from __future__ import annotations

import re

from .enums import DeviceType, Quirk
from .models import ApiInfo

UNIT_FIX_FIRMWARE = (5, 28)
# No Celsius heat limit reaches this: a body with such a limit is in °F.
_FAHRENHEIT_ONLY_LIMIT = 40.0
_T2_T3_MODEL = re.compile(r"^(?:T|VYG-)[23]\d{3}", re.IGNORECASE)
_STATE_SWAP_MODULE_FIRMWARE = (2, 22, 19)


def detect_quirks(api_info: ApiInfo) -> Quirk:
    """Return the firmware defects that apply to the device described by `api_info`."""
    quirks = Quirk.NONE
    model = (api_info.model or "").upper()
    firmware = api_info.firmware
    if (
        _T2_T3_MODEL.match(model)
        and firmware is not None
        and firmware < UNIT_FIX_FIRMWARE
        and len(firmware) < 3
    ):
        quirks |= Quirk.ALWAYS_CELSIUS
    if model == "T2000" and firmware is not None and firmware[:2] == (5, 28):
        quirks |= Quirk.FAN_SWAPPED
    if model.startswith("VYG-") and firmware == _STATE_SWAP_MODULE_FIRMWARE:
        quirks |= Quirk.STATE_SWAPPED
    if (
        api_info.model is None
        and api_info.api_version == 5
        and api_info.device_type is DeviceType.RESIDENTIAL
    ):
        quirks |= Quirk.HUMIDITY_MISLABELLED
    return quirks


def quirks_contradicted(quirks: Quirk, info_body: object) -> bool:
    """Whether an info body cannot come from a device with these defects.

    ``ALWAYS_CELSIUS`` firmware reports °C; a heat limit of 40 or more can only be °F, which
    only fixed firmware sends - the thermostat was updated since ``GET /`` was read.
    """
    if Quirk.ALWAYS_CELSIUS not in quirks or not isinstance(info_body, dict):
        return False
    limit = info_body.get("heattempmax")
    return (
        isinstance(limit, int | float)
        and not isinstance(limit, bool)
        and limit >= _FAHRENHEIT_ONLY_LIMIT
    )
