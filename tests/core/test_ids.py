"""Ids minted in bulk (the fan-out's deliveries) look like every other id."""

from __future__ import annotations

import re

from core.ids import new_id, new_ids


def test_bulk_ids_have_the_shape_of_new_id() -> None:
    ids = new_ids("msg", 2000)
    assert len(ids) == 2000 and len(set(ids)) == 2000
    assert all(re.fullmatch(r"msg_[0-9a-z]{20}", i) for i in ids)
    # Every letter of the alphabet turns up: nothing is cut off by the byte mapping.
    assert set("".join(i[4:] for i in ids)) == set("0123456789abcdefghijklmnopqrstuvwxyz")


def test_no_ids_for_nothing() -> None:
    assert new_ids("msg", 0) == []


def test_single_ids_have_the_same_shape_and_differ() -> None:
    ids = [new_id("req") for _ in range(2000)]
    assert len(set(ids)) == 2000
    assert all(re.fullmatch(r"req_[0-9a-z]{20}", i) for i in ids)
    assert set("".join(i[4:] for i in ids)) == set("0123456789abcdefghijklmnopqrstuvwxyz")
    assert re.fullmatch(r"lead_[0-9a-z]{8}", new_id("lead", 8))
