"""The dashboard's own scripts and styles (``dashboard/static``, with the built
``vendor`` packages), and nothing outside that folder."""

from __future__ import annotations

from fastapi import Response
from fastapi.responses import FileResponse

from core.errors import NotFound
from dashboard.browser import STATIC_DIR
from dashboard.pages.common import page_router

router = page_router()


@router.get("/static/{name:path}")
async def static(name: str) -> Response:
    path = (STATIC_DIR / name).resolve()
    if not path.is_file() or STATIC_DIR.resolve() not in path.parents:
        raise NotFound("No such file.")
    response = FileResponse(path)
    response.headers["Cache-Control"] = "public, max-age=300"
    return response
