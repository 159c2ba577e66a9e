"""`make test` says in one line that Node.js is missing, before doing anything else."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_missing_node_is_said_in_one_line(tmp_path: Path) -> None:
    make = shutil.which("make")
    assert make is not None
    done = subprocess.run(
        [make, "-s", "node"],
        cwd=ROOT,
        env={"PATH": str(tmp_path)},  # an empty folder: no node, no npm
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode != 0
    ours = [line for line in done.stderr.splitlines() if not line.startswith("make: ***")]
    assert ours == [
        "make: Node.js (node and npm, version 18 or newer) is required for the Telegram "
        "emulator tests; install it and run make test again"
    ]


def test_make_test_checks_node_first() -> None:
    makefile = (ROOT / "Makefile").read_text()
    assert "\ntest: node " in makefile
