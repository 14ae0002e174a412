"""docs/connectors/writing.md documents every hook specification with its exact signature."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

from core.plugins import hookspecs
from core.plugins.manager import plugin_manager

WRITING = Path(__file__).resolve().parents[3] / "docs" / "connectors" / "writing.md"
SPECS = [
    fn
    for _, fn in inspect.getmembers(hookspecs, inspect.isfunction)
    if hasattr(fn, f"{hookspecs.PROJECT}_spec")
]


def signature(fn: object) -> str:
    sig = inspect.signature(fn)  # type: ignore[arg-type]
    params = ", ".join(f"{p.name}: {p.annotation}" for p in sig.parameters.values())
    return f"def {fn.__name__}({params}) -> {sig.return_annotation}"  # type: ignore[attr-defined]


def test_every_hook_is_a_spec_the_manager_knows() -> None:
    assert {fn.__name__ for fn in SPECS} == {
        name for name in dir(plugin_manager().hook) if name.startswith("hubwire_")
    }


@pytest.mark.parametrize("spec", SPECS, ids=lambda fn: fn.__name__)
def test_the_hook_is_documented_with_its_signature(spec: object) -> None:
    text = WRITING.read_text()
    assert f"### `{spec.__name__}`" in text  # type: ignore[attr-defined]
    assert signature(spec) in text, f"update the signature in {WRITING.name}"


@pytest.mark.parametrize("spec", SPECS, ids=lambda fn: fn.__name__)
def test_the_spec_says_when_it_is_called_and_what_it_returns(spec: object) -> None:
    doc = inspect.getdoc(spec) or ""
    assert doc.startswith("Called"), doc
    assert "Return" in doc or "return" in doc, doc
