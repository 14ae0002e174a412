"""Runtime settings, read from ``HUBWIRE_*`` environment variables (and a ``.env`` file)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from pydantic_settings import SettingsError as SourceError

DEFAULT_DATA_DIR = Path("var")
LOG_LEVELS = ("CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG")
# The database URLs platforms and tutorials hand out, and the async driver each one means.
DATABASE_URL_FORMS = {
    "postgres": "postgresql+asyncpg",
    "postgresql": "postgresql+asyncpg",
    "postgresql+asyncpg": "postgresql+asyncpg",
    "sqlite": "sqlite+aiosqlite",
    "sqlite+aiosqlite": "sqlite+aiosqlite",
}
ACCEPTED_DATABASE_URLS = (
    "postgresql://user:password@host:5432/db (also postgres://, postgresql+asyncpg://) "
    "or sqlite:///path/to/file.db (also sqlite+aiosqlite:///)"
)


def async_database_url(value: str) -> str:
    """``value`` with the async driver Hubwire uses for its scheme (``postgres://`` →
    ``postgresql+asyncpg://``); a ValueError naming the accepted forms for anything else."""
    scheme, separator, rest = value.partition("://")
    driver = DATABASE_URL_FORMS.get(scheme.lower()) if separator else None
    if driver is None or not rest:
        raise ValueError(f"use {ACCEPTED_DATABASE_URLS}")
    return f"{driver}://{rest}"


class SettingsError(Exception):
    """Settings that do not validate, one line per setting: its variable, the value (unless
    it is a secret) and what is allowed. The command line prints it instead of a traceback."""

    def __init__(self, lines: Sequence[str]) -> None:
        self.lines = list(lines)
        super().__init__("\n".join(self.lines))

    @classmethod
    def from_validation(cls, error: ValidationError, model: type[BaseSettings]) -> SettingsError:
        prefix = str(model.model_config.get("env_prefix", ""))
        lines = []
        for problem in error.errors():
            field = str(problem["loc"][0]) if problem["loc"] else ""
            info = model.model_fields.get(field)
            secret = info is not None and info.repr is False
            shown = "(hidden)" if secret else repr(problem.get("input"))
            message = str(problem["msg"]).removeprefix("Value error, ")
            lines.append(f"{prefix}{field.upper()}={shown}: {message}")
        return cls(lines)


SettingsT = TypeVar("SettingsT", bound=BaseSettings)


def load(model: type[SettingsT], **values: Any) -> SettingsT:
    """``model(**values)``, its validation errors as one :class:`SettingsError`."""
    try:
        return model(**values)
    except ValidationError as exc:
        raise SettingsError.from_validation(exc, model) from None
    except SourceError as exc:
        # A value that must be JSON (a list, a mapping) and is not.
        field = str(exc).split('"')[1] if str(exc).count('"') >= 2 else ""
        prefix = str(model.model_config.get("env_prefix", ""))
        raise SettingsError(
            [f"{prefix}{field.upper()}: not valid JSON (give a JSON list or object)"]
        ) from None


class ConnectorClient(BaseModel):
    """Hubwire's OAuth app (or shared key) at one provider."""

    client_id: str = ""
    client_secret: str = Field(default="", repr=False)
    base_url: str | None = None
    # What the provider signs its requests to Hubwire with (webhooks, Slack's interactions)
    # when it is not the client secret: Slack's signing secret, Calendly's webhook signing
    # key. Empty: the client secret.
    signing_secret: str = Field(default="", repr=False)

    @property
    def webhook_secret(self) -> str:
        """The key inbound requests from the provider are verified with."""
        return self.signing_secret or self.client_secret


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="HUBWIRE_", env_file=".env", extra="ignore")

    environment: Literal["development", "production", "test"] = "development"
    # SQLite file by default (embedded mode); a postgresql+asyncpg:// URL in production.
    database_url: str = f"sqlite+aiosqlite:///{DEFAULT_DATA_DIR / 'hubwire.db'}"
    # Redis backs the rate limiter in production; empty means the in-process limiter.
    redis_url: str = ""
    redis_prefix: str = "hw:"

    public_base_url: str = "http://127.0.0.1:8000"
    max_body_bytes: int = Field(default=1_048_576, ge=1024)

    # Authentication
    auth_cache_seconds: float = Field(default=5.0, ge=0)
    key_rotation_grace_hours: int = Field(default=24, ge=0, le=168)
    trust_forwarded_for: bool = False

    # Rate limiting and usage
    rate_limit_enabled: bool = True
    usage_tracking_enabled: bool = True
    usage_flush_seconds: float = Field(default=1.0, gt=0)
    usage_flush_batch: int = Field(default=500, ge=1)
    usage_buffer_max: int = Field(default=100_000, ge=100)

    # Idempotency
    idempotency_ttl_hours: int = Field(default=24, ge=1)
    # A reservation older than this is treated as abandoned by a crashed request.
    idempotency_lock_seconds: int = Field(default=60, ge=1)

    # Housekeeping: expired idempotency records and rows past retention (0 keeps all).
    housekeeping_interval_seconds: float = Field(default=600.0, ge=0)
    usage_retention_days: int = Field(default=90, ge=0)
    # Events, webhook delivery attempts (each delivery's latest is kept), finished jobs and
    # connection logs older than this are deleted, in batches of `retention_batch_size`.
    retention_days: int = Field(default=90, ge=0)
    retention_batch_size: int = Field(default=1000, ge=1, le=100_000)

    # Secrets read back later (webhook signing secrets, provider tokens) are encrypted with
    # this Fernet key. Empty in embedded mode: one is generated into ``var/secret.key``.
    # Key rotation: several comma-separated keys; the first seals, every one opens
    # (MultiFernet). Put the new key first, restart, run `hubwire secrets rotate` to re-seal
    # what is stored, then drop the old keys.
    secret_key: str = Field(default="", repr=False)
    secret_key_file: Path = DEFAULT_DATA_DIR / "secret.key"
    # `hubwire serve --demo` keeps its key and the demo login here (sealed), so they stay the
    # same across restarts.
    demo_credentials_file: Path = DEFAULT_DATA_DIR / "demo-credentials"
    # Where mounted sandboxes keep their accounts across restarts (`make run` sets
    # var/sandboxes); unset: they start empty each time.
    sandbox_state_dir: Path | None = None

    # Celery broker (redis://… or amqp://…). Empty: embedded mode, an in-memory broker and a
    # worker thread inside ``hubwire serve``.
    broker_url: str = ""
    embedded_worker: bool = True
    worker_concurrency: int = Field(default=4, ge=1)
    # The sweeper re-sends pending work the broker may have lost (restart, flush).
    sweeper_interval_seconds: float = Field(default=10.0, gt=0)

    # Webhook delivery
    # Seconds between tries after the first: 5 s … 24 h (docs/architecture.md, "Events and
    # webhooks").
    webhook_retry_schedule: list[float] = Field(
        default=[5, 300, 1800, 7200, 18000, 36000, 50400, 72000, 86400]
    )
    webhook_retry_jitter: float = Field(default=0.1, ge=0, le=1)
    webhook_timeout_seconds: float = Field(default=10.0, gt=0, le=60)
    webhook_batch_size: int = Field(default=200, ge=1, le=5000)
    webhook_concurrency: int = Field(default=100, ge=1, le=1000)
    # A delivery claimed by a worker that died is retried after this lease.
    webhook_lease_seconds: float = Field(default=60.0, gt=0)
    # A subscription failing without a single success for this long is disabled.
    webhook_disable_after_hours: float = Field(default=120.0, gt=0)
    # SSRF guard: private, loopback and link-local targets are refused unless allowed.
    webhook_allow_private: bool = False
    webhook_allowed_networks: list[str] = Field(default_factory=list)
    secret_rotation_overlap_hours: float = Field(default=24.0, ge=0)
    # Isolation between endpoints (docs/webhooks.md, "Isolation"): requests in flight to one
    # subscription at once (its default; a subscription's own ``maxConcurrency`` may go up to
    # the max), and the highest ``maxRate`` (requests per second) a subscription may set.
    webhook_endpoint_concurrency: int = Field(default=10, ge=1, le=1000)
    webhook_endpoint_concurrency_max: int = Field(default=100, ge=1, le=1000)
    webhook_endpoint_rate_max: float = Field(default=1000.0, gt=0)
    # The circuit opens after this many timeouts / connection failures in a row; a probe
    # goes out after the cool-off, which doubles after each failed probe up to the max.
    webhook_circuit_failures: int = Field(default=5, ge=1, le=1000)
    webhook_circuit_cooloff_seconds: float = Field(default=30.0, gt=0)
    webhook_circuit_cooloff_max_seconds: float = Field(default=600.0, gt=0)

    # Connectors and sync
    # Each connector's OAuth app at its provider, by slug:
    # {"hubspot": {"client_id": "…", "client_secret": "…", "base_url": null}}; `base_url`
    # overrides the provider's roots (API and OAuth paths), e.g. to point at a sandbox.
    connector_clients: dict[str, ConnectorClient] = Field(default_factory=dict, repr=False)
    # Mounts each connector's sandbox at /sandbox/<slug> and connects to it when the connector
    # has no `connector_clients` entry (`make run` turns this on).
    sandboxes: bool = False
    # Access tokens are refreshed when they expire within this margin.
    token_refresh_margin_seconds: float = Field(default=300.0, ge=0)
    # After this many refresh failures in a row a connection goes to `error`.
    token_refresh_max_failures: int = Field(default=3, ge=1)
    # Scheduled incremental pulls of every active connection (0: only on demand/webhooks).
    sync_pull_interval_seconds: float = Field(default=300.0, ge=0)
    # Push work for one connection is claimed this many records at a time.
    sync_claim_size: int = Field(default=1000, ge=1)
    # A push item that failed this many times is marked failed (visible in the logs).
    sync_max_attempts: int = Field(default=5, ge=1)
    # A failed push item waits this long before its next try, doubling after each further
    # failure (60 s: 1, 2, 4, 8 min between 5 tries), so a provider outage of a quarter of
    # an hour does not use up the tries. 0: the next push retries it at once.
    sync_retry_base_seconds: float = Field(default=60.0, ge=0)
    # A worker's hold on a connection's sync; renewed while it works, so this is how long a
    # connection waits after its worker died before another one takes over.
    sync_lease_seconds: float = Field(default=60.0, ge=3)

    # Prometheus metrics at GET /metrics (docs/operations/metrics.md). Off: a 404 and nothing
    # measured. A token: scrapes must send `Authorization: Bearer <token>`.
    metrics_enabled: bool = True
    metrics_token: str = Field(default="", repr=False)
    # The gauges read from the database (deliveries, jobs, connections) are kept this long.
    metrics_cache_seconds: float = Field(default=5.0, ge=0)
    # `hubwire worker` serves its own counters on this port (0: not at all), for workers on
    # machines without an API process sharing their PROMETHEUS_MULTIPROC_DIR.
    metrics_worker_port: int = Field(default=0, ge=0, le=65535)
    metrics_worker_host: str = "127.0.0.1"

    log_level: Literal["CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG"] = "INFO"

    @field_validator("database_url")
    @classmethod
    def _async_driver(cls, value: str) -> str:
        return async_database_url(value)

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_level(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


@lru_cache
def get_settings() -> Settings:
    """The process's settings from the environment and ``.env``; :class:`SettingsError`
    when one does not validate."""
    return load(Settings)
