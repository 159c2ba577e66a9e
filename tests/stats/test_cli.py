"""`helpline demo-data` and `helpline stats` as an operator runs them (real subprocesses)."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parents[2]


def helpline(tmp_path: Path, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HELPLINE_")}
    env.update(
        HELPLINE_DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path}/helpline.db",
        HELPLINE_SECRET_KEY="test-secret-key-for-stats",
        PYTHONPATH=str(ROOT),
    )
    done = subprocess.run(
        [sys.executable, "-m", "bot", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
        check=True,
    )
    return done.stdout


def test_demo_data_then_stats_in_every_format(tmp_path: Path) -> None:
    period = ["--from", "2026-01-01", "--to", "2026-03-31"]
    out = helpline(tmp_path, "demo-data", "--contacts", "1500", "--seed", "4", *period)
    assert out.startswith("1500 demo intake records")
    again = helpline(tmp_path, "demo-data", "--contacts", "10", "--seed", "4", *period)
    assert again.startswith("10 demo")  # appends after the existing ids
    written = helpline(
        tmp_path, "stats", *period, "--lang", "ru", "--out", "out",
        "--format", "md", "--format", "csv", "--format", "json", "--format", "png",
    )  # fmt: skip
    names = {Path(line).name for line in written.split()}
    assert {"report.md", "report.csv", "report.json", "categories.png", "weekly.png"} <= names
    out_dir = tmp_path / "out"
    doc = json.loads((out_dir / "report.json").read_text())
    assert doc["total"] == 1510 and doc["demo_records"] == 1510 and doc["language"] == "ru"
    md = (out_dir / "report.md").read_text()
    assert md.startswith("# Статистика телефона доверия, 2026-01-01 – 2026-03-31")
    assert "ДЕМО-ДАННЫЕ: 1510" in md
    assert "ДЕМО-ДАННЫЕ" in (out_dir / "report.csv").read_text()
    assert Image.open(out_dir / "age_band.png").size[0] == 1080
    with sqlite3.connect(tmp_path / "helpline.db") as db:
        audit = db.execute("SELECT actor, action, detail FROM audit_log").fetchall()
    ((actor, action, detail),) = audit
    assert action == "export" and actor.startswith("cli:")
    assert detail == "stats 2026-01-01..2026-03-31 md,csv,json,png ru"
