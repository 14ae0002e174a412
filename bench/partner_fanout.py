"""What do partner webhooks cost the fan-out?

Since partner webhooks, every fan-out batch also looks for the subscriptions of the partners
that manage the batch's workspaces (a second query, ``TargetRepository.fan_out_targets``).
Side by side in one run, in one fresh PostgreSQL database, rounds interleaved so machine
noise hits each variant alike (``--events`` events per round, spread over ``--workspaces``
workspaces, each workspace with one subscription of its own):

  before   - the fan-out with the targets query as it was (workspace subscriptions only);
  after    - the fan-out as it is, the same workspaces (no partner): the added query's cost;
  partner  - the fan-out as it is, workspaces managed by a partner with one subscription for
             all of them: two deliveries per event instead of one.

The last line is one JSON object: the median milliseconds per event of each variant,
``after_vs_before`` and ``partner_vs_before`` (ratios of those medians, per event) and
``partner_per_delivery_vs_before`` (per delivery written). Ratios only: the machine is shared.

    .venv/bin/python bench/partner_fanout.py [--events 5000] [--workspaces 50] [--rounds 5]

Server: ``HUBWIRE_BENCH_POSTGRES_URL`` (default postgresql://postgres@127.0.0.1:5432/postgres;
a temporary database is created in it and dropped).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import time
from collections.abc import Collection
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select, text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core.database import Database  # noqa: E402  (needs ROOT on the path)
from core.events.models import Event  # noqa: E402
from core.migrations.runner import upgrade_async  # noqa: E402
from core.partners.models import Partner  # noqa: E402
from core.webhooks.models import Delivery, Webhook  # noqa: E402
from core.workspaces.models import Workspace  # noqa: E402
from sync.pipeline import fanout  # noqa: E402
from sync.pipeline.repository import (  # noqa: E402
    _SENDING_COLUMNS,
    FanOutTarget,
    SendingInfo,
    TargetRepository,
)
from tests.support.servers import temporary_database  # noqa: E402

DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/postgres"


async def targets_before(self: TargetRepository, workspace_ids: Collection[str]) -> Any:
    """The targets query before partner webhooks: the workspaces' own subscriptions."""
    if not workspace_ids:
        return []
    stmt = select(Webhook.events, Webhook.created_at, *_SENDING_COLUMNS).where(
        Webhook.workspace_id.in_(workspace_ids), Webhook.active.is_(True)
    )
    targets = []
    for events, created_at, *sending in await self.session.execute(stmt):
        info = SendingInfo(*sending)
        assert info.workspace_id is not None
        targets.append(FanOutTarget(info.id, info.workspace_id, info.url, events, created_at, info))
    return targets


async def seed(db: Database, workspaces: int) -> dict[str, list[str]]:
    """Two sets of workspaces, each with its own subscription; the second set managed by a
    partner that has one subscription for all of them."""
    sets: dict[str, list[str]] = {"plain": [], "managed": []}
    async with db.session() as session:
        partner = Partner(
            name="Bench agency", contact_email="b@example.com", workspace_scopes=[], tier="x"
        )
        session.add(partner)
        await session.flush()
        session.add(_hook(partner_id=partner.id))
        for kind in sets:
            for n in range(workspaces):
                workspace = Workspace(
                    slug=f"{kind}-{n}",
                    name=f"{kind} {n}",
                    partner_id=partner.id if kind == "managed" else None,
                    status="active",
                )
                session.add(workspace)
                await session.flush()
                session.add(_hook(workspace_id=workspace.id))
                sets[kind].append(workspace.id)
    await asyncio.sleep(0.01)  # subscriptions strictly older than the events
    return sets


def _hook(**owner: str) -> Webhook:
    return Webhook(
        **owner,
        url="https://receiver.example/hook",
        events=["*"],
        active=True,
        secret_sealed="not-opened-by-the-fan-out",  # noqa: S106 - never opened here
        success_count=0,
        failure_count=0,
        consecutive_failures=0,
        circuit_state="closed",
        unreachable_count=0,
    )


async def one_round(db: Database, workspace_ids: list[str], events: int) -> tuple[float, int]:
    """Seconds to fan ``events`` events out, and how many deliveries that wrote."""
    async with db.session() as session:
        session.add_all(
            Event(
                workspace_id=workspace_ids[n % len(workspace_ids)],
                type="lead.created",
                data={"id": f"lead_{n}"},
            )
            for n in range(events)
        )
    async with db.session() as session:
        await session.execute(text("ANALYZE"))
    started = time.perf_counter()
    fanned = await fanout.fan_out_pending(db)
    elapsed = time.perf_counter() - started
    assert fanned == events, (fanned, events)
    async with db.session() as session:
        written = len((await session.scalars(select(Delivery.id))).all())
        await session.execute(delete(Delivery))
        await session.execute(delete(Event))
    return elapsed, written


async def run(args: argparse.Namespace) -> dict[str, Any]:
    server = os.environ.get("HUBWIRE_BENCH_POSTGRES_URL", DEFAULT_POSTGRES)
    async with temporary_database(server, prefix="hubwire_bench") as url:
        await upgrade_async(url)
        db = Database(url)
        try:
            sets = await seed(db, args.workspaces)
            per_event: dict[str, list[float]] = {"before": [], "after": [], "partner": []}
            deliveries: dict[str, int] = {}
            now = TargetRepository.fan_out_targets
            variants = (
                ("before", sets["plain"], targets_before),
                ("after", sets["plain"], now),
                ("partner", sets["managed"], now),
            )
            for round_no in range(args.rounds + 1):
                for name, workspace_ids, targets in variants:
                    TargetRepository.fan_out_targets = targets  # type: ignore[method-assign]
                    try:
                        elapsed, written = await one_round(db, workspace_ids, args.events)
                    finally:
                        TargetRepository.fan_out_targets = now  # type: ignore[method-assign]
                    if round_no == 0:
                        continue  # warm-up: caches, prepared statements
                    per_event[name].append(elapsed * 1000 / args.events)
                    deliveries[name] = written
                    print(
                        json.dumps(
                            {
                                "round": round_no,
                                "variant": name,
                                "ms_per_event": round(per_event[name][-1], 4),
                                "deliveries": written,
                            }
                        ),
                        flush=True,
                    )
        finally:
            await db.dispose()
    median = {name: statistics.median(values) for name, values in per_event.items()}
    per_delivery_partner = median["partner"] * args.events / deliveries["partner"]
    per_delivery_before = median["before"] * args.events / deliveries["before"]
    return {
        "events": args.events,
        "workspaces": args.workspaces,
        "rounds": args.rounds,
        "deliveries_per_event": {k: v / args.events for k, v in deliveries.items()},
        "ms_per_event": {k: round(v, 4) for k, v in median.items()},
        "after_vs_before": round(median["after"] / median["before"], 3),
        "partner_vs_before": round(median["partner"] / median["before"], 3),
        "partner_per_delivery_vs_before": round(per_delivery_partner / per_delivery_before, 3),
        "load_average": os.getloadavg(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--events", type=int, default=5000)
    parser.add_argument("--workspaces", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=5)
    print(json.dumps(asyncio.run(run(parser.parse_args()))))


if __name__ == "__main__":
    main()
