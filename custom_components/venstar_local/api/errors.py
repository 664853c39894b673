"""Exceptions raised by the Venstar client.

Every failure the client can report is a `VenstarError`, so callers can catch one base class;
the subclasses tell apart what a caller reacts to differently (retry later, ask for new
credentials, show the device's reason, fix the request). Messages never contain credentials.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

# Every `VenstarCommandRejectedError.key` and the placeholders it always carries, so an
# integration can provide (and test) one translated message per key.
REJECTION_PLACEHOLDERS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "invalid_value": ("setpoint",),
        "nothing_to_change": (),
        "setpoint_out_of_range": ("setpoint", "value", "min", "max", "unit"),
        "setpoint_delta": ("heat", "cool", "delta", "unit"),
        "mode_not_available": ("mode",),
        "mode_change_schedule_away": ("mode",),
        "schedule_while_away": (),
        "not_supported": ("feature",),
        "humidity_out_of_range": ("setpoint", "value", "min", "max"),
        "humidity_separation": ("humidify", "dehumidify", "separation"),
        "value_unknown": ("field",),
    }
)


class VenstarError(Exception):
    """Base class of every error raised by this package."""


class VenstarConnectionError(VenstarError):
    """The thermostat could not be reached or dropped the connection."""


class VenstarCertificateMismatchError(VenstarConnectionError):
    """The HTTPS certificate does not match the pinned SHA-256 fingerprint."""


class VenstarTimeoutError(VenstarConnectionError):
    """The thermostat did not answer within the request timeout (a kind of connection failure)."""


class VenstarAuthenticationError(VenstarError):
    """The thermostat refused the credentials (HTTP 401)."""


class VenstarApiError(VenstarError):
    """The thermostat answered with an error instead of doing what was asked.

    `reason` is the device's own text (for example ``"Both Setpoints are required"``) or,
    for an HTTP error status, a short description of that status.
    """

    def __init__(self, reason: str, *, status: int | None = None) -> None:
        """Store the device's reason and, for HTTP errors, the status code."""
        super().__init__(reason)
        self.reason = reason
        self.status = status


class VenstarInvalidResponseError(VenstarError):
    """The thermostat sent something that is not a valid answer (malformed, wrong types)."""


class VenstarNotConfirmedError(VenstarError):
    """The thermostat accepted a command but the state read back does not show its result."""


class VenstarWrongDeviceError(VenstarError):
    """The host answered, but it is not the thermostat the client was told to expect."""


class VenstarCommandRejectedError(VenstarError):
    """A command was refused by the client *before* anything was sent to the thermostat.

    `key` is a stable machine-readable reason (usable as a translation key) and
    `placeholders` holds the values to put into the translated message; both are listed
    in `REJECTION_PLACEHOLDERS`.
    """

    def __init__(
        self, key: str, message: str, placeholders: Mapping[str, str] | None = None
    ) -> None:
        """Store the translation key and placeholders next to an English message."""
        super().__init__(message)
        self.key = key
        self.placeholders: Mapping[str, str] = MappingProxyType(
            dict(placeholders or {})
        )
