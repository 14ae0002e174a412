from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

from tests.conftest import Api, Tenant


async def _lead(api: Api) -> str:
    response = await api.post("/v1/leads", json={"name": "Chatty"})
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def _send(api: Api, **fields: Any) -> dict[str, Any]:
    response = await api.post("/v1/chat/messages", json=fields)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_first_message_starts_a_session(api: Api) -> None:
    lead_id = await _lead(api)
    first = await api.post(
        "/v1/chat/messages",
        json={
            "leadId": lead_id,
            "channel": "whatsapp",
            "content": "Hi, any slots on Thursday?",
            "metadata": {"page": "/pricing"},
        },
    )
    assert first.status_code == 201, first.text
    message = first.json()
    assert message["id"].startswith("msg_")
    assert message["sessionId"].startswith("chs_")
    assert message["role"] == "user"
    assert message["content"] == "Hi, any slots on Thursday?"
    assert message["metadata"] == {"page": "/pricing"}
    sent_at = datetime.fromisoformat(message["createdAt"])
    assert abs((datetime.now(UTC) - sent_at).total_seconds()) < 60

    reply = await _send(
        api, sessionId=message["sessionId"], role="assistant", content="Yes, 10:00 or 14:00."
    )
    assert reply["sessionId"] == message["sessionId"]
    assert reply["metadata"] == {}

    session = await api.get(f"/v1/chat/sessions/{message['sessionId']}")
    assert session.status_code == 200, session.text
    body = session.json()
    assert body["id"] == message["sessionId"]
    assert body["leadId"] == lead_id
    assert body["channel"] == "whatsapp"
    assert body["status"] == "open"
    assert body["messageCount"] == 2
    assert body["lastMessageAt"] == reply["createdAt"]

    listed = (await api.get(f"/v1/chat/sessions/{message['sessionId']}/messages")).json()
    assert listed["data"] == [message, reply]
    assert listed["pagination"]["total"] == 2


async def test_messages_are_oldest_first_across_pages(api: Api) -> None:
    first = await _send(api, content="message 0")
    session_id = first["sessionId"]
    sent = [first["id"]]
    for index in range(1, 7):
        role = "agent" if index % 2 else "user"
        sent.append(
            (await _send(api, sessionId=session_id, role=role, content=f"message {index}"))["id"]
        )
    other = await _send(api, content="another conversation")
    assert other["sessionId"] != session_id

    url = f"/v1/chat/sessions/{session_id}/messages"
    page = (await api.get(url, params={"limit": 3})).json()
    assert page["pagination"]["total"] == 7
    seen = [item["id"] for item in page["data"]]
    cursor = page["pagination"]["nextCursor"]
    while cursor:
        page = (await api.get(url, params={"limit": 3, "cursor": cursor})).json()
        seen += [item["id"] for item in page["data"]]
        cursor = page["pagination"]["nextCursor"]
    assert seen == sent

    by_offset = (await api.get(url, params={"limit": 3, "offset": 3})).json()
    assert [item["id"] for item in by_offset["data"]] == sent[3:6]
    assert by_offset["pagination"]["hasMore"] is True

    newest = (await api.get(url, params={"sort": "-createdAt", "fields": "content"})).json()
    assert [item["content"] for item in newest["data"]] == [
        f"message {i}" for i in range(6, -1, -1)
    ]

    session = (await api.get(f"/v1/chat/sessions/{session_id}")).json()
    assert session["messageCount"] == 7


async def test_concurrent_messages_are_all_counted(api: Api) -> None:
    first = await _send(api, content="start")
    session_id = first["sessionId"]
    responses = await asyncio.gather(
        *(
            api.post("/v1/chat/messages", json={"sessionId": session_id, "content": f"m{i}"})
            for i in range(8)
        )
    )
    assert [response.status_code for response in responses] == [201] * 8
    session = (await api.get(f"/v1/chat/sessions/{session_id}")).json()
    assert session["messageCount"] == 9
    newest = max(datetime.fromisoformat(response.json()["createdAt"]) for response in responses)
    assert datetime.fromisoformat(session["lastMessageAt"]) == newest


