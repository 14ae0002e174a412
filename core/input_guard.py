"""Only text every backend can store: the same refusal everywhere, before any route runs.

PostgreSQL's text types cannot hold U+0000 (asyncpg raises while binding it) where SQLite
stores it, and no database takes an unpaired UTF-16 surrogate (JSON can spell one,
``"\\ud800"``; typed string fields refuse it, free-form ones such as ``customFields`` did
not), so either was a 500. This middleware refuses them wherever a value can carry one: a
NUL in the URL path or the query string (``400 INVALID_REQUEST``), a NUL or an unpaired
surrogate in a JSON or form body (``422 VALIDATION_FAILED``), naming each place in
``details.errors[]`` as validation errors do (``docs/errors.md``).
"""

from __future__ import annotations

import json
import re
from collections import deque
from collections.abc import Iterator
from email.message import Message as MimeMessage
from typing import Any
from urllib.parse import parse_qsl, quote

from starlette.types import ASGIApp, Receive, Scope, Send

from core.errors import HubwireError, InvalidRequest, ValidationFailed, render
from core.middleware import read_body, replay_body

NUL = "\x00"
NUL_MESSAGE = "must not contain a NUL character (U+0000)"
NUL_TYPE = "nul_character"
# The type pydantic gives the same refusal in a typed string field.
SURROGATE_MESSAGE = "must not contain an unpaired UTF-16 surrogate (\\ud800-\\udfff)"
SURROGATE_TYPE = "string_unicode"
# How JSON spells either: a NUL, or half of a surrogate pair (paired halves match too, as
# does an escaped backslash followed by "u0000"; only the parsed document says).
_SUSPECT_ESCAPE = re.compile(rb"\\u(?:0000|[dD][89a-fA-F])")
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class InputGuard:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        error: HubwireError | None = None
        url_errors = [
            *_path_errors(scope["path"]),
            *_urlencoded_errors(scope["query_string"], "query"),
        ]
        if url_errors:
            error = InvalidRequest(
                "The URL holds a NUL character (%00), which no resource or filter can.",
                details={"errors": url_errors},
            )
        elif scope["method"] in _BODY_METHODS:
            kind = _body_kind(scope)
            if kind is not None:
                body = await read_body(receive) or b""
                receive = replay_body(body, receive)
                body_errors = (
                    _json_errors(body) if kind == "json" else _urlencoded_errors(body, "body")
                )
                if body_errors:
                    error = ValidationFailed(details={"errors": body_errors})
        if error is None:
            await self.app(scope, receive, send)
            return
        request_id = scope.get("state", {}).get("request_id")
        await render(error, request_id)(scope, receive, send)


def _entry(
    field: str, where: str, message: str = NUL_MESSAGE, kind: str = NUL_TYPE
) -> dict[str, str]:
    # A field name may itself hold the surrogate, which the response could not encode.
    shown = field.encode("utf-8", "backslashreplace").decode()
    return {"field": shown, "in": where, "message": message, "type": kind}


def _unstorable(text: str) -> tuple[str, str] | None:
    """What no backend can store in ``text``: (message, type), or None."""
    if NUL in text:
        return NUL_MESSAGE, NUL_TYPE
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return SURROGATE_MESSAGE, SURROGATE_TYPE
    return None


def _path_errors(path: str) -> list[dict[str, str]]:
    return [
        _entry(quote(segment, safe=""), "path") for segment in path.split("/") if NUL in segment
    ]


def _urlencoded_errors(data: bytes, where: str) -> list[dict[str, str]]:
    """For a query string or a form body."""
    if b"%00" not in data and b"\x00" not in data:
        return []
    pairs = parse_qsl(data.decode("latin-1"), keep_blank_values=True)
    return [_entry(name, where) for name, value in pairs if NUL in name or NUL in value]


def _body_kind(scope: Scope) -> str | None:
    """``json`` or ``form`` for the bodies the API and the OAuth pages parse, else None."""
    for name, value in scope.get("headers", []):
        if name.lower() == b"content-type":
            mime = MimeMessage()
            mime["content-type"] = value.decode("latin-1")
            subtype = mime.get_content_subtype()
            if mime.get_content_maintype() == "application":
                if subtype == "json" or subtype.endswith("+json"):
                    return "json"
                if subtype == "x-www-form-urlencoded":
                    return "form"
            return None
    return None


def _json_errors(body: bytes) -> list[dict[str, str]]:
    if _SUSPECT_ESCAPE.search(body) is None:
        return []
    try:
        document = json.loads(body)
    except (ValueError, RecursionError):
        return []  # the route's own parsing reports it
    return [_entry(field, "body", *problem) for field, problem in _unstorable_fields(document)]


def _unstorable_fields(document: Any) -> Iterator[tuple[str, tuple[str, str]]]:
    """Dotted paths (``customFields.note``, ``tags.1``; ``body`` for the document itself) of
    the keys and strings no backend can store, with why. Iterative: documents nest deeply."""
    pending: deque[tuple[str, Any]] = deque([("", document)])
    while pending:
        path, value = pending.popleft()
        if isinstance(value, str):
            if problem := _unstorable(value):
                yield path or "body", problem
        elif isinstance(value, dict):
            for key, item in value.items():
                child = f"{path}.{key}" if path else key
                if problem := _unstorable(key):
                    yield child, problem
                pending.append((child, item))
        elif isinstance(value, list):
            pending.extend(
                (f"{path}.{i}" if path else str(i), item) for i, item in enumerate(value)
            )
