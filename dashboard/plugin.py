"""The dashboard as a ``hubwire`` plugin (entry-point group ``hubwire.extensions``). Every
process loads this module with the plugin manager, so the pages (and Jinja) are imported
when the app factory asks for the routers."""

from __future__ import annotations

from fastapi import APIRouter

from core.plugins import hookimpl


@hookimpl
def hubwire_api_routers() -> list[APIRouter]:
    from dashboard.pages import (
        agents,
        api_keys,
        authorized_apps,
        integrations,
        leads,
        login,
        oauth_apps,
        overview,
        speed_to_lead,
        static,
        usage,
        webhooks,
    )

    pages = (
        login,
        static,
        overview,
        usage,
        api_keys,
        webhooks,
        integrations,
        leads,
        speed_to_lead,
        agents,
        oauth_apps,
        authorized_apps,
    )
    return [page.router for page in pages]
