"""Runtime settings, read from ``HUBWIRE_*`` environment variables (and a ``.env`` file)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATA_DIR = Path("var")


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

    # Housekeeping: expired idempotency records and usage logs past retention (0 keeps all).
    housekeeping_interval_seconds: float = Field(default=600.0, ge=0)
    usage_retention_days: int = Field(default=90, ge=0)

    log_level: str = "INFO"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


@lru_cache
def get_settings() -> Settings:
    return Settings()
