"""The async Venstar local API client.

One `VenstarClient` talks to one thermostat over an injected `aiohttp.ClientSession`.
Every public call holds the thermostat's lock for its whole duration - shared by all clients
for the same host and port (`device_lock`) - so the device never sees two requests from this
process at once and a command's write-read-back sequence is never interleaved with other
calls. The gap between requests is the model's (`pacing`), kept per device.

**Commands take two requests** - the write (``POST``) and the read-back (``GET /query/info``)
that confirms it - when they may be planned on `last_info` (see `commands` for the rules):

* the state is *fresh*: read less than `state_max_age` seconds ago (a command in a burst of
  commands, or right after a poll); older, it may no longer hold a change made on the
  thermostat's screen, which a write carrying both setpoints would set back;
* nothing failed since (after an error or a restart the device's state is unknown), and
* the identity is *proven for the connection the write goes over*: HTTPS with a pinned
  certificate (a device that took the address cannot complete the handshake), or the
  kept-alive connection that carried the last answer showing the expected thermostat (a device
  that took the address has no part in an established connection; see `keepalive`).

Otherwise the state (and, after a failure, the identity: ``GET /``) is read first: three
requests. A write planned on the remembered state is only sent while the proof still holds,
checked in the event-loop step it starts; when the connection closed meanwhile, nothing is
sent, the state is read and the command planned on it. The read-back is checked against the
expected identity too. A device refusal of a write planned on the remembered state is answered
by reading the state and planning once more: a refusal changes nothing on the device, so
nothing is ever written twice. An undo (rolling back a partly applied command) is only sent
over a proven connection too, after reading the identity when needed.

`last_info` is cleared whenever the outcome of a write is unknown: no answer (timeout,
connection, HTTP error) or a failed read-back (its error is raised although the write was
accepted). Once a command has started writing it is completed (or rolled back) even if the
caller is cancelled, so the device is never left half-changed; the cancellation is re-raised
afterwards and `last_info` holds the outcome.

``GET /`` (model and firmware, hence the firmware defects corrected for) is re-read before the
next info when it is older than `API_INFO_MAX_AGE`, when anything suggests the device
restarted (a failed exchange, a fresh authentication challenge), and at once when an info
body contradicts the defects assumed (a unit that firmware fixed) - a firmware update that
reboots between two polls is noticed without waiting for an outage.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator
import contextlib
import logging
import time

import aiohttp
from yarl import URL

from . import commands
from .commands import Step
from .digest import HttpAuth
from .enums import FanMode, HvacMode, Quirk
from .errors import (
    VenstarApiError,
    VenstarCommandRejectedError,
    VenstarError,
    VenstarNotConfirmedError,
    VenstarWrongDeviceError,
)
from .models import Alert, ApiInfo, DeviceIdentity, RuntimeDay, Sensor, ThermostatInfo
from .pacing import request_gap
from .parsers import (
    parse_alerts,
    parse_api_info,
    parse_command_result,
    parse_info,
    parse_runtimes,
    parse_sensors,
)
from .quirks import detect_quirks, quirks_contradicted
from .transport import (
    ConnectionNotProvenError,
    RetryPolicy,
    Transport,
    normalize_fingerprint,
    normalize_pin,
    wait_shielded,
)

_LOGGER = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 5.0
# None: the model's own gap (`pacing`), known after ``GET /``.
DEFAULT_MIN_REQUEST_GAP: float | None = None
# How old (seconds) the state may be for a command to be planned on it without reading it
# first. It bounds the time in which a change made on the thermostat's screen, not yet read,
# can be set back by a command (writes carry both setpoints): short enough that only a burst
# of commands (a slider, an alarm's calls) uses it, and within the 15 s that Home Assistant's
# shared session keeps a connection alive, so over HTTP the connection that proves the
# identity is usually still there (see the docs' "Commands" section).
DEFAULT_STATE_MAX_AGE = 10.0
# Seconds after which ``GET /`` is re-read even when nothing suggests a restart. A firmware
# update restarts the thermostat: a poll during the restart fails and a fixed unit shows in
# the next info body, both of which re-read it at once; this only bounds the rest, at two
# requests an hour (the thermostat's small web server pays for every one).
API_INFO_MAX_AGE = 1800.0

type Planner = Callable[[ThermostatInfo], tuple[Step, ...]]


class VenstarClient:
    """Async client for one Venstar thermostat's local API.

    `host` is an IP address or host name (IPv6 without brackets); `port` defaults to 80/443.
    `username`/`password` enable HTTP Digest auth (Basic only for a device that never offers
    Digest), `pin` the screen-lock PIN (1-4 digits, sent zero-padded, with writes only);
    all three are secrets and need `https` - they are never sent in clear.
    `certificate_fingerprint` (SHA-256, hex) pins the self-signed HTTPS certificate; without
    it the certificate is not verified.
    `expected_identity` makes `identify()`, `info()` and every command check that the host
    is still that thermostat. `quirks` overrides the firmware-defect detection of the `quirks` module.
    `min_request_gap` overrides the model's request gap (`pacing`); `state_max_age` is how
    old (seconds) the state may be for a command to skip reading it first (see the module
    docstring for the identity proof that is needed too).
    `clock`/`sleep` are injectable for tests.
    """

    def __init__(
        self,
        host: str,
        session: aiohttp.ClientSession,
        *,
        port: int | None = None,
        https: bool = False,
        username: str | None = None,
        password: str | None = None,
        pin: str | int | None = None,
        certificate_fingerprint: str | bytes | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        min_request_gap: float | None = DEFAULT_MIN_REQUEST_GAP,
        state_max_age: float = DEFAULT_STATE_MAX_AGE,
        expected_identity: DeviceIdentity | None = None,
        quirks: Quirk | None = None,
        retries: int = 2,
        retry_backoff: float = 0.5,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        """Configure the client; validates secrets, PIN and fingerprint, does no I/O."""
        if not https and (username or password or (pin is not None and pin != "")):
            raise ValueError(
                "A username, password or PIN is only sent over HTTPS, never in clear"
            )
        ssl: aiohttp.Fingerprint | bool = True
        if https:
            ssl = (
                aiohttp.Fingerprint(normalize_fingerprint(certificate_fingerprint))
                if certificate_fingerprint is not None
                else False
            )
        auth = (
            HttpAuth(username, password or "", allow_basic=https) if username else None
        )
        self.host = host
        self.https = https
        self.port = port if port is not None else (443 if https else 80)
        self.expected_identity = expected_identity
        self.state_max_age = state_max_age
        self._gap_override = min_request_gap
        self._clock = clock
        self._transport = Transport(
            session=session,
            base_url=URL.build(
                scheme="https" if https else "http", host=host, port=self.port
            ),
            auth=auth,
            pin=None if pin is None or pin == "" else normalize_pin(pin),
            ssl=ssl,
            timeout=timeout,
            min_request_gap=request_gap(None)
            if min_request_gap is None
            else min_request_gap,
            retry=RetryPolicy(retries=retries, backoff=retry_backoff),
            clock=clock,
            sleep=sleep,
        )
        self._quirks_override = quirks
        self._api_info: ApiInfo | None = None
        self._api_info_read_at = 0.0
        self._breaks_seen = 0
        self.last_info: ThermostatInfo | None = None
        # When `last_info` was last confirmed by a checked read (clock time), and whether an
        # exchange failed since ``GET /`` was last read (the root is then read again).
        self._confirmed_at: float | None = None
        self._root_suspect = False
        # The connection that carried the last info body read.
        self._info_connection: object | None = None

    def __repr__(self) -> str:
        """Identify the client by address only (never credentials or PIN)."""
        scheme = "https" if self.https else "http"
        return f"VenstarClient({scheme}://{self.host}:{self.port})"

    @property
    def request_count(self) -> int:
        """Number of HTTP requests sent so far (retries and auth round trips included)."""
        return self._transport.request_count

    @property
    def request_gap(self) -> float:
        """Seconds kept between two requests to this thermostat (the model's, once known)."""
        return self._transport.gap

    @property
    def last_api_info(self) -> ApiInfo | None:
        """The ``GET /`` answer the last info was interpreted with, once read."""
        return self._api_info

    @property
    def quirks(self) -> Quirk | None:
        """Firmware defects corrected for, once known (after the first info read)."""
        if self._quirks_override is not None:
            return self._quirks_override
        return None if self._api_info is None else detect_quirks(self._api_info)

    # ----- reads -------------------------------------------------------------------------
    async def api_info(self) -> ApiInfo:
        """Read ``GET /``: API version, product line, model, firmware."""
        async with self._transport.device_lock.mutex:
            with self._distrust_on_failure():
                return await self._read_api_info()

    async def info(self) -> ThermostatInfo:
        """Read ``GET /query/info`` (checked against `expected_identity` when set)."""
        async with self._transport.device_lock.mutex:
            with self._distrust_on_failure():
                return await self._read_checked_info()

    async def sensors(self) -> tuple[Sensor, ...]:
        """Read ``GET /query/sensors``, with the unit of the last info (read first if none)."""
        async with self._transport.device_lock.mutex:
            with self._distrust_on_failure():
                info = self.last_info or await self._read_checked_info()
                return parse_sensors(
                    await self._transport.get("/query/sensors"),
                    unit=info.temperature_unit,
                )

    async def runtimes(self) -> tuple[RuntimeDay, ...]:
        """Read ``GET /query/runtimes`` (oldest first; the last entry is today so far)."""
        async with self._transport.device_lock.mutex:
            with self._distrust_on_failure():
                return parse_runtimes(await self._transport.get("/query/runtimes"))

    async def alerts(self) -> tuple[Alert, ...]:
        """Read ``GET /query/alerts``."""
        async with self._transport.device_lock.mutex:
            with self._distrust_on_failure():
                return parse_alerts(await self._transport.get("/query/alerts"))

    async def identify(self) -> DeviceIdentity:
        """Read what identifies the thermostat (``GET /`` and the name from info).

        Raises `VenstarWrongDeviceError` when it does not match `expected_identity`.
        """
        async with self._transport.device_lock.mutex:
            with self._distrust_on_failure():
                api_info = await self._read_api_info()
                info = await self._fetch_info()
                identity = self._identity(api_info, info)
                self._check_identity(identity)
                self._trust(info)
                return identity

    # ----- commands ----------------------------------------------------------------------
    async def set_hvac_mode(
        self, mode: HvacMode, *, heat: float | None = None, cool: float | None = None
    ) -> ThermostatInfo:
        """Change the mode, sending both setpoints (current ones unless given)."""
        return await self._command(
            lambda info: commands.plan_hvac_mode(info, mode, heat, cool)
        )

    async def set_setpoints(
        self, heat: float | None = None, cool: float | None = None
    ) -> ThermostatInfo:
        """Change the heat and/or cool setpoint, keeping the mode."""
        return await self._command(
            lambda info: commands.plan_setpoints(info, heat, cool)
        )

    async def set_fan(self, fan: FanMode) -> ThermostatInfo:
        """Set the fan to auto or on."""
        return await self._command(lambda info: commands.plan_fan(info, fan))

    async def set_away(self, away: bool) -> ThermostatInfo:
        """Enter or leave away (residential units)."""
        return await self._command(lambda info: commands.plan_away(info, away))

    async def set_schedule(self, enabled: bool) -> ThermostatInfo:
        """Run the schedule (True) or hold the current setpoints (False)."""
        return await self._command(lambda info: commands.plan_schedule(info, enabled))

    async def set_humidity_setpoints(
        self, humidify: float | None = None, dehumidify: float | None = None
    ) -> ThermostatInfo:
        """Change the humidify and/or dehumidify setpoint (%)."""
        return await self._command(
            lambda info: commands.plan_humidity_setpoints(info, humidify, dehumidify)
        )

    async def emergency_shutoff(self, fan: FanMode | None = None) -> ThermostatInfo:
        """Put the thermostat in mode off (and the fan to `fan`) as fast as it allows.

        One ``POST /control`` carries the mode, both setpoints and the fan; a running
        schedule is stopped first (and away left first when the schedule cannot be stopped
        otherwise), since the device refuses a mode change while its schedule runs. Nothing
        is undone if a later step fails: every step moves the device toward off. Returns the
        state read back; raises `VenstarNotConfirmedError` when that state is not off (or
        not the fan asked for). Idempotent: a thermostat that is already off is only read.
        """
        try:
            fan = None if fan is None else FanMode(fan)
        except ValueError:
            raise VenstarCommandRejectedError(
                "invalid_value", f"Unknown fan mode {fan!r}", {"setpoint": "fan"}
            ) from None
        async with self._transport.device_lock.mutex:
            with self._distrust_on_failure():
                info = self._trusted_info()
                fresh = False
                if info is None or commands.is_shut_off(info, fan):
                    # "Already off" is confirmed on the device, never on a remembered state.
                    info = await self._read_checked_info()
                    fresh = True
                    if commands.is_shut_off(info, fan):
                        return info
                confirmed = await self._run_writes(
                    lambda state: commands.plan_emergency_shutoff(state, fan),
                    info,
                    fresh=fresh,
                )
        if not commands.is_shut_off(confirmed, fan):
            mode = "unknown" if confirmed.mode is None else confirmed.mode.name.lower()
            fan_now = "unknown" if confirmed.fan is None else confirmed.fan.name.lower()
            raise VenstarNotConfirmedError(
                f"The thermostat accepted the shutoff but reports mode {mode}, fan {fan_now}"
            )
        return confirmed

    # ----- internals ---------------------------------------------------------------------
    @contextlib.contextmanager
    def _distrust_on_failure(self) -> Iterator[None]:
        """Forget that the state is trusted when an exchange fails (or is abandoned).

        A refusal - by the client's rules or in the device's JSON - is an answer, not a
        failure: the device is still the one that answered moments ago.
        """
        try:
            yield
        except VenstarCommandRejectedError:
            raise
        except VenstarApiError as err:
            if err.status is not None:
                self._confirmed_at = None
                self._root_suspect = True
            raise
        except BaseException:
            self._confirmed_at = None
            self._root_suspect = True
            raise

    def _trust(self, info: ThermostatInfo) -> None:
        """Keep `info`, checked against the expected identity, and vouch for its connection."""
        self.last_info = info
        self._confirmed_at = self._clock()
        self._transport.vouch(self._info_connection)

    def _trusted_info(self) -> ThermostatInfo | None:
        """`last_info` if a command may be planned on it (see the module docstring)."""
        if self.last_info is None or self._confirmed_at is None:
            return None
        if self._clock() - self._confirmed_at > self.state_max_age:
            return None
        if not self._transport.identity_proven():
            return None
        return self.last_info

    async def _read_api_info(self) -> ApiInfo:
        self._api_info = parse_api_info(await self._transport.get("/"))
        self._api_info_read_at = self._clock()
        self._breaks_seen = self._transport.session_breaks
        self._root_suspect = False
        if self._gap_override is None:
            self._transport.gap = request_gap(self._api_info)
        return self._api_info

    def _api_info_outdated(self) -> bool:
        """Whether the device may have restarted (or been updated) since ``GET /``."""
        return (
            self._transport.session_breaks != self._breaks_seen
            or self._clock() - self._api_info_read_at >= API_INFO_MAX_AGE
        )

    async def _ensure_api_info(self) -> ApiInfo:
        if self._api_info is None or self._api_info_outdated():
            return await self._read_api_info()
        return self._api_info

    async def _read_checked_info(self) -> ThermostatInfo:
        """Read the state and check who answered; after a failure ``GET /`` is read too."""
        if self.expected_identity is not None and self._root_suspect:
            await self._read_api_info()
        info = await self._fetch_info()
        if self.expected_identity is not None:
            api_info = await self._ensure_api_info()
            self._check_identity(self._identity(api_info, info))
        self._trust(info)
        return info

    async def _fetch_info(self) -> ThermostatInfo:
        """Read and parse info; callers store it in `last_info` once it is trusted.

        When the device may have restarted while the body was read, or the body contradicts
        the firmware defects assumed, ``GET /`` is read again and the same body is
        interpreted with what it says now.
        """
        api_info = await self._ensure_api_info()
        body = await self._transport.get("/query/info")
        self._info_connection = self._transport.last_connection
        quirks = self._quirks_override
        if quirks is None:
            quirks = detect_quirks(api_info)
            if self._transport.session_breaks != self._breaks_seen or (
                quirks_contradicted(quirks, body)
            ):
                _LOGGER.debug(
                    "Re-reading the API information: the device may have changed"
                )
                api_info = await self._read_api_info()
                quirks = detect_quirks(api_info)
        return parse_info(body, quirks=quirks, model_known=api_info.model is not None)

    @staticmethod
    def _identity(api_info: ApiInfo, info: ThermostatInfo) -> DeviceIdentity:
        return DeviceIdentity(
            name=info.name,
            model=api_info.model,
            device_type=api_info.device_type,
            firmware=api_info.firmware,
            api_version=api_info.api_version,
        )

    def _check_identity(self, identity: DeviceIdentity) -> None:
        expected = self.expected_identity
        if expected is not None and not expected.matches(identity):
            raise VenstarWrongDeviceError(
                f"Expected thermostat {expected.name!r} ({expected.model or 'unknown model'}),"
                f" found {identity.name!r} ({identity.model or 'unknown model'})"
            )

    async def _command(self, plan: Planner) -> ThermostatInfo:
        async with self._transport.device_lock.mutex:
            with self._distrust_on_failure():
                info = self._trusted_info()
                fresh = info is None
                if info is None:
                    info = await self._read_checked_info()
                return await self._run_writes(plan, info, fresh=fresh)

    async def _run_writes(
        self, plan: Planner, info: ThermostatInfo, *, fresh: bool
    ) -> ThermostatInfo:
        """Plan on `info` (on fresh state again if a remembered state was refused), write.

        The writes run in their own task: a cancelled caller waits until they are done.
        """
        try:
            steps = plan(info)
        except VenstarCommandRejectedError:
            if fresh:
                raise
            # The remembered state may be out of date: ask the device before refusing.
            info = await self._read_checked_info()
            fresh = True
            steps = plan(info)
        task = asyncio.ensure_future(self._write(steps, None if fresh else plan))
        try:
            return await asyncio.shield(task)
        except asyncio.CancelledError:
            await wait_shielded(task)
            raise

    async def _write(
        self, steps: tuple[Step, ...], replan: Planner | None
    ) -> ThermostatInfo:
        """Send `steps` in order, then read the state back.

        `replan` is given when the steps were planned on the remembered state: each write then
        goes out only while the identity is proven for its connection (see the module
        docstring). When that proof is gone, nothing is sent: the state is read (checking
        the identity), and the command is planned on it - or, once a step is applied, the
        remaining steps follow.
        """
        done: list[Step] = []
        proven_only = replan is not None
        while len(done) < len(steps):
            step = steps[len(done)]
            try:
                await self._post(step.write, proven_only=proven_only)
            except ConnectionNotProvenError:
                try:
                    fresh = await self._read_checked_info()
                except VenstarError:
                    if done:
                        # Partly applied on our thermostat; nothing more goes anywhere.
                        self.last_info = None
                    raise
                if not done and replan is not None:
                    return await self._write(replan(fresh), None)
                proven_only = False
                continue
            except VenstarApiError as err:
                refused = err.status is None
                if refused and replan is not None and not _undoable(done):
                    # Planned on a remembered state that the device no longer has (a change
                    # on its screen, a restart); a refusal changed nothing. Plan once more
                    # on the state it reports now and send what that plan says.
                    fresh = await self._read_checked_info()
                    new_steps = replan(fresh)
                    if new_steps != steps[len(done) :]:
                        return await self._write(new_steps, None)
                if not refused:
                    # No answer from the device: the write may or may not have landed.
                    self.last_info = None
                await self._undo(done)
                raise
            except VenstarError:
                self.last_info = None
                await self._undo(done)
                raise
            done.append(step)
        try:
            return await self._read_checked_info()
        except VenstarError:
            # Written but not confirmed: the last info no longer describes the device.
            self.last_info = None
            raise

    async def _post(self, write: commands.Write, *, proven_only: bool = False) -> None:
        parse_command_result(
            await self._transport.post(write.path, write.form, proven_only=proven_only)
        )

    async def _undo(self, done: list[Step]) -> None:
        """Roll back the applied steps, only ever on the thermostat they were applied to."""
        for step in reversed(done):
            if step.undo is None:
                continue
            try:
                try:
                    await self._post(step.undo, proven_only=True)
                except ConnectionNotProvenError:
                    # The connection is gone (the failure may have closed it): check who
                    # answers at the address before sending anything there.
                    await self._read_checked_info()
                    await self._post(step.undo)
            except VenstarError as err:
                # The original failure is what the caller needs; report this one here.
                _LOGGER.warning("Could not undo a partly applied command: %s", err)
                self.last_info = None
                return


def _undoable(done: list[Step]) -> bool:
    return any(step.undo is not None for step in done)
