"""Routes of the real local API: the five reads and the two form-encoded writes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from aiohttp import web

from . import errors
from .responses import json_answer
from .rules import apply_control, apply_settings, failure

if TYPE_CHECKING:
    from .emulator import VenstarEmulator

# Request keys the pipeline fills in before a route runs.
FORM_KEY = "venstar_form"
IDENTITY_KEY = "venstar_identity"


def add_device_routes(app: web.Application, emu: VenstarEmulator) -> None:
    """Register `/`, `/query/*`, `GET/POST /settings` and `POST /control`."""

    def pin_refusal(request: web.Request) -> web.Response | None:
        # The screen-lock PIN guards writes; it may come in the form or the query string.
        if emu.pin is None:
            return None
        form: Mapping[str, str] = request[FORM_KEY]
        if form.get("pin", request.query.get("pin")) != emu.pin:
            return json_answer(failure(errors.INVALID_PIN))
        return None

    async def get_root(request: web.Request) -> web.Response:
        return json_answer(emu.root_body(request[IDENTITY_KEY]))

    async def get_info(request: web.Request) -> web.Response:
        body = emu.device.info_body()
        identity: Mapping[str, str] = request[IDENTITY_KEY]
        if "name" in identity:
            body["name"] = identity["name"]
        return json_answer(body)

    async def get_sensors(request: web.Request) -> web.Response:
        return json_answer(emu.device.sensors_body())

    async def get_runtimes(request: web.Request) -> web.Response:
        return json_answer(emu.device.runtimes_body())

    async def get_alerts(request: web.Request) -> web.Response:
        return json_answer(emu.device.alerts_body())

    async def get_setting(request: web.Request) -> web.Response:
        key = request.query.get("q", "")
        info = emu.device.info_body()
        if key not in info or key == "name":
            return json_answer(failure(errors.unknown_parameter(key)))
        return json_answer({key: info[key]})

    async def post_control(request: web.Request) -> web.Response:
        if (refusal := pin_refusal(request)) is not None:
            return refusal
        return json_answer(apply_control(emu.device, request[FORM_KEY]))

    async def post_settings(request: web.Request) -> web.Response:
        if (refusal := pin_refusal(request)) is not None:
            return refusal
        return json_answer(apply_settings(emu.device, request[FORM_KEY]))

    router = app.router
    router.add_get("/", get_root)
    router.add_get("/query/info", get_info)
    router.add_get("/query/sensors", get_sensors)
    router.add_get("/query/runtimes", get_runtimes)
    router.add_get("/query/alerts", get_alerts)
    router.add_get("/settings", get_setting)
    router.add_post("/control", post_control)
    router.add_post("/settings", post_settings)
