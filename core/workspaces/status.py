"""A workspace's status as authentication sees it: a suspended workspace refuses every
credential of it (API keys, OAuth and user tokens, dashboard sessions, a partner acting in
it) with one error, until it is reactivated (docs/partners.md, "Suspension")."""

from __future__ import annotations

from core.errors import Forbidden


class WorkspaceSuspended(Forbidden):
    def __init__(self, workspace_id: str, status: str = "suspended") -> None:
        super().__init__(
            f"Workspace {workspace_id} is {status}: its credentials are refused until it is "
            "reactivated.",
            details={"workspaceId": workspace_id, "workspaceStatus": status},
        )


def refuse_unless_active(workspace_id: str, status: str | None) -> None:
    """The one check every kind of credential passes: raises unless the workspace is active.
    ``None`` (no such workspace) is left to the caller's own not-found answer."""
    if status is not None and status != "active":
        raise WorkspaceSuspended(workspace_id, status)
