"""The Venstar thermostat emulator: an aiohttp server speaking the local API.

It answers the five reads and two writes of the real device, applies the firmware's write
rules, checks Digest auth and the screen-lock PIN, records every request, measures overlapping
requests and injects faults. Time is virtual (see `advance`), so tests are deterministic.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
import contextlib
import ssl
from typing import Any, Concatenate, Self

from aiohttp import web

from . import tls
from .auth import DigestAuthority
from .control_api import Controlled, add_control_routes
from .device import Device
from .device_api import add_device_routes, root_body
from .faults import Faults
from .pipeline import RequestPipeline
from .profiles import CAPTURE_EPOCH, get_profile
from .recording import RecordedRequest, RequestLog
from .ssdp import Advertisement, SSDPResponder, send_notify, start_responder
from .state import Alert, DeviceState, RuntimeDay, Sensor

TICK_INTERVAL = 1.0  # real seconds between auto-tick steps
# Real seconds a device takes per answer. 0 by default: a sleep on the loop clock would hang
# tests that freeze time; the pipeline's yields already let overlapping requests meet.
DEFAULT_SERVICE_TIME = 0.0


def _on_device[**P, R](
    method: Callable[Concatenate[Device, P], R],
) -> Callable[Concatenate[VenstarEmulator, P], R]:
    """Return `method` of the emulator's device as a method of the emulator."""

    def on_device(emu: VenstarEmulator, /, *args: P.args, **kwargs: P.kwargs) -> R:
        return method(emu.device, *args, **kwargs)

    on_device.__name__ = method.__name__
    on_device.__doc__ = method.__doc__
    return on_device


