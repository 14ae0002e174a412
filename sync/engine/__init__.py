"""The sync engine: push (Hubwire -> provider), pull (provider -> Hubwire) and what they
share. See ``docs/operations/sync.md`` for how it works as a whole."""

from sync.engine.common import NoProgress, Progress, SyncDeps, SyncStopped, Vault
from sync.engine.push import PushStats, pull_connection, push_connection
from sync.engine.stats import PullStats

__all__ = [
    "NoProgress",
    "Progress",
    "PullStats",
    "PushStats",
    "SyncDeps",
    "SyncStopped",
    "Vault",
    "pull_connection",
    "push_connection",
]
