"""The sandbox answers the real slack-sdk the way Slack does: refusals are HTTP 200 with
``ok: false``, limits are HTTP 429 ``ratelimited`` with ``Retry-After``, lists page with
``response_metadata.next_cursor``."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from slack_sdk.errors import SlackApiError

from connectors.slack.sandbox import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET
from tests.connectors.slack.conftest import Running


def test_auth_test_names_the_team(slack: Running) -> None:
    found = slack.client().auth_test()
    assert found["ok"] is True
    assert found["team_id"] == "T0SANDBOX"


def test_an_unknown_token_is_refused_with_200_and_an_error(slack: Running) -> None:
    with pytest.raises(SlackApiError) as refused:
        slack.client("xoxb-unknown").auth_test()
    assert refused.value.response.status_code == 200
    assert refused.value.response["error"] == "invalid_auth"


def test_channels_page_with_next_cursor(slack: Running) -> None:
    client = slack.client()
    seen, cursor = [], None
    while True:
        page = client.conversations_list(limit=2, **({"cursor": cursor} if cursor else {}))
        assert len(page["channels"]) <= 2
        seen.extend(c["id"] for c in page["channels"])
        cursor = page["response_metadata"]["next_cursor"]
        if not cursor:
            break
    assert seen == ["C0GENERAL", "C0LEADS", "C0CALLS", "C0VIP", "C0RANDOM"]


def test_post_then_update_in_place(slack: Running) -> None:
    client = slack.client()
    posted = client.chat_postMessage(channel="C0LEADS", text="first")
    client.chat_update(channel="C0LEADS", ts=posted["ts"], text="second")
    (message,) = slack.messages("C0LEADS")
    assert (message["text"], message["edited"]) == ("second", True)
    with pytest.raises(SlackApiError) as missing:
        client.chat_update(channel="C0LEADS", ts="1.000000", text="x")
    assert missing.value.response["error"] == "message_not_found"


def test_posting_where_the_bot_is_not_a_member_is_refused(slack: Running) -> None:
    with pytest.raises(SlackApiError) as refused:
        slack.client().chat_postMessage(channel="C0RANDOM", text="hello")
    assert refused.value.response["error"] == "not_in_channel"
    with pytest.raises(SlackApiError) as unknown:
        slack.client().chat_postMessage(channel="C0NOPE", text="hello")
    assert unknown.value.response["error"] == "channel_not_found"


def test_a_channel_past_its_rate_answers_429_with_retry_after(
    make_slack: Callable[..., Running],
) -> None:
    slack = make_slack(channel_rate=0.5, channel_burst=2)
    client = slack.client()
    client.chat_postMessage(channel="C0LEADS", text="1")
    client.chat_postMessage(channel="C0LEADS", text="2")
    with pytest.raises(SlackApiError) as limited:
        client.chat_postMessage(channel="C0LEADS", text="3")
    response = limited.value.response
    assert (response.status_code, response["error"]) == (429, "ratelimited")
    assert int(response.headers["Retry-After"]) >= 1
    # Another channel has its own allowance.
    client.chat_postMessage(channel="C0CALLS", text="elsewhere")
    assert slack.stats()["rate_limited"] == 1


def test_a_method_past_its_tier_answers_429(make_slack: Callable[..., Running]) -> None:
    slack = make_slack(method_limits={"conversations.list": 2})
    client = slack.client()
    client.conversations_list()
    client.conversations_list()
    with pytest.raises(SlackApiError) as limited:
        client.conversations_list()
    assert limited.value.response.status_code == 429


def test_oauth_v2_install(slack: Running) -> None:
    redirect = "http://127.0.0.1:1/callback"
    with httpx.Client() as browser:
        page = browser.get(
            f"{slack.base}/oauth/v2/authorize",
            params={
                "client_id": DEFAULT_CLIENT_ID,
                "redirect_uri": redirect,
                "state": "s1",
                "scope": "chat:write,channels:read,commands",
            },
        )
        assert page.status_code == 200 and "Approve" in page.text
        approved = browser.post(
            f"{slack.base}/oauth/v2/authorize",
            data={
                "client_id": DEFAULT_CLIENT_ID,
                "redirect_uri": redirect,
                "state": "s1",
                "decision": "approve",
            },
        )
    query = parse_qs(urlsplit(approved.headers["location"]).query)
    assert query["state"] == ["s1"]
    client = slack.client("")
    token = client.oauth_v2_access(
        client_id=DEFAULT_CLIENT_ID,
        client_secret=DEFAULT_CLIENT_SECRET,
        code=query["code"][0],
        redirect_uri=redirect,
    )
    assert token["token_type"] == "bot" and token["team"]["id"] == "T0SANDBOX"
    assert slack.client(token["access_token"]).auth_test()["ok"] is True
    with pytest.raises(SlackApiError) as reused:
        client.oauth_v2_access(
            client_id=DEFAULT_CLIENT_ID,
            client_secret=DEFAULT_CLIENT_SECRET,
            code=query["code"][0],
        )
    assert (reused.value.response.status_code, reused.value.response["error"]) == (
        200,
        "invalid_code",
    )