class VenstarEmulator:
    """One emulated thermostat served over HTTP(S) on loopback."""

    def __init__(
        self,
        profile: str = "colortouch",
        *,
        https: bool = False,
        username: str | None = None,
        password: str | None = None,
        pin: str | None = None,
        mac: str = "00:23:a7:3a:b2:72",
        name: str | None = None,
        time_scale: float = 1.0,
        auto_tick: bool = False,
        clock: Callable[[], float] | None = None,
        celsius: bool = False,
        digest_algorithms: tuple[str, ...] = ("MD5",),
        service_time: float = DEFAULT_SERVICE_TIME,
    ) -> None:
        """Build the device; nothing listens until `start`.

        `clock` returns epoch seconds the device follows (e.g. `time.time`); without it the
        device runs on a virtual clock starting at the capture time of the ColorTouch data.
        """
        self.profile = get_profile(profile)
        if (https or username is not None) and not self.profile.supports_auth:
            raise ValueError(f"profile {profile!r} supports neither HTTPS nor auth")
        if (username is None) != (password is None):
            raise ValueError("username and password go together")
        if username is not None and not https:
            # As on the thermostat: authentication can only be enabled with HTTPS.
            raise ValueError("a username and password need https=True")
        if pin is not None and not (len(pin) == 4 and pin.isdigit()):
            raise ValueError("pin must be 4 digits, e.g. '0042'")
        if time_scale <= 0:
            raise ValueError("time_scale must be positive")
        if service_time < 0:
            raise ValueError("service_time must not be negative")
        self.https = https
        self.pin = pin
        self.mac = mac
        self.time_scale = time_scale
        self.service_time = service_time
        self.auto_tick = auto_tick
        self._clock = clock
        self._offset = 0.0
        self.device = Device(self.profile, now=self.now(), name=name)
        if celsius:
            self.device.set_units(1)
        self.digest: DigestAuthority | None = (
            DigestAuthority(username, password, digest_algorithms)
            if username is not None and password is not None
            else None
        )
        self.faults = Faults()
        self.log = RequestLog()
        self._identity: dict[str, str] = {}
        # Who this device is for its certificate (a rename later keeps the certificate).
        self._own_name = self.device.state.name
        self._stopping = asyncio.Event()
        self.pipeline = RequestPipeline(
            faults=self.faults,
            log=self.log,
            identity=lambda: self._identity,
            digest=self.digest,
            service_time=service_time,
            catch_up=self.catch_up,
            stopping=self._stopping,
        )
        self._runner: web.AppRunner | None = None
        self._site: web.TCPSite | None = None
        self._ssl_context: ssl.SSLContext | None = None
        self._ticker: asyncio.Task[None] | None = None
        self._handshake_filter: tls.HandshakeNoiseFilter | None = None
        self._ssdp: tuple[asyncio.DatagramTransport, SSDPResponder] | None = None
        self.ssdp_port: int | None = None
        self.host = "127.0.0.1"
        self.port = 0

    # ----- device access ---------------------------------------------------------------
    @property
    def requests(self) -> list[RecordedRequest]:
        """Requests served so far, oldest first (the newest 20 000)."""
        return self.log.requests

    @property
    def max_concurrent_requests(self) -> int:
        """The most requests ever served at once."""
        return self.log.max_concurrent

    @property
    def state(self) -> DeviceState:
        """Mutable info fields (tests may edit them)."""
        return self.device.state

    @property
    def sensors(self) -> list[Sensor]:
        """Mutable sensor list."""
        return self.device.sensors

    @property
    def alerts(self) -> list[Alert]:
        """Mutable alert list."""
        return self.device.alerts

    @property
    def runtimes(self) -> list[RuntimeDay]:
        """Mutable runtime days (last = today so far)."""
        return self.device.runtimes

    @property
    def heat_rate(self) -> float:
        """Degrees (display units) per hour the space warms while heating."""
        return self.device.heat_rate

    @heat_rate.setter
    def heat_rate(self, value: float) -> None:
        self.device.heat_rate = value

    @property
    def cool_rate(self) -> float:
        """Degrees (display units) per hour the space cools while cooling."""
        return self.device.cool_rate

    @cool_rate.setter
    def cool_rate(self, value: float) -> None:
        self.device.cool_rate = value

    @property
    def drift_rate(self) -> float:
        """Degrees per hour the space drifts toward the outdoor temperature while idle."""
        return self.device.drift_rate

    @drift_rate.setter
    def drift_rate(self, value: float) -> None:
        self.device.drift_rate = value

    @property
    def outdoor_temp(self) -> float:
        """Outdoor temperature (display units) the idle space drifts toward."""
        return self.device.outdoor_temp

    @outdoor_temp.setter
    def outdoor_temp(self, value: float) -> None:
        self.device.outdoor_temp = value

    # Editing sensors and alerts is the device's; these keep the emulator's documented API.
    add_remote_sensor = _on_device(Device.add_remote_sensor)
    remove_sensor = _on_device(Device.remove_sensor)
    set_alert = _on_device(Device.set_alert)

    # ----- time ------------------------------------------------------------------------
    def now(self) -> float:
        """Return the current device time, epoch seconds."""
        base = self._clock() if self._clock is not None else float(CAPTURE_EPOCH)
        return base + self._offset

    def advance(self, seconds: float) -> None:
        """Move device time forward, running the thermal model and runtimes."""
        if seconds < 0:
            raise ValueError("time only moves forward")
        self._offset += seconds
        self.device.advance_to(self.now())

    def catch_up(self) -> None:
        """Run the model up to the current device time (an external clock may have moved)."""
        self.device.advance_to(self.now())

    async def _tick_forever(self) -> None:
        # With an external clock, real time already moves the device; only the extra
        # (time_scale - 1) is added, so the device runs time_scale times faster either way.
        extra = self.time_scale if self._clock is None else self.time_scale - 1.0
        while True:
            await asyncio.sleep(TICK_INTERVAL)
            self.advance(max(0.0, TICK_INTERVAL * extra))

    # ----- identity --------------------------------------------------------------------
    @property
    def identity(self) -> dict[str, str]:
        """Name, model and/or firmware of another device answering here ({}: this one)."""
        return self._identity

    @identity.setter
    def identity(self, identity: Mapping[str, str]) -> None:
        self.switch_identity(identity)

    def switch_identity(
        self, identity: Mapping[str, str], *, spare: object | None = None
    ) -> None:
        """Let another device answer at this address (or this one again, with {}).

        As when an address changes hands (or a firmware update restarts the device), the
        connections clients kept alive end: a device that takes over an address has no part
        in them. `spare` (the control request's own connection) is left open. Over HTTPS
        the device answering presents its own certificate from now on.
        """
        self._identity = dict(identity)
        self.drop_connections(spare=spare)
        if self._ssl_context is not None:
            tls.load_certificate(self._ssl_context, self._certificate_owner())

    def drop_connections(self, *, spare: object | None = None) -> None:
        """Close every client connection (requests in flight included) except `spare`."""
        server = self._runner.server if self._runner is not None else None
        for connection in server.connections if server is not None else ():
            if connection is not spare:
                connection.force_close()

    def _certificate_owner(self) -> str:
        """Name the device whose certificate is presented: MAC, name and model answering."""
        name = self._identity.get("name", self._own_name)
        model = self._identity.get("model", str(self.profile.root.get("model", "")))
        return f"{self.mac}/{name}/{model}"

    @property
    def base_url(self) -> str:
        """Base URL of the local API, as SSDP's Location header gives it."""
        scheme = "https" if self.https else "http"
        return f"{scheme}://{self.host}:{self.port}/"

    @property
    def certificate_fingerprint(self) -> str | None:
        """SHA-256 (hex) of the self-signed certificate, when serving HTTPS."""
        if not self.https:
            return None
        return tls.certificate_fingerprint(self._certificate_owner())

    def root_body(self, identity: Mapping[str, str]) -> dict[str, Any]:
        """Body of `GET /`, with a switched identity applied."""
        return root_body(self.profile, identity)

    def advertisement(self) -> Advertisement:
        """Describe what SSDP announces for this thermostat right now."""
        return Advertisement(
            location=self.base_url,
            mac=self.mac,
            name=self.identity.get("name", self.state.name),
            type=str(self.profile.root["type"]),
        )

    async def start_ssdp(self, host: str = "127.0.0.1", port: int = 0) -> int:
        """Answer SSDP M-SEARCH on a loopback UDP port (0 = free port); returns the port."""
        if self._ssdp is not None:
            raise RuntimeError("SSDP responder already started")
        transport, protocol = await start_responder(self.advertisement, host, port)
        self._ssdp = (transport, protocol)
        self.ssdp_port = int(transport.get_extra_info("sockname")[1])
        return self.ssdp_port

    async def send_ssdp_notify(self, port: int, host: str = "127.0.0.1") -> None:
        """Send the periodic `NOTIFY ssdp:alive` (both forms) to a loopback listener."""
        await send_notify(self.advertisement(), host, port)

    # ----- lifecycle -------------------------------------------------------------------
    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        """Listen on host:port (port 0 picks a free port)."""
        if self._runner is not None:
            raise RuntimeError("emulator already started")
        self._stopping.clear()
        app = web.Application(middlewares=[self.pipeline.middleware])
        add_device_routes(app, self.device, pin=self.pin)
        add_control_routes(
            app,
            Controlled(
                device=self.device,
                faults=self.faults,
                log=self.log,
                dump=self.dump,
                advance=self.advance,
                switch_identity=lambda identity, spare: self.switch_identity(
                    identity, spare=spare
                ),
            ),
        )
        runner = web.AppRunner(app, handle_signals=False, access_log=None)
        await runner.setup()
        ssl_context: ssl.SSLContext | None = None
        if self.https:
            ssl_context = tls.server_ssl_context(self._certificate_owner())
            self._handshake_filter = tls.HandshakeNoiseFilter(
                asyncio.get_running_loop()
            )
        site = web.TCPSite(runner, host, port, ssl_context=ssl_context)
        await site.start()
        self._runner, self._site, self._ssl_context = runner, site, ssl_context
        self.host = host
        self.port = int(runner.addresses[0][1])
        if self.auto_tick:
            self._ticker = asyncio.create_task(self._tick_forever())

    async def stop(self) -> None:
        """Stop listening and end hanging requests; safe to call twice."""
        self._stopping.set()
        if self._ssdp is not None:
            self._ssdp[0].close()
            self._ssdp = None
            self.ssdp_port = None
        if self._ticker is not None:
            self._ticker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._ticker
            self._ticker = None
        if self._runner is not None:
            runner, self._runner, self._site = self._runner, None, None
            self._ssl_context = None
            await runner.cleanup()
        if self._handshake_filter is not None:
            self._handshake_filter.remove()
            self._handshake_filter = None

    async def __aenter__(self) -> Self:
        """Start on a free loopback port."""
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        """Stop."""
        await self.stop()

    def dump(self) -> dict[str, Any]:
        """Everything the device would answer, plus emulator facts (control endpoint)."""
        self.catch_up()
        return {
            "profile": self.profile.key,
            "now": self.now(),
            "root": self.root_body(self.identity),
            "info": self.device.info_body(),
            "sensors": self.device.sensors_body()["sensors"],
            "alerts": self.device.alerts_body()["alerts"],
            "runtimes": self.device.runtimes_body()["runtimes"],
            "faults": [fault.as_dict() for fault in self.faults.active],
            "identity": dict(self.identity),
            "rates": {
                "heat_rate": self.heat_rate,
                "cool_rate": self.cool_rate,
                "drift_rate": self.drift_rate,
                "outdoor_temp": self.outdoor_temp,
            },
            "requests": len(self.requests),
            "max_concurrent_requests": self.max_concurrent_requests,
        }
