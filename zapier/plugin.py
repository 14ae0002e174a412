"""The Zapier endpoints as a ``hubwire`` plugin (entry-point group ``hubwire.extensions``):
core reaches this package only through this hook."""

from __future__ import annotations

import pluggy
from fastapi import APIRouter

# The marker of the `hubwire` plugin project (connectors.hookspecs declares the specs);
# zapier/ imports core only (DESIGN.md §2).
hookimpl = pluggy.HookimplMarker("hubwire")


@hookimpl
def hubwire_api_routers() -> list[APIRouter]:
    from zapier.hooks.endpoints import router as hooks_router

    return [hooks_router]
