"""No route hands work to the thread pool before its handler runs: FastAPI runs every plain
``def`` dependency there, a thread hop per request (docs/operations/performance.md)."""

from __future__ import annotations

import inspect
from typing import Any

from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from core.app import plugin_routers
from core.routes import api_router


def _blocking(dependant: Dependant, path: str, found: set[str]) -> None:
    for dependency in dependant.dependencies:
        call: Any = dependency.call
        if call is not None:
            function = call if inspect.isroutine(call) else type(call).__call__
            if not (inspect.iscoroutinefunction(function) or inspect.isasyncgenfunction(function)):
                found.add(f"{path}: {getattr(call, '__qualname__', call)}")
        _blocking(dependency, path, found)


def _routes(routes: list[Any]) -> list[APIRoute]:
    found: list[APIRoute] = []
    for route in routes:
        if isinstance(route, APIRoute):
            found.append(route)
        elif hasattr(route, "original_router"):  # an included router, kept as it was
            found += _routes(route.original_router.routes)
    return found


def test_every_dependency_and_handler_of_the_api_runs_on_the_event_loop() -> None:
    routes = _routes([*api_router.routes, *(r for p in plugin_routers() for r in p.routes)])
    assert any(route.path == "/v1/leads" for route in routes)
    found: set[str] = set()
    for route in routes:
        _blocking(route.dependant, route.path, found)
        if not inspect.iscoroutinefunction(route.endpoint):
            found.add(f"{route.path}: handler {route.endpoint.__qualname__}")
    assert sorted(found) == []
