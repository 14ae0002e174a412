"""What the page modules share: their router, list parameters, a failed form as one line of
text, the scopes a person may grant, and the share of a daily quota from which pages warn."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import ValidationError

from core.auth.scopes import SCOPES
from core.errors import HubwireError
from core.filters import CreatedRange
from core.listing import ListParams
from dashboard.browser import PREFIX, DashboardRoute, Viewer

ANY_TIME = CreatedRange(None, None)
QUOTA_WARNING = 0.8  # the share of a daily quota from which a page warns


def page_router() -> APIRouter:
    """A page module's router: under ``/dashboard``, out of the OpenAPI document, and every
    route a :class:`~dashboard.browser.DashboardRoute`."""
    return APIRouter(prefix=PREFIX, include_in_schema=False, route_class=DashboardRoute)


def list_params(limit: int) -> ListParams:
    return ListParams(limit=limit, offset=0, cursor=None, sort=None, fields=None)


def problem(exc: HubwireError | ValidationError) -> str:
    if isinstance(exc, HubwireError):
        return exc.message
    return "; ".join(
        f"{'.'.join(str(p) for p in e['loc']) or 'form'}: {e['msg']}" for e in exc.errors()
    )


def grantable_scopes(viewer: Viewer) -> list[tuple[str, str]]:
    """The scopes (with their descriptions) the viewer's role holds, so may grant."""
    return [(s, words) for s, words in SCOPES.items() if s in viewer.principal.scopes]
