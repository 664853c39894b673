"""The SMCO400 (0x0001:0x0058) on HA's real zwave_js: a detector read by its notification values.

No dump of an SMCO400 is public; its node-zwave-js config has no ``compat`` (so no
alarm mapping) and the same Lifeline and Supervision parameters as the ZCOMBO-G, so the
ZCOMBO-G's real dump with the SMCO400's product id and config stands in for it.
"""

from __future__ import annotations

import copy
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr

from tests.firstalert_zwave.common import detector_entity, household, state
from tests.firstalert_zwave.harness import (
    CO_SENSOR,
    HOME_ID,
    SMOKE_SENSOR,
    ZwaveNetwork,
    async_setup_firstalert,
    async_setup_zwave_js,
    zcombo_g_state,
)

HALL = "hall_alarm"


def smco400_state(node_id: int, *, name: str) -> dict[str, Any]:
    """Return an SMCO400 node: the ZCOMBO-G dump with the SMCO400's identity."""
    state = copy.deepcopy(zcombo_g_state(node_id, name=name, location="Hall"))
    state["productId"] = 0x0058
    state["label"] = "SMCO400"
    config = state["deviceConfig"]
    config.update(
        label="SMCO400",
        description="Smoke & Carbon Monoxide Alarm",
        manufacturer="BRK Brands, Inc.",
        devices=[{"productType": 1, "productId": 0x0058}],
    )
    return state


async def test_an_smco400_is_a_detector_whose_tests_and_silences_never_raise_an_alarm(
    hass: HomeAssistant, zwave_network: ZwaveNetwork
) -> None:
    zwave_network.add(smco400_state(6, name="Hall alarm"))
    await async_setup_zwave_js(hass, zwave_network)
    await async_setup_firstalert(hass)

    device = dr.async_get(hass).async_get_device(
        identifiers={("zwave_js", f"{HOME_ID}-6-312:1:88")}
    )
    assert device is not None
    assert device.model == "SMCO400"
    assert state(hass, detector_entity(HALL, "alarm_state")) == "idle"

    # Test button, silence, CO self-test with its result, end of life: no alarm.
    for report in ((1, 3), (1, 0, 3), (1, 6), (1, 0, 6), (2, 3, 1), (2, 5)):
        zwave_network.notification_report(6, *report)
        await hass.async_block_till_done()
        assert household(hass)[:2] == ("off", "off"), report
    assert state(hass, detector_entity(HALL, "alarm_state")) == "test"

    zwave_network.update(6, SMOKE_SENSOR, 2)
    zwave_network.update(6, CO_SENSOR, 2)
    await hass.async_block_till_done()
    assert household(hass) == ("on", "on", "smoke_and_co")
    assert state(hass, detector_entity(HALL, "alarm_state")) == "smoke"
