"""The sandbox answers the official SDK as Mailchimp does: problem-JSON errors with their
real statuses, upserts by subscriber hash, compliance states, asynchronous batches with a
tar.gz of results, the data center in the host, 10 simultaneous connections."""

from __future__ import annotations

import io
import json
import tarfile
import time
from typing import Any

import httpx
import mailchimp_marketing  # type: ignore[import-untyped]
import pytest
from mailchimp_marketing.api_client import ApiClientError  # type: ignore[import-untyped]

from connectors.mailchimp.sandbox import subscriber_hash
from tests.connectors.mailchimp.conftest import LIST_ID, TOKEN, MailchimpSandbox, serve
from tests.support.asgi import read_body
from tests.support.live_server import serve_asgi


def sdk(sandbox: MailchimpSandbox, endpoint: str | None = None) -> Any:
    client = mailchimp_marketing.Client()
    client.set_config({"access_token": TOKEN, "server": ""})
    client.api_client.host = f"{endpoint or sandbox.endpoint}/3.0"
    return client


def problem(exc: pytest.ExceptionInfo[ApiClientError]) -> dict[str, Any]:
    # Mailchimp answers errors as application/problem+json, which the SDK leaves as text.
    body: dict[str, Any] = json.loads(exc.value.text)
    assert {"type", "title", "status", "detail", "instance"} <= set(body), body
    assert body["status"] == exc.value.status_code
    return body


def test_metadata_names_the_data_center_that_serves_the_api(mailchimp: MailchimpSandbox) -> None:
    meta = httpx.get(
        f"{mailchimp.url}/oauth2/metadata", headers={"Authorization": f"OAuth {TOKEN}"}
    ).json()
    assert meta["dc"] == "us21" and meta["api_endpoint"] == mailchimp.endpoint
    lists = sdk(mailchimp).lists.get_all_lists()
    assert [row["id"] for row in lists["lists"]] == [LIST_ID]
    with pytest.raises(ApiClientError) as wrong_dc:
        sdk(mailchimp, f"{mailchimp.url}/us1").lists.get_all_lists()
    assert wrong_dc.value.status_code == 401
    assert problem(wrong_dc)["title"] == "API Key Invalid"
    refused = httpx.get(f"{mailchimp.url}/oauth2/metadata", headers={"Authorization": "OAuth x"})
    assert refused.status_code == 401


def test_put_upserts_by_subscriber_hash(mailchimp: MailchimpSandbox) -> None:
    lists = sdk(mailchimp).lists
    digest = subscriber_hash("Ada@Example.com")
    body = {
        "email_address": "Ada@Example.com",
        "status_if_new": "subscribed",
        "merge_fields": {"FNAME": "Ada"},
    }
    created = lists.set_list_member(LIST_ID, digest, body)
    assert created["id"] == digest and created["status"] == "subscribed"
    again = lists.set_list_member(LIST_ID, digest, {**body, "merge_fields": {"LNAME": "L"}})
    assert again["merge_fields"]["FNAME"] == "Ada" and again["merge_fields"]["LNAME"] == "L"
    assert len(mailchimp.members()) == 1
    assert lists.get_list_member(LIST_ID, digest)["email_address"] == "Ada@Example.com"


def test_validation_errors_are_problem_json_with_field_errors(mailchimp: MailchimpSandbox) -> None:
    lists = sdk(mailchimp).lists
    digest = subscriber_hash("new@example.com")
    with pytest.raises(ApiClientError) as missing:
        lists.set_list_member(LIST_ID, digest, {"email_address": "new@example.com"})
    body = problem(missing)
    assert missing.value.status_code == 400 and body["title"] == "Invalid Resource"
    assert body["errors"] == [
        {"field": "status_if_new", "message": "This value should not be blank."}
    ]
    with pytest.raises(ApiClientError) as unknown_merge:
        lists.set_list_member(
            LIST_ID,
            digest,
            {
                "email_address": "new@example.com",
                "status_if_new": "subscribed",
                "merge_fields": {"COMPANY": "AE"},
            },
        )
    assert problem(unknown_merge)["errors"][0]["field"] == "COMPANY"
    with pytest.raises(ApiClientError) as bad_email:
        lists.set_list_member(
            LIST_ID, subscriber_hash("nope"), {"email_address": "nope", "status_if_new": "pending"}
        )
    assert "looks fake or invalid" in problem(bad_email)["detail"]
    with pytest.raises(ApiClientError) as not_found:
        lists.get_list_member(LIST_ID, digest)
    assert not_found.value.status_code == 404
    assert problem(not_found)["title"] == "Resource Not Found"
    assert mailchimp.members() == {}


