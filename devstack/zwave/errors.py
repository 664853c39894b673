"""The one error of the simulated network."""

from __future__ import annotations


class ZwaveSimulatorError(RuntimeError):
    """The simulated network is not installed, could not start, or refused a request."""
