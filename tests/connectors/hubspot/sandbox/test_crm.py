"""CRM v3 objects, batch, search and associations, driven by the real hubspot-api-client."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from hubspot.crm.contacts import (
    ApiException,
    BatchInputSimplePublicObjectBatchInputForCreate,
    BatchInputSimplePublicObjectBatchInputUpsert,
    BatchReadInputSimplePublicObjectId,
    PublicObjectSearchRequest,
    SimplePublicObjectBatchInputForCreate,
    SimplePublicObjectBatchInputUpsert,
    SimplePublicObjectId,
    SimplePublicObjectInput,
    SimplePublicObjectInputForCreate,
)
from hubspot.crm.deals import SimplePublicObjectInputForCreate as DealCreate
from hubspot.crm.objects.notes import ApiException as NotesApiException
from hubspot.crm.objects.notes import SimplePublicObjectInputForCreate as NoteCreate

from connectors.hubspot.sandbox import SandboxConfig
from tests.connectors.hubspot.sandbox.conftest import Running


def test_contact_lifecycle(hs: Running) -> None:
    api = hs.client().crm.contacts.basic_api
    made = api.create(
        SimplePublicObjectInputForCreate(
            properties={"email": "ada@example.com", "firstname": "Ada"}
        )
    )
    assert made.id and made.properties["createdate"] and made.created_at
    got = api.get_by_id(made.id, properties=["email", "firstname"])
    assert got.properties["firstname"] == "Ada"
    assert got.properties["lastmodifieddate"]
    by_email = api.get_by_id("ada@example.com", id_property="email")
    assert by_email.id == made.id

    updated = api.update(made.id, SimplePublicObjectInput(properties={"lastname": "Lovelace"}))
    assert updated.properties["lastname"] == "Lovelace"
    assert updated.updated_at >= made.updated_at

    with pytest.raises(ApiException) as dup:
        api.create(SimplePublicObjectInputForCreate(properties={"email": "ADA@example.com"}))
    assert dup.value.status == 409

    api.archive(made.id)
    with pytest.raises(ApiException) as gone:
        api.get_by_id(made.id)
    assert gone.value.status == 404
    assert '"category":"OBJECT_NOT_FOUND"' in gone.value.body.replace(" ", "")
    stored = hs.sandbox.store.all("contacts", archived=True)
    assert [c.id for c in stored] == [made.id]


def test_batch_create_100_and_101_is_refused(hs: Running) -> None:
    batch = hs.client().crm.contacts.batch_api
    inputs = [
        SimplePublicObjectBatchInputForCreate(properties={"email": f"c{i}@example.com"})
        for i in range(101)
    ]
    result = batch.create(BatchInputSimplePublicObjectBatchInputForCreate(inputs=inputs[:100]))
    assert result.status == "COMPLETE"
    assert len(result.results) == 100
    with pytest.raises(ApiException) as too_many:
        batch.create(BatchInputSimplePublicObjectBatchInputForCreate(inputs=inputs))
    assert too_many.value.status == 400
    assert len(hs.sandbox.store.all("contacts")) == 100

    ids = [r.id for r in result.results[:3]]
    read = batch.read(
        BatchReadInputSimplePublicObjectId(
            inputs=[SimplePublicObjectId(id=i) for i in ids],
            properties=["email"],
            properties_with_history=[],
        )
    )
    assert sorted(r.id for r in read.results) == sorted(ids)


def _contact(email: str, trace: str | None = None) -> SimplePublicObjectBatchInputForCreate:
    return SimplePublicObjectBatchInputForCreate(
        properties={"email": email}, object_write_trace_id=trace
    )


def test_batch_create_with_trace_ids_answers_per_input(hs: Running) -> None:
    """Every input with an objectWriteTraceId: 207, the valid ones created and echoing
    their trace id, each refusal naming its input's; without trace ids, all or nothing."""
    batch = hs.client().crm.contacts.batch_api
    batch.create(BatchInputSimplePublicObjectBatchInputForCreate(inputs=[_contact("a@x.io")]))
    mixed = [_contact("b@x.io", "t1"), _contact("A@x.io", "t2"), _contact("bad", "t3")]
    answer = batch.create(BatchInputSimplePublicObjectBatchInputForCreate(inputs=mixed))
    assert type(answer).__name__ == "BatchResponseSimplePublicObjectWithErrors"  # the 207 model
    [created] = answer.results
    assert (created.object_write_trace_id, created.properties["email"]) == ("t1", "b@x.io")
    assert answer.num_errors == 2
    duplicate, invalid = answer.errors
    existing = hs.sandbox.store.all("contacts")[0].id
    assert (duplicate.category, duplicate.context) == ("CONFLICT", {"objectWriteTraceId": ["t2"]})
    assert duplicate.message == f"Contact already exists. Existing ID: {existing}"
    assert (invalid.category, invalid.context) == (
        "VALIDATION_ERROR",
        {"objectWriteTraceId": ["t3"]},
    )
    assert "Email address bad is invalid" in invalid.message
    assert invalid.message.startswith("Property values were not valid: ")

    # Without trace ids the duplicate fails the whole batch with 409; nothing is created.
    with pytest.raises(ApiException) as conflict:
        batch.create(
            BatchInputSimplePublicObjectBatchInputForCreate(
                inputs=[_contact("c@x.io"), _contact("a@x.io")]
            )
        )
    assert conflict.value.status == 409
    assert sorted(c.properties["email"] for c in hs.sandbox.store.all("contacts")) == [
        "a@x.io",
        "b@x.io",
    ]


