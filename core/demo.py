"""What ``hubwire serve --demo`` keeps between starts: the demo key and the demo owner's
password, so scripts and a logged-in browser keep working after a restart. They are kept
sealed with the deployment's secret box (never in clear) in ``HUBWIRE_DEMO_CREDENTIALS_FILE``
(``var/demo-credentials``), and reused only while they still work: a key revoked or expired
meanwhile, or a password changed, is replaced and the new one shown."""

from __future__ import annotations

import json
import os
from pathlib import Path

from core.crypto import SecretBox
from core.errors import HubwireError


class DemoCredentials:
    def __init__(self, path: Path, box: SecretBox) -> None:
        self.path = path
        self.box = box

    def _read(self) -> dict[str, str]:
        try:
            values = json.loads(self.box.open(self.path.read_text(encoding="utf-8").strip()))
        except (OSError, ValueError, HubwireError):
            return {}  # none yet, or sealed with a key this deployment no longer has
        return {str(k): str(v) for k, v in values.items()} if isinstance(values, dict) else {}

    def get(self, name: str) -> str | None:
        return self._read().get(name)

    def put(self, name: str, value: str) -> None:
        values = {**self._read(), name: value}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        sealed = self.box.seal(json.dumps(values, sort_keys=True))
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(sealed, encoding="utf-8")
        os.chmod(temporary, 0o600)
        temporary.replace(self.path)
