"""The kit's own rules: manifests refuse what the catalog could not show, and the contract
catches a connector whose code does not do what its manifest says."""

from __future__ import annotations

import pytest

from connectors.kit import (
    ApiKeyAuth,
    CheckResult,
    ConnectionContext,
    Connector,
    Direction,
    Manifest,
    ManifestError,
    OAuth2Auth,
    ObjectSpec,
    PushOutcome,
    PushResult,
    RateLimit,
    Unsupported,
)
from connectors.kit.testing import ConnectorContract

OAUTH = OAuth2Auth("https://p.example/authorize", "https://p.example/token", ("crm.read",))


def test_a_valid_manifest_renders_its_catalog_entry() -> None:
    manifest = Manifest(
        slug="acme",
        title="Acme",
        auth=OAUTH,
        events=("lead.*",),
        objects=(ObjectSpec("deal", Direction.PULL),),
        rate_limits=(RateLimit(100, 10),),
    )
    assert manifest.catalog_entry() == {
        "slug": "acme",
        "title": "Acme",
        "description": "",
        "auth": {
            "type": "oauth2",
            "authorize_url": "https://p.example/authorize",
            "token_url": "https://p.example/token",
            "scopes": ["crm.read"],
        },
        "events": ["lead.*"],
        "objects": [{"name": "deal", "direction": "pull", "description": "", "hub_object": "lead"}],
        "rate_limits": [{"requests": 100, "window_seconds": 10, "per": "connection"}],
        "webhooks": False,
    }
    assert manifest.object("deal") is not None
    assert manifest.object("contact") is None


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"slug": "Acme"}, "slug"),
        ({"slug": "a"}, "slug"),
        ({"title": " "}, "title"),
        ({"auth": OAuth2Auth("ftp://x", "https://x/t")}, "authorize_url"),
        ({"events": ("Lead Created",)}, "event"),
        (
            {"objects": (ObjectSpec("deal", Direction.PUSH), ObjectSpec("deal", Direction.PULL))},
            "unique",
        ),
        ({"objects": (ObjectSpec("deal", "sideways"),)}, "direction"),  # type: ignore[arg-type]
        ({"rate_limits": (RateLimit(0, 10),)}, "positive"),
        ({"rate_limits": (RateLimit(1, 10, per="user"),)}, "per"),
        (
            {
                "objects": (
                    ObjectSpec("invoice", Direction.PUSH, hub_object="payment", pushes_lead=True),
                )
            },
            "pushes_lead needs another object that pushes leads",
        ),
    ],
)
def test_invalid_manifests_are_refused_with_the_reason(
    changes: dict[str, object], problem: str
) -> None:
    fields: dict[str, object] = {"slug": "acme", "title": "Acme", "auth": ApiKeyAuth(), **changes}
    with pytest.raises(ManifestError, match=problem):
        Manifest(**fields)  # type: ignore[arg-type]


class _PushesButDoesNotImplementPush(Connector):
    manifest = Manifest(
        slug="half_done",
        title="Half done",
        auth=ApiKeyAuth(),
        objects=(ObjectSpec("contact", Direction.PUSH),),
        webhooks=True,
    )

    async def check(self, connection: ConnectionContext) -> CheckResult:
        return CheckResult(ok=True)


def test_the_contract_catches_operations_the_manifest_promises() -> None:
    class Contract(ConnectorContract):
        connector = _PushesButDoesNotImplementPush()

    with pytest.raises(AssertionError, match="implement push"):
        Contract().test_operations_match_the_manifest()


async def test_operations_a_connector_does_not_implement_are_unsupported() -> None:
    connector = _PushesButDoesNotImplementPush()
    connection = ConnectionContext("conn_1", "ws_1", {})
    assert not connector.overrides("push")
    assert connector.overrides("check")
    with pytest.raises(Unsupported):
        await connector.push(connection, "contact", [])
    with pytest.raises(Unsupported):
        connector.verify_webhook({}, b"", "s")


def test_push_results_split_successes_and_failures() -> None:
    result = PushResult(
        (PushOutcome("lead_1", "c1"), PushOutcome("lead_2", None, error="invalid email"))
    )
    assert [o.hubwire_id for o in result.succeeded] == ["lead_1"]
    assert [o.error for o in result.failed] == ["invalid email"]


def test_credentials_stay_out_of_reprs() -> None:
    connection = ConnectionContext("conn_1", "ws_1", {"api_key": "s3cret"})
    assert "s3cret" not in repr(connection)
    assert connection.with_credentials(api_key="other").credential("api_key") == "other"
