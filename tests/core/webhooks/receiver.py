"""A real HTTP receiver on loopback for webhook tests: records what arrives, answers
what the test scripted (status and headers per request, then a default)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from aiohttp import web


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: str
    at: float  # time.monotonic() on arrival


@dataclass
class Receiver:
    base_url: str
    received: list[Received] = field(default_factory=list)
    script: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    default: tuple[int, dict[str, str]] = (200, {})
    body: bytes = b"ok"  # what every answer carries
    # Seconds before answering (a hanging endpoint: longer than the sender's timeout).
    delay: float = 0.0
    # Requests being handled now, the most at once, and when each one ended (answered, or
    # abandoned by the sender: the receiver runs with handler cancellation).
    in_flight: int = 0
    peak: int = 0
    ended: list[float] = field(default_factory=list)

    def url(self, path: str = "/hook") -> str:
        return f"{self.base_url}{path}"

    def answer(self, *statuses: int | tuple[int, dict[str, str]]) -> None:
        """The next responses, in order; afterwards the default."""
        for status in statuses:
            self.script.append(status if isinstance(status, tuple) else (status, {}))

    def at(self, path: str) -> list[Received]:
        return [r for r in self.received if r.path == path]

    async def wait_for(
        self, count: int, path: str = "/hook", deadline: float = 15
    ) -> list[Received]:
        await eventually(lambda: _enough(self.at(path), count), deadline, f"{count} requests")
        return self.at(path)

    async def _handle(self, request: web.Request) -> web.Response:
        body = await request.text()
        self.received.append(Received(request.path, dict(request.headers), body, time.monotonic()))
        self.in_flight += 1
        self.peak = max(self.peak, self.in_flight)
        try:
            if self.delay:
                await asyncio.sleep(self.delay)
        finally:
            self.in_flight -= 1
            self.ended.append(time.monotonic())
        status, headers = self.script.pop(0) if self.script else self.default
        return web.Response(status=status, headers=headers, body=self.body)


async def _enough(items: list[Received], count: int) -> bool:
    return len(items) >= count


async def eventually(
    check: Callable[[], Awaitable[bool]], deadline: float = 15, what: str = "condition"
) -> None:
    """Polls ``check`` until it holds; fails after ``deadline`` seconds."""
    end = time.monotonic() + deadline
    while not await check():
        if time.monotonic() > end:
            raise AssertionError(f"timed out after {deadline} s waiting for {what}")
        await asyncio.sleep(0.05)


@asynccontextmanager
async def running_receiver() -> AsyncIterator[Receiver]:
    receiver = Receiver("")
    app = web.Application()
    app.router.add_route("POST", "/{tail:.*}", receiver._handle)
    # A request the sender abandons (its timeout) ends here too, as it would at a real server
    # whose connection closed: in_flight counts what the sender still waits for.
    runner = web.AppRunner(app, access_log=None, handler_cancellation=True)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    server = site._server
    assert server is not None
    port = server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    receiver.base_url = f"http://127.0.0.1:{port}"
    try:
        yield receiver
    finally:
        await runner.cleanup()
