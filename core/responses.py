"""A JSON response rendered with orjson (fast, and handles datetimes natively)."""

from __future__ import annotations

from typing import Any

import orjson
from starlette.responses import JSONResponse


class JsonResponse(JSONResponse):
    def render(self, content: Any) -> bytes:
        if isinstance(content, bytes):  # already encoded (a list page: core/listing.py)
            return content
        return orjson.dumps(content)
