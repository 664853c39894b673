"""JSON control endpoint under `/_emulator/` for demos and end-to-end tests.

It edits the emulated device from outside the local API (state, alerts, sensors, faults,
virtual time, identity). It is not part of the real device and bypasses auth, PIN, faults and
the request record. Bad input answers HTTP 400 with `{"error": "..."}`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, fields
from typing import Any

from aiohttp import web

from .device import Device
from .faults import FaultKind, Faults
from .recording import RequestLog
from .state import DeviceState

_STATE_FIELDS = {f.name for f in fields(DeviceState)}

type ControlHandler = Callable[[web.Request], Awaitable[dict[str, Any]]]
type Routes = list[tuple[str, str, ControlHandler]]
_RATES = ("heat_rate", "cool_rate", "drift_rate", "outdoor_temp")


@dataclass(frozen=True, slots=True)
class Controlled:
    """What the control endpoint edits.

    The device, its faults and request log, and the acts only the whole emulator can do:
    describe everything, move virtual time, let another device answer here.
    """

    device: Device
    faults: Faults
    log: RequestLog
    dump: Callable[[], dict[str, Any]]
    advance: Callable[[float], None]
    switch_identity: Callable[[Mapping[str, str], object], None]


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


def _guarded(
    handler: ControlHandler,
) -> Callable[[web.Request], Awaitable[web.Response]]:
    """Answer the handler's result as JSON, and bad input with HTTP 400."""

    async def wrapper(request: web.Request) -> web.Response:
        try:
            result = await handler(request)
        except (ControlError, ValueError, TypeError) as err:
            return web.json_response({"error": str(err)}, status=400)
        return web.json_response(result)

    return wrapper


def _state_routes(target: Controlled) -> Routes:
    """Read everything; edit info fields."""

    async def get_state(request: web.Request) -> dict[str, Any]:
        return target.dump()

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
                target.device.set_units(int(value))
            else:
                setattr(target.device.state, key, value)
        return target.dump()

    async def post_rates(request: web.Request) -> dict[str, Any]:
        body = await _json_object(request)
        for key in _RATES:
            if key in body:
                setattr(target.device, key, _number(body, key))
        return target.dump()

    return [
        ("GET", "state", get_state),
        ("POST", "state", post_state),
        ("POST", "rates", post_rates),
    ]


def _alert_and_sensor_routes(target: Controlled) -> Routes:
    """Raise and clear alerts; add and remove wireless sensors."""

    async def post_alert(request: web.Request) -> dict[str, Any]:
        body = await _json_object(request)
        name = _optional_str(body, "name")
        active = body.get("active")
        if not name or not isinstance(active, bool):
            raise ControlError("need name (string) and active (boolean)")
        target.device.set_alert(name, active)
        return target.dump()

    async def post_sensor(request: web.Request) -> dict[str, Any]:
        body = await _json_object(request)
        name = _optional_str(body, "name")
        if not name:
            raise ControlError("need name")
        target.device.add_remote_sensor(
            int(_number(body, "id")),
            name,
            _number(body, "temp"),
            battery=int(body.get("battery", 100)),
            type=str(body.get("type", "Remote")),
        )
        return target.dump()

    async def delete_sensor(request: web.Request) -> dict[str, Any]:
        name = request.match_info["name"]
        if not target.device.remove_sensor(name):
            raise ControlError(f"no sensor named {name}")
        return target.dump()

    return [
        ("POST", "alerts", post_alert),
        ("POST", "sensors", post_sensor),
        ("DELETE", "sensors/{name}", delete_sensor),
    ]


def _fault_routes(faults: Faults) -> Routes:
    """List, add and clear injected faults."""

    def listed() -> dict[str, Any]:
        return {"faults": [fault.as_dict() for fault in faults.active]}

    async def get_faults(request: web.Request) -> dict[str, Any]:
        return listed()

    async def post_fault(request: web.Request) -> dict[str, Any]:
        body = await _json_object(request)
        count = body.get("count")
        if count is not None and (
            isinstance(count, bool) or not isinstance(count, int)
        ):
            raise ControlError("count must be an integer or null")
        fault = faults.add(
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
        faults.clear(FaultKind(kind) if kind else None)
        return listed()

    return [
        ("GET", "faults", get_faults),
        ("POST", "faults", post_fault),
        ("DELETE", "faults", delete_faults),
    ]


def _time_and_identity_routes(target: Controlled) -> Routes:
    """Move virtual time; let another device answer here, or this one again."""

    async def post_advance(request: web.Request) -> dict[str, Any]:
        body = await _json_object(request)
        target.advance(_number(body, "seconds"))
        return target.dump()

    async def post_identity(request: web.Request) -> dict[str, Any]:
        body = await _json_object(request)
        identity = {}
        for key in ("name", "model", "firmware"):
            value = _optional_str(body, key)
            if value is not None:
                identity[key] = value
        if not identity:
            raise ControlError("need at least one of name, model, firmware")
        target.switch_identity(identity, request.protocol)
        return target.dump()

    async def delete_identity(request: web.Request) -> dict[str, Any]:
        target.switch_identity({}, request.protocol)
        return target.dump()

    return [
        ("POST", "advance", post_advance),
        ("POST", "identity", post_identity),
        ("DELETE", "identity", delete_identity),
    ]


def _request_routes(log: RequestLog) -> Routes:
    """List and forget the recorded requests."""

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
                for r in log.requests
            ],
            "max_concurrent_requests": log.max_concurrent,
        }

    async def delete_requests(request: web.Request) -> dict[str, Any]:
        log.clear()
        return {"requests": []}

    return [
        ("GET", "requests", get_requests),
        ("DELETE", "requests", delete_requests),
    ]


def add_control_routes(app: web.Application, target: Controlled) -> None:
    """Register every `/_emulator/` route for one emulator."""
    for method, path, handler in (
        *_state_routes(target),
        *_alert_and_sensor_routes(target),
        *_fault_routes(target.faults),
        *_time_and_identity_routes(target),
        *_request_routes(target.log),
    ):
        route = f"/_emulator/{path}"
        if method == "GET":
            app.router.add_get(route, _guarded(handler))
        else:
            app.router.add_route(method, route, _guarded(handler))
