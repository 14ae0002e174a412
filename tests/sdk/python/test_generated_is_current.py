"""The committed generated files match what regenerating writes today (`make lint` checks
this too): ``hubwire._generated`` from sdk/openapi.json and ``_async_resources.py`` from
``_resources.py``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_generated_code_is_not_stale() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "sdk" / "python" / "generate.py"), "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
