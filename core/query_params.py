"""Unknown query parameters are refused, as unknown body fields are.

A misspelt filter (``?stauts=new``) used to be ignored, answering the unfiltered list as if
it applied. Every route that takes a credential (``core.deps.Access`` calls this), and the
login and refresh routes, now refuse a query parameter they do not declare with
``422 VALIDATION_FAILED``, type ``extra_forbidden``, the same answer as an unknown body
field (``docs/errors.md``). The routes providers call back (the OAuth callback, inbound
webhooks) follow the providers' protocols, which add parameters of their own.
"""

from __future__ import annotations

from fastapi import Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from core.errors import ValidationFailed


def _query_names(dependant: Dependant) -> set[str]:
    names = {param.alias for param in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _query_names(sub)
    return names


def declared_query_parameters(route: APIRoute) -> list[str]:
    """The query parameter names the route and its dependencies declare, sorted. (A walk
    of a few nodes: cheaper than a cache, as routes are not hashable.)"""
    return sorted(_query_names(route.dependant))


def refuse_unknown_query_parameters(request: Request) -> None:
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return
    declared = declared_query_parameters(route)
    unknown = [name for name in dict.fromkeys(request.query_params) if name not in declared]
    if not unknown:
        return
    takes = f"this route takes {', '.join(declared)}" if declared else "this route takes none"
    raise ValidationFailed(
        details={
            "errors": [
                {
                    "field": name,
                    "in": "query",
                    "message": f"Unknown query parameter; {takes}.",
                    "type": "extra_forbidden",
                }
                for name in unknown
            ]
        }
    )
