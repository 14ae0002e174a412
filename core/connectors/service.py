"""The connector catalog: what is installed, read through the plugin manager."""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import FastAPI

from core.connectors.schemas import ConnectorOut
from core.plugins.connector import Sandbox
from core.plugins.manager import connector_catalog, connector_registry

logger = logging.getLogger(__name__)


def _installed() -> list[dict[str, Any]]:
    return connector_catalog()


@dataclass
class MountedSandboxes:
    """The sandboxes one app serves; with a ``state_dir`` their accounts are read from
    ``<state_dir>/<slug>.json`` when mounted and written back by ``save()`` (at shutdown)."""

    state_dir: Path | None
    apps: dict[str, tuple[Sandbox, Any]] = field(default_factory=dict)

    @property
    def slugs(self) -> list[str]:
        return list(self.apps)

    def _file(self, slug: str) -> Path | None:
        return self.state_dir / f"{slug}.json" if self.state_dir is not None else None

    def load(self, slug: str, sandbox: Sandbox, sandbox_app: Any) -> None:
        path = self._file(slug)
        if path is None or sandbox.load_state is None or not path.exists():
            return
        try:
            sandbox.load_state(sandbox_app, json.loads(path.read_text()))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            # A damaged file costs the demo its sandbox account, not its start.
            logger.warning("the %s sandbox's saved state was not loaded: %s", slug, exc)

    def save(self) -> None:
        for slug, (sandbox, sandbox_app) in self.apps.items():
            path = self._file(slug)
            if path is None or sandbox.save_state is None:
                continue
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                partial = path.with_suffix(".json.partial")
                partial.write_text(json.dumps(sandbox.save_state(sandbox_app)))
                os.replace(partial, path)  # never a half-written file
            except (OSError, TypeError, ValueError) as exc:
                logger.warning("the %s sandbox's state was not saved: %s", slug, exc)


def mount_sandboxes(
    app: FastAPI, public_base_url: str, state_dir: Path | None = None
) -> MountedSandboxes:
    """Mounts every installed connector's sandbox at ``/sandbox/<slug>`` (``HUBWIRE_SANDBOXES``)
    and points its outbound webhooks at ``/v1/connectors/<slug>/webhooks``."""
    mounted = MountedSandboxes(state_dir)
    for slug, connector in connector_registry().items():
        sandbox = connector.sandbox()
        if sandbox is None:
            continue
        sandbox_app = sandbox.create_app()
        if sandbox.set_webhook_target is not None:
            sandbox.set_webhook_target(
                sandbox_app, f"{public_base_url.rstrip('/')}/v1/connectors/{slug}/webhooks"
            )
        mounted.load(slug, sandbox, sandbox_app)
        app.mount(f"/sandbox/{slug}", sandbox_app)
        mounted.apps[slug] = (sandbox, sandbox_app)
    return mounted


class ConnectorService:
    def catalog(self) -> list[ConnectorOut]:
        """Every loaded connector (``HUBWIRE_CONNECTORS`` applied), in slug order."""
        return [ConnectorOut.model_validate(entry) for entry in _installed()]


connectors = ConnectorService()
