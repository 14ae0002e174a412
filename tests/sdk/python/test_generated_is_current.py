"""The committed generated code matches what sdk/openapi.json generates today."""

from __future__ import annotations

import filecmp
import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
GENERATED = ROOT / "sdk" / "python" / "src" / "hubwire" / "_generated"


def _tree(root: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(root)): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    }


def test_generated_code_is_not_stale(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("sdk_generate", ROOT / "sdk/python/generate.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["sdk_generate"] = module
    spec.loader.exec_module(module)
    fresh = tmp_path / "_generated"
    module.generate(fresh)
    committed, current = _tree(GENERATED), _tree(fresh)
    stale = sorted(
        name
        for name in committed.keys() | current.keys()
        if committed.get(name) != current.get(name)
    )
    assert not stale, f"hubwire._generated is stale ({stale[:5]}…): run `make sdk-python`"
    assert filecmp.dircmp(GENERATED, fresh).diff_files == []
