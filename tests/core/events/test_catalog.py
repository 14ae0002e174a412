from __future__ import annotations

from core.events.catalog import CORE_EVENT_TYPES, EventCatalog, load_event_catalog, matches
from core.plugins.events import EventType
from core.plugins.hookspecs import hookimpl
from core.plugins.manager import plugin_manager
from tests.conftest import Api


class _DeclaresEvents:
    @hookimpl
    def hubwire_event_types(self) -> list[EventType]:
        return [
            EventType("acme.thing_synced", "A thing was synced.", source="acme"),
            EventType("Not A Type", "refused: not a dotted lowercase name", source="acme"),
        ]


def test_plugins_add_event_types_through_the_hook() -> None:
    plugin = _DeclaresEvents()
    plugin_manager().register(plugin)
    try:
        catalog = load_event_catalog()
    finally:
        plugin_manager().unregister(plugin)
    names = [t.name for t in catalog.all()]
    assert "acme.thing_synced" in names
    assert "Not A Type" not in names
    assert {t.name for t in CORE_EVENT_TYPES} <= set(names)
    assert "acme.thing_synced" not in load_event_catalog()


def test_wildcards() -> None:
    catalog = EventCatalog()
    assert catalog.matching("lead.*") == [
        "lead.converted",
        "lead.created",
        "lead.deleted",
        "lead.qualified",
        "lead.rejected",
        "lead.updated",
    ]
    assert matches("*", "call.ended")
    assert not matches("lead.*", "leads.created")
    assert not matches("lead.created", "lead.created2")


async def test_the_catalog_endpoint_lists_every_type(api: Api) -> None:
    response = await api.get("/v1/webhook-events")
    assert response.status_code == 200
    listed = {t["name"]: t for t in response.json()["data"]}
    assert set(listed) >= {t.name for t in CORE_EVENT_TYPES}
    assert listed["lead.created"]["source"] == "core"
