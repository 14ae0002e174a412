"""The dashboard as a ``hubwire`` plugin (entry-point group ``hubwire.extensions``)."""

from __future__ import annotations

from fastapi import APIRouter

from core.plugins.hookspecs import hookimpl


@hookimpl
def hubwire_api_routers() -> list[APIRouter]:
    from oauth.dashboard.endpoints import router

    return [router]
