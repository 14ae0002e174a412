"""Route labels stay bounded: the template, under a mounted app's fixed prefix."""

from __future__ import annotations

from fastapi.routing import APIRoute

from core.metrics.instruments import route_label


async def _endpoint() -> None:
    return None


def test_the_label_is_the_template_under_the_mount_prefix() -> None:
    lead = APIRoute("/v1/leads/{lead_id}", _endpoint)
    assert route_label({"route": lead, "root_path": ""}) == "/v1/leads/{lead_id}"
    contact = APIRoute("/crm/v3/objects/{type_name}/{object_id}", _endpoint)
    mounted = {"route": contact, "root_path": "/sandbox/hubspot"}
    assert route_label(mounted) == "/sandbox/hubspot/crm/v3/objects/{type_name}/{object_id}"
    assert route_label({"root_path": "/sandbox/calendly"}) == "/sandbox/calendly/*"
    assert route_label({"root_path": ""}) is None
