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


def test_list_arguments_are_checked_like_slacks(slack: Running) -> None:
    client = slack.client()
    for kwargs, error in (
        ({"limit": 1001}, "invalid_limit"),
        ({"limit": 0}, "invalid_limit"),
        ({"cursor": "not-a-cursor"}, "invalid_cursor"),
        ({"types": "public_channel,groups"}, "invalid_types"),
    ):
        with pytest.raises(SlackApiError) as refused:
            client.conversations_list(**kwargs)
        assert (refused.value.response.status_code, refused.value.response["error"]) == (
            200,
            error,
        )


def test_archived_channels_are_listed_unless_excluded_and_refuse_posts(
    make_slack: Callable[..., Running],
) -> None:
    slack = make_slack(archived=("C0RANDOM",))
    client = slack.client()
    every = [c["id"] for c in client.conversations_list()["channels"]]
    kept = [c["id"] for c in client.conversations_list(exclude_archived=True)["channels"]]
    assert "C0RANDOM" in every and "C0RANDOM" not in kept
    with pytest.raises(SlackApiError) as refused:
        client.chat_postMessage(channel="C0RANDOM", text="hello")
    assert refused.value.response["error"] == "is_archived"


# The SDK warns about a post without `text` (the no_text case): that is the point here.
@pytest.mark.filterwarnings("ignore:The top-level `text` argument is missing")
def test_messages_are_checked_like_slacks(slack: Running) -> None:
    client = slack.client()
    long_section = [{"type": "section", "text": {"type": "mrkdwn", "text": "x" * 3001}}]
    too_many = [{"type": "divider"}] * 51
    for kwargs, error in (
        ({}, "no_text"),
        ({"text": "x" * 40_001}, "msg_too_long"),
        ({"text": "t", "blocks": long_section}, "invalid_blocks"),
        ({"text": "t", "blocks": too_many}, "invalid_blocks"),
        ({"text": "t", "blocks": [{"text": "no type"}]}, "invalid_blocks"),
    ):
        with pytest.raises(SlackApiError) as refused:
            client.chat_postMessage(channel="C0LEADS", **kwargs)
        assert refused.value.response["error"] == error
    assert slack.messages("C0LEADS") == []


def test_a_token_without_the_scope_gets_missing_scope(slack: Running) -> None:
    redirect = "http://127.0.0.1:1/callback"
    with httpx.Client() as browser:
        approved = browser.post(
            f"{slack.base}/oauth/v2/authorize",
            data={
                "client_id": DEFAULT_CLIENT_ID,
                "redirect_uri": redirect,
                "scope": "channels:read",
                "decision": "approve",
            },
        )
    code = parse_qs(urlsplit(approved.headers["location"]).query)["code"][0]
    token = slack.client("").oauth_v2_access(
        client_id=DEFAULT_CLIENT_ID, client_secret=DEFAULT_CLIENT_SECRET, code=code
    )
    assert token["scope"] == "channels:read"
    narrow = slack.client(token["access_token"])
    assert narrow.conversations_list()["ok"] is True
    with pytest.raises(SlackApiError) as refused:
        narrow.chat_postMessage(channel="C0LEADS", text="hello")
    body = refused.value.response
    assert (body["error"], body["needed"], body["provided"]) == (
        "missing_scope",
        "chat:write",
        "channels:read",
    )


def test_an_unknown_method_is_slacks_unknown_method(slack: Running) -> None:
    with pytest.raises(SlackApiError) as refused:
        slack.client().api_call("chat.scheduleMessage", json={"channel": "C0LEADS"})
    assert refused.value.response["error"] == "unknown_method"
