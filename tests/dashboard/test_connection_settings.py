"""A connection's settings on its dashboard page: shown as JSON, saved by an admin, checked
by the connector as the API checks them (a Slack connection's rules)."""

from __future__ import annotations

import html

from core.connections.models import Connection
from tests.conftest import Tenant
from tests.dashboard.conftest import Page
from tests.oauth.conftest import Person


async def _slack_connection(page: Page, tenant: Tenant) -> str:
    connection = Connection(
        workspace_id=tenant.id,
        connector="slack",
        status="paused",
        auth_type="oauth2",
        push_routes={},
        settings={},
    )
    async with page.services.db.session() as session:
        session.add(connection)
    return connection.id


async def test_an_admin_sets_a_slack_connections_rules(
    page: Page, owner: Person, member: Person, tenant: Tenant
) -> None:
    connection_id = await _slack_connection(page, tenant)
    url = f"/dashboard/integrations/{connection_id}/settings"
    await page.login(owner)
    shown = await page.get(f"/dashboard/integrations/{connection_id}")
    assert 'id="settings-form"' in shown.text and "rules" in shown.text

    rules = '{"rules": [{"events": ["lead.*"], "channel": "C0LEADS"}]}'
    saved = await page.post(url, {"settings": rules})
    assert saved.status_code == 200 and "Settings saved." in saved.text
    assert '"channel": "C0LEADS"' in html.unescape(saved.text)

    for wrong, says in (
        ('{"rules": [{"events": ["lead.*"], "channel": "leads"}]}', "must be a Slack channel id"),
        ("[1, 2]", "Settings must be a JSON object."),
        ("{not json", "Settings must be a JSON object."),
    ):
        refused = await page.post(url, {"settings": wrong})
        assert refused.status_code == 422 and 'role="alert"' in refused.text, wrong
        assert says in html.unescape(refused.text)
    # The refused settings changed nothing.
    again = await page.get(f"/dashboard/integrations/{connection_id}")
    assert '"channel": "C0LEADS"' in html.unescape(again.text)

    await page.login(member)
    seen = await page.get(f"/dashboard/integrations/{connection_id}")
    assert "settings-form" not in seen.text and "C0LEADS" in html.unescape(seen.text)
    assert (await page.post(url, {"settings": "{}"})).status_code == 403
