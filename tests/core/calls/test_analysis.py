from __future__ import annotations

from typing import Any

import pytest

from core.auth.scopes import ALL_SCOPES
from core.calls.analysis import (
    Segment,
    analyse,
    keywords,
    label_of,
    score,
    segments_from,
    sentiment,
    sentiment_by_speaker,
    talk_balance,
    talk_time,
)
from tests.conftest import Api, Tenant
from tests.core.jobs.polling import wait_for_job

SEGMENTS = [
    Segment("agent", "Hello! Thanks for calling, how can I help?", 0.0, 3.0),
    Segment("caller", "I'd like to book a demo of the pricing dashboard.", 3.5, 9.5),
    Segment("agent", "Wonderful, the demo is great. Thursday works?", 10.0, 12.0),
    Segment("caller", "Thursday is perfect, thank you so much.", 12.5, 14.5),
]


# --- pure functions -------------------------------------------------------------------


def test_talk_time_sums_seconds_per_speaker_and_shares() -> None:
    times = talk_time(SEGMENTS)
    assert [(t.speaker, t.seconds, t.share) for t in times] == [
        ("caller", 8.0, round(8 / 13, 4)),
        ("agent", 5.0, round(5 / 13, 4)),
    ]
    assert talk_time([]) == []
    silent = talk_time([Segment("agent", "", 4.0, 4.0)])
    assert [(t.seconds, t.share) for t in silent] == [(0.0, 0.0)]


def test_keywords_drop_stop_words_and_count_content_words() -> None:
    found = keywords(
        ["The demo was great, the DEMO!", "Don\u2019t forget the demo: it's on Thursday 2026"]
    )
    assert found[0] == ("demo", 3)
    terms = dict(found)
    assert "the" not in terms and "it's" not in terms and "don't" not in terms
    assert "2026" not in terms  # numbers are not keywords
    assert terms["thursday"] == 1 and terms["forget"] == 1
    # Ties are alphabetical, and the limit applies.
    assert keywords(["zebra apple mango"], limit=2) == [("apple", 1), ("mango", 1)]


def test_sentiment_uses_vader_per_sentence() -> None:
    assert sentiment(["This is wonderful, thank you so much!"]).label == "positive"
    assert sentiment(["This is terrible. I hate it."]).label == "negative"
    assert sentiment(["The meeting is on Thursday."]).label == "neutral"
    assert sentiment([""]).compound == 0.0
    # A long happy text does not saturate: it is the mean of its sentences.
    mixed = sentiment(["I love it. I hate it."])
    assert -0.2 < mixed.compound < 0.2
    by_speaker = sentiment_by_speaker(SEGMENTS)
    assert set(by_speaker) == {"agent", "caller"}
    assert by_speaker["caller"].label == "positive"


def test_label_thresholds() -> None:
    assert label_of(0.05) == "positive"
    assert label_of(0.0499) == "neutral"
    assert label_of(-0.05) == "negative"


def test_talk_balance() -> None:
    assert talk_balance(talk_time([Segment("a", "", 0, 5), Segment("b", "", 5, 10)])) == 1.0
    assert talk_balance(talk_time([Segment("a", "", 0, 8), Segment("b", "", 8, 10)])) == 0.4
    assert talk_balance(talk_time([Segment("a", "", 0, 8)])) == 0.0
    assert talk_balance([]) == 0.5  # unknown without timings


@pytest.mark.parametrize(
    ("compound", "balance", "outcome", "expected"),
    [
        (1.0, 1.0, "booked", 10.0),
        (-1.0, 0.0, "failed", 0.0),
        (0.0, 0.5, None, 5.0),
        # 10 * (0.5 * 0.8 + 0.25 * 0.4 + 0.25 * 0.7) = 6.75
        (0.6, 0.4, "connected", 6.8),
    ],
)
def test_score_formula(
    compound: float, balance: float, outcome: str | None, expected: float
) -> None:
    value, components = score(compound, balance, outcome)
    assert value == expected
    assert set(components) == {"sentiment", "talkBalance", "outcome"}


def test_analyse_text_only_transcript() -> None:
    result = analyse(text="Great call. We booked the demo.", segments=[], outcome="booked")
    assert result["talkTime"] == {"totalSeconds": None, "speakers": []}
    assert result["sentiment"]["bySpeaker"] == []
    assert result["scoreComponents"]["talkBalance"] == 0.5
    assert {"term": "demo", "count": 1} in result["keywords"]


def test_segments_from_stored_json() -> None:
    stored = [{"speaker": "agent", "text": "hi", "start_seconds": 0, "end_seconds": 1.5}]
    assert segments_from(stored) == [Segment("agent", "hi", 0.0, 1.5)]
    assert segments_from(None) == []


# --- the endpoint ---------------------------------------------------------------------


