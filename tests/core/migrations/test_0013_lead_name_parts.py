"""Migration 0013 splits the names of existing leads as the API splits a name sent alone."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from core.migrations.runner import upgrade


def test_existing_names_are_split(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'm.db'}"
    upgrade(url, "0012")
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'm.db'}")
    with engine.begin() as db:
        db.execute(
            sa.text(
                "INSERT INTO workspaces (id, slug, name, created_at, updated_at) "
                "VALUES ('ws_1', 'w', 'w', '2026-01-01', '2026-01-01')"
            )
        )
        for lead_id, name in [
            ("lead_a", "Ada King Lovelace"),
            ("lead_b", "Cher"),
            ("lead_c", None),
        ]:
            db.execute(
                sa.text(
                    "INSERT INTO leads (id, workspace_id, name, status, tags, custom_fields, "
                    "created_at, updated_at) VALUES (:id, 'ws_1', :name, 'new', '[]', '{}', "
                    "'2026-01-01', '2026-01-01')"
                ),
                {"id": lead_id, "name": name},
            )
    upgrade(url, "0013")
    with engine.connect() as db:
        rows = db.execute(sa.text("SELECT id, first_name, last_name FROM leads ORDER BY id")).all()
    engine.dispose()
    assert [tuple(r) for r in rows] == [
        ("lead_a", "Ada King", "Lovelace"),
        ("lead_b", None, "Cher"),
        ("lead_c", None, None),
    ]
