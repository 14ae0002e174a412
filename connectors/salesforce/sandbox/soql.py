"""The SOQL the sandbox answers: ``SELECT f, … FROM Obj [WHERE c AND c …] [ORDER BY f, …]
[LIMIT n]``, conditions ``Field op literal`` with ``= != < <= > >=`` and literals that are
datetimes (``2026-01-01T00:00:00Z``), ``true``/``false``, ``null``, numbers or quoted
strings. Anything else is Salesforce's ``MALFORMED_QUERY``; an unknown field or object
``INVALID_FIELD`` / ``INVALID_TYPE`` (the store checks names)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

_QUERY = re.compile(
    r"^\s*SELECT\s+(?P<fields>.+?)\s+FROM\s+(?P<object>\w+)"
    r"(?:\s+WHERE\s+(?P<where>.+?))?"
    r"(?:\s+ORDER\s+BY\s+(?P<order>[\w\s,]+?))?"
    r"(?:\s+LIMIT\s+(?P<limit>\d+))?\s*$",
    re.IGNORECASE | re.DOTALL,
)
_CONDITION = re.compile(
    r"^\s*(?P<field>\w+)\s*(?P<op>=|!=|<=|>=|<|>)\s*(?P<value>'(?:[^'\\]|\\.)*'|[\w:.+-]+)\s*$"
)
_OPS: dict[str, Callable[[Any, Any], bool]] = {
    "=": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    "<": lambda a, b: a is not None and a < b,
    "<=": lambda a, b: a is not None and a <= b,
    ">": lambda a, b: a is not None and a > b,
    ">=": lambda a, b: a is not None and a >= b,
}


class SoqlError(ValueError):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Condition:
    field: str
    op: str
    value: Any

    def matches(self, record: dict[str, Any]) -> bool:
        return _OPS[self.op](record.get(self.field), self.value)


@dataclass(frozen=True)
class Query:
    object: str
    fields: tuple[str, ...]
    where: tuple[Condition, ...]
    order: tuple[tuple[str, bool], ...]  # (field, descending)
    limit: int | None


def _literal(text: str) -> Any:
    if text.startswith("'"):
        return text[1:-1].replace("\\'", "'")
    lowered = text.lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    if lowered == "null":
        return None
    if "T" in text and text[:4].isdigit():
        try:
            return datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            pass
    try:
        return float(text) if "." in text else int(text)
    except ValueError:
        raise SoqlError("MALFORMED_QUERY", f"unexpected token: '{text}'") from None


def parse(soql: str) -> Query:
    match = _QUERY.match(soql)
    if match is None:
        raise SoqlError("MALFORMED_QUERY", f"unexpected token in query: {soql[:80]}")
    fields = tuple(f.strip() for f in match["fields"].split(","))
    if not all(re.fullmatch(r"\w+", f) for f in fields):
        raise SoqlError("MALFORMED_QUERY", f"unexpected token: '{match['fields']}'")
    where: list[Condition] = []
    if match["where"]:
        for part in re.split(r"\s+AND\s+", match["where"], flags=re.IGNORECASE):
            cond = _CONDITION.match(part)
            if cond is None:
                raise SoqlError("MALFORMED_QUERY", f"unexpected token: '{part.strip()}'")
            where.append(Condition(cond["field"], cond["op"], _literal(cond["value"])))
    order: list[tuple[str, bool]] = []
    if match["order"]:
        for part in match["order"].split(","):
            words = part.split()
            if (
                not words
                or len(words) > 2
                or (len(words) == 2 and words[1].upper() not in ("ASC", "DESC"))
            ):
                raise SoqlError("MALFORMED_QUERY", f"unexpected token: '{part.strip()}'")
            order.append((words[0], len(words) == 2 and words[1].upper() == "DESC"))
    limit = int(match["limit"]) if match["limit"] else None
    return Query(match["object"], fields, tuple(where), tuple(order), limit)
