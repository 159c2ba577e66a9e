"""The real bot as a subprocess (`python -m bot run`), pointed at the emulator and a temp DB."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

from bot.privacy import Identity

ROOT = Path(__file__).resolve().parents[2]
SECRET_KEY = "e2e-test-secret-key-0123456789"
VENV_PYTHON = ROOT / ".venv" / "bin" / "python"


def _python() -> str:
    return str(VENV_PYTHON) if VENV_PYTHON.exists() else sys.executable


class BotProcess:
    def __init__(
        self, api_url: str, token: str, workdir: Path, extra_env: dict[str, str] | None = None
    ) -> None:
        self.api_url = api_url
        self.workdir = workdir
        self.db_path = workdir / "helpline.db"
        self.log_path = workdir / "bot.log"
        self.identity = Identity(SECRET_KEY.encode())
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("HELPLINE_")}
        self.env.update(
            {
                "HELPLINE_TELEGRAM_TOKEN": token,
                "HELPLINE_TELEGRAM_API_URL": api_url,
                "HELPLINE_DATABASE_URL": f"sqlite+aiosqlite:///{self.db_path}",
                "HELPLINE_SECRET_KEY": SECRET_KEY,
                "PYTHONPATH": str(ROOT),
                # on the 1st–7th of a month it would post last month's report to the
                # coordinator chat of every test; tests/e2e/test_stats.py switches it on
                "HELPLINE_STATS_MONTHLY_REPORT": "false",
                **(extra_env or {}),
            }
        )
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.workdir.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("wb") as log:
            self.proc = subprocess.Popen(
                [_python(), "-m", "bot", "run"],
                cwd=self.workdir,  # no developer .env, no ./var in the repository
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def wait_until(self, what: str, check: Any, timeout: float = 20.0) -> Any:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc is not None and self.proc.poll() is not None:
                raise RuntimeError(f"bot exited ({self.proc.returncode}):\n{self.log()}")
            found = check()
            if found:
                return found
            time.sleep(0.05)
        raise TimeoutError(f"bot not ready ({what}) within {timeout}s:\n{self.log()}")

    def emulator_get(self, path: str) -> Any:
        with urllib.request.urlopen(self.api_url + path, timeout=5) as resp:
            return json.load(resp)["result"]

    def stop(self) -> int | None:
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)
        return self.proc.returncode

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:] if self.log_path.exists() else ""

    # --- the database, read after the fact ----------------------------------------------

    def pseudonym(self, user_id: int) -> str:
        return self.identity.pseudonym("telegram", str(user_id))

    def query(self, sql: str, *args: Any) -> list[sqlite3.Row]:
        with contextlib.closing(sqlite3.connect(self.db_path)) as db:
            db.row_factory = sqlite3.Row
            return list(db.execute(sql, args))

    def conversation(self, user_id: int) -> dict[str, Any] | None:
        rows = self.query(
            "SELECT * FROM conversations WHERE pseudonym = ?", self.pseudonym(user_id)
        )
        if not rows:
            return None
        row = dict(rows[0])
        row["state"] = json.loads(row["state"])
        return row
