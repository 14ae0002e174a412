from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import Depends, Query
from pydantic import AfterValidator, EmailStr, Field, StringConstraints, model_validator

from core.filters import CreatedRange, created_range
from core.schemas import ApiInput, ApiPatch, Resource

LeadStatus = Literal["new", "contacted", "qualified", "converted", "rejected"]
# Email marketing consent (docs/resources/leads.md): only `granted` may be sent marketing.
EmailConsent = Literal["unknown", "granted", "revoked"]
ConsentSource = Annotated[str, StringConstraints(min_length=1, max_length=100)]
Tag = Annotated[
    str, StringConstraints(min_length=1, max_length=50, strip_whitespace=True, pattern=r'^[^"\\]+$')
]
Phone = Annotated[
    str, StringConstraints(min_length=3, max_length=40, pattern=r"^\+?[0-9 ()./-]{3,40}$")
]
# JSON numbers past 64 bits lose precision in most clients (JavaScript stops at 2**53) and
# the response encoder refuses them: such a value is refused here, to be sent as a string.
_INT64 = range(-(2**63), 2**63)


def _integers_fit_64_bits(value: Any) -> Any:
    items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
    for item in items:
        if isinstance(item, int) and not isinstance(item, bool) and item not in _INT64:
            raise ValueError(
                "holds an integer outside the signed 64-bit range; send it as a string"
            )
        _integers_fit_64_bits(item)
    return value


CustomFields = Annotated[
    dict[str, Any], Field(max_length=50), AfterValidator(_integers_fit_64_bits)
]

_EXAMPLE: dict[str, Any] = {
    "firstName": "Ada",
    "lastName": "Lovelace",
    "email": "ada@example.com",
    "phone": "+44 20 7946 0000",
    "company": "Analytical Engines Ltd",
    "source": "website",
    "tags": ["vip"],
    "customFields": {"budget": 5000},
    "emailConsent": "granted",
    "emailConsentSource": "website signup form",
}


_NAME = "The full name. Sent alone it is split: the last word is `lastName`, the rest `firstName`."
_PARTS = "Sent without `name`, the name is `firstName` and `lastName` joined by a space."


class LeadCreate(ApiInput):
    name: str | None = Field(default=None, max_length=200, description=_NAME)
    first_name: str | None = Field(default=None, max_length=200, description=_PARTS)
    last_name: str | None = Field(default=None, max_length=200, description=_PARTS)
    email: EmailStr | None = None
    phone: Phone | None = None
    company: str | None = Field(default=None, max_length=200)
    source: str | None = Field(default=None, max_length=100)
    status: LeadStatus = "new"
    tags: list[Tag] = Field(default_factory=list, max_length=50)
    custom_fields: CustomFields = Field(default_factory=dict)
    email_consent: EmailConsent = "unknown"
    email_consent_source: ConsentSource | None = Field(
        default=None, description="Where the consent was given or withdrawn (a form, a tool)."
    )

    model_config = {"json_schema_extra": {"examples": [_EXAMPLE]}}

    @model_validator(mode="after")
    def _needs_contact(self) -> LeadCreate:
        if not (self.name or self.first_name or self.last_name or self.email or self.phone):
            raise ValueError("a lead needs at least a name, an email or a phone")
        return self


class LeadUpdate(ApiPatch):
    not_null = ("status", "tags", "custom_fields", "email_consent")

    name: str | None = Field(default=None, max_length=200, description=_NAME)
    first_name: str | None = Field(default=None, max_length=200, description=_PARTS)
    last_name: str | None = Field(default=None, max_length=200, description=_PARTS)
    email: EmailStr | None = None
    phone: Phone | None = None
    company: str | None = Field(default=None, max_length=200)
    source: str | None = Field(default=None, max_length=100)
    status: LeadStatus | None = None
    tags: list[Tag] | None = Field(default=None, max_length=50)
    custom_fields: CustomFields | None = None
    email_consent: EmailConsent | None = None
    email_consent_source: ConsentSource | None = None

    model_config = {"json_schema_extra": {"examples": [{"status": "qualified", "tags": ["vip"]}]}}


class LeadOut(Resource):
    id: str = Field(examples=["lead_8x2k4m9q1w3e5r7t0y6u"])
    name: str | None
    first_name: str | None
    last_name: str | None
    email: str | None
    phone: str | None
    company: str | None
    source: str | None
    status: LeadStatus
    tags: list[str]
    custom_fields: dict[str, Any]
    email_consent: EmailConsent
    email_consent_at: datetime | None = Field(
        description="When `emailConsent` last changed (UTC); null while it never has."
    )
    email_consent_source: str | None
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class LeadFilters:
    status: LeadStatus | None
    source: str | None
    email: str | None
    tag: str | None
    search: str | None
    created: CreatedRange


async def lead_filters(
    created: Annotated[CreatedRange, Depends(created_range)],
    status: Annotated[LeadStatus | None, Query()] = None,
    source: Annotated[str | None, Query(max_length=100)] = None,
    email: Annotated[str | None, Query(max_length=320)] = None,
    tag: Annotated[str | None, Query(max_length=50)] = None,
    # Under 3 characters no trigram index can serve the substring match: at a million leads
    # PostgreSQL walks the table (0.8-2 s), so short terms are refused (docs/pagination.md).
    search: Annotated[
        str | None,
        Query(
            min_length=3,
            max_length=200,
            description="Matches name, email or company (a substring, at least 3 characters).",
        ),
    ] = None,
) -> LeadFilters:
    return LeadFilters(status, source, email, tag, search, created)
