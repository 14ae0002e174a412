"""Request dependencies of the OAuth package."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from core.deps import Access
from core.errors import Forbidden
from core.plugins.auth import Principal

_any_credential = Access(None)


async def _user_principal(principal: Annotated[Principal, Depends(_any_credential)]) -> Principal:
    if principal.kind != "user":
        raise Forbidden("This route needs a user token from `POST /v1/auth/login`.")
    return principal


# Routes about the person calling (their profile, password, authorized apps).
UserPrincipal = Annotated[Principal, Depends(_user_principal)]


async def _acting_user(principal: Annotated[Principal, Depends(_any_credential)]) -> Principal:
    if principal.user_id is None:
        raise Forbidden(
            "This route needs a credential that acts for a person: a user token from "
            "`POST /v1/auth/login` or an OAuth access token a user authorized."
        )
    return principal


# Read-only routes about the person a credential acts for; OAuth apps may call them too.
ActingUser = Annotated[Principal, Depends(_acting_user)]

SESSION_COOKIE = "hubwire_session"
CSRF_COOKIE = "hubwire_csrf"
