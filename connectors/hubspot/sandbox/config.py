"""Configuration of a HubSpot sandbox: the OAuth apps it knows, its limits and its clock."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

DEFAULT_CLIENT_ID = "sandbox-client-id"
DEFAULT_CLIENT_SECRET = "sandbox-client-secret"  # noqa: S105 - a fake app's published secret
# The account's one HubSpot user: who installed the apps and who acts in /_sandbox.
USER_ID, USER = 1, "sandbox-user@hubwire.test"


@dataclass(frozen=True)
class OAuthApp:
    """A public HubSpot app registered in the sandbox.

    ``redirect_uris`` empty means any redirect URI is accepted (handy for local demos);
    otherwise ``/oauth/authorize`` and the token exchange demand an exact match."""

    client_id: str
    client_secret: str
    app_id: int = 1_000_001
    redirect_uris: tuple[str, ...] = ()


@dataclass(frozen=True)
class SandboxConfig:
    """Everything a sandbox instance needs; all fields have demo-friendly defaults.

    ``static_tokens`` maps private-app style access tokens (never expire) to the client id
    of the app they count against. ``clock`` returns seconds since the epoch; tests may
    inject a fake one to make token expiry and rate-limit windows deterministic.
    ``rotate_refresh_tokens`` makes refresh tokens single use (as some providers' are): a
    refresh spends the token and returns a new one; spending it again is ``BAD_REFRESH_TOKEN``.
    """

    apps: tuple[OAuthApp, ...] = (OAuthApp(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET),)
    portal_id: int = 62_515
    hub_domain: str = "hubwire-sandbox.hubspot.com"
    access_token_ttl: int = 1800
    auth_code_ttl: int = 600
    rate_limit_max: int = 100
    rate_limit_interval: float = 10.0
    max_batch_inputs: int = 100
    max_page_size: int = 100
    max_search_limit: int = 200
    # HubSpot's search endpoints: their own rate limit per account (beside the app's),
    # filter caps, and no paging past the 10,000th result.
    search_rate_limit_max: int = 5
    search_rate_limit_interval: float = 1.0
    max_filter_groups: int = 5
    max_filters_per_group: int = 10
    max_filters: int = 25
    max_search_results: int = 10_000
    # Seconds before a write shows in search results, as HubSpot's index lags (on by
    # default; a test that needs immediacy sets 0).
    search_index_lag: float = 2.0
    rotate_refresh_tokens: bool = False
    static_tokens: Mapping[str, str] = field(default_factory=dict)
    webhook_target_url: str | None = None
    # The contact properties the app's propertyChange subscriptions name: HubSpot sends
    # events for those only (Hubwire's app subscribes to the properties it maps).
    webhook_properties: tuple[str, ...] = (
        "company",
        "email",
        "firstname",
        "hs_lead_status",
        "lastname",
        "phone",
    )
    webhook_timeout: float = 5.0
    # HubSpot retries a failed batch up to 10 times, the n-th about 2^n minutes later.
    webhook_max_retries: int = 10
    webhook_retry_base: float = 60.0
    clock: Callable[[], float] = time.time

    def app(self, client_id: str) -> OAuthApp | None:
        return next((a for a in self.apps if a.client_id == client_id), None)
