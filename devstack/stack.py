"""The whole product on simulated devices: Venstar emulator, simulated Z-Wave network, Home Assistant.

`scripts/develop` runs it on the usual ports with `config/`; the end-to-end tests run the very same
class on free ports in temporary dirs.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from pathlib import Path
import time

from .demo import provision_demo
from .homeassistant import HomeAssistantServer
from .ports import free_ports, port_in_use
from .processes import ManagedProcess, start_venstar_emulator
from .zwave import ZwaveSimulator, default_ports, simulator_installed


@dataclass(frozen=True)
class StackPorts:
    """Loopback ports of every process of the stack."""

    homeassistant: int
    venstar: int
    zwave_serial: int
    zwave_server: int
    zwave_control: int

    @classmethod
    def demo(cls, homeassistant: int = 8123, venstar: int = 8180) -> StackPorts:
        """Return the documented ports of `scripts/develop`."""
        zwave = default_ports()
        return cls(
            homeassistant,
            venstar,
            zwave["serial_port"],
            zwave["server_port"],
            zwave["control_port"],
        )

    @classmethod
    def free(cls) -> StackPorts:
        """Return ports nothing listens on (for tests running beside a demo)."""
        return cls(*free_ports(5))

    def taken(self) -> list[str]:
        """Name the ports something else already listens on."""
        return [
            f"{name} ({port})" for name, port in vars(self).items() if port_in_use(port)
        ]


@dataclass
class ProductStack:
    """Start, provision and stop the product's processes in order."""

    config_dir: Path
    state_dir: Path
    ports: StackPorts
    with_zwave: bool = True
    venstar_time_scale: float = 30.0
    timings: dict[str, float] = field(default_factory=dict)
    venstar: ManagedProcess | None = field(default=None, init=False)
    zwave: ZwaveSimulator | None = field(default=None, init=False)
    homeassistant: HomeAssistantServer | None = field(default=None, init=False)

    @property
    def venstar_url(self) -> str:
        """Base URL of the Venstar emulator."""
        return f"http://127.0.0.1:{self.ports.venstar}"

    def start(self) -> None:
        """Start every process (each ready before the next) and provision a fresh config dir."""
        if taken := self.ports.taken():
            raise RuntimeError(
                "ports already in use: "
                + ", ".join(taken)
                + " — stop the other process first"
            )
        if self.with_zwave and not simulator_installed():
            raise RuntimeError(
                "the Z-Wave simulator is not installed: run scripts/setup"
            )
        began = time.monotonic()
        try:
            self.venstar = start_venstar_emulator(
                self.ports.venstar,
                self.state_dir / "venstar-emulator.log",
                time_scale=self.venstar_time_scale,
            )
            self.timings["venstar_ready"] = time.monotonic() - began
            zwave_url = None
            if self.with_zwave:
                self.zwave = ZwaveSimulator(
                    self.state_dir / "zwave",
                    serial_port=self.ports.zwave_serial,
                    server_port=self.ports.zwave_server,
                    control_port=self.ports.zwave_control,
                )
                self.zwave.start_blocking()
                zwave_url = self.zwave.server_url
                self.timings["zwave_ready"] = time.monotonic() - began
            self.homeassistant = HomeAssistantServer(
                self.config_dir, port=self.ports.homeassistant
            )
            self.homeassistant.start()
            self.timings["homeassistant_ready"] = time.monotonic() - began
            asyncio.run(
                provision_demo(self.homeassistant.url, self.ports.venstar, zwave_url)
            )
            self.timings["provisioned"] = time.monotonic() - began
        except BaseException:
            self.stop()
            raise

    @property
    def running(self) -> bool:
        """Tell whether every started process is still alive."""
        processes = [self.venstar, self.homeassistant]
        alive = all(process is not None and process.running for process in processes)
        return alive and (self.zwave is None or self.zwave.running)

    def stop(self) -> None:
        """Stop everything in reverse order; safe to call twice."""
        if self.homeassistant is not None:
            self.homeassistant.stop()
        if self.zwave is not None:
            self.zwave.stop_blocking()
        if self.venstar is not None:
            self.venstar.stop()
