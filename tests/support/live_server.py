"""A real Hubwire server over loopback, in a background thread with its own event loop."""

from __future__ import annotations

import secrets
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Literal

import uvicorn

from core.app import create_app
from core.http_server import uvicorn_options
from core.settings import Settings


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serve_asgi(app: Any, *, lifespan: Literal["on", "off"] = "off") -> Iterator[str]:
    """Runs any ASGI app with uvicorn in a thread on a free port; yields its base URL."""
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            app,
            host="127.0.0.1",
            port=port,
            log_level="warning",
            lifespan=lifespan,
            **uvicorn_options(),
        )
    )
    thread = threading.Thread(target=server.run, name=f"asgi-{port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=20)


@contextmanager
def live_server(settings: Settings) -> Iterator[str]:
    """Serves ``create_app(settings)`` on a free port; yields its base URL.

    The session's app already runs the one embedded worker a process may have, so this
    server runs none: its work is picked up from the database by the session worker's
    sweeper. Its Redis keys (rate limits included) get their own prefix, so the per-IP
    limits of earlier tests on 127.0.0.1 (ten logins a minute) do not carry over."""
    isolated = {
        "embedded_worker": False,
        "redis_prefix": f"{settings.redis_prefix}live:{secrets.token_hex(4)}:",
    }
    with serve_asgi(create_app(settings.model_copy(update=isolated)), lifespan="on") as url:
        yield url