def test_batch_upsert_by_email(hs: Running) -> None:
    """One call creates or updates contacts by email; ``new`` says which, and an invalid
    input is an error naming its trace id (207)."""
    batch = hs.client().crm.contacts.batch_api
    batch.create(BatchInputSimplePublicObjectBatchInputForCreate(inputs=[_contact("a@x.io")]))
    [existing] = hs.sandbox.store.all("contacts")

    def upsert(email: str, trace: str, **properties: str) -> SimplePublicObjectBatchInputUpsert:
        return SimplePublicObjectBatchInputUpsert(
            id_property="email", id=email, properties=properties, object_write_trace_id=trace
        )

    inputs = [
        upsert("A@x.io", "t1", firstname="Ada"),
        upsert("b@x.io", "t2", firstname="Bea"),
        upsert("c@x.io", "t3", favourite_colour="red"),
    ]
    answer = batch.upsert(BatchInputSimplePublicObjectBatchInputUpsert(inputs=inputs))
    assert type(answer).__name__ == "BatchResponseSimplePublicUpsertObjectWithErrors"
    by_trace = {r.object_write_trace_id: r for r in answer.results}
    assert (by_trace["t1"].id, by_trace["t1"].new) == (existing.id, False)
    assert by_trace["t2"].new and by_trace["t2"].properties["email"] == "b@x.io"
    [error] = answer.errors
    assert error.context == {"objectWriteTraceId": ["t3"]}
    assert "PROPERTY_DOESNT_EXIST" in error.message
    stored = {c.properties["email"]: c.properties for c in hs.sandbox.store.all("contacts")}
    assert sorted(stored) == ["a@x.io", "b@x.io"] and stored["a@x.io"]["firstname"] == "Ada"
    with pytest.raises(ApiException) as refused:
        batch.upsert(
            BatchInputSimplePublicObjectBatchInputUpsert(
                inputs=[SimplePublicObjectBatchInputUpsert(id_property="phone", id="1")]
            )
        )
    assert refused.value.status == 400


def test_list_pages_with_after(hs: Running) -> None:
    client = hs.client()
    client.crm.contacts.batch_api.create(
        BatchInputSimplePublicObjectBatchInputForCreate(
            inputs=[
                SimplePublicObjectBatchInputForCreate(properties={"email": f"p{i}@example.com"})
                for i in range(25)
            ]
        )
    )
    page = client.crm.contacts.basic_api.get_page(limit=10)
    assert len(page.results) == 10 and page.paging.next.after
    everything = client.crm.contacts.get_all()  # the SDK's own paging loop
    assert len(everything) == 25


