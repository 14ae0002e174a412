"""The Calendly sandbox answers as Calendly does (docs/connectors/calendly.md, "Fidelity"):
its errors, pagination, scope rules, OAuth grants and signed webhooks."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import httpx

from connectors.calendly.sandbox import (
    DEFAULT_CLIENT_ID,
    DEFAULT_CLIENT_SECRET,
    DEFAULT_SIGNING_KEY,
)
from connectors.calendly.signature import verify
from tests.connectors.calendly.conftest import STATIC_TOKEN, CalendlySandbox, serve
from tests.support.consent import approve

AUTH = {"Authorization": f"Bearer {STATIC_TOKEN}"}


def _me(url: str) -> dict[str, str]:
    resource: dict[str, str] = httpx.get(f"{url}/users/me", headers=AUTH).json()["resource"]
    return resource


def test_errors_have_calendlys_bodies(calendly: CalendlySandbox) -> None:
    unknown = httpx.get(f"{calendly.url}/no_such_thing", headers=AUTH)
    assert unknown.status_code == 404
    assert unknown.json() == {
        "title": "Resource Not Found",
        "message": "The server could not find the requested resource.",
    }
    anonymous = httpx.get(f"{calendly.url}/users/me")
    assert anonymous.status_code == 401
    assert anonymous.json()["title"] == "Unauthenticated"
    unscoped = httpx.get(f"{calendly.url}/scheduled_events", headers=AUTH)
    assert unscoped.status_code == 400
    assert unscoped.json()["title"] == "Invalid Argument"
    assert unscoped.json()["details"][0]["parameter"] == "organization"
    user = _me(calendly.url)["uri"]
    too_many = httpx.get(
        f"{calendly.url}/scheduled_events", params={"user": user, "count": 101}, headers=AUTH
    )
    assert too_many.status_code == 400
    assert too_many.json()["details"][0]["parameter"] == "count"


def test_every_answer_carries_the_rate_limit_headers(calendly: CalendlySandbox) -> None:
    answer = httpx.get(f"{calendly.url}/users/me", headers=AUTH)
    assert answer.headers["x-ratelimit-limit"] == "500"
    assert int(answer.headers["x-ratelimit-remaining"]) < 500
    assert "retry-after" not in answer.headers


def test_scheduled_events_page_with_next_page_token(calendly: CalendlySandbox) -> None:
    for day in (3, 1, 2):
        calendly.book(f"p{day}@example.com", f"2030-07-0{day}T10:00:00Z")
    params = {"user": _me(calendly.url)["uri"], "count": 2, "sort": "start_time:asc"}
    first = httpx.get(f"{calendly.url}/scheduled_events", params=params, headers=AUTH).json()
    assert [e["start_time"][:10] for e in first["collection"]] == ["2030-07-01", "2030-07-02"]
    token = first["pagination"]["next_page_token"]
    assert token and first["pagination"]["next_page"]
    second = httpx.get(
        f"{calendly.url}/scheduled_events", params={**params, "page_token": token}, headers=AUTH
    ).json()
    assert [e["start_time"][:10] for e in second["collection"]] == ["2030-07-03"]
    assert second["pagination"]["next_page_token"] is None


def test_organization_scope_needs_an_admin_and_a_url_is_subscribed_once() -> None:
    with serve(role="user") as url:
        me = _me(url)
        body = {
            "url": "https://hubwire.example/hook",
            "events": ["invitee.created"],
            "organization": me["current_organization"],
            "user": me["uri"],
            "scope": "organization",
        }
        denied = httpx.post(f"{url}/webhook_subscriptions", json=body, headers=AUTH)
        assert denied.status_code == 403
        assert denied.json()["title"] == "Permission Denied"
        made = httpx.post(
            f"{url}/webhook_subscriptions", json={**body, "scope": "user"}, headers=AUTH
        )
        assert made.status_code == 201, made.text
        again = httpx.post(
            f"{url}/webhook_subscriptions", json={**body, "scope": "user"}, headers=AUTH
        )
        assert again.status_code == 409
        assert again.json() == {
            "title": "Already Exists",
            "message": "Hook with this url already exists",
        }


async def test_oauth_codes_and_single_use_refresh_tokens(calendly: CalendlySandbox) -> None:
    redirect = "https://hubwire.example/v1/connections/callback"
    location = await approve(
        f"{calendly.url}/oauth/authorize?client_id={DEFAULT_CLIENT_ID}"
        f"&response_type=code&redirect_uri={redirect}&state=s1"
    )
    query = parse_qs(urlsplit(location).query)
    assert query["state"] == ["s1"]
    owner = _me(calendly.url)["uri"]
    client = (DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET)
    form = {"grant_type": "authorization_code", "code": query["code"][0], "redirect_uri": redirect}
    async with httpx.AsyncClient(base_url=calendly.url) as http:
        wrong = await http.post("/oauth/token", data=form, auth=(DEFAULT_CLIENT_ID, "nope"))
        assert (wrong.status_code, wrong.json()["error"]) == (401, "invalid_client")
        tokens = (await http.post("/oauth/token", data=form, auth=client)).json()
        assert tokens["expires_in"] == 7200 and tokens["owner"] == owner
        reused = await http.post("/oauth/token", data=form, auth=client)
        assert (reused.status_code, reused.json()["error"]) == (400, "invalid_grant")
        refresh = {"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]}
        renewed = await http.post("/oauth/token", data=refresh, auth=client)
        assert renewed.status_code == 200
        assert renewed.json()["refresh_token"] != tokens["refresh_token"]
        spent = await http.post("/oauth/token", data=refresh, auth=client)
        assert (spent.status_code, spent.json()["error"]) == (400, "invalid_grant")


def test_a_reschedule_sends_both_webhooks_signed(calendly: CalendlySandbox) -> None:
    me = _me(calendly.url)
    body = {
        "url": "https://hubwire.example/hook",
        "events": ["invitee.created", "invitee.canceled"],
        "organization": me["current_organization"],
        "scope": "organization",
    }
    assert httpx.post(f"{calendly.url}/webhook_subscriptions", json=body, headers=AUTH).is_success
    invitee = calendly.book("ada@example.com", "2030-07-05T10:00:00Z")
    calendly.reschedule(invitee["uri"], "2030-07-06T10:00:00Z")
    sent = calendly.outbox()
    assert [m["event"] for m in sent] == ["invitee.created", "invitee.canceled", "invitee.created"]
    for message in sent:
        header = message["headers"]["calendly-webhook-signature"]
        assert verify(header, message["body"].encode(), DEFAULT_SIGNING_KEY)
    old, new = (json.loads(m["body"])["payload"] for m in sent[1:])
    assert old["rescheduled"] is True and old["new_invitee"] == new["uri"]
    assert new["old_invitee"] == old["uri"] and new["status"] == "active"
    assert json.loads(sent[0]["body"])["created_by"] == me["uri"]