async def test_session_list_filters_and_pagination(api: Api) -> None:
    lead_id = await _lead(api)
    web = await _send(api, content="web chat")
    sms = await _send(api, content="sms chat", channel="sms", leadId=lead_id)
    email = await _send(api, content="email chat", channel="email")

    listed = (await api.get("/v1/chat/sessions")).json()
    assert [item["id"] for item in listed["data"]] == [
        email["sessionId"],
        sms["sessionId"],
        web["sessionId"],
    ]
    assert listed["pagination"]["total"] == 3

    oldest = (await api.get("/v1/chat/sessions", params={"sort": "createdAt", "limit": 2})).json()
    assert [item["id"] for item in oldest["data"]] == [web["sessionId"], sms["sessionId"]]
    rest = (
        await api.get(
            "/v1/chat/sessions",
            params={"sort": "createdAt", "limit": 2, "cursor": oldest["pagination"]["nextCursor"]},
        )
    ).json()
    assert [item["id"] for item in rest["data"]] == [email["sessionId"]]
    assert rest["pagination"]["hasMore"] is False

    by_channel = (await api.get("/v1/chat/sessions", params={"channel": "sms"})).json()
    assert [item["id"] for item in by_channel["data"]] == [sms["sessionId"]]
    by_lead = (await api.get("/v1/chat/sessions", params={"leadId": lead_id})).json()
    assert [item["id"] for item in by_lead["data"]] == [sms["sessionId"]]
    closed = (await api.get("/v1/chat/sessions", params={"status": "closed"})).json()
    assert closed["data"] == []
    future = (
        await api.get("/v1/chat/sessions", params={"createdAfter": "2100-01-01T00:00:00Z"})
    ).json()
    assert future["pagination"]["total"] == 0

    not_sortable = await api.get("/v1/chat/sessions", params={"sort": "lastMessageAt"})
    assert not_sortable.status_code == 400
    assert not_sortable.json()["error"]["code"] == "INVALID_REQUEST"


async def test_sessions_of_another_workspace_are_not_found(
    api: Api, http: Any, make_tenant: Any
) -> None:
    owned = await _send(api, content="private")
    other: Tenant = await make_tenant()
    intruder = Api(http, await other.key())

    for url in (
        f"/v1/chat/sessions/{owned['sessionId']}",
        f"/v1/chat/sessions/{owned['sessionId']}/messages",
    ):
        response = await intruder.get(url)
        assert response.status_code == 404, url
        assert response.json()["error"]["code"] == "NOT_FOUND"

    posted = await intruder.post(
        "/v1/chat/messages", json={"sessionId": owned["sessionId"], "content": "sneaky"}
    )
    assert posted.status_code == 404
    assert (await intruder.get("/v1/chat/sessions")).json()["data"] == []

    messages = (await api.get(f"/v1/chat/sessions/{owned['sessionId']}/messages")).json()
    assert [item["content"] for item in messages["data"]] == ["private"]

    missing = await api.post("/v1/chat/messages", json={"sessionId": "chs_missing", "content": "x"})
    assert missing.status_code == 404
    assert (await api.get("/v1/chat/sessions/chs_missing")).status_code == 404


async def test_lead_and_session_consistency(api: Api, http: Any, make_tenant: Any) -> None:
    unknown = await api.post("/v1/chat/messages", json={"leadId": "lead_missing", "content": "x"})
    assert unknown.status_code == 422
    assert unknown.json()["error"]["details"] == {"field": "leadId"}

    other: Tenant = await make_tenant()
    foreign_lead = await _lead(Api(http, await other.key()))
    foreign = await api.post("/v1/chat/messages", json={"leadId": foreign_lead, "content": "x"})
    assert foreign.status_code == 422

    # A session without a lead gets linked by a later message; another lead is refused.
    lead_id, second_lead = await _lead(api), await _lead(api)
    started = await _send(api, content="anonymous visitor")
    linked = await _send(api, sessionId=started["sessionId"], leadId=lead_id, content="I'm Ada")
    assert linked["sessionId"] == started["sessionId"]
    session = (await api.get(f"/v1/chat/sessions/{started['sessionId']}")).json()
    assert session["leadId"] == lead_id

    conflict = await api.post(
        "/v1/chat/messages",
        json={"sessionId": started["sessionId"], "leadId": second_lead, "content": "x"},
    )
    assert conflict.status_code == 422
    assert conflict.json()["error"]["details"] == {"field": "leadId"}
    wrong_channel = await api.post(
        "/v1/chat/messages",
        json={"sessionId": started["sessionId"], "channel": "sms", "content": "x"},
    )
    assert wrong_channel.status_code == 422
    assert wrong_channel.json()["error"]["details"] == {"field": "channel"}
    session = (await api.get(f"/v1/chat/sessions/{started['sessionId']}")).json()
    assert session["messageCount"] == 2


async def test_bad_message_input_is_a_clear_422(api: Api) -> None:
    for body in (
        {},
        {"content": ""},
        {"content": "x" * 10_001},
        {"content": "x", "role": "robot"},
        {"content": "x", "channel": "pigeon"},
        {"content": "x", "metadata": {str(i): i for i in range(51)}},
        {"content": "x", "colour": "red"},
    ):
        response = await api.post("/v1/chat/messages", json=body)
        assert response.status_code == 422, body
        assert response.json()["error"]["code"] == "VALIDATION_FAILED"
    assert (await api.get("/v1/chat/sessions")).json()["data"] == []
