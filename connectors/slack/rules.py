"""A Slack connection's settings: which events go to which channel (rules with optional
filters) and when a channel's cards give way to a digest. Validated when the connections
API saves them (``SlackConnector.settings_problems``)."""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, get_args

from core.calls.schemas import CallOutcome
from core.leads.schemas import LeadStatus
from core.plugins.events import EVENT_FILTER_PATTERN

MAX_RULES = 20
# Cards one channel gets per minute from one connection; the rest of a burst is listed in
# a digest message instead (Slack allows about one message a second per channel).
DEFAULT_DIGEST_AFTER = 10
CHANNEL_PATTERN = re.compile(r"^[CGD][A-Z0-9]{2,30}$")
# The values a filter may name, where Hubwire fixes them.
KNOWN_VALUES: dict[str, tuple[str, ...]] = {
    "status": get_args(LeadStatus),
    "outcome": get_args(CallOutcome),
}
# What a rule's filter may test, and which Hubwire object carries it.
FILTER_FIELDS = {"source": "lead", "status": "lead", "outcome": "call"}


@dataclass(frozen=True, slots=True)
class Rule:
    """Events matching ``events`` (``lead.*``, ``call.ended``) go to ``channel`` when the
    record's fields pass ``filter`` (each named field one of the listed values)."""

    events: tuple[str, ...]
    channel: str
    filter: Mapping[str, tuple[str, ...]]

    def matches(self, events: Sequence[str], fields: Mapping[str, Any]) -> bool:
        if not any(fnmatch.fnmatchcase(e, p) for e in events for p in self.events):
            return False
        return all(fields.get(name) in allowed for name, allowed in self.filter.items())


@dataclass(frozen=True, slots=True)
class SlackSettings:
    rules: tuple[Rule, ...] = ()
    digest_after: int = DEFAULT_DIGEST_AFTER

    def channels_for(self, events: Sequence[str], fields: Mapping[str, Any]) -> list[str]:
        """The channels a record's events go to, in rule order, each once."""
        found: list[str] = []
        for rule in self.rules:
            if rule.channel not in found and rule.matches(events, fields):
                found.append(rule.channel)
        return found


def _rule_problems(index: int, rule: Any) -> list[str]:
    where = f"rules[{index}]"
    if not isinstance(rule, Mapping):
        return [f"{where} must be an object with `events`, `channel` and an optional `filter`"]
    problems: list[str] = []
    unknown = set(rule) - {"events", "channel", "filter"}
    if unknown:
        problems.append(f"{where} has unknown keys: {', '.join(sorted(unknown))}")
    events = rule.get("events")
    if not isinstance(events, list) or not events:
        problems.append(f'{where}.events must be a non-empty list such as ["lead.*"]')
        events = []
    objects: set[str] = set()
    for event in events:
        if not isinstance(event, str) or not EVENT_FILTER_PATTERN.match(event):
            problems.append(f"{where}.events: {event!r} is not an event type or `lead.*`")
        elif event == "*" or event.split(".")[0] not in ("lead", "call"):
            problems.append(f"{where}.events: {event!r}: Slack rules take lead and call events")
        else:
            objects.add(event.split(".")[0])
    channel = rule.get("channel")
    if not isinstance(channel, str) or not CHANNEL_PATTERN.match(channel):
        problems.append(f'{where}.channel must be a Slack channel id such as "C0123ABCD"')
    filters = rule.get("filter", {})
    if not isinstance(filters, Mapping):
        problems.append(f'{where}.filter must be an object such as {{"source": ["web"]}}')
        filters = {}
    for name, values in filters.items():
        if name not in FILTER_FIELDS:
            problems.append(
                f"{where}.filter.{name}: filters take {', '.join(sorted(FILTER_FIELDS))}"
            )
            continue
        if objects and FILTER_FIELDS[name] not in objects:
            problems.append(
                f"{where}.filter.{name} applies to {FILTER_FIELDS[name]} events, "
                "which the rule does not match"
            )
        if (
            not isinstance(values, list)
            or not values
            or not all(isinstance(v, str) and v for v in values)
        ):
            problems.append(f"{where}.filter.{name} must be a non-empty list of strings")
        elif name in KNOWN_VALUES and set(values) - set(KNOWN_VALUES[name]):
            problems.append(
                f"{where}.filter.{name}: the values are {', '.join(KNOWN_VALUES[name])}"
            )
    return problems


def settings_problems(settings: Mapping[str, Any]) -> list[str]:
    """Every problem with a Slack connection's settings (empty: valid)."""
    problems: list[str] = []
    unknown = set(settings) - {"rules", "digestAfter"}
    if unknown:
        problems.append(f"unknown settings: {', '.join(sorted(unknown))}")
    rules = settings.get("rules", [])
    if not isinstance(rules, list):
        problems.append("rules must be a list")
    elif len(rules) > MAX_RULES:
        problems.append(f"at most {MAX_RULES} rules")
    else:
        for index, rule in enumerate(rules):
            problems.extend(_rule_problems(index, rule))
    digest_after = settings.get("digestAfter", DEFAULT_DIGEST_AFTER)
    if (
        not isinstance(digest_after, int)
        or isinstance(digest_after, bool)
        or not 1 <= digest_after <= 1000
    ):
        problems.append("digestAfter must be a whole number from 1 to 1000")
    return problems


def parse_settings(settings: Mapping[str, Any]) -> SlackSettings:
    """The settings as values; call on settings that passed ``settings_problems``."""
    rules = tuple(
        Rule(
            events=tuple(rule["events"]),
            channel=rule["channel"],
            filter={k: tuple(v) for k, v in rule.get("filter", {}).items()},
        )
        for rule in settings.get("rules", [])
    )
    return SlackSettings(rules, int(settings.get("digestAfter", DEFAULT_DIGEST_AFTER)))
