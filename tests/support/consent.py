"""What a user's browser does at a provider sandbox's OAuth consent page."""

from __future__ import annotations

import html
import re

import httpx


async def approve(authorize_url: str) -> str:
    """Opens the consent page, presses Approve; returns where the provider redirects to
    (Hubwire's callback with the code)."""
    async with httpx.AsyncClient(timeout=30) as browser:
        page = await browser.get(authorize_url)
        assert page.status_code == 200 and "Approve" in page.text, page.text
        form = {
            k: html.unescape(v) for k, v in re.findall(r'name="([^"]+)" value="([^"]*)"', page.text)
        }
        action = re.search(r'<form method="post" action="([^"]+)"', page.text)
        assert action, page.text
        approved = await browser.post(
            html.unescape(action.group(1)), data={**form, "decision": "approve"}
        )
    assert approved.status_code == 302, approved.text
    return str(approved.headers["location"])
