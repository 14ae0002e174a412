from __future__ import annotations

from datetime import datetime

from sqlalchemy import Select, case, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.chat.models import ChatMessage, ChatSession
from core.chat.schemas import ChatSessionFilters
from core.listing import Sorting

# lastMessageAt is nullable, and keyset pagination needs a non-null sort column.
SESSION_SORTING = Sorting(
    fields={"createdAt": ChatSession.created_at, "updatedAt": ChatSession.updated_at},
    id_column=ChatSession.id,
)
# A conversation reads oldest first.
MESSAGE_SORTING = Sorting(
    fields={"createdAt": ChatMessage.created_at}, id_column=ChatMessage.id, default="createdAt"
)


class ChatRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get_session(self, workspace_id: str, session_id: str) -> ChatSession | None:
        return await self.session.scalar(
            select(ChatSession).where(
                ChatSession.workspace_id == workspace_id, ChatSession.id == session_id
            )
        )

    def sessions(self, workspace_id: str, filters: ChatSessionFilters) -> Select[ChatSession]:
        stmt = select(ChatSession).where(ChatSession.workspace_id == workspace_id)
        if filters.lead_id is not None:
            stmt = stmt.where(ChatSession.lead_id == filters.lead_id)
        if filters.channel is not None:
            stmt = stmt.where(ChatSession.channel == filters.channel)
        if filters.status is not None:
            stmt = stmt.where(ChatSession.status == filters.status)
        return filters.created.apply(stmt, ChatSession.created_at)

    def messages(self, workspace_id: str, session_id: str) -> Select[ChatMessage]:
        return select(ChatMessage).where(
            ChatMessage.workspace_id == workspace_id, ChatMessage.session_id == session_id
        )

    def add(self, row: ChatSession | ChatMessage) -> None:
        self.session.add(row)

    async def record_message(self, session_id: str, at: datetime) -> None:
        """Counts one more message in the database itself, so concurrent posts add up."""
        last = ChatSession.last_message_at
        await self.session.execute(
            update(ChatSession)
            .where(ChatSession.id == session_id)
            .values(
                message_count=ChatSession.message_count + 1,
                last_message_at=case((last.is_(None) | (last < at), at), else_=last),
            )
            .execution_options(synchronize_session=False)
        )
