"""Stored secrets and key rotation: HUBWIRE_SECRET_KEY holds several Fernet keys (the first
seals, all open) and ``hubwire secrets rotate`` re-seals everything with the first."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from core.cli import reseal_all, sealed_columns
from core.connections.models import Connection
from core.crypto import SecretBox, SecretKeyMissing, new_secret_key
from core.database import Database
from core.migrations.runner import upgrade_async
from core.webhooks.models import Webhook
from core.workspaces.models import Workspace
from core.workspaces.service import workspaces
from tests.support.servers import postgres_database

HUBWIRE = shutil.which("hubwire") or str(Path(sys.executable).parent / "hubwire")
OLD, NEW = new_secret_key(), new_secret_key()
PLAINTEXTS = {
    "callback": "whsec_callback",
    "webhook": "whsec_current",
    "previous": "whsec_previous",
    "credentials": '{"access_token":"at","refresh_token":"rt"}',
    "verifier": "pkce-verifier",
}


def test_the_first_key_seals_and_every_key_opens() -> None:
    old_only, rotated = SecretBox(OLD), SecretBox(f" {NEW} , {OLD} ")
    assert rotated.key_count == 2
    from_before = old_only.seal("token")
    assert rotated.open(from_before) == "token"
    assert not rotated.is_current(from_before)
    sealed_now = rotated.seal("token")
    assert rotated.is_current(sealed_now)
    assert SecretBox(NEW).open(sealed_now) == "token"
    with pytest.raises(SecretKeyMissing):
        old_only.open(sealed_now)
    resealed = rotated.reseal(from_before)
    assert SecretBox(NEW).open(resealed) == "token"
    with pytest.raises(SecretKeyMissing):
        SecretBox(new_secret_key()).reseal(from_before)


@pytest.mark.parametrize(
    "value",
    ["", " , ", "not-a-key", f"{NEW},short"],
    ids=["empty", "only-separators", "not-a-key", "second-key-short"],
)
def test_bad_key_settings_are_refused_without_echoing_them(value: str) -> None:
    with pytest.raises(ValueError) as refused:
        SecretBox(value)
    assert "HUBWIRE_SECRET_KEY" in str(refused.value)
    if value.strip(" ,"):
        assert value.split(",")[-1] not in str(refused.value)


def test_every_sealed_column_is_rotated() -> None:
    found = {(table.name, name) for table, names in sealed_columns() for name in names}
    assert found == {
        ("workspaces", "callback_secret_sealed"),
        ("webhooks", "secret_sealed"),
        ("webhooks", "previous_secret_sealed"),
        ("connections", "credentials_sealed"),
        ("connections", "code_verifier_sealed"),
    }


async def _seed(database_url: str, box: SecretBox) -> dict[str, str]:
    """One of each sealed secret, sealed with ``box``; returns the ids."""
    await upgrade_async(database_url)
    db = Database(database_url)
    try:
        async with db.session() as session:
            workspace = await workspaces.create(
                session, slug="rotation", contact_email="ops@example.com"
            )
            workspace.callback_secret_sealed = box.seal(PLAINTEXTS["callback"])
            webhook = Webhook(
                workspace_id=workspace.id,
                url="https://example.com/hook",
                events=["*"],
                secret_sealed=box.seal(PLAINTEXTS["webhook"]),
                previous_secret_sealed=box.seal(PLAINTEXTS["previous"]),
            )
            connection = Connection(
                workspace_id=workspace.id,
                connector="hubspot",
                auth_type="oauth2",
                credentials_sealed=box.seal(PLAINTEXTS["credentials"]),
                code_verifier_sealed=box.seal(PLAINTEXTS["verifier"]),
            )
            # Unsealed columns (NULL) are left alone.
            bare = Webhook(
                workspace_id=workspace.id,
                url="https://example.com/other",
                events=["*"],
                secret_sealed=box.seal(PLAINTEXTS["webhook"]),
            )
            session.add_all([webhook, connection, bare])
            await session.flush()
            return {"workspace": workspace.id, "webhook": webhook.id, "connection": connection.id}
    finally:
        await db.dispose()


async def _opened(database_url: str, box: SecretBox, ids: dict[str, str]) -> dict[str, str]:
    db = Database(database_url)
    try:
        async with db.session() as session:
            workspace = await session.get(Workspace, ids["workspace"])
            webhook = await session.get(Webhook, ids["webhook"])
            connection = await session.get(Connection, ids["connection"])
            assert workspace and webhook and connection
            assert webhook.previous_secret_sealed and connection.credentials_sealed
            assert workspace.callback_secret_sealed and connection.code_verifier_sealed
            others = await session.scalars(select(Webhook.previous_secret_sealed))
            assert None in others.all()
            return {
                "callback": box.open(workspace.callback_secret_sealed),
                "webhook": box.open(webhook.secret_sealed),
                "previous": box.open(webhook.previous_secret_sealed),
                "credentials": box.open(connection.credentials_sealed),
                "verifier": box.open(connection.code_verifier_sealed),
            }
    finally:
        await db.dispose()


def _rotate(tmp_path: Path, database_url: str, keys: str) -> subprocess.CompletedProcess[str]:
    env = {name: value for name, value in os.environ.items() if not name.startswith("HUBWIRE_")}
    env.update(HUBWIRE_DATABASE_URL=database_url, HUBWIRE_SECRET_KEY=keys)
    return subprocess.run(
        [HUBWIRE, "secrets", "rotate"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


async def test_hubwire_secrets_rotate_reseals_with_the_first_key(tmp_path: Path) -> None:
    database_url = f"sqlite+aiosqlite:///{tmp_path / 'hubwire.db'}"
    ids = await _seed(database_url, SecretBox(OLD))

    rotated = _rotate(tmp_path, database_url, f"{NEW},{OLD}")
    assert rotated.returncode == 0, rotated.stderr
    assert rotated.stdout.strip() == "re-sealed 6 secret(s) with the first key; 0 already used it"
    # The old key can go: everything opens with the new one alone.
    assert await _opened(database_url, SecretBox(NEW), ids) == PLAINTEXTS

    again = _rotate(tmp_path, database_url, f"{NEW},{OLD}")
    assert again.stdout.strip() == "re-sealed 0 secret(s) with the first key; 6 already used it"

    # A key set that cannot open them changes nothing and says which secret failed.
    wrong = _rotate(tmp_path, database_url, new_secret_key())
    assert wrong.returncode == 1
    assert "cannot be decrypted" in wrong.stderr and "nothing was changed" in wrong.stderr
    assert await _opened(database_url, SecretBox(NEW), ids) == PLAINTEXTS


async def test_resealing_on_postgresql() -> None:
    async with postgres_database() as database_url:
        ids = await _seed(database_url, SecretBox(OLD))
        db = Database(database_url)
        try:
            async with db.session() as session:
                assert await reseal_all(session, SecretBox(f"{NEW},{OLD}")) == (6, 0)
        finally:
            await db.dispose()
        assert await _opened(database_url, SecretBox(NEW), ids) == PLAINTEXTS
