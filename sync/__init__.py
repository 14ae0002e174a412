"""Celery app, sync engine and webhook delivery. See DESIGN.md §1 and §4.

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
