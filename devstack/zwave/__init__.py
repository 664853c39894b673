"""The simulated Z-Wave network: zwave-js `mock-server` feeding `zwave-server`, on loopback only.

Two Node.js processes from `simulators/zwave/` (installed with `npm ci`, see SETUP_COMMAND):

1. `mock-server` simulates the USB stick as a TCP serial port and the two First Alert detectors
   (node 2 ZCOMBO-G, node 3 legacy ZCOMBO). Its config also starts a small HTTP control server
   that makes a detector report smoke, CO, a test press or its battery.
2. `zwave-server` runs the real zwave-js driver against that port and offers the websocket API that
   Home Assistant's `zwave_js` integration (and `zwave_js_server.client.Client`) connects to.

Where to look:

| module        | job                                                                   |
|---------------|-----------------------------------------------------------------------|
| `commands`    | the installed simulator files and the two processes' command lines    |
| `state_dir`   | the state directory: zwave-server's config, the driver cache          |
| `readiness`   | waiting until each process (and each detector's interview) is ready   |
| `control`     | the detectors' control server (make a detector report something)      |
| `simulator`   | `ZwaveSimulator`: start in order, observe, stop in reverse            |
| `__main__`    | `python -m devstack.zwave`: keep the network up until Ctrl-C          |
"""

from .commands import SETUP_COMMAND, simulator_installed
from .errors import ZwaveSimulatorError
from .simulator import ZwaveSimulator, default_ports

__all__ = [
    "SETUP_COMMAND",
    "ZwaveSimulator",
    "ZwaveSimulatorError",
    "default_ports",
    "simulator_installed",
]
