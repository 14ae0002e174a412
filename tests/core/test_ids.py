"""Ids minted in bulk (the fan-out's deliveries) look like every other id."""

from __future__ import annotations

import re

from core.ids import new_ids


def test_bulk_ids_have_the_shape_of_new_id() -> None:
    ids = new_ids("msg", 2000)
    assert len(ids) == 2000 and len(set(ids)) == 2000
    assert all(re.fullmatch(r"msg_[0-9a-z]{20}", i) for i in ids)
    # Every letter of the alphabet turns up: nothing is cut off by the byte mapping.
    assert set("".join(i[4:] for i in ids)) == set("0123456789abcdefghijklmnopqrstuvwxyz")


def test_no_ids_for_nothing() -> None:
    assert new_ids("msg", 0) == []
