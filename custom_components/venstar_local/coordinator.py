"""Polling of the thermostat: one coordinator, one request at a time, staggered documents.

Every tick reads only ``/query/info`` (the state a user acts on); the sensors list, the runtimes
and the alerts are re-read when their own, longer interval has passed, and the sensors list
rarely when it only repeats what ``/query/info`` says. Right after a command the state is read
a few more times at a short interval, to show the equipment reacting. All documents share one
coordinator so that availability is one fact: when the thermostat stops answering, every
entity goes unavailable together and comes back together.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
import contextlib
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import override

from homeassistant.components.sensor import DOMAIN as SENSOR_DOMAIN
from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import (
    ConfigEntryAuthFailed,
    HomeAssistantError,
    ServiceValidationError,
)
from homeassistant.helpers import (
    device_registry as dr,
    entity_registry as er,
    issue_registry as ir,
)
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed
from homeassistant.util import dt as dt_util

from .api import (
    REJECTION_PLACEHOLDERS,
    ApiInfo,
    FanMode,
    Sensor,
    SensorType,
    ThermostatInfo,
    VenstarApiError,
    VenstarAuthenticationError,
    VenstarCertificateMismatchError,
    VenstarClient,
    VenstarCommandRejectedError,
    VenstarError,
    VenstarNotConfirmedError,
    VenstarWrongDeviceError,
)
from .const import (
    ALERTS_INTERVAL,
    CONF_POLL_INTERVAL,
    DEFAULT_POLL_INTERVAL,
    DOMAIN,
    EXTRA_SENSORS_INTERVAL,
    FOLLOW_UP_INTERVAL,
    FOLLOW_UP_POLLS,
    ISSUE_CERTIFICATE_CHANGED,
    ISSUE_WRONG_DEVICE,
    LOGGER,
    RUNTIMES_INTERVAL,
    SENSORS_INTERVAL,
)
from .data import VenstarData
from .field_problems import FieldProblemLog
from .time_to_temperature import TimeToTemperature


@dataclass(kw_only=True)
class VenstarRuntimeData:
    """Objects that live as long as the config entry is loaded."""

    client: VenstarClient
    coordinator: VenstarCoordinator
    time_to_temperature: TimeToTemperature


type VenstarConfigEntry = ConfigEntry[VenstarRuntimeData]


class VenstarCoordinator(DataUpdateCoordinator[VenstarData]):
    """Fetch the thermostat's documents on a staggered schedule and run commands."""

    config_entry: VenstarConfigEntry

    def __init__(
        self,
        hass: HomeAssistant,
        entry: VenstarConfigEntry,
        client: VenstarClient,
        time_to_temperature: TimeToTemperature,
    ) -> None:
        """Set up the coordinator; the poll interval comes from the entry's options."""
        super().__init__(
            hass,
            LOGGER,
            config_entry=entry,
            name=f"Venstar {entry.title}",
            update_interval=timedelta(
                seconds=entry.options.get(CONF_POLL_INTERVAL, DEFAULT_POLL_INTERVAL)
            ),
            always_update=False,
        )
        self.client = client
        self.time_to_temperature = time_to_temperature
        # Held around every exchange with the device so that unloading can wait for the
        # request in flight instead of cutting it off (or leaving it running).
        self.io_lock = asyncio.Lock()
        self._due: dict[str, datetime] = {}
        self._field_problems = FieldProblemLog(LOGGER, entry.title)
        self._steady_interval = self.update_interval
        self._follow_ups_left = 0
        # Commands waiting for the device: a poll then skips the documents that can wait.
        self._commands_waiting = 0

    def set_poll_interval(self, interval: timedelta) -> None:
        """Use a new steady interval (options) from the next poll on."""
        self._steady_interval = interval
        self._plan_next_poll()

    def _plan_next_poll(self) -> None:
        """Short intervals while following up a command, the steady one otherwise."""
        steady = self._steady_interval
        if self._follow_ups_left > 0 and steady and steady > FOLLOW_UP_INTERVAL:
            self.update_interval = FOLLOW_UP_INTERVAL
        else:
            self.update_interval = steady

    def _is_due(self, document: str, now: datetime) -> bool:
        """Whether a slow document must be read in this tick."""
        return now >= self._due.get(document, now)

    @override
    async def _async_update_data(self) -> VenstarData:
        """Poll; while the thermostat does not answer, try again at the short interval."""
        self._follow_ups_left = max(0, self._follow_ups_left - 1)
        self._plan_next_poll()
        try:
            return await self._async_poll()
        except UpdateFailed as err:
            # An unreachable thermostat shows as back within seconds of answering again,
            # not a whole poll interval later. Another device at its address is left alone.
            if (
                err.translation_key == "communication_error"
                and self._steady_interval
                and self._steady_interval > FOLLOW_UP_INTERVAL
            ):
                self.update_interval = FOLLOW_UP_INTERVAL
            raise

    async def _async_poll(self) -> VenstarData:
        """Read info, and the slower documents when they are due."""
        now = dt_util.utcnow()
        # After an outage everything is re-read: the thermostat may have been updated,
        # reset or had sensors added while it could not be reached.
        previous: VenstarData | None = self.data if self.last_update_success else None
        try:
            async with self.io_lock:
                # The client re-reads GET / itself when the device may have restarted or
                # been updated, so firmware defects are re-detected without an outage.
                info = await self.client.info()
                api_info = self.client.last_api_info or await self.client.api_info()
                sensors = await self._read_when_due(
                    "sensors",
                    now,
                    self._sensors_interval,
                    self.client.sensors,
                    previous,
                )
                runtimes = await self._read_when_due(
                    "runtimes",
                    now,
                    lambda _: RUNTIMES_INTERVAL,
                    self.client.runtimes,
                    previous,
                )
                alerts = await self._read_when_due(
                    "alerts",
                    now,
                    lambda _: ALERTS_INTERVAL,
                    self.client.alerts,
                    previous,
                )
        except VenstarAuthenticationError as err:
            raise ConfigEntryAuthFailed(
                translation_domain=DOMAIN, translation_key="authentication_failed"
            ) from err
        except VenstarWrongDeviceError as err:
            self._raise_issue(ISSUE_WRONG_DEVICE)
            raise UpdateFailed(
                translation_domain=DOMAIN, translation_key="wrong_device"
            ) from err
        except VenstarCertificateMismatchError as err:
            self._raise_issue(ISSUE_CERTIFICATE_CHANGED)
            raise UpdateFailed(
                translation_domain=DOMAIN, translation_key="certificate_changed"
            ) from err
        except VenstarError as err:
            raise UpdateFailed(
                translation_domain=DOMAIN,
                translation_key="communication_error",
                translation_placeholders={"error": str(err) or type(err).__name__},
            ) from err
        self._clear_issues()
        if self.data is not None and api_info != self.data.api_info:
            self._update_device_firmware(api_info)
        self.time_to_temperature.observe(info, now)
        data = VenstarData(
            api_info=api_info,
            info=info,
            sensors=sensors,
            runtimes=runtimes,
            alerts=alerts,
        )
        self._field_problems.update(data)
        return data

    def _sensors_interval(self, sensors: tuple[Sensor, ...]) -> timedelta:
        """Read the sensors list often only when it says more than ``/query/info``.

        It does with outdoor, return, supply or remote sensors, IAQ readings, or when the
        thermostat's own temperature is shown (its entity is disabled by default).
        """
        for sensor in sensors:
            if sensor.type not in (SensorType.LOCAL, SensorType.CONTROL):
                return EXTRA_SENSORS_INTERVAL
            if sensor.co2 is not None or sensor.iaq is not None:
                return EXTRA_SENSORS_INTERVAL
        registry = er.async_get(self.hass)
        entity_id = registry.async_get_entity_id(
            SENSOR_DOMAIN,
            DOMAIN,
            f"{self.config_entry.entry_id}_thermostat_temperature",
        )
        entry = registry.async_get(entity_id) if entity_id else None
        if entry is not None and entry.disabled_by is None:
            return EXTRA_SENSORS_INTERVAL
        return SENSORS_INTERVAL

    async def _read_when_due[T](
        self,
        document: str,
        now: datetime,
        interval: Callable[[tuple[T, ...]], timedelta],
        fetch: Callable[[], Awaitable[tuple[T, ...]]],
        previous: VenstarData | None,
    ) -> tuple[T, ...]:
        """Fetch a slow document when due, else keep what was read last time.

        A command waiting for the device goes first; the document is read at the next poll.
        """
        if previous is not None and (
            self._commands_waiting or not self._is_due(document, now)
        ):
            kept: tuple[T, ...] = getattr(previous, document)
            return kept
        result = await fetch()
        self._due[document] = now + interval(result)
        return result

    async def async_command(
        self, command: Callable[[], Awaitable[ThermostatInfo]]
    ) -> None:
        """Run a command and show the state the thermostat confirmed right away.

        The client validates before sending and reads the state back after the device
        accepted; that confirmed state replaces the coordinator's, so entities never show
        an optimistic guess and never wait for the next poll.
        """
        try:
            async with self._device_turn():
                info = await command()
        except VenstarCommandRejectedError as err:
            # Every key the client documents has its own message (rejected_<key>).
            if err.key in REJECTION_PLACEHOLDERS:
                raise ServiceValidationError(
                    translation_domain=DOMAIN,
                    translation_key=f"rejected_{err.key}",
                    translation_placeholders=dict(err.placeholders),
                ) from err
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="command_rejected",
                translation_placeholders={"message": str(err)},
            ) from err
        except VenstarApiError as err:
            self._reconcile_after_failed_command()
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key="device_rejected",
                translation_placeholders={"reason": err.reason},
            ) from err
        except VenstarAuthenticationError as err:
            self.config_entry.async_start_reauth(self.hass)
            raise HomeAssistantError(
                translation_domain=DOMAIN, translation_key="authentication_failed"
            ) from err
        except VenstarWrongDeviceError as err:
            self._raise_issue(ISSUE_WRONG_DEVICE)
            self.async_set_update_error(err)
            raise HomeAssistantError(
                translation_domain=DOMAIN, translation_key="wrong_device"
            ) from err
        except VenstarNotConfirmedError as err:
            self._reconcile_after_failed_command()
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key="not_confirmed",
                translation_placeholders={"error": str(err)},
            ) from err
        except VenstarError as err:
            self._reconcile_after_failed_command()
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key="communication_error",
                translation_placeholders={"error": str(err) or type(err).__name__},
            ) from err
        self.time_to_temperature.observe(info, dt_util.utcnow())
        # Read the state a few times soon, to show the equipment reacting to the change;
        # setting the data below restarts the poll timer with the follow-up interval.
        self._follow_ups_left = FOLLOW_UP_POLLS
        self._plan_next_poll()
        if self.data is not None:
            self.async_set_updated_data(replace(self.data, info=info))

    @contextlib.asynccontextmanager
    async def _device_turn(self) -> AsyncIterator[None]:
        """Hold the device for a command; polls skip what can wait while one waits."""
        self._commands_waiting += 1
        try:
            await self.io_lock.acquire()
        finally:
            self._commands_waiting -= 1
        try:
            yield
        finally:
            self.io_lock.release()

    async def async_emergency_shutoff(self, fan: FanMode | None) -> None:
        """Mode off (and `fan`) as fast as the thermostat allows, confirmed by the device.

        Tried even while the entities show unavailable: the thermostat may answer again.
        """
        client = self.client
        await self.async_command(lambda: client.emergency_shutoff(fan))

    def _reconcile_after_failed_command(self) -> None:
        """Re-read the thermostat soon: a failed command may have been partly applied."""
        self.config_entry.async_create_background_task(
            self.hass, self.async_request_refresh(), "venstar_local reconcile"
        )

    def _update_device_firmware(self, api_info: ApiInfo) -> None:
        """Show a firmware update (seen when re-reading after an outage) on the device."""
        registry = dr.async_get(self.hass)
        if device := registry.async_get_device(
            identifiers={(DOMAIN, self.config_entry.entry_id)}
        ):
            registry.async_update_device(
                device.id, sw_version=api_info.firmware_version
            )

    def _raise_issue(self, kind: str) -> None:
        """Tell the user what keeps the thermostat unreachable and what to do about it."""
        entry = self.config_entry
        ir.async_create_issue(
            self.hass,
            DOMAIN,
            f"{kind}_{entry.entry_id}",
            is_fixable=False,
            severity=ir.IssueSeverity.ERROR,
            translation_key=kind,
            translation_placeholders={"title": entry.title, "host": self.client.host},
        )

    def _clear_issues(self) -> None:
        """Remove the issues once the configured thermostat answers again."""
        for kind in (ISSUE_WRONG_DEVICE, ISSUE_CERTIFICATE_CHANGED):
            ir.async_delete_issue(
                self.hass, DOMAIN, f"{kind}_{self.config_entry.entry_id}"
            )
