"""The test kit: a standard test suite for any connector, in a few lines.

    from connectors.kit.testing import ConnectorContract

    class TestAcme(ConnectorContract):
        connector = AcmeConnector()
        samples = {"contact": [Record("contact", {"email": "ada@example.com"})]}
        bad_credentials = {"api_key": "wrong"}

        @pytest.fixture
        def connection(self, acme_sandbox: str) -> ConnectionContext:
            return ConnectionContext("conn_test", "ws_test", {"api_key": "good"}, acme_sandbox)

pytest collects every ``test_*`` method below for ``TestAcme``. Tests whose inputs the class
does not give (no ``samples``, no ``signed_webhook``…) are skipped with the reason. Async
tests carry ``pytest.mark.asyncio`` (pytest-asyncio)."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from typing import ClassVar

import pytest

from core.events.catalog import load_event_catalog
from core.plugins.connector import Connector
from core.plugins.context import ConnectionContext
from core.plugins.errors import AuthFailed
from core.plugins.manager import connector_registry
from core.plugins.manifest import SLUG_PATTERN, Direction
from core.plugins.types import Cursor, Record

MAX_PAGES = 50


class ConnectorContract:
    """Subclass it as ``Test<Name>``; set ``connector`` and define a ``connection`` fixture
    (a ``ConnectionContext`` pointed at the connector's sandbox)."""

    connector: ClassVar[Connector]
    # Records to push per object type (objects that push); the round trip pulls them back.
    samples: ClassVar[Mapping[str, Sequence[Record]]] = {}
    # The fields the round trip compares (None: every field of the sample).
    compare_fields: ClassVar[Sequence[str] | None] = None
    # Credentials the sandbox refuses (merged over the good ones); None skips that test.
    bad_credentials: ClassVar[Mapping[str, str] | None] = None
    # Whether the connector must be loaded by the plugin manager (its entry point works).
    expect_registered: ClassVar[bool] = True
    # Seconds the round trip waits between push and pull: a real provider whose search
    # index lags its writes (HubSpot's) shows pushed records only after a while.
    pull_delay_seconds: ClassVar[float] = 0.0

    def signed_webhook(self) -> tuple[Mapping[str, str], bytes, str] | None:
        """A genuine inbound webhook as the provider sends it: (headers, body, secret).
        Override for connectors with ``manifest.webhooks``."""
        return None

    @pytest.fixture
    def connection(self) -> ConnectionContext:
        pytest.fail("define a `connection` fixture returning a ConnectionContext")

    # -- the manifest ----------------------------------------------------------------------

    def test_manifest_is_valid(self) -> None:
        assert self.connector.manifest.problems() == []

    def test_slug_format(self) -> None:
        assert SLUG_PATTERN.match(self.connector.slug), self.connector.slug

    def test_every_object_has_a_direction(self) -> None:
        for obj in self.connector.manifest.objects:
            assert isinstance(obj.direction, Direction), obj.name

    def test_operations_match_the_manifest(self) -> None:
        manifest, connector = self.connector.manifest, self.connector
        if any(o.direction.pushes for o in manifest.objects):
            assert connector.overrides("push"), "an object pushes: implement push()"
        if any(o.direction.pulls for o in manifest.objects):
            assert connector.overrides("pull"), "an object pulls: implement pull()"
        if manifest.webhooks:
            assert connector.overrides("verify_webhook"), "webhooks: implement verify_webhook()"
            assert connector.overrides("parse_webhook"), "webhooks: implement parse_webhook()"

    def test_subscribed_events_exist(self) -> None:
        catalog = load_event_catalog()
        for pattern in self.connector.manifest.events:
            assert catalog.matching(pattern), f"no event type matches {pattern!r}"

    def test_loaded_by_the_plugin_manager(self) -> None:
        if not self.expect_registered:
            pytest.skip("expect_registered is False")
        assert self.connector.slug in connector_registry(), "check the entry point"

    # -- the operations, against the sandbox --------------------------------------------

    @pytest.mark.asyncio
    async def test_check_succeeds(self, connection: ConnectionContext) -> None:
        result = await self.connector.check(connection)
        assert result.ok, result.detail

    @pytest.mark.asyncio
    async def test_check_refuses_bad_credentials(self, connection: ConnectionContext) -> None:
        if self.bad_credentials is None:
            pytest.skip("no bad_credentials given")
        bad = connection.with_credentials(**self.bad_credentials)
        try:
            result = await self.connector.check(bad)
        except AuthFailed:
            return
        assert not result.ok

    @pytest.mark.asyncio
    async def test_push_then_pull_round_trip(self, connection: ConnectionContext) -> None:
        pushed = await self._push_samples(connection)
        await asyncio.sleep(self.pull_delay_seconds)
        for object_type, sent, ids in pushed:
            pulled = {r.external_id: r for r in await self._pull_all(connection, object_type)}
            self._assert_came_back(object_type, sent, ids, pulled)

    @pytest.mark.asyncio
    async def test_read_by_id_sees_a_push_at_once(self, connection: ConnectionContext) -> None:
        """``read`` (optional) reads by id: what a push just wrote, with no index delay."""
        if not self.connector.overrides("read"):
            pytest.skip("the connector does not read by id")
        for object_type, sent, ids in await self._push_samples(connection):
            read = await self.connector.read(connection, object_type, ids)
            assert all(r.object_type == object_type and r.updated_at for r in read), read
            self._assert_came_back(object_type, sent, ids, {r.external_id: r for r in read})

    @pytest.mark.asyncio
    async def test_pull_cursors_advance(self, connection: ConnectionContext) -> None:
        pulling = [o for o in self.connector.manifest.objects if o.direction.pulls]
        if not pulling:
            pytest.skip("no object pulls")
        for obj in pulling:
            page = await self.connector.pull(connection, obj.name, None)
            for record in page.records:
                assert record.object_type == obj.name
                assert record.external_id, "pulled records carry the provider's id"
            if page.has_more:
                assert page.next_cursor is not None, "has_more needs a next_cursor"

    def test_webhook_verification(self) -> None:
        if not self.connector.manifest.webhooks:
            pytest.skip("the connector receives no webhooks")
        sample = self.signed_webhook()
        if sample is None:
            pytest.skip("no signed_webhook() given")
        headers, body, secret = sample
        assert self.connector.verify_webhook(headers, body, secret)
        assert not self.connector.verify_webhook(headers, body + b" ", secret), "tampered body"
        assert not self.connector.verify_webhook(headers, body, secret + "x"), "wrong secret"
        declared = {o.name for o in self.connector.manifest.objects}
        changes = self.connector.parse_webhook(headers, body)
        assert changes, "a sample webhook should report at least one change"
        for change in changes:
            assert change.object_type in declared, change.object_type

    async def _push_samples(
        self, connection: ConnectionContext
    ) -> list[tuple[str, list[Record], list[str]]]:
        """Pushes the samples of each object that syncs both ways: (object, records sent,
        their provider ids). Skips the test when no such object has samples."""
        both = [o for o in self.connector.manifest.objects if o.direction is Direction.BOTH]
        tried = [o for o in both if self.samples.get(o.name)]
        if not tried:
            pytest.skip("no object syncs both ways with samples")
        done = []
        for obj in tried:
            sent = list(self.samples[obj.name])
            pushed = await self.connector.push(connection, obj.name, sent)
            assert len(pushed.outcomes) == len(sent)
            assert not pushed.failed, pushed.failed
            done.append((obj.name, sent, [str(o.external_id) for o in pushed.outcomes]))
        return done

    def _assert_came_back(
        self,
        object_type: str,
        sent: list[Record],
        ids: list[str],
        found: Mapping[str | None, Record],
    ) -> None:
        for record, external_id in zip(sent, ids, strict=True):
            assert external_id in found, f"{object_type} {external_id}"
            got = found[external_id].fields
            for name in self.compare_fields or list(record.fields):
                assert got.get(name) == record.fields.get(name), (object_type, name)

    async def _pull_all(self, connection: ConnectionContext, object_type: str) -> list[Record]:
        records: list[Record] = []
        cursor: Cursor | None = None
        for _ in range(MAX_PAGES):
            page = await self.connector.pull(connection, object_type, cursor)
            records.extend(page.records)
            if not page.has_more:
                return records
            assert page.next_cursor != cursor, "the cursor must move"
            cursor = page.next_cursor
        raise AssertionError(f"more than {MAX_PAGES} pages: is the cursor advancing?")
