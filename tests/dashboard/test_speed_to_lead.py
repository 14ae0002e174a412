"""The speed-to-lead page: an admin sets the response target (bad values are 422s with the
reason), everyone sees it and the share of leads answered within it."""

from __future__ import annotations

from tests.conftest import Api, Tenant
from tests.dashboard.conftest import Page
from tests.oauth.conftest import Person


async def test_an_admin_sets_the_target_and_everyone_sees_the_share(
    page: Page, owner: Person, member: Person, tenant: Tenant, api: Api
) -> None:
    await page.login(owner)
    shown = await page.get("/dashboard/speed-to-lead")
    assert shown.status_code == 200 and 'id="target-form"' in shown.text
    saved = await page.post("/dashboard/speed-to-lead", {"minutes": "5"})
    assert saved.status_code == 200 and "Response target set to 5 minutes." in saved.text
    assert (await api.get("/v1/response-target")).json() == {"targetSeconds": 300}

    for wrong in ("0", "five", "20000"):
        refused = await page.post("/dashboard/speed-to-lead", {"minutes": wrong})
        assert refused.status_code == 422 and 'role="alert"' in refused.text, wrong
    assert (await api.get("/v1/response-target")).json() == {"targetSeconds": 300}

    answered = (await api.post("/v1/leads", json={"name": "Ada"})).json()["id"]
    await api.patch(f"/v1/leads/{answered}", json={"status": "contacted"})
    await api.post("/v1/leads", json={"name": "Grace"})
    await page.login(member)
    seen = await page.get("/dashboard/speed-to-lead")
    assert "target-form" not in seen.text and "5 minutes" in seen.text
    assert 'id="stat-leads">2<' in seen.text and 'id="stat-share">50%<' in seen.text
    assert (await page.post("/dashboard/speed-to-lead", {"minutes": "9"})).status_code == 403
