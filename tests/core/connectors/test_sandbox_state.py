"""Mounted sandboxes keep their accounts across restarts when HUBWIRE_SANDBOX_STATE_DIR is
set (make run sets it): a connection made before a restart keeps working after it."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
from fastapi import FastAPI

from connectors.hubspot.sandbox import DEFAULT_CLIENT_ID
from connectors.hubspot.sandbox.store import Store
from core.app import create_app
from core.settings import Settings


def _demo(settings: Settings, state_dir: Path) -> FastAPI:
    return create_app(
        settings.model_copy(
            update={"sandboxes": True, "sandbox_state_dir": state_dir, "embedded_worker": False}
        )
    )


def _store(app: FastAPI) -> Store:
    _, sandbox_app = app.state.sandboxes.apps["hubspot"]
    store: Store = sandbox_app.state.sandbox.store
    return store


async def _token_and_contact(app: FastAPI) -> tuple[str, str]:
    """A token the sandbox issued (as a consent would) and a contact created with it."""
    store = _store(app)
    token, _ = store.issue_tokens(
        DEFAULT_CLIENT_ID, ("crm.objects.contacts.read", "crm.objects.contacts.write"), 1800
    )
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://hubwire.test") as http:
        made = await http.post(
            "/sandbox/hubspot/crm/v3/objects/contacts",
            json={"properties": {"email": "kept@example.com"}},
            headers={"Authorization": f"Bearer {token}"},
        )
    assert made.status_code == 201, made.text
    return token, str(made.json()["id"])


async def test_the_hubspot_sandbox_account_survives_a_restart(
    settings: Settings, tmp_path: Path
) -> None:
    first = _demo(settings, tmp_path)
    async with first.router.lifespan_context(first):
        token, contact_id = await _token_and_contact(first)
    saved = json.loads((tmp_path / "hubspot.json").read_text())
    assert [o["id"] for o in saved["objects"]] == [contact_id]

    again = _demo(settings, tmp_path)
    async with again.router.lifespan_context(again):
        transport = httpx.ASGITransport(app=again)
        async with httpx.AsyncClient(transport=transport, base_url="http://hubwire.test") as http:
            read = await http.get(
                f"/sandbox/hubspot/crm/v3/objects/contacts/{contact_id}",
                headers={"Authorization": f"Bearer {token}"},
            )
            created = await http.post(
                "/sandbox/hubspot/crm/v3/objects/contacts",
                json={"properties": {"email": "kept@example.com"}},
                headers={"Authorization": f"Bearer {token}"},
            )
    # The old token still works, the contact is there, and its email is still taken.
    assert read.status_code == 200, read.text
    assert read.json()["properties"]["email"] == "kept@example.com"
    assert created.status_code == 409, created.text


async def test_a_damaged_state_file_starts_the_sandbox_empty(
    settings: Settings, tmp_path: Path
) -> None:
    (tmp_path / "hubspot.json").write_text("{not json")
    app = _demo(settings, tmp_path)
    async with app.router.lifespan_context(app):
        assert _store(app).all("contacts") == []
    # Written back whole at shutdown.
    assert json.loads((tmp_path / "hubspot.json").read_text())["objects"] == []
