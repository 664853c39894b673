"""The local API's documents by path, with the key that holds the list for list documents."""

from __future__ import annotations

from collections.abc import Mapping

from custom_components.venstar_local.api.schema import (
    ALERT,
    INFO,
    ROOT,
    RUNTIME,
    SENSOR,
    FieldSpec,
)

DOCUMENTS: Mapping[str, tuple[Mapping[str, FieldSpec], str | None]] = {
    "/": (ROOT, None),
    "/query/info": (INFO, None),
    "/query/sensors": (SENSOR, "sensors"),
    "/query/runtimes": (RUNTIME, "runtimes"),
    "/query/alerts": (ALERT, "alerts"),
}
