"""The authorized apps page: the apps this person allowed to act for them, and revoking
them."""

from __future__ import annotations

from fastapi import Request, Response

from core.deps import Session
from dashboard.browser import CurrentViewer, Viewer, render
from dashboard.pages.common import list_params, page_router
from oauth.consents.service import consents

router = page_router()


async def _authorized_page(
    request: Request, session: Session, viewer: Viewer, *, notice: str | None = None
) -> Response:
    assert viewer.principal.user_id is not None
    page = await consents.list(session, user_id=viewer.principal.user_id, params=list_params(100))
    return render(
        request, "authorized_apps.html", viewer=viewer, authorizations=page.items, notice=notice
    )


@router.get("/authorized-apps")
async def authorized_apps(request: Request, session: Session, viewer: CurrentViewer) -> Response:
    """The apps this person authorized (every role: it is about their own access)."""
    return await _authorized_page(request, session, viewer)


@router.post("/authorized-apps/{consent_id}/revoke")
async def revoke_authorization(
    request: Request, session: Session, viewer: CurrentViewer, consent_id: str
) -> Response:
    assert viewer.principal.user_id is not None
    await consents.revoke(session, user_id=viewer.principal.user_id, consent_id=consent_id)
    return await _authorized_page(request, session, viewer, notice="Access revoked.")
