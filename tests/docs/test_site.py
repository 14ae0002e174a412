"""The developer portal builds with every link and nav entry resolving (`--strict`)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_portal_builds_strictly(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "webhooks" / "index.html").exists()
    # The API reference renders the committed spec itself, not a retyped copy.
    published = (tmp_path / "openapi.json").read_bytes()
    assert published == (ROOT / "sdk" / "openapi.json").read_bytes()
    assert 'spec-url="../openapi.json"' in (tmp_path / "reference" / "index.html").read_text()
