"""Fixtures shared by the Python and TypeScript SDK tests."""

from __future__ import annotations

# The example API-key connector with its sandbox served, as the connections tests use it
# (imported, so pytest finds the fixture here too).
from tests.core.connections.conftest import example_crm

__all__ = ["example_crm"]
