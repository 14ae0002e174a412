"""The Zapier endpoints as a ``hubwire`` plugin (entry-point group ``hubwire.extensions``):
core reaches this package only through this hook. Every process loads this module with
the plugin manager, so the routers are imported when the app factory asks for them."""

from __future__ import annotations

from fastapi import APIRouter

from core.plugins import hookimpl


@hookimpl
def hubwire_api_routers() -> list[APIRouter]:
    from zapier.hooks.endpoints import router as hooks_router

    return [hooks_router]
