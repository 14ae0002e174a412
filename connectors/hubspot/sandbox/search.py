"""CRM v3 search: ``POST /crm/v3/objects/{type}/search`` (filter groups, sorts, query)."""

from __future__ import annotations

import functools
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request

from connectors.hubspot.sandbox.config import SandboxConfig
from connectors.hubspot.sandbox.deps import ClientId, SandboxDep, json_body, object_type
from connectors.hubspot.sandbox.errors import ApiError
from connectors.hubspot.sandbox.objects import CRM
from connectors.hubspot.sandbox.store import CrmObject

router = APIRouter()


@functools.lru_cache(maxsize=1 << 16)  # a search compares the same values over and over
def _sort_key(value: str | None) -> tuple[int, float | str]:
    """Orders and compares property values: numbers and dates numerically, else as text."""
    if value is None or value == "":
        return (2, "")
    text = value.strip()
    try:
        return (0, float(text))
    except ValueError:
        pass
    try:
        return (0, datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp() * 1000)
    except ValueError:
        return (1, text.lower())


def _matches(obj: CrmObject, flt: dict[str, Any]) -> bool:
    name = str(flt.get("propertyName", ""))
    op = str(flt.get("operator", "EQ"))
    actual = obj.id if name in ("hs_object_id", "id") else obj.properties.get(name)
    if op == "HAS_PROPERTY":
        return bool(actual)
    if op == "NOT_HAS_PROPERTY":
        return not actual
    if op == "CONTAINS_TOKEN":
        token = str(flt.get("value", "")).lower().strip("*")
        return bool(actual) and token in (actual or "").lower()
    if op in ("IN", "NOT_IN"):
        values = {_sort_key(str(v)) for v in flt.get("values") or []}
        return (_sort_key(actual) in values) == (op == "IN")
    have, want = _sort_key(actual), _sort_key(str(flt.get("value", "")))
    if op == "EQ":
        return have == want
    if op == "NEQ":
        return have != want
    if have[0] != want[0] or have[0] == 2:
        return False
    if op == "BETWEEN":
        high = _sort_key(str(flt.get("highValue", "")))
        return have[0] == high[0] and want[1] <= have[1] <= high[1]  # type: ignore[operator]
    compare = {
        "GT": lambda a, b: a > b,
        "GTE": lambda a, b: a >= b,
        "LT": lambda a, b: a < b,
        "LTE": lambda a, b: a <= b,
    }.get(op)
    if compare is None:
        raise ApiError(400, f"Unsupported operator {op}", "VALIDATION_ERROR")
    return bool(compare(have[1], want[1]))


def _check_filters(cfg: SandboxConfig, groups: list[dict[str, Any]]) -> None:
    """HubSpot's caps on filter groups, filters per group and filters in all."""
    sizes = [len(g.get("filters") or []) for g in groups]
    if (
        len(groups) > cfg.max_filter_groups
        or any(n > cfg.max_filters_per_group for n in sizes)
        or sum(sizes) > cfg.max_filters
    ):
        raise ApiError(
            400,
            f"A search takes at most {cfg.max_filter_groups} filter groups of at most "
            f"{cfg.max_filters_per_group} filters, {cfg.max_filters} filters in all "
            f"(got {len(groups)} groups, {sum(sizes)} filters).",
            "VALIDATION_ERROR",
        )


@router.post(CRM + "/search")
async def search(
    type_name: str, request: Request, sandbox: SandboxDep, _: ClientId
) -> dict[str, Any]:
    kind = object_type(type_name)
    cfg, store = sandbox.config, sandbox.store
    if not sandbox.search_limiter.hit(str(cfg.portal_id)).allowed:
        store.count_rate_limited()
        # No rate-limit headers and no Retry-After on this one (docs/connectors/hubspot.md).
        raise ApiError(
            429,
            "You have reached your secondly limit.",
            "RATE_LIMITS",
            extra={"errorType": "RATE_LIMIT", "policyName": "SECONDLY"},
        )
    body = await json_body(request)
    limit = int(body.get("limit") or 10)
    if not 0 < limit <= cfg.max_search_limit:
        raise ApiError(400, f"limit must be 1..{cfg.max_search_limit}", "VALIDATION_ERROR")
    groups = body.get("filterGroups") or []
    _check_filters(cfg, groups)
    start = int(body.get("after") or 0)
    if start + limit > cfg.max_search_results:
        raise ApiError(
            400,
            f"The search API returns at most {cfg.max_search_results} results for a query; "
            "narrow its filters to read further.",
            "VALIDATION_ERROR",
        )
    query = str(body.get("query") or "").lower()

    def keep(o: CrmObject) -> bool:
        return (
            not groups or any(all(_matches(o, f) for f in g.get("filters", [])) for g in groups)
        ) and (not query or any(query in v.lower() for v in o.properties.values()))

    def order(rows: list[CrmObject]) -> None:
        rows.sort(key=lambda o: int(o.id))
        for sort in reversed(body.get("sorts") or []):
            if isinstance(sort, str):
                name, desc = sort.lstrip("-"), sort.startswith("-")
            else:
                name = str(sort.get("propertyName", ""))
                desc = str(sort.get("direction", "ASCENDING")).upper() == "DESCENDING"

            def by(obj: CrmObject, prop: str = name) -> tuple[int, float | str]:
                return _sort_key(obj.properties.get(prop))

            rows.sort(key=by, reverse=desc)

    total, page = store.search(kind, keep, order, start, limit)
    props = body.get("properties") or None
    result: dict[str, Any] = {"total": total, "results": [o.to_json(props) for o in page]}
    if start + limit < total:
        result["paging"] = {"next": {"after": str(start + limit)}}
    return result
