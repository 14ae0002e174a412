"""Who holds SQLite's write lock: when a test fails on ``database is locked``, its report
says which write transactions were open then, for how long, and where their tasks are.

SQLite allows one writer per file; every app of a test run on the embedded backend (the
session's app with its worker, and the apps tests make) shares one file, so a writer that
keeps its transaction open makes every other wait (``busy_timeout``) and then fail. The
error names the waiter, never the holder; this records the holders. A write transaction
starts at its first write statement (pysqlite begins it there) and ends at a commit, a
rollback, or the connection's reset, close or invalidation."""

from __future__ import annotations

import asyncio
import io
import threading
import time
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.pool import Pool

_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


@dataclass
class _Holder:
    since: float
    thread: str
    statement: str
    task: asyncio.Task[Any] | None


_open: dict[int, _Holder] = {}


@event.listens_for(Engine, "before_cursor_execute")
def _maybe_began(
    conn: Any, _cursor: Any, statement: str, _params: Any, _context: Any, _many: bool
) -> None:
    if conn.dialect.name != "sqlite":
        return
    key = id(conn.connection.dbapi_connection)
    if key in _open or not statement.lstrip()[:7].upper().startswith(_WRITES):
        return
    try:
        task = asyncio.current_task()
    except RuntimeError:
        task = None
    _open[key] = _Holder(
        time.monotonic(), threading.current_thread().name, " ".join(statement.split())[:160], task
    )


def _ended(conn: Any, *_: Any) -> None:
    if conn.dialect.name == "sqlite":
        _open.pop(id(conn.connection.dbapi_connection), None)


event.listen(Engine, "commit", _ended)
event.listen(Engine, "rollback", _ended)


def _released(dbapi_connection: Any, *_: Any) -> None:
    _open.pop(id(dbapi_connection), None)


for _name in ("reset", "close", "close_detached", "invalidate", "soft_invalidate", "checkin"):
    event.listen(Pool, _name, _released)


def report(older_than: float = 1.0) -> str:
    """The write transactions open for more than ``older_than`` seconds, oldest first."""
    now = time.monotonic()
    lines: list[str] = []
    for holder in sorted(list(_open.values()), key=lambda h: h.since):
        age = now - holder.since
        if age < older_than:
            continue
        lines.append(f"open {age:.1f} s in thread {holder.thread}: {holder.statement}")
        if holder.task is not None:
            stack = io.StringIO()
            holder.task.print_stack(limit=30, file=stack)
            lines.append(stack.getvalue())
    return "\n".join(lines) or f"no write transaction open longer than {older_than} s"
