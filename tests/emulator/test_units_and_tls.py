"""Unit conversion helpers and the TLS handshake-noise filter."""

from __future__ import annotations

import asyncio
import ssl
from typing import Any

from emulators.venstar import VenstarEmulator
from emulators.venstar.tls import HandshakeNoiseFilter
from emulators.venstar.units import (
    CELSIUS,
    FAHRENHEIT,
    convert,
    convert_delta,
    round_to_display,
)


def test_conversions() -> None:
    assert convert(212.0, FAHRENHEIT, CELSIUS) == 100.0
    assert convert(37.0, CELSIUS, CELSIUS) == 37.0
    assert convert_delta(9.0, FAHRENHEIT, CELSIUS) == 5.0
    assert convert_delta(5.0, CELSIUS, CELSIUS) == 5.0
    assert round_to_display(20.25, CELSIUS) == 20.5
    assert round_to_display(70.5, FAHRENHEIT) == 71.0


def test_setting_same_units_changes_nothing() -> None:
    emu = VenstarEmulator()
    emu.device.set_units(FAHRENHEIT)
    assert (emu.state.spacetemp, emu.heat_rate) == (71.0, 4.0)


def test_commercial_holiday_suspends_schedule() -> None:
    emu = VenstarEmulator("commercial")
    emu.state.schedule = 1
    emu.advance(60)
    assert emu.state.schedulepart == 1
    emu.state.holiday = 1
    emu.advance(60)
    assert emu.state.schedulepart == 255


async def test_filter_drops_only_incoming_handshake_noise() -> None:
    loop = asyncio.get_running_loop()
    seen: list[dict[str, Any]] = []
    previous = loop.get_exception_handler()
    loop.set_exception_handler(lambda _loop, context: seen.append(context))
    try:
        noise_filter = HandshakeNoiseFilter(loop)
        loop.call_exception_handler(
            {
                "message": "Error on transport creation for incoming connection",
                "exception": ssl.SSLError("certificate unknown"),
            }
        )
        other = {"message": "something else", "exception": RuntimeError("boom")}
        loop.call_exception_handler(other)
        noise_filter.remove()
        assert seen == [other]
    finally:
        loop.set_exception_handler(previous)


async def test_filter_without_previous_handler_uses_default(caplog: Any) -> None:
    loop = asyncio.get_running_loop()
    previous = loop.get_exception_handler()
    loop.set_exception_handler(None)
    try:
        noise_filter = HandshakeNoiseFilter(loop)
        loop.call_exception_handler({"message": "unrelated failure"})
        noise_filter.remove()
        assert loop.get_exception_handler() is None
    finally:
        loop.set_exception_handler(previous)
    assert "unrelated failure" in caplog.text
