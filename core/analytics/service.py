"""Period statistics and zero-filled time series over leads, calls and chats."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from core.analytics.repository import AnalyticsRepository
from core.analytics.schemas import (
    APPOINTMENT_STATUSES,
    LEAD_STATUSES,
    UNKNOWN,
    AgentAnalytics,
    AgentStats,
    AnalyticsSummary,
    AppointmentStats,
    CallBucket,
    CallSeries,
    CallStats,
    ChatStats,
    LeadBucket,
    LeadSeries,
    LeadStats,
    PaymentStats,
    Period,
    PeriodOut,
    RevenueBucket,
    RevenueSeries,
    Series,
)
from core.payments.schemas import PAYMENT_STATUSES
from core.timeseries import bucket_labels

TOP_SOURCES = 50


def _counts(rows: list[Any], *, prefill: tuple[str, ...] = ()) -> dict[str, int]:
    """``{key: count}`` from (key, count) rows; a NULL key counts as ``unknown``."""
    counts = dict.fromkeys(prefill, 0)
    for key, count in rows:
        label = UNKNOWN if key is None else str(key)
        counts[label] = counts.get(label, 0) + int(count)
    return counts


def _average(value: Any) -> float | None:
    # AVG is a float on SQLite and a Decimal on PostgreSQL.
    return None if value is None else round(float(value), 2)


def _period(period: Period) -> PeriodOut:
    return PeriodOut(date_from=period.start, date_to=period.end)


class AnalyticsService:
    async def summary(
        self, session: AsyncSession, *, workspace_id: str, period: Period
    ) -> AnalyticsSummary:
        repo = AnalyticsRepository(session)
        start, end = period.start, period.end
        by_status = _counts(
            await repo.leads_by_status(workspace_id, start, end), prefill=LEAD_STATUSES
        )
        total_leads = sum(by_status.values())
        call_count, call_average, call_seconds = await repo.call_totals(workspace_id, start, end)
        booked = _counts(
            await repo.appointments_by_status(workspace_id, start, end),
            prefill=APPOINTMENT_STATUSES,
        )
        took_place = booked["completed"] + booked["no_show"]
        paid = _counts(
            await repo.payments_by_status(workspace_id, start, end), prefill=PAYMENT_STATUSES
        )
        revenue: dict[str, int] = {}
        refunded: dict[str, int] = {}
        by_source: dict[str, dict[str, int]] = {}
        for provider, currency, net, refunds in await repo.revenue_by_source(
            workspace_id, start, end
        ):
            revenue[currency] = revenue.get(currency, 0) + int(net or 0)
            if refunds:
                refunded[currency] = refunded.get(currency, 0) + int(refunds)
            by_source.setdefault(provider, {})[currency] = int(net or 0)
        return AnalyticsSummary(
            period=_period(period),
            leads=LeadStats(
                total=total_leads,
                by_status=by_status,
                by_source=_counts(
                    await repo.leads_by_source(workspace_id, start, end, TOP_SOURCES)
                ),
                conversion_rate=(
                    round(by_status["converted"] / total_leads, 4) if total_leads else 0.0
                ),
            ),
            calls=CallStats(
                total=int(call_count),
                by_status=_counts(await repo.calls_by_status(workspace_id, start, end)),
                by_outcome=_counts(await repo.calls_by_outcome(workspace_id, start, end)),
                average_duration_seconds=_average(call_average),
                total_duration_seconds=int(call_seconds),
            ),
            chat=ChatStats(
                sessions=await repo.chat_sessions(workspace_id, start, end),
                messages=await repo.chat_messages(workspace_id, start, end),
            ),
            appointments=AppointmentStats(
                booked=sum(booked.values()),
                by_status=booked,
                canceled=booked["canceled"],
                no_show_rate=round(booked["no_show"] / took_place, 4) if took_place else 0.0,
            ),
            payments=PaymentStats(
                total=sum(paid.values()),
                by_status=paid,
                revenue=revenue,
                refunded=refunded,
                by_source=by_source,
            ),
        )

    async def lead_series(
        self, session: AsyncSession, *, workspace_id: str, series: Series
    ) -> LeadSeries:
        period, group_by = series.period, series.group_by
        rows = await AnalyticsRepository(session).leads_by_bucket(
            workspace_id, period.start, period.end, group_by
        )
        buckets = {
            label: dict.fromkeys(LEAD_STATUSES, 0)
            for label in bucket_labels(period.start, period.end, group_by)
        }
        for label, status, count in rows:
            statuses = buckets.setdefault(label, dict.fromkeys(LEAD_STATUSES, 0))
            statuses[status] = statuses.get(status, 0) + int(count)
        return LeadSeries(
            period=_period(period),
            group_by=group_by,
            series=[
                LeadBucket(time=label, total=sum(statuses.values()), by_status=statuses)
                for label, statuses in sorted(buckets.items())
            ],
        )

    async def call_series(
        self, session: AsyncSession, *, workspace_id: str, series: Series
    ) -> CallSeries:
        period, group_by = series.period, series.group_by
        rows = await AnalyticsRepository(session).calls_by_bucket(
            workspace_id, period.start, period.end, group_by
        )
        buckets = {
            label: CallBucket(time=label, total=0, ended=0, failed=0, average_duration_seconds=None)
            for label in bucket_labels(period.start, period.end, group_by)
        }
        for label, count, ended, failed, average in rows:
            buckets[label] = CallBucket(
                time=label,
                total=int(count),
                ended=int(ended),
                failed=int(failed),
                average_duration_seconds=_average(average),
            )
        return CallSeries(
            period=_period(period),
            group_by=group_by,
            series=[buckets[label] for label in sorted(buckets)],
        )

    async def agents(
        self, session: AsyncSession, *, workspace_id: str, period: Period
    ) -> AgentAnalytics:
        repo = AnalyticsRepository(session)
        start, end = period.start, period.end
        calls = {
            agent: (int(n), int(seconds))
            for agent, n, seconds in await repo.calls_by_agent(workspace_id, start, end)
        }
        unassigned = calls.pop(None, (0, 0))[0]
        # The latest succeeded analysis of each call is the one that counts.
        latest: dict[str, tuple[Any, str, float]] = {}
        for agent_id, call_id, finished_at, result in await repo.agent_analyses(
            workspace_id, start, end
        ):
            score = (result or {}).get("score")
            if not isinstance(score, int | float):
                continue
            known = latest.get(call_id)
            if known is None or (
                finished_at is not None and (known[0] is None or finished_at > known[0])
            ):
                latest[call_id] = (finished_at, agent_id, float(score))
        scores: dict[str, list[float]] = {}
        for _, agent_id, score in latest.values():
            scores.setdefault(agent_id, []).append(score)
        leads = {
            agent: (int(called), int(converted))
            for agent, called, converted in await repo.agent_leads(workspace_id, start, end)
        }
        rows = []
        for agent in await repo.agents(workspace_id, set(calls)):
            count, seconds = calls.get(agent.id, (0, 0))
            agent_scores = scores.get(agent.id, [])
            called, converted = leads.get(agent.id, (0, 0))
            rows.append(
                AgentStats(
                    agent_id=agent.id,
                    name=agent.name,
                    kind=agent.kind,
                    status=agent.status,
                    calls=count,
                    talk_time_seconds=seconds,
                    analysed_calls=len(agent_scores),
                    average_score=round(sum(agent_scores) / len(agent_scores), 2)
                    if agent_scores
                    else None,
                    leads_called=called,
                    leads_converted=converted,
                    conversion_rate=round(converted / called, 4) if called else 0.0,
                )
            )
        rows.sort(key=lambda row: (-row.calls, row.name, row.agent_id))
        return AgentAnalytics(period=_period(period), agents=rows, unassigned_calls=unassigned)

    async def revenue_series(
        self, session: AsyncSession, *, workspace_id: str, series: Series
    ) -> RevenueSeries:
        period, group_by = series.period, series.group_by
        rows = await AnalyticsRepository(session).revenue_by_bucket(
            workspace_id, period.start, period.end, group_by
        )
        buckets = {
            label: RevenueBucket(time=label, payments=0, revenue={})
            for label in bucket_labels(period.start, period.end, group_by)
        }
        for label, currency, count, net in rows:
            bucket = buckets.setdefault(label, RevenueBucket(time=label, payments=0, revenue={}))
            bucket.payments += int(count)
            bucket.revenue[currency] = int(net or 0)
        return RevenueSeries(
            period=_period(period),
            group_by=group_by,
            series=[buckets[label] for label in sorted(buckets)],
        )


analytics = AnalyticsService()
