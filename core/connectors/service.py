"""The connector catalog: what is installed, read through the plugin manager."""

from __future__ import annotations

from typing import Any

from core.connectors.schemas import ConnectorOut


def _installed() -> list[dict[str, Any]]:
    from connectors.manager import connector_catalog  # the plugin manager is core's one door in

    return connector_catalog()


class ConnectorService:
    def catalog(self) -> list[ConnectorOut]:
        """Every loaded connector (``HUBWIRE_CONNECTORS`` applied), in slug order."""
        return [ConnectorOut.model_validate(entry) for entry in _installed()]


connectors = ConnectorService()
