from __future__ import annotations

import pytest

from core.container import Services
from tests.conftest import Api
from tests.core.webhooks.receiver import Receiver


async def _create(api: Api, url: str, **extra: object) -> dict[str, object]:
    response = await api.post("/v1/webhooks", json={"url": url, "events": ["lead.*"], **extra})
    assert response.status_code == 201, response.text
    body: dict[str, object] = response.json()
    return body


async def test_create_shows_the_secret_then_only_the_secret_route_does(api: Api) -> None:
    created = await _create(
        api,
        "https://example.com/hooks",
        description="CRM",
        retryConfig={"maxRetries": 2, "retryDelay": 30},
    )
    secret = created["secret"]
    assert isinstance(secret, str) and secret.startswith("whsec_")
    assert created["id"].startswith("wh_")  # type: ignore[union-attr]
    assert created["active"] is True and created["events"] == ["lead.*"]
    assert created["retryConfig"] == {
        "maxRetries": 2,
        "retryDelay": 30.0,
        "backoffMultiplier": 2.0,
        "timeout": None,
    }
    assert created["health"]["successRate"] is None  # type: ignore[index]
    fetched = (await api.get(f"/v1/webhooks/{created['id']}")).json()
    assert "secret" not in fetched and fetched["url"] == "https://example.com/hooks"
    revealed = (await api.get(f"/v1/webhooks/{created['id']}/secret")).json()
    assert revealed == {"secret": secret, "previousSecret": None, "previousSecretExpiresAt": None}


async def test_list_update_and_delete(api: Api) -> None:
    first = await _create(api, "https://example.com/a")
    await _create(api, "https://example.com/b", active=False)
    listed = (await api.get("/v1/webhooks", params={"active": "true"})).json()
    assert [w["id"] for w in listed["data"]] == [first["id"]]
    assert "secret" not in listed["data"][0]
    updated = await api.patch(
        f"/v1/webhooks/{first['id']}",
        json={"events": ["call.ended", "lead.created", "call.ended"], "retryConfig": None},
    )
    assert updated.status_code == 200, updated.text
    assert updated.json()["events"] == ["call.ended", "lead.created"]
    assert updated.json()["retryConfig"] is None
    assert (await api.patch(f"/v1/webhooks/{first['id']}", json={"url": None})).status_code == 422
    assert (await api.delete(f"/v1/webhooks/{first['id']}")).status_code == 204
    missing = await api.get(f"/v1/webhooks/{first['id']}")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "NOT_FOUND"


@pytest.mark.parametrize(
    "events", [["lead.exploded"], ["nosuch.*"], ["Lead.Created"], ["lead.*.x"], []]
)
async def test_unknown_or_malformed_event_filters_are_refused(api: Api, events: list[str]) -> None:
    response = await api.post(
        "/v1/webhooks", json={"url": "https://example.com/x", "events": events}
    )
    assert response.status_code == 422, response.text
    assert response.json()["error"]["code"] == "VALIDATION_FAILED"


@pytest.mark.parametrize(
    "body",
    [
        {"url": "ftp://example.com/x", "events": ["*"]},
        {"url": "https://example.com/x", "events": ["*"], "retryConfig": {"maxRetries": 99}},
        {"url": "https://example.com/x", "events": ["*"], "retryConfig": {"timeout": 0}},
        {"url": "https://example.com/x", "events": ["*"], "secret": "mine"},
    ],
)
async def test_bad_bodies_are_422(api: Api, body: dict[str, object]) -> None:
    response = await api.post("/v1/webhooks", json=body)
    assert response.status_code == 422, response.text


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8080/x",
        "http://localhost/x",
        "http://10.0.0.5/x",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]/x",
    ],
)
async def test_private_targets_are_refused_unless_the_operator_allows_them(
    api: Api, services: Services, monkeypatch: pytest.MonkeyPatch, url: str
) -> None:
    monkeypatch.setattr(services.settings, "webhook_allow_private", False)
    response = await api.post("/v1/webhooks", json={"url": url, "events": ["*"]})
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["code"] == "VALIDATION_FAILED" and "public addresses" in error["message"]
    assert error["details"]["field"] == "url"
    monkeypatch.setattr(
        services.settings,
        "webhook_allowed_networks",
        ["127.0.0.0/8", "10.0.0.0/8", "169.254.0.0/16", "::1/128"],
    )
    assert (await api.post("/v1/webhooks", json={"url": url, "events": ["*"]})).status_code == 201