def test_an_unsubscribed_member_cannot_be_subscribed_again(mailchimp: MailchimpSandbox) -> None:
    lists = sdk(mailchimp).lists
    digest = subscriber_hash("gone@example.com")
    body = {"email_address": "gone@example.com", "status_if_new": "subscribed"}
    lists.set_list_member(LIST_ID, digest, body)
    mailchimp.unsubscribe("gone@example.com")
    with pytest.raises(ApiClientError) as refused:
        lists.set_list_member(LIST_ID, digest, {**body, "status": "subscribed"})
    assert problem(refused)["title"] == "Member In Compliance State"
    assert mailchimp.members() == {"gone@example.com": "unsubscribed"}


def test_patch_moves_a_member_to_a_new_address(mailchimp: MailchimpSandbox) -> None:
    lists = sdk(mailchimp).lists
    old = subscriber_hash("old@example.com")
    lists.set_list_member(
        LIST_ID, old, {"email_address": "old@example.com", "status_if_new": "subscribed"}
    )
    moved = lists.update_list_member(LIST_ID, old, {"email_address": "new@example.com"})
    assert moved["id"] == subscriber_hash("new@example.com")
    assert mailchimp.members() == {"new@example.com": "subscribed"}


def test_a_batch_finishes_later_with_a_tar_gz_of_results(mailchimp: MailchimpSandbox) -> None:
    client = sdk(mailchimp)
    ops = [
        {
            "method": "PUT",
            "path": f"/lists/{LIST_ID}/members/{subscriber_hash(email)}",
            "operation_id": str(i),
            "body": json.dumps({"email_address": email, "status_if_new": "subscribed"}),
        }
        for i, email in enumerate(["a@example.com", "b@example.com", "broken"])
    ]
    started = client.batches.start({"operations": ops})
    assert started["status"] == "pending" and started["response_body_url"] == ""
    assert mailchimp.members() == {}, "a batch runs asynchronously"
    for _ in range(100):
        status = client.batches.status(started["id"])
        if status["status"] == "finished":
            break
        time.sleep(0.05)
    assert status["total_operations"] == 3 and status["errored_operations"] == 1
    archive = httpx.get(status["response_body_url"]).content
    rows: list[dict[str, Any]] = []
    with tarfile.open(fileobj=io.BytesIO(archive), mode="r:gz") as tar:
        for member in tar.getmembers():
            handle = tar.extractfile(member)
            assert handle is not None
            rows.extend(json.load(handle))
    by_op = {row["operation_id"]: row for row in rows}
    assert by_op["0"]["status_code"] == 200 and by_op["2"]["status_code"] == 400
    assert json.loads(by_op["2"]["response"])["title"] == "Invalid Resource"
    assert set(mailchimp.members()) == {"a@example.com", "b@example.com"}


def test_more_than_ten_simultaneous_connections_get_429() -> None:
    for sandbox in serve(max_connections=2):
        # Two calls in flight (as two slow requests would hold them): the next is refused.
        state = sandbox.app.state.sandbox
        state.in_flight = 2
        with pytest.raises(ApiClientError) as refused:
            sdk(sandbox).lists.get_all_lists()
        assert refused.value.status_code == 429
        assert "simultaneous connections" in problem(refused)["detail"]
        state.in_flight = 0
        assert sdk(sandbox).lists.get_all_lists()["total_items"] == 1
        assert sandbox.stats()["http_429"] == 1


