"""Who is calling: resolved once per request from the bearer credential."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True, slots=True)
class Principal:
    kind: Literal["api_key"]
    id: str
    workspace_id: str
    client_id: str | None
    scopes: frozenset[str]
    tier: str
    rate_limit_override: int | None
    environment: str

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes
