"""A lead's name as a full ``name`` and its ``firstName``/``lastName`` parts, kept in step.

CRMs disagree on names: Salesforce's Lead requires ``LastName``, Pipedrive and Mailchimp keep
the parts apart, others hold one full name. Hubwire stores all three. A client may send the
full name alone (it is split: the last word is the last name), the parts alone (the name is
their join), or both when they agree; a name that disagrees with its parts is refused with
the fields named, rather than one of them being silently dropped."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from core.errors import ValidationFailed

NAME_MAX = 200
NAME_FIELDS = ("name", "first_name", "last_name")
_ALIASES = {"name": "name", "first_name": "firstName", "last_name": "lastName"}


@dataclass(frozen=True, slots=True)
class NameParts:
    name: str | None
    first_name: str | None
    last_name: str | None

    def as_fields(self) -> dict[str, str | None]:
        return {"name": self.name, "first_name": self.first_name, "last_name": self.last_name}


class LeadNameConflict(ValidationFailed):
    def __init__(self, message: str, fields: tuple[str, ...]) -> None:
        errors = [
            {"field": _ALIASES[f], "in": "body", "message": message, "type": "name_mismatch"}
            for f in fields
        ]
        super().__init__(message, details={"errors": errors})


def _words(text: str | None) -> list[str]:
    return text.split() if text else []


def join_name(first: str | None, last: str | None) -> str | None:
    return " ".join(_words(first) + _words(last)) or None


def split_name(name: str | None) -> NameParts:
    """``"Ada King Lovelace"`` -> first ``"Ada King"``, last ``"Lovelace"``; one word is a
    last name (the part every CRM requires)."""
    words = _words(name)
    if not words:
        return NameParts(None, None, None)
    return NameParts(name, " ".join(words[:-1]) or None, words[-1])


def _with_first(name: str, first: str | None) -> NameParts | None:
    words, head = _words(name), _words(first)
    if words[: len(head)] != head:
        return None
    return NameParts(name, first, " ".join(words[len(head) :]) or None)


def _with_last(name: str, last: str | None) -> NameParts | None:
    words, tail = _words(name), _words(last)
    if tail and words[-len(tail) :] != tail:
        return None
    return NameParts(name, " ".join(words[: len(words) - len(tail)]) or None, last)


def resolve(sent: Mapping[str, Any], current: NameParts | None = None) -> NameParts | None:
    """The name fields after a create (``current`` None) or an update that sent ``sent``
    (only the keys the client sent); None when the update sent none of them.

    Raises ``LeadNameConflict`` naming the fields when the name and its parts disagree."""
    given = {key: sent[key] for key in NAME_FIELDS if key in sent}
    if not given:
        return None if current is not None else NameParts(None, None, None)
    base = current or NameParts(None, None, None)
    if "name" not in given:
        first = given.get("first_name", base.first_name)
        last = given.get("last_name", base.last_name)
        parts = NameParts(join_name(first, last), first, last)
    else:
        name = given["name"]
        has_first, has_last = "first_name" in given, "last_name" in given
        resolved: NameParts | None
        if not name:
            empty = not any(given.get(key) for key in ("first_name", "last_name"))
            resolved = NameParts(None, None, None) if empty else None
        elif has_first and has_last:
            joined = join_name(given["first_name"], given["last_name"])
            ok = joined == " ".join(_words(name))
            resolved = NameParts(name, given["first_name"], given["last_name"]) if ok else None
        elif has_first:
            resolved = _with_first(name, given["first_name"])
        elif has_last:
            resolved = _with_last(name, given["last_name"])
        else:
            resolved = split_name(name)
        if resolved is None:
            fields = tuple(key for key in NAME_FIELDS if key in given)
            raise LeadNameConflict(
                "name must be firstName and lastName joined by a space: send the full name "
                "alone, the parts alone, or all of them in agreement.",
                fields,
            )
        parts = resolved
    if parts.name is not None and len(parts.name) > NAME_MAX:
        raise LeadNameConflict(
            f"firstName and lastName joined make a name longer than {NAME_MAX} characters.",
            tuple(key for key in NAME_FIELDS if key in given),
        )
    return parts
