"""Does one broken endpoint slow anyone else's webhooks? (docs/webhooks.md, "Isolation")

Embedded hub (SQLite, the in-process worker), real receivers: aiohttp servers on loopback.
Each scenario runs on a fresh hub, side by side in one run:

  alone     300 ``lead.created`` to a healthy receiver;
  hanging   the same 300 beside a second subscription on the same events whose receiver
            never answers (every request hangs past the timeout);
  refusing  the same beside a subscription whose port refuses connections;
  fairness  workspace A's 10,000 events fanned out and queued, then workspace B's 10:
            seconds from B's commit until all 10 arrived, and how many of A's were still
            waiting then;
  throttle  1,000 events to a subscription with ``maxRate`` 20: the most requests the
            receiver saw in one second (calendar-second windows of its clock, and any
            sliding 1 s window), and that all arrived.

alone, hanging and refusing run in ``--rounds`` interleaved rounds (3); the ratios are of
the medians. The last line is one JSON object: ``hanging_ratio`` and ``refusing_ratio``
(healthy time beside / alone; target <= 1.5), ``fairness_b_seconds`` (target <= 2),
``throttle_max_per_s`` (target <= 20) with ``throttle_delivered`` (1000), and
``targets_met``.

    .venv/bin/python bench/webhook_isolation.py [--healthy 300] [--burst 10000]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import socket
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core.app import create_app  # noqa: E402
from core.crypto import new_secret_key  # noqa: E402
from core.events.service import emit  # noqa: E402
from core.settings import Settings  # noqa: E402
from core.webhooks.repository import WebhookOwner  # noqa: E402
from core.webhooks.schemas import WebhookCreate  # noqa: E402
from core.webhooks.service import WebhookService  # noqa: E402
from core.workspaces.service import workspaces  # noqa: E402
from tests.core.webhooks.receiver import Receiver, running_receiver  # noqa: E402


def emit_line(record: dict[str, Any]) -> None:
    print(json.dumps(record), flush=True)


class Hub:
    """An embedded hub on its own SQLite file, its worker running in-process."""

    def __init__(self, app: Any) -> None:
        self.services = app.state.services
        self.settings: Settings = self.services.settings

    async def workspace(self, slug: str) -> str:
        async with self.services.db.session() as session:
            created = await workspaces.create(session, slug=slug, contact_email="b@example.com")
            return str(created.id)

    async def subscribe(self, workspace_id: str, url: str, **fields: Any) -> str:
        service = WebhookService(self.settings, self.services.secrets, self.services.event_catalog)
        data = WebhookCreate.model_validate({"url": url, "events": ["lead.*"], **fields})
        async with self.services.db.session() as session:
            owner = WebhookOwner(workspace_id=workspace_id)
            hook, _ = await service.create(session, owner=owner, data=data)
            return str(hook.id)

    async def emit(self, workspace_id: str, count: int) -> None:
        """``count`` lead.created events committed together (the relay task after it)."""
        async with self.services.db.session() as session:
            for n in range(count):
                emit(session, workspace_id=workspace_id, type="lead.created", data={"id": f"l{n}"})

    async def undispatched(self) -> int:
        from sqlalchemy import func, select

        from core.events.models import Event

        async with self.services.db.session() as session:
            return int(
                await session.scalar(
                    select(func.count()).select_from(Event).where(Event.dispatched_at.is_(None))
                )
                or 0
            )


@contextlib.asynccontextmanager
async def hub(directory: Path, name: str) -> AsyncIterator[Hub]:
    settings = Settings(
        environment="test",
        database_url=f"sqlite+aiosqlite:///{directory / name}.db",
        redis_url="",
        secret_key=new_secret_key(),
        webhook_allow_private=True,
        sweeper_interval_seconds=1.0,
    )
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        yield Hub(app)


@contextlib.asynccontextmanager
async def receivers(count: int) -> AsyncIterator[list[Receiver]]:
    async with contextlib.AsyncExitStack() as stack:
        yield [await stack.enter_async_context(running_receiver()) for _ in range(count)]


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


async def until(read: Callable[[], Awaitable[int]], value: int, within: float) -> None:
    """Polls ``read`` until it gives ``value``."""
    end = time.monotonic() + within
    while (found := await read()) != value:
        if time.monotonic() > end:
            raise TimeoutError(f"{found}, not {value}, after {within} s")
        await asyncio.sleep(0.01)


async def wait_count(receiver: Receiver, count: int, within: float) -> None:
    async def arrived() -> int:
        return min(len(receiver.received), count)

    await until(arrived, count, within)


async def healthy_time(directory: Path, name: str, healthy: int, beside: str | None) -> float:
    """Seconds from the commit of ``healthy`` events to the last arrival at the healthy
    receiver, with a hanging or refusing subscription beside it (or none)."""
    async with hub(directory, name) as h, receivers(2) as (good, bad):
        bad.delay = 3600  # hangs past any timeout
        ws = await h.workspace("bench")
        await h.subscribe(ws, good.url())
        if beside == "hanging":
            await h.subscribe(ws, bad.url())
        elif beside == "refusing":
            await h.subscribe(ws, f"http://127.0.0.1:{closed_port()}/hook")
        started = time.monotonic()
        await h.emit(ws, healthy)
        await wait_count(good, healthy, 120)
        elapsed = max(r.at for r in good.received) - started
        emit_line(
            {
                "scenario": beside or "alone",
                "healthy_deliveries": healthy,
                "seconds": round(elapsed, 3),
                "hanging_peak_in_flight": bad.peak if beside == "hanging" else None,
            }
        )
        return elapsed


async def fairness(directory: Path, burst: int, few: int) -> dict[str, Any]:
    async with hub(directory, "fairness") as h, receivers(2) as (a_rx, b_rx):
        ws_a = await h.workspace("burst")
        ws_b = await h.workspace("quiet")
        await h.subscribe(ws_a, a_rx.url())
        await h.subscribe(ws_b, b_rx.url())
        await h.emit(ws_a, burst)
        # A's events become deliveries (queued in the database and the engine) first.
        await until(h.undispatched, 0, 300)
        a_before = len(a_rx.received)
        started = time.monotonic()
        await h.emit(ws_b, few)
        await wait_count(b_rx, few, 120)
        b_seconds = max(r.at for r in b_rx.received) - started
        record = {
            "scenario": "fairness",
            "a_events": burst,
            "a_delivered_before_b_sent": a_before,
            "a_waiting_when_b_done": burst - len(a_rx.received),
            "b_events": few,
            "b_seconds": round(b_seconds, 3),
        }
        emit_line(record)
        return record


async def throttle(directory: Path, events: int, rate: float) -> dict[str, Any]:
    async with hub(directory, "throttle") as h, receivers(1) as (rx,):
        ws = await h.workspace("throttled")
        await h.subscribe(ws, rx.url(), maxRate=rate)
        started = time.monotonic()
        await h.emit(ws, events)
        await wait_count(rx, events, events / rate * 3 + 60)
        times = sorted(r.at for r in rx.received)
        windows = Counter(int(t) for t in times)
        sliding = 0
        first = 0
        for last, at in enumerate(times):
            while at - times[first] >= 1.0:
                first += 1
            sliding = max(sliding, last - first + 1)
        record = {
            "scenario": "throttle",
            "max_rate": rate,
            "events": events,
            "delivered": len({r.headers["webhook-id"] for r in rx.received}),
            "max_per_calendar_second": max(windows.values()),
            "max_per_sliding_second": sliding,
            "seconds": round(times[-1] - started, 3),
        }
        emit_line(record)
        return record


async def main(args: argparse.Namespace) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="hubwire-isolation-") as tmp:
        directory = Path(tmp)
        times: dict[str, list[float]] = {"alone": [], "hanging": [], "refusing": []}
        # Interleaved rounds: the machine's other load moves the rates between runs.
        for n in range(args.rounds):
            for beside in ("alone", "hanging", "refusing"):
                times[beside].append(
                    await healthy_time(
                        directory,
                        f"{beside}{n}",
                        args.healthy,
                        None if beside == "alone" else beside,
                    )
                )
        fair = await fairness(directory, args.burst, args.few)
        paced = await throttle(directory, args.throttle_events, args.rate)
    alone = statistics.median(times["alone"])
    hanging = statistics.median(times["hanging"])
    refusing = statistics.median(times["refusing"])
    result = {
        "rounds": args.rounds,
        "alone_seconds": round(alone, 3),
        "hanging_ratio": round(hanging / alone, 2),
        "refusing_ratio": round(refusing / alone, 2),
        "fairness_b_seconds": fair["b_seconds"],
        "fairness_a_waiting_when_b_done": fair["a_waiting_when_b_done"],
        "throttle_max_per_s": paced["max_per_calendar_second"],
        "throttle_max_per_sliding_s": paced["max_per_sliding_second"],
        "throttle_delivered": paced["delivered"],
    }
    result["targets_met"] = bool(
        result["hanging_ratio"] <= 1.5
        and result["refusing_ratio"] <= 1.5
        and fair["b_seconds"] <= 2.0
        and paced["max_per_calendar_second"] <= args.rate
        and paced["delivered"] == args.throttle_events
    )
    return result


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--healthy", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--burst", type=int, default=10_000)
    parser.add_argument("--few", type=int, default=10)
    parser.add_argument("--throttle-events", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=20.0)
    emit_line(asyncio.run(main(parser.parse_args())))
