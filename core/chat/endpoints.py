from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from core.chat.schemas import (
    ChatMessageCreate,
    ChatMessageOut,
    ChatSessionFilters,
    ChatSessionOut,
    chat_session_filters,
)
from core.chat.service import chat
from core.deps import ReadSession, Session, require
from core.listing import FieldsParam, ListParams, list_params, page_response, resource_response
from core.plugins.auth import Principal
from core.responses import JsonResponse
from core.schemas import Page

router = APIRouter(prefix="/v1/chat", tags=["Chat"])


@router.post(
    "/messages",
    response_model=ChatMessageOut,
    status_code=201,
    summary="Send a chat message",
    description="Without `sessionId` a new session is started.",
    responses={404: {"description": "The session named by `sessionId` does not exist."}},
)
async def post_message(
    session: Session,
    principal: Annotated[Principal, require("chat:write")],
    body: ChatMessageCreate,
) -> JsonResponse:
    message = await chat.post_message(session, workspace_id=principal.workspace_id, data=body)
    return resource_response(ChatMessageOut, message, status_code=201)


@router.get("/sessions", response_model=Page[ChatSessionOut], summary="List chat sessions")
async def list_sessions(
    session: ReadSession,
    principal: Annotated[Principal, require("chat:read")],
    params: Annotated[ListParams, Depends(list_params)],
    filters: Annotated[ChatSessionFilters, Depends(chat_session_filters)],
) -> JsonResponse:
    page = await chat.list_sessions(
        session, workspace_id=principal.workspace_id, filters=filters, params=params
    )
    return page_response(ChatSessionOut, page, params.fields)


@router.get("/sessions/{session_id}", response_model=ChatSessionOut, summary="Get a chat session")
async def get_session(
    session: ReadSession,
    principal: Annotated[Principal, require("chat:read")],
    session_id: str,
    fields: FieldsParam = None,
) -> JsonResponse:
    chat_session = await chat.get_session(
        session, workspace_id=principal.workspace_id, session_id=session_id
    )
    return resource_response(ChatSessionOut, chat_session, fields)


@router.get(
    "/sessions/{session_id}/messages",
    response_model=Page[ChatMessageOut],
    summary="List a chat session's messages",
    description="Oldest first unless `sort=-createdAt`.",
)
async def list_messages(
    session: ReadSession,
    principal: Annotated[Principal, require("chat:read")],
    session_id: str,
    params: Annotated[ListParams, Depends(list_params)],
) -> JsonResponse:
    page = await chat.list_messages(
        session, workspace_id=principal.workspace_id, session_id=session_id, params=params
    )
    return page_response(ChatMessageOut, page, params.fields)
