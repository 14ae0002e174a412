"""Base models for the public API: camelCase JSON, the list envelope, the error envelope."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated, Any, ClassVar, Generic, Self, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetJsonSchemaHandler,
    HttpUrl,
    UrlConstraints,
    model_validator,
)
from pydantic.alias_generators import to_camel
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

MAX_URL_LENGTH = 2048


def _fits_column(url: HttpUrl) -> HttpUrl:
    # Normalisation (punycode, a trailing slash) can lengthen a URL past the input limit.
    if len(str(url)) > MAX_URL_LENGTH:
        raise ValueError(f"URL must be at most {MAX_URL_LENGTH} characters once normalised")
    return url


# Bounded so every stored URL fits its column on every database.
WebUrl = Annotated[HttpUrl, UrlConstraints(max_length=MAX_URL_LENGTH), AfterValidator(_fits_column)]


def as_utc(value: datetime) -> datetime:
    """Naive times (and bare dates) are UTC; aware ones are converted, and refused with a
    ``ValueError`` when the conversion leaves the calendar (``0001-01-01T00:00+01:00``)."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    try:
        return value.astimezone(UTC)
    except OverflowError as exc:
        raise ValueError("date is out of range once converted to UTC") from exc


_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def iso_only(value: object) -> object:
    """Refuses numbers where a date-time is expected. Pydantic would read ``0.5`` (or
    ``1700000000``) as seconds since 1970; the API documents ISO 8601 only, so a number is
    far more likely a mistake than a timestamp."""
    if isinstance(value, int | float) or (isinstance(value, str) and _NUMBER.fullmatch(value)):
        raise ValueError(
            "expected an ISO 8601 date-time such as 2026-01-31T09:30:00Z (or a date such as "
            "2026-01-31), not a number"
        )
    return value


# Every datetime the API accepts, in bodies and query strings alike.
UtcDateTime = Annotated[datetime, BeforeValidator(iso_only), AfterValidator(as_utc)]


class ApiModel(BaseModel):
    """Every public schema: camelCase on the wire, snake_case in Python."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, from_attributes=True)


class ApiInput(ApiModel):
    """Request bodies refuse unknown fields so typos are reported, not silently dropped."""

    model_config = ConfigDict(
        alias_generator=to_camel, populate_by_name=True, extra="forbid", str_strip_whitespace=True
    )


class ApiPatch(ApiInput):
    """A PATCH body: only the fields sent change. The fields in ``not_null`` may be left out
    but not sent as null (they have no empty value); the validator refuses it and the
    published schema does not offer null for them, so the spec and the server agree."""

    not_null: ClassVar[tuple[str, ...]] = ()

    @model_validator(mode="after")
    def _refuse_null(self) -> Self:
        for name in self.not_null:
            if name in self.model_fields_set and getattr(self, name) is None:
                raise ValueError(f"{name} cannot be null")
        return self

    @classmethod
    def __get_pydantic_json_schema__(
        cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        schema = handler.resolve_ref_schema(handler(core_schema))
        properties = schema.get("properties", {})
        for name in cls.not_null:
            prop = properties.get(cls.model_fields[name].alias or name)
            if prop is None or "anyOf" not in prop:
                continue
            options = [o for o in prop.pop("anyOf") if o.get("type") != "null"]
            if len(options) == 1:
                prop.update(options[0])
            else:
                prop["anyOf"] = options
        return schema


class Resource(ApiModel):
    """A resource the API returns and lets the caller trim with ``fields=``: its published
    schema promises only ``id``, since ``fields=`` may drop any other field. (Done here
    rather than with ``json_schema_extra``, which a subclass's own examples would replace.)"""

    @classmethod
    def __get_pydantic_json_schema__(
        cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        schema = handler.resolve_ref_schema(handler(core_schema))
        if "id" in schema.get("properties", {}):
            schema["required"] = ["id"]
        return schema


class Pagination(ApiModel):
    limit: int = Field(examples=[20])
    offset: int | None = Field(default=None, examples=[0])
    next_cursor: str | None = Field(default=None, examples=["eyJrIjpbIjIwMjYtMDEtMDEiXX0"])
    has_more: bool
    total: int = Field(
        examples=[42],
        description="Items matching the filters across all pages; a lower bound when"
        " `totalIsExact` is false (counting stops at 1,000).",
    )
    total_is_exact: bool = Field(
        default=True, description="False when `total` is only a lower bound.", examples=[True]
    )


ItemT = TypeVar("ItemT")


class Page(ApiModel, Generic[ItemT]):
    data: list[ItemT]
    pagination: Pagination


class ErrorDetail(ApiModel):
    code: str = Field(examples=["NOT_FOUND"])
    message: str = Field(examples=["Lead lead_123 does not exist."])
    details: dict[str, Any] = Field(default_factory=dict)
    request_id: str | None = Field(default=None, examples=["req_7f3k2m9x1q8w4e6r5t0y"])


class ErrorEnvelope(ApiModel):
    error: ErrorDetail