async def test_update_to_a_private_url_is_refused(
    api: Api, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    created = await _create(api, "https://example.com/ok")
    monkeypatch.setattr(services.settings, "webhook_allow_private", False)
    response = await api.patch(
        f"/v1/webhooks/{created['id']}", json={"url": "http://192.168.1.10/"}
    )
    assert response.status_code == 422
    assert (await api.get(f"/v1/webhooks/{created['id']}")).json()[
        "url"
    ] == "https://example.com/ok"


async def test_rotation_keeps_the_old_secret_for_the_overlap(api: Api) -> None:
    created = await _create(api, "https://example.com/r")
    rotated = await api.post(f"/v1/webhooks/{created['id']}/rotate-secret")
    assert rotated.status_code == 200, rotated.text
    body = rotated.json()
    assert body["secret"].startswith("whsec_") and body["secret"] != created["secret"]
    assert body["previousSecret"] == created["secret"]
    assert body["previousSecretExpiresAt"] is not None
    assert (await api.get(f"/v1/webhooks/{created['id']}/secret")).json() == body


async def test_test_endpoint_sends_now_and_logs_the_attempt(api: Api, receiver: Receiver) -> None:
    created = await _create(api, receiver.url())
    response = await api.post(f"/v1/webhooks/{created['id']}/test")
    assert response.status_code == 200, response.text
    result = response.json()
    assert result["success"] is True
    assert result["attempt"]["statusCode"] == 200 and result["attempt"]["number"] == 1
    (request,) = receiver.received
    assert request.headers["X-Hubwire-Event"] == "webhook.test"
    assert request.headers["webhook-id"] == result["deliveryId"]
    receiver.answer(500)
    failed = (await api.post(f"/v1/webhooks/{created['id']}/test")).json()
    assert failed["success"] is False and failed["attempt"]["error"] == "HTTP 500"
    log = (await api.get(f"/v1/webhooks/{created['id']}/deliveries")).json()
    assert {d["status"] for d in log["data"]} == {"succeeded", "dead"}
    detail = (
        await api.get(f"/v1/webhooks/{created['id']}/deliveries/{result['deliveryId']}")
    ).json()
    assert detail["payload"]["type"] == "webhook.test"
    assert [a["statusCode"] for a in detail["attemptLog"]] == [200]
    assert [a["responseBody"] for a in detail["attemptLog"]] == ["ok"]  # the receiver's answer


async def test_unknown_ids_are_404(api: Api) -> None:
    for method, path in [
        ("GET", "/v1/webhooks/wh_missing/deliveries"),
        ("POST", "/v1/webhooks/wh_missing/test"),
        ("POST", "/v1/webhooks/wh_missing/rotate-secret"),
        ("GET", "/v1/webhooks/wh_missing/secret"),
    ]:
        response = await api.request(method, path)
        assert response.status_code == 404, (path, response.text)
    created = await _create(api, "https://example.com/z")
    response = await api.post(f"/v1/webhooks/{created['id']}/deliveries/msg_missing/retry")
    assert response.status_code == 404


async def test_concurrency_and_rate_are_set_within_the_operator_bounds(api: Api) -> None:
    created = await _create(api, "https://example.com/limited", maxConcurrency=5, maxRate=2.5)
    assert created["maxConcurrency"] == 5 and created["maxRate"] == 2.5
    assert created["circuit"] == {
        "state": "closed",
        "reason": None,
        "openedAt": None,
        "probeAt": None,
        "unreachableCount": 0,
    }
    hook_id = created["id"]
    over = await api.patch(f"/v1/webhooks/{hook_id}", json={"maxConcurrency": 101})
    assert over.status_code == 422, over.text
    error = over.json()["error"]
    assert error["code"] == "VALIDATION_FAILED" and error["details"]["field"] == "maxConcurrency"
    too_fast = await api.patch(f"/v1/webhooks/{hook_id}", json={"maxRate": 5000})
    assert too_fast.status_code == 422 and too_fast.json()["error"]["details"]["max"] == 1000
    for bad in ({"maxConcurrency": 0}, {"maxRate": 0}, {"maxRate": "fast"}):
        refused = await api.patch(f"/v1/webhooks/{hook_id}", json=bad)
        assert refused.status_code == 422, (bad, refused.text)
    back = await api.patch(
        f"/v1/webhooks/{hook_id}", json={"maxConcurrency": None, "maxRate": None}
    )
    assert back.status_code == 200, back.text
    # null: the operator's default concurrency, no throttle.
    assert back.json()["maxConcurrency"] == 10 and back.json()["maxRate"] is None
