"""JSON control endpoint under `/_emulator/` for demos and end-to-end tests.

It edits the emulated device from outside the local API (state, alerts, sensors, faults,
virtual time, identity). It is not part of the real device and bypasses auth, PIN, faults and
the request record. Bad input answers HTTP 400 with `{"error": "..."}`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import fields
from typing import TYPE_CHECKING, Any

from aiohttp import web

from .faults import FaultKind
from .state import DeviceState

if TYPE_CHECKING:
    from .emulator import VenstarEmulator

_STATE_FIELDS = {f.name for f in fields(DeviceState)}

type ControlHandler = Callable[[web.Request], Awaitable[dict[str, Any]]]


class ControlError(Exception):
    """Bad input to the control endpoint (answered with HTTP 400)."""


async def _json_object(request: web.Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except ValueError as err:
        raise ControlError("body must be JSON") from err
    if not isinstance(body, dict):
        raise ControlError("body must be a JSON object")
    return body


def _number(body: dict[str, Any], key: str) -> float:
    value = body.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ControlError(f"{key} must be a number")
    return float(value)


def _optional_str(body: dict[str, Any], key: str) -> str | None:
    value = body.get(key)
    if value is not None and not isinstance(value, str):
        raise ControlError(f"{key} must be a string")
    return value


def _optional_int(body: dict[str, Any], key: str) -> int | None:
    value = body.get(key)
    if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
        raise ControlError(f"{key} must be an integer")
    return value


def add_control_routes(app: web.Application, emu: VenstarEmulator) -> None:
    """Register every `/_emulator/` route for one emulator."""

    def guarded(
        handler: ControlHandler,
    ) -> Callable[[web.Request], Awaitable[web.Response]]:
        async def wrapper(request: web.Request) -> web.Response:
            try:
                result = await handler(request)
            except (ControlError, ValueError, TypeError) as err:
                return web.json_response({"error": str(err)}, status=400)
            return web.json_response(result)

        return wrapper

    async def get_state(request: web.Request) -> dict[str, Any]:
        return emu.dump()

    async def post_state(request: web.Request) -> dict[str, Any]:
        body = await _json_object(request)
        for key, value in body.items():
            if key not in _STATE_FIELDS:
                raise ControlError(f"unknown state field {key}")
            if key == "name":
                if not isinstance(value, str):
                    raise ControlError("name must be a string")
            elif isinstance(value, bool) or not isinstance(value, int | float):
                raise ControlError(f"{key} must be a number")
        for key, value in body.items():
            if key == "tempunits":
                emu.device.set_units(int(value))
            else:
                setattr(emu.state, key, value)
        return emu.dump()

    async def post_alert(request: web.Request) -> dict[str, Any]:
        body = await _json_object(request)
        name = _optional_str(body, "name")
        active = body.get("active")
        if not name or not isinstance(active, bool):
            raise ControlError("need name (string) and active (boolean)")
        emu.set_alert(name, active)
        return emu.dump()

    async def post_sensor(request: web.Request) -> dict[str, Any]:
        body = await _json_object(request)
        name = _optional_str(body, "name")
        if not name:
            raise ControlError("need name")
        emu.add_remote_sensor(
            int(_number(body, "id")),
            name,
            _number(body, "temp"),
            battery=int(body.get("battery", 100)),
            type=str(body.get("type", "Remote")),
        )
        return emu.dump()

    async def delete_sensor(request: web.Request) -> dict[str, Any]:
        name = request.match_info["name"]
        if not emu.remove_sensor(name):
            raise ControlError(f"no sensor named {name}")
        return emu.dump()

    async def get_faults(request: web.Request) -> dict[str, Any]:
        return {"faults": [fault.as_dict() for fault in emu.faults.active]}

    async def post_fault(request: web.Request) -> dict[str, Any]:
        body = await _json_object(request)
        count = body.get("count")
        if count is not None and (
            isinstance(count, bool) or not isinstance(count, int)
        ):
            raise ControlError("count must be an integer or null")
        fault = emu.faults.add(
            FaultKind(str(body.get("kind"))),
            count=count,
            path=_optional_str(body, "path"),
            delay=_number(body, "delay") if "delay" in body else 0.0,
            busy_response=str(body.get("busy_response", "503")),
            name=_optional_str(body, "name"),
            model=_optional_str(body, "model"),
            firmware=_optional_str(body, "firmware"),
            field=_optional_str(body, "field"),
            value=_optional_str(body, "value"),
            index=_optional_int(body, "index"),
        )
        return {"fault": fault.as_dict()}

    async def delete_faults(request: web.Request) -> dict[str, Any]:
        kind = request.query.get("kind")
        emu.faults.clear(FaultKind(kind) if kind else None)
        return {"faults": [fault.as_dict() for fault in emu.faults.active]}

    async def post_advance(request: web.Request) -> dict[str, Any]:
        body = await _json_object(request)
        emu.advance(_number(body, "seconds"))
        return emu.dump()

    async def post_identity(request: web.Request) -> dict[str, Any]:
        body = await _json_object(request)
        identity = {}
        for key in ("name", "model", "firmware"):
            value = _optional_str(body, key)
            if value is not None:
                identity[key] = value
        if not identity:
            raise ControlError("need at least one of name, model, firmware")
        emu.switch_identity(identity, spare=request.protocol)
        return emu.dump()

    async def delete_identity(request: web.Request) -> dict[str, Any]:
        emu.switch_identity({}, spare=request.protocol)
        return emu.dump()

    async def post_rates(request: web.Request) -> dict[str, Any]:
        body = await _json_object(request)
        for key in ("heat_rate", "cool_rate", "drift_rate", "outdoor_temp"):
            if key in body:
                setattr(emu, key, _number(body, key))
        return emu.dump()

    async def get_requests(request: web.Request) -> dict[str, Any]:
        return {
            "requests": [
                {
                    "method": r.method,
                    "path": r.path,
                    "query": r.query,
                    "form": r.form,
                    "status": r.status,
                    # Event-loop (monotonic) times of arrival and of the written answer.
                    "start": r.start,
                    "end": r.end,
                    "connection": r.connection,
                }
                for r in emu.requests
            ],
            "max_concurrent_requests": emu.max_concurrent_requests,
        }

    async def delete_requests(request: web.Request) -> dict[str, Any]:
        emu.requests.clear()
        emu.max_concurrent_requests = 0
        return {"requests": []}

    prefix = "/_emulator"
    router = app.router
    router.add_get(f"{prefix}/state", guarded(get_state))
    router.add_post(f"{prefix}/state", guarded(post_state))
    router.add_post(f"{prefix}/alerts", guarded(post_alert))
    router.add_post(f"{prefix}/sensors", guarded(post_sensor))
    router.add_delete(f"{prefix}/sensors/{{name}}", guarded(delete_sensor))
    router.add_get(f"{prefix}/faults", guarded(get_faults))
    router.add_post(f"{prefix}/faults", guarded(post_fault))
    router.add_delete(f"{prefix}/faults", guarded(delete_faults))
    router.add_post(f"{prefix}/advance", guarded(post_advance))
    router.add_post(f"{prefix}/identity", guarded(post_identity))
    router.add_delete(f"{prefix}/identity", guarded(delete_identity))
    router.add_post(f"{prefix}/rates", guarded(post_rates))
    router.add_get(f"{prefix}/requests", guarded(get_requests))
    router.add_delete(f"{prefix}/requests", guarded(delete_requests))
