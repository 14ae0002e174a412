"""Request dependencies: the database session and the access check every route declares."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Annotated, TypeVar, cast

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.ext.asyncio import AsyncSession

from core.auth.scopes import ADMIN_SCOPES
from core.container import Services
from core.database import discard_after_commit, run_after_commit
from core.errors import Forbidden, InvalidRequest, RateLimited, Unauthorized
from core.idempotency.service import request_fingerprint
from core.metrics.instruments import rate_limited
from core.partners.service import WORKSPACE_HEADER, partners
from core.plugins.auth import Principal
from core.query_params import refuse_unknown_query_parameters
from core.ratelimit.policy import AUTH_FAILURES, EndpointClass, class_window, principal_windows

bearer_scheme = HTTPBearer(
    auto_error=False,
    scheme_name="ApiKey",
    description=(
        "An API key (`hw_live_…` / `hw_test_…`), an OAuth access token (`hwo_at_…`) or a "
        "user token from `POST /v1/auth/login` (`hwu_at_…`), sent as "
        "`Authorization: Bearer <token>`."
    ),
)


T = TypeVar("T")


def services_of(request: Request) -> Services:
    return cast(Services, request.app.state.services)


def on_loop(factory: Callable[[Request], T]) -> Callable[[Request], Awaitable[T]]:
    """A plain function of the request as a dependency that runs on the event loop.

    FastAPI hands every ``def`` dependency to its thread pool, a thread hop (and futex
    calls) per request for what is a constructor call; dependencies are ``async def``, and
    a plain function the code also calls directly is wrapped with this
    (docs/operations/performance.md)."""

    async def dependency(request: Request) -> T:
        return factory(request)

    return dependency


async def _session(request: Request) -> AsyncIterator[AsyncSession]:
    """One transaction per request: committed after the handler returns, before the
    response is sent, so a failed commit is reported instead of a false success."""
    async with services_of(request).db.sessionmaker() as session:
        try:
            yield session
            await session.commit()
        except BaseException:
            await session.rollback()
            discard_after_commit(session)
            raise
        run_after_commit(session)


Session = Annotated[AsyncSession, Depends(_session, scope="function")]


async def _read_session(request: Request) -> AsyncIterator[AsyncSession]:
    """For routes that only read: no transaction (on PostgreSQL, no BEGIN and COMMIT round
    trips); the statements of one request may see different snapshots, which a list and
    its count tolerate. The session refuses to flush."""
    async with services_of(request).db.read_sessionmaker() as session:
        yield session


ReadSession = Annotated[AsyncSession, Depends(_read_session, scope="function")]


def client_ip(request: Request) -> str | None:
    if services_of(request).settings.trust_forwarded_for:
        forwarded = request.headers.get("x-forwarded-for")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.client.host if request.client else None


async def authenticated_principal(
    request: Request,
    _credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
) -> Principal:
    services = services_of(request)
    ip = client_ip(request)
    try:
        principal = await services.authenticator.authenticate(
            request.headers.get("authorization"), ip
        )
    except Unauthorized:
        if services.settings.rate_limit_enabled:
            decision = await services.limiter.hit([class_window(AUTH_FAILURES, f"ip:{ip}")])
            if not decision.allowed:
                rate_limited("auth_failures")
                raise RateLimited(
                    "Too many failed authentication attempts from this address.",
                    headers={"Retry-After": str(decision.retry_after)},
                ) from None
        raise
    workspace_id = request.headers.get(WORKSPACE_HEADER)
    if workspace_id is None:
        return principal
    async with services.db.sessionmaker() as session:
        return await partners.acting_in(session, principal, workspace_id.strip())


class Access:
    """Declares what a route needs: a scope (``None``: any valid credential), and optionally
    a tighter endpoint class. Routes that need an admin scope (``ADMIN_SCOPES``), or say
    ``admin_only=True``, refuse principals whose workspace role is ``member``.

    Resolves the caller, counts the request against its rate limits, checks the scope,
    for POST claims the ``Idempotency-Key``, and refuses query parameters the route does
    not declare. Routes take the result as a ``Principal``.
    """

    def __init__(
        self,
        scope: str | None,
        *,
        endpoint_class: EndpointClass | None = None,
        returns_secret: bool = False,
        admin_only: bool = False,
    ) -> None:
        self.scope = scope
        self.endpoint_class = endpoint_class
        self.admin_only = admin_only or scope in ADMIN_SCOPES
        # The response carries a secret: an idempotent repeat must not replay it.
        self.returns_secret = returns_secret

    async def __call__(
        self,
        request: Request,
        principal: Annotated[Principal, Depends(authenticated_principal)],
    ) -> Principal:
        services = services_of(request)
        request.state.principal = principal
        if services.settings.rate_limit_enabled:
            bucket = f"{principal.kind}:{principal.id}"
            windows = principal_windows(bucket, principal.tier, principal.rate_limit_override)
            if principal.partner_id is not None:
                # A partner is limited as a whole and, separately, in each workspace it acts
                # in, so one busy customer cannot spend the others' allowance.
                bucket = f"partner:{principal.partner_id}"
                windows = principal_windows(bucket, principal.tier, None)
                if principal.workspace_id:
                    windows += principal_windows(
                        f"{bucket}@{principal.workspace_id}", principal.tier, None
                    )
            if self.endpoint_class is not None:
                windows.append(class_window(self.endpoint_class, bucket))
            decision = await services.limiter.hit(windows)
            request.state.rate_limit = decision
            if not decision.allowed:
                rate_limited(decision.binding.window.name)
                raise RateLimited(
                    f"Rate limit exceeded for the '{decision.binding.window.name}' window.",
                    details={
                        "window": decision.binding.window.name,
                        "limit": decision.binding.window.limit,
                        "retryAfter": decision.retry_after,
                    },
                )
        if (
            principal.kind == "partner"
            and not principal.workspace_id
            and self.scope is not None
            and not self.scope.startswith("partner:")
        ):
            raise InvalidRequest(
                f"A partner key acts in a workspace it manages: name it in the "
                f"`{WORKSPACE_HEADER}` header (`ws_…`).",
                details={"header": WORKSPACE_HEADER},
            )
        if self.scope is not None and not principal.has_scope(self.scope):
            raise Forbidden(
                f"This credential lacks the `{self.scope}` scope.",
                details={"requiredScope": self.scope},
            )
        if self.admin_only and principal.role == "member":
            raise Forbidden(
                "Only workspace owners and admins may do this.",
                details={"requiredRole": "admin", "role": principal.role},
            )
        if request.method == "POST":
            key = request.headers.get("idempotency-key")
            if key is None:  # an empty key is sent, and refused, not skipped
                key = request.headers.get("x-idempotency-key")
            if key is not None:
                body = await request.body()
                fingerprint = request_fingerprint(request.method, request.url.path, body)
                # A partner key's keys are per workspace it acts in: the same key sent to
                # two workspaces is two requests, never a replay of the other's answer.
                owner = f"{principal.kind}:{principal.id}"
                if principal.partner_id is not None and principal.workspace_id:
                    owner += f"@{principal.workspace_id}"
                request.state.idempotency = await services.idempotency.reserve(
                    owner,
                    key,
                    fingerprint,
                    withholds_secret=self.returns_secret,
                )
        refuse_unknown_query_parameters(request)
        return principal


def require(
    scope: str,
    *,
    endpoint_class: EndpointClass | None = None,
    returns_secret: bool = False,
    admin_only: bool = False,
) -> object:
    """``principal: Annotated[Principal, require("leads:read")]`` in a route signature."""
    return Depends(
        Access(
            scope,
            endpoint_class=endpoint_class,
            returns_secret=returns_secret,
            admin_only=admin_only,
        )
    )


def require_any(*, endpoint_class: EndpointClass | None = None) -> object:
    """``principal: Annotated[Principal, require_any()]``: any valid credential, no scope."""
    return Depends(Access(None, endpoint_class=endpoint_class))
