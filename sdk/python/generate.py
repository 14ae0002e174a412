"""Regenerates ``hubwire._generated`` from ``sdk/openapi.json`` with openapi-python-client.

python sdk/python/generate.py            # rewrite src/hubwire/_generated
python sdk/python/generate.py --output DIR   # generate elsewhere (the staleness test)
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
SPEC = HERE.parent / "openapi.json"
CONFIG = HERE / "generator.yml"
TARGET = HERE / "src" / "hubwire" / "_generated"


def _generator() -> str:
    beside = Path(sys.executable).parent / "openapi-python-client"
    if beside.exists():
        return str(beside)
    found = shutil.which("openapi-python-client")
    if found is None:
        raise SystemExit("openapi-python-client is not installed: pip install -e '.[dev]'")
    return found


def generate(output: Path) -> None:
    """Writes the generated package into ``output`` (replaced if it exists)."""
    with tempfile.TemporaryDirectory() as scratch:
        staged = Path(scratch) / "_generated"
        subprocess.run(  # noqa: S603 - fixed arguments, no shell
            [
                _generator(),
                "generate",
                "--path",
                str(SPEC),
                "--output-path",
                str(staged),
                "--meta",
                "none",
                "--config",
                str(CONFIG),
                "--overwrite",
            ],
            check=True,
            capture_output=True,
            text=True,
        )
        if output.exists():
            shutil.rmtree(output)
        shutil.copytree(staged, output)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--output", type=Path, default=TARGET)
    args = parser.parse_args()
    generate(args.output)
    print(f"generated {args.output}")


if __name__ == "__main__":
    main()