def test_search_by_email_and_lastmodifieddate_with_paging(hs: Running) -> None:
    now = [1_700_000_000.0]
    hs.sandbox.store.clock = lambda: now[0]
    search = hs.client().crm.contacts.search_api
    basic = hs.client().crm.contacts.basic_api
    for i in range(5):
        basic.create(SimplePublicObjectInputForCreate(properties={"email": f"s{i}@example.com"}))
    now[0] += 60
    cutoff_ms = int(now[0] * 1000)
    now[0] += 60
    for i in range(5, 12):
        basic.create(SimplePublicObjectInputForCreate(properties={"email": f"s{i}@example.com"}))

    found = search.do_search(
        PublicObjectSearchRequest(
            filter_groups=[
                {
                    "filters": [
                        {"propertyName": "email", "operator": "EQ", "value": "s3@example.com"}
                    ]
                }
            ]
        )
    )
    assert found.total == 1 and found.results[0].properties["email"] == "s3@example.com"

    request = {
        "filter_groups": [
            {
                "filters": [
                    {"propertyName": "lastmodifieddate", "operator": "GT", "value": str(cutoff_ms)}
                ]
            }
        ],
        "sorts": [{"propertyName": "lastmodifieddate", "direction": "ASCENDING"}],
        "properties": ["email"],
        "limit": 3,
    }
    emails, after = [], None
    while True:
        page = search.do_search(PublicObjectSearchRequest(**request, after=after))
        assert page.total == 7
        emails += [r.properties["email"] for r in page.results]
        if not page.paging:
            break
        after = page.paging.next.after
    assert emails == [f"s{i}@example.com" for i in range(5, 12)]


