"""The front door: ``GET /`` (where to go from here), Swagger UI at ``/docs`` and Redoc at
``/redoc``. Their scripts are served by Hubwire itself from the npm distributions that
``make install`` builds into ``core/apidocs/static/vendor``: no CDN, so the docs render
behind a firewall or offline too."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request, Response
from fastapi.openapi.docs import (
    get_redoc_html,
    get_swagger_ui_html,
    get_swagger_ui_oauth2_redirect_html,
)
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse

from core import __version__
from core.errors import NotFound
from core.responses import JsonResponse

VENDOR_DIR = Path(__file__).parent / "static" / "vendor"
# What the asset build (assets/build.mjs) copies; nothing else is served.
ASSETS = ("swagger-ui-bundle.js", "swagger-ui.css", "favicon-32x32.png", "redoc.standalone.js")
ASSETS_PATH = "/docs/assets"
TITLE = "Hubwire API"

router = APIRouter(include_in_schema=False)


def _root(request: Request) -> str:
    return str(request.scope.get("root_path", "")).rstrip("/")


def assets_built() -> bool:
    return all((VENDOR_DIR / name).is_file() for name in ASSETS)


def _not_built(request: Request) -> HTMLResponse:
    root = _root(request)
    return HTMLResponse(
        "<!doctype html><title>Hubwire API docs</title>"
        "<p>The API docs' scripts are not built on this server: run <code>make install</code> "
        "(it needs Node.js and npm) and restart.</p>"
        f'<p>The OpenAPI document is at <a href="{root}/openapi.json">/openapi.json</a>.</p>',
        status_code=503,
    )


@router.get("/")
async def index(request: Request) -> Response:
    """A browser goes to the interactive docs; a program gets the links as JSON."""
    root = _root(request)
    if "text/html" in request.headers.get("accept", ""):
        return RedirectResponse(f"{root}/docs", status_code=307)
    return JsonResponse(
        {
            "name": TITLE,
            "version": __version__,
            "api": f"{root}/v1",
            "docs": f"{root}/docs",
            "redoc": f"{root}/redoc",
            "openapi": f"{root}/openapi.json",
            "health": f"{root}/healthz",
        }
    )


@router.get("/docs")
async def swagger_ui(request: Request) -> HTMLResponse:
    if not assets_built():
        return _not_built(request)
    root = _root(request)
    return get_swagger_ui_html(
        openapi_url=f"{root}/openapi.json",
        title=f"{TITLE} - Swagger UI",
        swagger_js_url=f"{root}{ASSETS_PATH}/swagger-ui-bundle.js",
        swagger_css_url=f"{root}{ASSETS_PATH}/swagger-ui.css",
        swagger_favicon_url=f"{root}{ASSETS_PATH}/favicon-32x32.png",
        oauth2_redirect_url=f"{root}/docs/oauth2-redirect",
    )


@router.get("/docs/oauth2-redirect")
async def swagger_ui_redirect() -> HTMLResponse:
    return get_swagger_ui_oauth2_redirect_html()


@router.get("/redoc")
async def redoc(request: Request) -> HTMLResponse:
    if not assets_built():
        return _not_built(request)
    root = _root(request)
    return get_redoc_html(
        openapi_url=f"{root}/openapi.json",
        title=f"{TITLE} - ReDoc",
        redoc_js_url=f"{root}{ASSETS_PATH}/redoc.standalone.js",
        redoc_favicon_url=f"{root}{ASSETS_PATH}/favicon-32x32.png",
        with_google_fonts=False,
    )


@router.get(ASSETS_PATH + "/{name}")
async def asset(name: str) -> Response:
    if name not in ASSETS or not (VENDOR_DIR / name).is_file():
        raise NotFound("No such file.")
    response = FileResponse(VENDOR_DIR / name)
    # Named by version in package.json: a day's cache is safe and spares the big bundles.
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response
