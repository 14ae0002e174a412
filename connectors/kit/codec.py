"""JSON helpers connectors share: a cursor that is a small JSON object (a position in the
provider's listing), and a webhook body read as a JSON object."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from core.plugins.errors import ConnectorError
from core.plugins.types import Cursor


def encode_cursor(position: Mapping[str, Any]) -> Cursor:
    """The position as a compact JSON object, keys sorted (the same position, the same
    cursor)."""
    return json.dumps(dict(position), separators=(",", ":"), sort_keys=True)


def decode_cursor(cursor: Cursor, provider: str) -> dict[str, Any]:
    """The position ``encode_cursor`` wrote; ``ConnectorError`` for anything else."""
    try:
        position = json.loads(cursor)
    except ValueError:
        position = None
    if not isinstance(position, dict):
        raise ConnectorError(f"not a {provider} cursor: {cursor!r}")
    return position


def json_object(text: str | bytes) -> dict[str, Any]:
    """``text`` parsed as a JSON object; empty when it is not one."""
    try:
        parsed = json.loads(text)
    except ValueError:
        return {}
    return parsed if isinstance(parsed, dict) else {}
