"""sdk/openapi.json is the contract the SDKs are generated from: it must match the app."""

from __future__ import annotations

import json
import re
from pathlib import Path

from core.app import snapshot_spec
from core.openapi import render_spec

SNAPSHOT = Path(__file__).resolve().parents[2] / "sdk" / "openapi.json"


def test_committed_spec_matches_the_app() -> None:
    current = render_spec(snapshot_spec())
    committed = SNAPSHOT.read_text(encoding="utf-8")
    assert json.loads(committed) == json.loads(current), (
        "sdk/openapi.json is stale: run `make openapi` and commit the result"
    )


def test_spec_is_openapi_31_with_security_and_error_envelopes() -> None:
    spec = snapshot_spec()
    assert spec["openapi"].startswith("3.1")
    assert "ApiKey" in spec["components"]["securitySchemes"]
    operations = [
        (path, method, op) for path, item in spec["paths"].items() for method, op in item.items()
    ]
    assert operations
    ids = [op["operationId"] for _, _, op in operations]
    assert len(ids) == len(set(ids)), "operationIds must be unique: they name SDK methods"
    assert all(re.fullmatch(r"[a-z][A-Za-z0-9]*", i) for i in ids), ids
    for path, method, op in operations:
        assert op.get("summary"), f"{method.upper()} {path} has no summary"
        if path.startswith("/v1/"):
            assert "security" in op, f"{method.upper()} {path} declares no security"
            if op["security"] == []:
                # The few public routes say so explicitly: logging in, the provider consent
                # callback (its `state` is the credential) and provider webhooks (signed).
                public = path.startswith("/v1/auth/") or path in (
                    "/v1/connections/callback",
                    "/v1/connectors/{slug}/webhooks",
                )
                assert public, f"{method.upper()} {path} is public"
                continue
            assert "x-required-scope" in op, f"{method.upper()} {path} declares no scope"
            for status in ("401", "403", "422", "429"):
                assert status in op["responses"], f"{method.upper()} {path} lacks {status}"
                schema = op["responses"][status]["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/ErrorEnvelope"}


def test_what_fields_may_trim_promises_only_its_id() -> None:
    """A client that validates responses must accept what `?fields=` returns: every item
    schema of an operation that takes `fields` requires `id` alone."""
    spec = snapshot_spec()
    schemas = spec["components"]["schemas"]
    checked = set()
    for item in spec["paths"].values():
        for op in item.values():
            if not any(p["name"] == "fields" for p in op.get("parameters", [])):
                continue
            content = op["responses"]["200"]["content"]["application/json"]["schema"]
            name = content["$ref"].rsplit("/", 1)[1]
            target = schemas[name]
            if "pagination" in target.get("properties", {}):  # a page: its items
                name = target["properties"]["data"]["items"]["$ref"].rsplit("/", 1)[1]
            assert schemas[name].get("required") == ["id"], name
            checked.add(name)
    assert {"EventOut", "JobOut", "ConnectionOut", "LeadOut"} <= checked, checked
