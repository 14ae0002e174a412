"""Sync steps and provider calls reach the metrics, per connector: the ``hubwire_sync_result``
observer of ``core.metrics`` and the call budget's counter. Real HTTP against the CRM
sandbox over loopback."""

from __future__ import annotations

from core.metrics.service import process_metrics
from sync.engine import push_connection
from tests.core.metrics.test_endpoints import parse, value
from tests.support.live_server import serve_asgi
from tests.sync.engine_kit import BATCH, SLUG, CrmState, Env, SyncCrm, crm_app


async def test_push_steps_and_provider_calls_are_counted(env: Env, crm: SyncCrm) -> None:
    state = CrmState()
    with serve_asgi(crm_app(state)) as sandbox:
        workspace = await env.workspace()
        connection = await env.connect(workspace, sandbox, connector=crm)  # type: ignore[arg-type]
        await env.create_leads(
            workspace, *[{"name": f"P {i}", "email": f"m{i}@example.com"} for i in range(4)]
        )
        await env.fan_out()
        before = parse(process_metrics().decode())
        stats = await push_connection(env.deps, connection)
        after = parse(process_metrics().decode())
    assert stats.pushed == 4

    def delta(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    steps = {"connector": SLUG, "direction": "push", "object_type": "contact", "result": "ok"}
    assert delta("hubwire_sync_steps_total", **steps) == 2  # 4 records in batches of 3: 3, 1
    assert BATCH == 3
    records = {"connector": SLUG, "direction": "push", "outcome": "processed"}
    assert delta("hubwire_sync_records_total", **records) == 4
    timing = {"connector": SLUG, "direction": "push"}
    assert delta("hubwire_sync_step_duration_seconds_count", **timing) == 2
    assert delta("hubwire_provider_calls_total", connector=SLUG) == state.stats["batch_writes"]
    assert state.stats["batch_writes"] == 2
