"""Routes of the real local API: the five reads and the two form-encoded writes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aiohttp import web

from . import errors, firmware
from .device import Device
from .profiles import Profile
from .responses import json_answer
from .rules import apply_control, apply_settings, failure
from .units import CELSIUS, FAHRENHEIT, convert, round_to_display

# Request keys the pipeline fills in before a route runs.
FORM_KEY = "venstar_form"
IDENTITY_KEY = "venstar_identity"


def root_body(profile: Profile, identity: Mapping[str, str]) -> dict[str, Any]:
    """Body of `GET /`, with a switched identity applied."""
    body = dict(profile.root)
    for key in ("model", "firmware"):
        if key in identity:
            body[key] = identity[key]
    return body


def add_device_routes(app: web.Application, device: Device, *, pin: str | None) -> None:
    """Register `/`, `/query/*`, `GET/POST /settings` and `POST /control` of `device`.

    `pin` is the screen-lock PIN that guards writes (None: no lock).
    """

    def pin_refusal(request: web.Request) -> web.Response | None:
        # The screen-lock PIN guards writes; it may come in the form or the query string.
        if pin is None:
            return None
        form: Mapping[str, str] = request[FORM_KEY]
        if form.get("pin", request.query.get("pin")) != pin:
            return json_answer(failure(errors.INVALID_PIN))
        return None

    def root(request: web.Request) -> dict[str, object]:
        return root_body(device.profile, request[IDENTITY_KEY])

    def info_body(request: web.Request) -> dict[str, object]:
        answering = root(request)
        body = device.info_body(
            api_celsius=firmware.api_celsius(answering),
            fan_swapped=firmware.fan_swapped(answering),
        )
        identity: Mapping[str, str] = request[IDENTITY_KEY]
        if "name" in identity:
            body["name"] = identity["name"]
        return body

    def in_display_units(request: web.Request) -> Mapping[str, str]:
        """Return the form with setpoints a °C-only firmware reads as °C turned into °F."""
        form: Mapping[str, str] = request[FORM_KEY]
        if not firmware.api_celsius(root(request)) or device.state.tempunits == CELSIUS:
            return form
        converted = dict(form)
        for key in ("heattemp", "cooltemp"):
            try:
                value = float(form[key])
            except (KeyError, ValueError):
                continue
            fahrenheit = convert(value, CELSIUS, FAHRENHEIT)
            converted[key] = f"{round_to_display(fahrenheit, FAHRENHEIT):g}"
        return converted

    async def get_root(request: web.Request) -> web.Response:
        return json_answer(root(request))

    async def get_info(request: web.Request) -> web.Response:
        return json_answer(info_body(request))

    async def get_sensors(request: web.Request) -> web.Response:
        return json_answer(
            device.sensors_body(api_celsius=firmware.api_celsius(root(request)))
        )

    async def get_runtimes(request: web.Request) -> web.Response:
        return json_answer(device.runtimes_body())

    async def get_alerts(request: web.Request) -> web.Response:
        return json_answer(device.alerts_body())

    async def get_setting(request: web.Request) -> web.Response:
        key = request.query.get("q", "")
        info = info_body(request)
        if key not in info or key == "name":
            return json_answer(failure(errors.unknown_parameter(key)))
        return json_answer({key: info[key]})

    async def post_control(request: web.Request) -> web.Response:
        if (refusal := pin_refusal(request)) is not None:
            return refusal
        return json_answer(apply_control(device, in_display_units(request)))

    async def post_settings(request: web.Request) -> web.Response:
        if (refusal := pin_refusal(request)) is not None:
            return refusal
        return json_answer(apply_settings(device, request[FORM_KEY]))

    router = app.router
    router.add_get("/", get_root)
    router.add_get("/query/info", get_info)
    router.add_get("/query/sensors", get_sensors)
    router.add_get("/query/runtimes", get_runtimes)
    router.add_get("/query/alerts", get_alerts)
    router.add_get("/settings", get_setting)
    router.add_post("/control", post_control)
    router.add_post("/settings", post_settings)