async def _call_with_transcript(api: Api, outcome: str = "booked") -> str:
    call = await api.post("/v1/calls", json={"outcome": outcome})
    assert call.status_code == 201, call.text
    call_id = str(call.json()["id"])
    transcript = {
        "text": " ".join(s.text for s in SEGMENTS),
        "segments": [
            {
                "speaker": s.speaker,
                "text": s.text,
                "startSeconds": s.start_seconds,
                "endSeconds": s.end_seconds,
            }
            for s in SEGMENTS
        ],
        "language": "en",
    }
    uploaded = await api.post(f"/v1/calls/{call_id}/transcript", json=transcript)
    assert uploaded.status_code == 200, uploaded.text
    return call_id


async def test_analysis_job_runs_to_a_result(api: Api) -> None:
    call_id = await _call_with_transcript(api)
    queued = await api.post(f"/v1/calls/{call_id}/analysis")
    assert queued.status_code == 202, queued.text
    body = queued.json()
    assert body["status"] == "queued" and body["jobId"].startswith("job_")
    assert queued.headers["location"] == f"/v1/jobs/{body['jobId']}"

    job = await wait_for_job(api, body["jobId"])
    assert job["status"] == "succeeded", job
    assert job["type"] == "call.analysis"
    assert job["progress"] == 100 and job["attempts"] == 1 and job["error"] is None
    assert job["input"] == {"callId": call_id}
    assert job["startedAt"] is not None and job["finishedAt"] >= job["startedAt"]
    result: dict[str, Any] = job["result"]
    assert result["callId"] == call_id
    speakers = {s["speaker"]: s for s in result["talkTime"]["speakers"]}
    assert speakers["caller"]["seconds"] == 8.0 and speakers["agent"]["seconds"] == 5.0
    assert result["talkTime"]["totalSeconds"] == 13.0
    assert {"term": "demo", "count": 2} in result["keywords"]
    assert result["sentiment"]["overall"]["label"] == "positive"
    assert {s["speaker"] for s in result["sentiment"]["bySpeaker"]} == {"agent", "caller"}
    assert result["outcome"] == "booked"
    assert 0 <= result["score"] <= 10
    expected, _ = score(
        result["sentiment"]["overall"]["compound"],
        result["scoreComponents"]["talkBalance"],
        "booked",
    )
    assert result["score"] == expected

    # The outcome is in the event feed too.
    events = await api.get("/v1/events", params={"type": "job.completed"})
    assert events.status_code == 200, events.text
    matching = [e for e in events.json()["data"] if e["data"]["id"] == body["jobId"]]
    assert len(matching) == 1
    assert matching[0]["data"]["status"] == "succeeded"


async def test_same_idempotency_key_returns_the_same_job(api: Api) -> None:
    call_id = await _call_with_transcript(api)
    headers = {"Idempotency-Key": f"analyse-{call_id}"}
    payload = {"callbackUrl": "https://partner.example.com/hooks"}
    first = await api.post(f"/v1/calls/{call_id}/analysis", json=payload, headers=headers)
    second = await api.post(f"/v1/calls/{call_id}/analysis", json=payload, headers=headers)
    assert first.status_code == second.status_code == 202, second.text
    assert first.json() == second.json()
    listed = await api.get("/v1/jobs", params={"type": "call.analysis"})
    assert [j["id"] for j in listed.json()["data"]] == [first.json()["jobId"]]
    assert listed.json()["data"][0]["callbackUrl"] == "https://partner.example.com/hooks"

    other = await api.post(f"/v1/calls/{call_id}/analysis", json={}, headers=headers)
    assert other.status_code == 422
    assert other.json()["error"]["code"] == "IDEMPOTENCY_MISMATCH"


async def test_a_call_without_transcript_is_refused_up_front(api: Api) -> None:
    call = await api.post("/v1/calls", json={})
    call_id = call.json()["id"]
    response = await api.post(f"/v1/calls/{call_id}/analysis")
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "CONFLICT"
    assert "no transcript" in error["message"]
    assert error["details"] == {"id": call_id}
    assert (await api.get("/v1/jobs")).json()["data"] == []


async def test_bad_analysis_requests(api: Api, tenant: Tenant) -> None:
    missing = await api.post("/v1/calls/call_missing/analysis")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "NOT_FOUND"

    call_id = await _call_with_transcript(api)
    for body in ({"callbackUrl": "not a url"}, {"callbackUrl": "ftp://x.example"}, {"x": 1}):
        response = await api.post(f"/v1/calls/{call_id}/analysis", json=body)
        assert response.status_code == 422, (body, response.text)
        assert response.json()["error"]["code"] == "VALIDATION_FAILED"

    no_scope = Api(api.http, await tenant.key(sorted(ALL_SCOPES - {"calls:write"})))
    forbidden = await no_scope.post(f"/v1/calls/{call_id}/analysis")
    assert forbidden.status_code == 403
