"""Where a lead is shown to people (messages and cards link to it)."""

from __future__ import annotations


def lead_page_url(public_base_url: str, lead_id: str) -> str:
    """The lead's page in the dashboard."""
    return f"{public_base_url.rstrip('/')}/dashboard/leads/{lead_id}"