def test_unsubscribing_sends_a_form_encoded_webhook(mailchimp: MailchimpSandbox) -> None:
    lists = sdk(mailchimp).lists
    hook = lists.create_list_webhook(
        LIST_ID,
        {
            "url": "https://hubwire.test/hook?key=k",
            "events": {"unsubscribe": True},
            "sources": {"user": True},
        },
    )
    assert hook["events"]["unsubscribe"] and not hook["events"]["cleaned"]
    lists.set_list_member(
        LIST_ID,
        subscriber_hash("u@example.com"),
        {"email_address": "u@example.com", "status_if_new": "subscribed"},
    )
    mailchimp.unsubscribe("u@example.com")
    mailchimp.clean("u@example.com")  # not subscribed to: nothing sent
    [sent] = mailchimp.outbox()
    assert sent["url"] == "https://hubwire.test/hook?key=k"
    assert "type=unsubscribe" in sent["body"] and "data%5Bemail%5D=u%40example.com" in sent["body"]


def test_a_webhook_url_that_does_not_answer_is_refused() -> None:
    for sandbox in serve():
        lists = sdk(sandbox).lists
        with pytest.raises(ApiClientError) as refused:
            lists.create_list_webhook(
                LIST_ID, {"url": "http://127.0.0.1:9/nothing", "events": {"unsubscribe": True}}
            )
        assert problem(refused)["errors"][0]["field"] == "url"
        answering = lists.create_list_webhook(
            LIST_ID, {"url": f"{sandbox.url}/_sandbox/stats", "events": {"unsubscribe": True}}
        )
        assert answering["id"]


def _receiver(answers: list[int]) -> tuple[Any, list[str]]:
    """A webhook receiver answering ``answers`` in turn (then 200); records each body."""
    received: list[str] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        body = await read_body(receive)
        received.append(body.decode())
        status = answers[len(received) - 1] if len(received) <= len(answers) else 200
        await send({"type": "http.response.start", "status": status, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    return app, received


def subscribe(sandbox: MailchimpSandbox, email: str) -> None:
    sdk(sandbox).lists.set_list_member(
        LIST_ID, subscriber_hash(email), {"email_address": email, "status_if_new": "subscribed"}
    )


def _first_sent(sandbox: MailchimpSandbox) -> dict[str, Any]:
    rows = sandbox.outbox()
    return rows[0] if rows else {}


def _wait(condition: Any, within: float = 10.0) -> None:
    deadline = time.monotonic() + within
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


@pytest.mark.parametrize(
    ("answers", "attempts", "status"),
    [([503, 500], 3, 200), ([503, 503, 503, 503], 4, 503)],
    ids=["delivered-on-the-third", "given-up-after-three-retries"],
)
def test_a_failed_webhook_is_retried_three_times(
    answers: list[int], attempts: int, status: int
) -> None:
    app, received = _receiver(answers)
    with serve_asgi(app) as url:
        for sandbox in serve(check_webhook_urls=False, webhook_retry_delays=(0.05, 0.05, 0.05)):
            sdk(sandbox).lists.create_list_webhook(
                LIST_ID, {"url": url, "events": {"unsubscribe": True}, "sources": {"user": True}}
            )
            subscribe(sandbox, "r@example.com")
            sandbox.unsubscribe("r@example.com")
            _wait(lambda s=sandbox: _first_sent(s).get("attempts") == attempts)
            time.sleep(0.2)  # no attempt after the last
            [sent] = sandbox.outbox()
            assert (sent["attempts"], sent["status"], len(received)) == (attempts, status, attempts)
            assert len(set(received)) == 1  # the same post each time


def test_a_410_disables_the_webhook() -> None:
    app, received = _receiver([410])
    with serve_asgi(app) as url:
        for sandbox in serve(check_webhook_urls=False, webhook_retry_delays=(0.05, 0.05, 0.05)):
            sdk(sandbox).lists.create_list_webhook(
                LIST_ID,
                {
                    "url": url,
                    "events": {"unsubscribe": True, "cleaned": True},
                    "sources": {"user": True, "admin": True},
                },
            )
            subscribe(sandbox, "g@example.com")
            sandbox.unsubscribe("g@example.com")
            _wait(lambda s=sandbox: _first_sent(s).get("status") == 410)
            subscribe(sandbox, "h@example.com")
            sandbox.clean("h@example.com")
            time.sleep(0.3)
            assert len(received) == 1  # no retry, and nothing more for later changes
            assert len(sandbox.outbox()) == 1
