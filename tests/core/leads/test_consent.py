"""Email marketing consent on leads: its states, when it changed and where from."""

from __future__ import annotations

from tests.conftest import Api


async def test_consent_defaults_to_unknown_and_is_stamped_when_it_changes(api: Api) -> None:
    created = await api.post("/v1/leads", json={"email": "ada@example.com"})
    assert created.status_code == 201, created.text
    lead = created.json()
    assert lead["emailConsent"] == "unknown"
    assert lead["emailConsentAt"] is None and lead["emailConsentSource"] is None

    granted = await api.patch(
        f"/v1/leads/{lead['id']}",
        json={"emailConsent": "granted", "emailConsentSource": "website signup form"},
    )
    assert granted.status_code == 200, granted.text
    assert granted.json()["emailConsent"] == "granted"
    assert granted.json()["emailConsentSource"] == "website signup form"
    stamped = granted.json()["emailConsentAt"]
    assert stamped.endswith("Z"), stamped  # UTC, like every time the API returns
    assert stamped is not None

    # Another field changing leaves the consent's time alone.
    renamed = await api.patch(f"/v1/leads/{lead['id']}", json={"name": "Ada"})
    assert renamed.json()["emailConsentAt"] == stamped

    revoked = await api.patch(f"/v1/leads/{lead['id']}", json={"emailConsent": "revoked"})
    assert revoked.json()["emailConsent"] == "revoked"
    assert revoked.json()["emailConsentAt"] is not None


async def test_consent_given_at_creation_is_stamped(api: Api) -> None:
    created = await api.post(
        "/v1/leads", json={"email": "bob@example.com", "emailConsent": "granted"}
    )
    assert created.status_code == 201, created.text
    assert created.json()["emailConsentAt"] is not None


async def test_bad_consent_values_are_refused(api: Api) -> None:
    bad = await api.post("/v1/leads", json={"email": "c@example.com", "emailConsent": "maybe"})
    assert bad.status_code == 422
    assert bad.json()["error"]["code"] == "VALIDATION_FAILED"
    lead = (await api.post("/v1/leads", json={"email": "d@example.com"})).json()
    null = await api.patch(f"/v1/leads/{lead['id']}", json={"emailConsent": None})
    assert null.status_code == 422
    assert "email_consent cannot be null" in null.text
    long_source = await api.patch(f"/v1/leads/{lead['id']}", json={"emailConsentSource": "x" * 101})
    assert long_source.status_code == 422
    read_only = await api.patch(
        f"/v1/leads/{lead['id']}", json={"emailConsentAt": "2026-01-01T00:00:00Z"}
    )
    assert read_only.status_code == 422
