from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from core.database import Base, TimestampMixin
from core.ids import new_id


class Partner(TimestampMixin, Base):
    """An organisation above workspaces (a reseller, an agency) that manages some of them."""

    __tablename__ = "partners"

    id: Mapped[str] = mapped_column(String(40), primary_key=True, default=lambda: new_id("ptn"))
    name: Mapped[str] = mapped_column(String(200))
    contact_email: Mapped[str] = mapped_column(String(320))
    status: Mapped[str] = mapped_column(String(16), default="active")
    # The workspace scopes the partner's keys hold inside a managed workspace, and the most
    # a key it mints for one may have.
    workspace_scopes: Mapped[list[str]] = mapped_column(JSON, default=list)
    tier: Mapped[str] = mapped_column(String(16), default="standard")


class PartnerKey(TimestampMixin, Base):
    """A partner's credential (``hwp_<env>_<publicId>_<secret>``); only a digest is kept."""

    __tablename__ = "partner_keys"

    # `pkey_<publicId>`.
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    partner_id: Mapped[str] = mapped_column(
        ForeignKey("partners.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    prefix: Mapped[str] = mapped_column(String(40))
    secret_hash: Mapped[str] = mapped_column(String(64))
    environment: Mapped[str] = mapped_column(String(8), default="live")
    status: Mapped[str] = mapped_column(String(16), default="active")
    # `partner:read` and/or `partner:write`.
    scopes: Mapped[list[str]] = mapped_column(JSON, default=list)
    revoked_at: Mapped[datetime | None]
