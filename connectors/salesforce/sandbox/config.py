from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

DEFAULT_CLIENT_ID = "sandbox-salesforce-client"
DEFAULT_CLIENT_SECRET = "sandbox-salesforce-secret"  # noqa: S105 - the sandbox's own app
API_VERSION = "59.0"
ORG_ID = "00D5g00000SANDBOX"
EXTERNAL_ID_FIELD = "Hubwire_Id__c"


@dataclass
class SandboxConfig:
    """``daily_api_requests``: the org's 24-hour allowance (Enterprise Edition starts at
    15,000 plus 1,000 per licence; ``/limits`` reports it); ``max_concurrent``: requests in
    flight at once before ``REQUEST_LIMIT_EXCEEDED`` (Salesforce's cap counts long-running
    requests, 25 per org: the sandbox counts every request, which is stricter).
    ``static_tokens``: access tokens accepted without the OAuth dance (tests, the bench)."""

    client_id: str = DEFAULT_CLIENT_ID
    client_secret: str = DEFAULT_CLIENT_SECRET
    daily_api_requests: int = 15_000
    max_concurrent: int = 25
    static_tokens: dict[str, str] = field(default_factory=dict)
    access_token_seconds: int = 7200  # the session timeout of the org (2 h by default)
    clock: Callable[[], float] | None = None
