from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from core.chat.models import ChatMessage, ChatSession
from core.chat.repository import MESSAGE_SORTING, SESSION_SORTING, ChatRepository
from core.chat.schemas import ChatMessageCreate, ChatMessageOut, ChatSessionFilters
from core.database import utcnow
from core.errors import NotFound, ValidationFailed
from core.events.service import emit
from core.leads.repository import LeadRepository
from core.listing import ListParams, PageResult, paginate


class ChatSessionNotFound(NotFound):
    def __init__(self, session_id: str) -> None:
        super().__init__(f"Chat session {session_id} does not exist.", details={"id": session_id})


class ChatLeadNotFound(ValidationFailed):
    def __init__(self, lead_id: str) -> None:
        super().__init__(
            f"leadId: lead {lead_id} does not exist in this workspace.",
            details={"field": "leadId"},
        )


class ChatSessionMismatch(ValidationFailed):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message, details={"field": field})


class ChatService:
    async def post_message(
        self, session: AsyncSession, *, workspace_id: str, data: ChatMessageCreate
    ) -> ChatMessage:
        """Adds a message to a session, starting a new session when none is named."""
        repository = ChatRepository(session)
        if data.session_id is None:
            if data.lead_id is not None:
                await self._check_lead(session, workspace_id, data.lead_id)
            chat = ChatSession(
                workspace_id=workspace_id, lead_id=data.lead_id, channel=data.channel or "web"
            )
            repository.add(chat)
        else:
            chat = await self.get_session(
                session, workspace_id=workspace_id, session_id=data.session_id
            )
            if data.lead_id is not None:
                await self._check_lead(session, workspace_id, data.lead_id)
                if chat.lead_id is None:
                    chat.lead_id = data.lead_id
                elif chat.lead_id != data.lead_id:
                    raise ChatSessionMismatch(
                        "leadId", f"leadId: session {chat.id} is linked to another lead."
                    )
            if data.channel is not None and data.channel != chat.channel:
                raise ChatSessionMismatch(
                    "channel", f"channel: session {chat.id} is on the {chat.channel} channel."
                )
        await session.flush()
        message = ChatMessage(
            workspace_id=workspace_id,
            session_id=chat.id,
            role=data.role,
            content=data.content,
            extra=data.metadata,
            created_at=utcnow(),
        )
        repository.add(message)
        await session.flush()
        await repository.record_message(chat.id, message.created_at)
        emit(
            session,
            workspace_id=workspace_id,
            type="chat.message_received",
            data=ChatMessageOut.model_validate(message),
        )
        return message

    async def list_sessions(
        self,
        session: AsyncSession,
        *,
        workspace_id: str,
        filters: ChatSessionFilters,
        params: ListParams,
    ) -> PageResult:
        stmt = ChatRepository(session).sessions(workspace_id, filters)
        return await paginate(session, stmt, SESSION_SORTING, params)

    async def get_session(
        self, session: AsyncSession, *, workspace_id: str, session_id: str
    ) -> ChatSession:
        chat = await ChatRepository(session).get_session(workspace_id, session_id)
        if chat is None:
            raise ChatSessionNotFound(session_id)
        return chat

    async def list_messages(
        self, session: AsyncSession, *, workspace_id: str, session_id: str, params: ListParams
    ) -> PageResult:
        await self.get_session(session, workspace_id=workspace_id, session_id=session_id)
        stmt = ChatRepository(session).messages(workspace_id, session_id)
        return await paginate(session, stmt, MESSAGE_SORTING, params)

    async def _check_lead(self, session: AsyncSession, workspace_id: str, lead_id: str) -> None:
        if await LeadRepository(session).get(workspace_id, lead_id) is None:
            raise ChatLeadNotFound(lead_id)


chat = ChatService()
