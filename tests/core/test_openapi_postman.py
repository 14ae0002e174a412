"""`hubwire openapi export --postman`: a Postman v2.1 collection from the committed spec."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from core.cli import app
from core.openapi_postman import POSTMAN_SCHEMA, openapi_to_postman

ROOT = Path(__file__).resolve().parents[2]
SPEC: dict[str, Any] = json.loads((ROOT / "sdk" / "openapi.json").read_text(encoding="utf-8"))
METHODS = {"get", "post", "put", "patch", "delete"}


def _requests(collection: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {item["id"]: item for folder in collection["item"] for item in folder["item"]}


def test_structure_auth_and_variables() -> None:
    collection = openapi_to_postman(SPEC)
    assert collection["info"]["schema"] == POSTMAN_SCHEMA
    assert collection["info"]["name"] == SPEC["info"]["title"]
    assert collection["auth"] == {
        "type": "bearer",
        "bearer": [{"key": "token", "value": "{{apiKey}}", "type": "string"}],
    }
    variables = {v["key"]: v["value"] for v in collection["variable"]}
    assert variables == {"baseUrl": SPEC["servers"][0]["url"], "apiKey": ""}
    assert openapi_to_postman(SPEC, base_url="https://hub.example.com")["variable"][0] == {
        "key": "baseUrl",
        "value": "https://hub.example.com",
        "type": "string",
    }
    # One folder per tag, each holding only that tag's operations.
    tags = {op["tags"][0] for item in SPEC["paths"].values() for m, op in item.items()}
    assert {folder["name"] for folder in collection["item"]} == tags
    leads = next(folder for folder in collection["item"] if folder["name"] == "Leads")
    assert {item["id"] for item in leads["item"]} == {
        "listLeads",
        "createLead",
        "getLead",
        "updateLead",
        "deleteLead",
    }


def test_every_operation_is_a_request() -> None:
    requests = _requests(openapi_to_postman(SPEC))
    operations = {
        op["operationId"]: (method, path)
        for path, item in SPEC["paths"].items()
        for method, op in item.items()
        if method in METHODS
    }
    assert set(requests) == set(operations)
    for operation_id, (method, path) in operations.items():
        request = requests[operation_id]["request"]
        assert request["method"] == method.upper()
        assert request["url"]["host"] == ["{{baseUrl}}"]
        assert "/" + "/".join(request["url"]["path"]) == path.replace("{", ":").replace("}", "")
        assert request["url"]["raw"].startswith("{{baseUrl}}/v1/") or path.startswith("/")


def test_path_and_query_parameters() -> None:
    requests = _requests(openapi_to_postman(SPEC))
    get_lead = requests["getLead"]["request"]["url"]
    assert get_lead["raw"] == "{{baseUrl}}/v1/leads/:leadId"
    assert get_lead["path"] == ["v1", "leads", ":leadId"]
    assert [v["key"] for v in get_lead["variable"]] == ["leadId"]
    list_leads = {q["key"]: q for q in requests["listLeads"]["request"]["url"]["query"]}
    assert {"limit", "cursor", "status", "createdAfter", "sort", "fields"} <= set(list_leads)
    assert list_leads["limit"]["value"] == "20" and list_leads["limit"]["disabled"] is True


def test_bodies_come_from_the_spec_examples() -> None:
    requests = _requests(openapi_to_postman(SPEC))
    create = requests["createLead"]["request"]
    assert create["body"]["mode"] == "raw"
    assert create["body"]["options"] == {"raw": {"language": "json"}}
    example = SPEC["components"]["schemas"]["LeadCreate"]["examples"][0]
    assert json.loads(create["body"]["raw"]) == example
    headers = {h["key"]: h["value"] for h in create["header"]}
    assert headers["Content-Type"] == "application/json"
    assert headers["Idempotency-Key"] == "{{$guid}}"
    webhook = json.loads(requests["createWebhook"]["request"]["body"]["raw"])
    assert webhook["url"] and webhook["events"]
    assert "body" not in requests["listLeads"]["request"]
    # Operations that need no credential say so; the rest inherit the collection's bearer.
    public = {
        op["operationId"]
        for item in SPEC["paths"].values()
        for op in item.values()
        if op.get("security", SPEC.get("security")) in ([], [{}])
    }
    for operation_id, item in requests.items():
        expected = {"type": "noauth"} if operation_id in public else None
        assert item["request"].get("auth") == expected, operation_id


def test_cli_writes_spec_and_collection(tmp_path: Path) -> None:
    spec_path, postman_path = tmp_path / "openapi.json", tmp_path / "out" / "hubwire.postman.json"
    result = CliRunner().invoke(
        app, ["openapi", "export", str(spec_path), "--postman", str(postman_path)]
    )
    assert result.exit_code == 0, result.output
    assert f"wrote {postman_path}" in result.output
    spec = json.loads(spec_path.read_text(encoding="utf-8"))
    collection = json.loads(postman_path.read_text(encoding="utf-8"))
    assert collection == openapi_to_postman(spec)
    assert len(_requests(collection)) == sum(
        1 for item in spec["paths"].values() for method in item if method in METHODS
    )
