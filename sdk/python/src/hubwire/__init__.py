"""The Hubwire Python SDK: ``from hubwire import Hubwire``."""

from . import models, webhooks
from ._base import AsyncPaginator, Paginator
from ._client import DEFAULT_BASE_URL, AsyncHubwire, Hubwire, __version__
from ._errors import (
    APIConnectionError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    HubwireError,
    IdempotencyMismatchError,
    InternalServerError,
    NotFoundError,
    PayloadTooLargeError,
    PermissionDeniedError,
    RateLimitedError,
    ServiceUnavailableError,
    ValidationError,
    WebhookVerificationError,
)
from ._retry import RetryPolicy

__all__ = [
    "DEFAULT_BASE_URL",
    "APIConnectionError",
    "APITimeoutError",
    "AsyncHubwire",
    "AsyncPaginator",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "Hubwire",
    "HubwireError",
    "IdempotencyMismatchError",
    "InternalServerError",
    "NotFoundError",
    "Paginator",
    "PayloadTooLargeError",
    "PermissionDeniedError",
    "RateLimitedError",
    "RetryPolicy",
    "ServiceUnavailableError",
    "ValidationError",
    "WebhookVerificationError",
    "__version__",
    "models",
    "webhooks",
]