def test_deals_and_notes_associate_with_a_contact(hs: Running) -> None:
    client = hs.client()
    contact = client.crm.contacts.basic_api.create(
        SimplePublicObjectInputForCreate(properties={"email": "deal@example.com"})
    )
    to_contact = lambda type_id: [  # noqa: E731
        {
            "to": {"id": contact.id},
            "types": [{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": type_id}],
        }
    ]
    deal = client.crm.deals.basic_api.create(
        DealCreate(properties={"dealname": "Big", "amount": "100"}, associations=to_contact(3))
    )
    note = client.crm.objects.notes.basic_api.create(
        NoteCreate(
            properties={"hs_note_body": "Called", "hs_timestamp": "1714555800000"},
            associations=to_contact(202),
        )
    )
    assert deal.properties["hs_lastmodifieddate"]
    got = client.crm.contacts.basic_api.get_by_id(contact.id, associations=["deals", "notes"])
    assert [a.id for a in got.associations["deals"].results] == [deal.id]
    assert [a.id for a in got.associations["notes"].results] == [note.id]
    links = client.crm.associations.v4.basic_api.get_page("notes", note.id, "contacts")
    assert [(r.to_object_id, r.association_types[0].type_id) for r in links.results] == [
        (contact.id, 202)
    ]


def test_errors_have_hubspot_shape(hs: Running) -> None:
    with pytest.raises(ApiException) as bad:
        hs.client("wrong-token").crm.contacts.basic_api.get_page()
    assert bad.value.status == 401
    body = bad.value.body
    for key in ('"status":"error"', '"correlationId"', '"category":"INVALID_AUTHENTICATION"'):
        assert key in body.replace(" ", "")


def test_a_refused_batch_create_leaves_nothing_behind(hs: Running) -> None:
    """The second input asks for an association HubSpot does not have (contact to
    contact): the batch is refused whole, and the first input's email stays free."""
    client = hs.client()
    existing = client.crm.contacts.basic_api.create(
        SimplePublicObjectInputForCreate(properties={"email": "there@example.com"})
    )
    links_before = len(hs.sandbox.store.associations)
    to_contact = [
        {
            "to": {"id": existing.id},
            "types": [{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 1}],
        }
    ]
    inputs = [
        SimplePublicObjectBatchInputForCreate(properties={"email": "first@example.com"}),
        SimplePublicObjectBatchInputForCreate(
            properties={"email": "second@example.com"}, associations=to_contact
        ),
    ]
    with pytest.raises(ApiException) as refused:
        client.crm.contacts.batch_api.create(
            BatchInputSimplePublicObjectBatchInputForCreate(inputs=inputs)
        )
    assert refused.value.status == 400
    emails = {c.properties.get("email") for c in hs.sandbox.store.all("contacts")}
    assert emails == {"there@example.com"}
    assert len(hs.sandbox.store.associations) == links_before
    again = client.crm.contacts.basic_api.create(
        SimplePublicObjectInputForCreate(properties={"email": "second@example.com"})
    )
    assert again.properties["email"] == "second@example.com"  # no false "already exists"


def test_properties_are_validated_as_hubspot_does(hs: Running) -> None:
    """Unknown and read-only names, a note without hs_timestamp, a note body over 65,536
    characters: 400 VALIDATION_ERROR naming each, and nothing is stored."""
    client = hs.client()
    with pytest.raises(ApiException) as refused:
        client.crm.contacts.basic_api.create(
            SimplePublicObjectInputForCreate(
                properties={"email": "v@x.io", "favourite_colour": "red", "createdate": "1"}
            )
        )
    assert refused.value.status == 400
    body = json.loads(refused.value.body)
    assert body["category"] == "VALIDATION_ERROR"
    assert body["message"].startswith("Property values were not valid: ")
    problems = json.loads(body["message"].removeprefix("Property values were not valid: "))
    assert {(p["name"], p["error"]) for p in problems} == {
        ("favourite_colour", "PROPERTY_DOESNT_EXIST"),
        ("createdate", "READ_ONLY_VALUE"),
    }
    notes = client.crm.objects.notes.basic_api
    for properties, name, error in (
        ({"hs_note_body": "No time"}, "hs_timestamp", "REQUIRED_PROPERTY"),
        (
            {"hs_note_body": "x" * 65_537, "hs_timestamp": "1714555800000"},
            "hs_note_body",
            "INVALID_LENGTH",
        ),
    ):
        with pytest.raises(NotesApiException) as note_refused:
            notes.create(NoteCreate(properties=properties))
        assert note_refused.value.status == 400
        assert (
            f'"error":"{error}","name":"{name}"' in json.loads(note_refused.value.body)["message"]
        )
    longest = notes.create(
        NoteCreate(properties={"hs_note_body": "x" * 65_536, "hs_timestamp": "1714555800000"})
    )
    assert len(longest.properties["hs_note_body"]) == 65_536
    assert [n.id for n in hs.sandbox.store.all("notes")] == [longest.id]
    assert hs.sandbox.store.all("contacts") == []


def test_search_lags_writes_by_default(make_sandbox: Callable[..., Running]) -> None:
    """HubSpot's search index shows a write seconds later; reads by id see it at once."""
    lag = SandboxConfig().search_index_lag
    assert lag > 0, "on unless a test turns it off"
    now = [1_700_000_000.0]
    hs = make_sandbox(clock=lambda: now[0], search_index_lag=lag)
    api = hs.client().crm.contacts
    made = api.basic_api.create(SimplePublicObjectInputForCreate(properties={"email": "l@x.io"}))
    assert api.basic_api.get_by_id(made.id).id == made.id
    assert api.search_api.do_search({"limit": 10}).total == 0
    now[0] += lag / 2
    api.basic_api.update(made.id, SimplePublicObjectInput(properties={"firstname": "Lag"}))
    now[0] += lag / 2  # the create would show by now, but the update's lag started later
    assert api.search_api.do_search({"limit": 10}).total == 0
    now[0] += lag / 2
    [found] = api.search_api.do_search({"limit": 10, "properties": ["firstname"]}).results
    assert found.properties["firstname"] == "Lag"
