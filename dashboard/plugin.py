"""The dashboard as a ``hubwire`` plugin (entry-point group ``hubwire.extensions``)."""

from __future__ import annotations

from fastapi import APIRouter

from connectors.hookspecs import hookimpl


@hookimpl
def hubwire_api_routers() -> list[APIRouter]:
    from dashboard.endpoints import router

    return [router]
