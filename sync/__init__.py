"""The Celery app and tasks, the event pipeline and the sync engine (docs/architecture.md,
"Background tasks" and "The event pipeline").

``celery -A sync worker -B`` finds :data:`app` here, configured from ``HUBWIRE_*`` settings.
"""

from __future__ import annotations

from typing import Any


def __getattr__(name: str) -> Any:
    # Built on first access so importing a sync module never reads settings or connects.
    if name in {"app", "celery"}:
        from sync.worker import default_worker

        return default_worker().celery
    raise AttributeError(name)
