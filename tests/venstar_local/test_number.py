"""The dehumidify setpoint against the emulator."""

from __future__ import annotations

from homeassistant.components.number import DOMAIN as NUMBER_DOMAIN
from homeassistant.const import ATTR_ENTITY_ID, Platform
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from emulators.venstar import VenstarEmulator

from .conftest import SnapshotEntities

DEHUMIDIFY = "number.colortouch_dehumidify_setpoint"


async def _set(hass: HomeAssistant, value: float) -> None:
    await hass.services.async_call(
        NUMBER_DOMAIN,
        "set_value",
        {ATTR_ENTITY_ID: DEHUMIDIFY, "value": value},
        blocking=True,
    )


async def test_set_dehumidify_setpoint(
    hass: HomeAssistant, emulator: VenstarEmulator, init_integration: MockConfigEntry
) -> None:
    assert hass.states.get(DEHUMIDIFY).state == "99"
    await _set(hass, 55)
    assert emulator.state.dehum_setpoint == 55
    assert emulator.state.hum_setpoint == 30
    assert hass.states.get(DEHUMIDIFY).state == "55"


async def test_too_close_to_humidify_setpoint_refused(
    hass: HomeAssistant, emulator: VenstarEmulator, init_integration: MockConfigEntry
) -> None:
    with pytest.raises(ServiceValidationError) as err:
        await _set(hass, 31)
    assert err.value.translation_key == "rejected_humidity_separation"
    assert emulator.state.dehum_setpoint == 99


@pytest.mark.parametrize("profile", ["t2000"])
async def test_absent_without_humidity(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    assert hass.states.async_entity_ids(NUMBER_DOMAIN) == []


@pytest.mark.usefixtures("enable_all_entities")
@pytest.mark.parametrize("profile", ["colortouch", "t5900", "commercial"])
async def test_entities(snapshot_entities: SnapshotEntities) -> None:
    # Models without humidity have no number entity (see test_absent_without_humidity).
    await snapshot_entities(Platform.NUMBER)
