from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, cast, func, literal_column
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from core.database import Base, TimestampMixin
from core.ids import new_id


class Lead(TimestampMixin, Base):
    __tablename__ = "leads"
    __table_args__ = (
        Index("ix_leads_workspace_created", "workspace_id", "created_at"),
        # Every email lookup (the filter, inbound matching, pulls) compares lower-cased.
        Index(
            "ix_leads_workspace_email_lower", "workspace_id", func.lower(literal_column("email"))
        ),
        Index("ix_leads_workspace_updated", "workspace_id", "updated_at"),
        Index("ix_leads_workspace_status_created", "workspace_id", "status", "created_at"),
        Index("ix_leads_workspace_source_created", "workspace_id", "source", "created_at"),
        # PostgreSQL only (SQLite scans): `tag` as JSONB containment, `search` by trigrams.
        Index(
            "ix_leads_tags",
            cast(literal_column("tags"), JSONB).label("tags_jsonb"),
            postgresql_using="gin",
            postgresql_ops={"tags_jsonb": "jsonb_path_ops"},
        ).ddl_if(dialect="postgresql"),
        # The same with the workspace as a key too (btree_gin): a small workspace's tag filter
        # reads its own leads' entries, not every workspace's; a large one's is cheaper
        # through the index above (migration 0021, docs/operations/scale.md).
        Index(
            "ix_leads_workspace_tags",
            "workspace_id",
            cast(literal_column("tags"), JSONB).label("tags_jsonb"),
            postgresql_using="gin",
            postgresql_ops={"tags_jsonb": "jsonb_path_ops"},
        ).ddl_if(dialect="postgresql"),
        *(
            Index(
                f"ix_leads_{name}_trgm",
                func.lower(literal_column(name)).label(f"{name}_lower"),
                postgresql_using="gin",
                postgresql_ops={f"{name}_lower": "gin_trgm_ops"},
            ).ddl_if(dialect="postgresql")
            for name in ("name", "email", "company")
        ),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True, default=lambda: new_id("lead"))
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    name: Mapped[str | None] = mapped_column(String(200))
    first_name: Mapped[str | None] = mapped_column(String(200))
    last_name: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320))
    phone: Mapped[str | None] = mapped_column(String(40))
    company: Mapped[str | None] = mapped_column(String(200))
    source: Mapped[str | None] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(16), default="new")
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    custom_fields: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Email marketing consent: unknown, granted or revoked; when it last changed and where
    # from (docs/resources/leads.md, "Email marketing consent").
    email_consent: Mapped[str] = mapped_column(String(16), default="unknown")
    email_consent_at: Mapped[datetime | None]
    email_consent_source: Mapped[str | None] = mapped_column(String(100))
