"""MkDocs hook: publishes the committed spec as a page asset, so the API reference is
rendered from sdk/openapi.json itself rather than retyped."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.structure.files import File, Files

SPEC = Path(__file__).resolve().parents[2] / "sdk" / "openapi.json"


def on_files(files: Files, config: Any, **_: Any) -> Files:
    files.append(File.generated(config, "openapi.json", abs_src_path=str(SPEC)))
    return files
