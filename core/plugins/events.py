"""Event types as plugins declare them (``hubwire_event_types``) and name them in
manifests and subscriptions."""

from __future__ import annotations

import re
from dataclasses import dataclass

EVENT_TYPE_PATTERN = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")
# What a subscription or a feed filter may name: `*`, `lead.*`, or an exact type.
EVENT_FILTER_PATTERN = re.compile(r"^(\*|[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*(\.\*)?)$")


@dataclass(frozen=True, slots=True)
class EventType:
    name: str
    description: str
    source: str = "core"
