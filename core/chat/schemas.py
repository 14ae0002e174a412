from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import Depends, Query
from pydantic import AliasChoices, Field

from core.filters import CreatedRange, created_range
from core.schemas import ApiInput, Resource

ChatChannel = Literal["web", "sms", "whatsapp", "email"]
ChatRole = Literal["user", "assistant", "agent", "system"]
ChatSessionStatus = Literal["open", "closed"]
Metadata = Annotated[dict[str, Any], Field(max_length=50)]


class ChatMessageCreate(ApiInput):
    session_id: str | None = Field(
        default=None, max_length=40, description="Omit to start a new session."
    )
    lead_id: str | None = Field(
        default=None, max_length=40, description="The lead a new session is linked to."
    )
    channel: ChatChannel | None = Field(
        default=None, description="The channel of a new session (default `web`)."
    )
    role: ChatRole = "user"
    content: str = Field(min_length=1, max_length=10_000)
    metadata: Metadata = Field(default_factory=dict)

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "sessionId": "chs_2k9x4m8q1w3e5r7t0y6u",
                    "role": "user",
                    "content": "Hi, do you have availability on Thursday?",
                    "metadata": {"page": "/pricing"},
                }
            ]
        }
    }


class ChatMessageOut(Resource):
    id: str = Field(examples=["msg_7q2k9x4m8w1e3r5t0y6u"])
    session_id: str
    role: ChatRole
    content: str
    metadata: dict[str, Any] = Field(validation_alias=AliasChoices("extra", "metadata"))
    created_at: datetime


class ChatSessionOut(Resource):
    id: str = Field(examples=["chs_2k9x4m8q1w3e5r7t0y6u"])
    lead_id: str | None
    channel: ChatChannel
    status: ChatSessionStatus
    message_count: int
    last_message_at: datetime | None
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class ChatSessionFilters:
    lead_id: str | None
    channel: ChatChannel | None
    status: ChatSessionStatus | None
    created: CreatedRange


async def chat_session_filters(
    created: Annotated[CreatedRange, Depends(created_range)],
    lead_id: Annotated[str | None, Query(alias="leadId", max_length=40)] = None,
    channel: Annotated[ChatChannel | None, Query()] = None,
    status: Annotated[ChatSessionStatus | None, Query()] = None,
) -> ChatSessionFilters:
    return ChatSessionFilters(lead_id, channel, status, created)
