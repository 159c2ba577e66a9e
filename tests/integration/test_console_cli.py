"""The console channel as a user meets it: `helpline chat` in a real subprocess."""

from __future__ import annotations

import os
import select
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot.dialogs import texts as t
from bot.dialogs.model import Msg
from bot.i18n import render

ROOT = Path(__file__).resolve().parents[2]

# Language choice at the greeting (6 Қазақша, 7 Русский, 8 English), then: child, topic
# "School or kindergarten" (5), age 10-12 (2: a child's bands start at 7-9), boy (2),
# Shymkent (3).
SCRIPTS = {
    "kk": ["6", "1", "5", "2", "2", "3"],
    "ru": ["7", "1", "5", "2", "2", "3"],
    "en": ["8", "1", "5", "2", "2", "3"],
}
LAST_TEXT = {
    "kk": "Қазір кезекші маман жоқ",
    "ru": "Сейчас на смене никого нет",
    "en": "Nobody from our team is on shift right now",
}


def env_for(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HELPLINE_")}
    env.update(
        HELPLINE_DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path}/helpline.db",
        HELPLINE_SECRET_KEY="test-secret-key-for-console",
        PYTHONUNBUFFERED="1",
    )
    return env


def chat(tmp_path: Path, lines: list[str]) -> str:
    proc = subprocess.run(
        [sys.executable, "-m", "bot", "chat"],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        env=env_for(tmp_path),
        cwd=tmp_path,
        timeout=60,
        check=True,
    )
    return proc.stdout


def rows(tmp_path: Path, table: str) -> list[sqlite3.Row]:
    with sqlite3.connect(tmp_path / "helpline.db") as db:
        db.row_factory = sqlite3.Row
        return db.execute(f"SELECT * FROM {table}").fetchall()


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_scripted_routine_triage_leaves_one_anonymous_intake(tmp_path: Path, lang: str) -> None:
    out = chat(tmp_path, SCRIPTS[lang])
    assert LAST_TEXT[lang] in out
    (record,) = rows(tmp_path, "intake_records")
    assert record["language"] == lang
    assert (record["caller"], record["age_band"], record["gender"], record["region"]) == (
        "child",
        "10-12",
        "boy",
        "shymkent",
    )
    assert [row["slug"] for row in rows(tmp_path, "intake_categories")] == ["education"]
    assert record["channel"] == "console" and record["urgency"] == "routine"
    columns = set(record.keys())
    assert not columns & {"text", "message", "chat_id", "user_id", "phone", "name", "pseudonym"}


@pytest.mark.parametrize(
    ("lang", "crisis"),
    [("kk", "өзімді өлтіргім келеді"), ("ru", "меня бьёт отчим"), ("en", "I want to kill myself")],
)
def test_crisis_in_console_opens_case_and_shows_numbers(
    tmp_path: Path, lang: str, crisis: str
) -> None:
    out = chat(tmp_path, [SCRIPTS[lang][0], "1", crisis])
    for number in ("112", "102", "103", "150", "111"):
        assert number in out
    (case,) = rows(tmp_path, "cases")
    assert (case["status"], case["urgency"]) == ("open", "crisis")
    assert rows(tmp_path, "conversations")[0]["state"].count('"age_band": null') == 1


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_safety_question_in_console_danger_opens_case_and_card(tmp_path: Path, lang: str) -> None:
    """Issue 9: a child picks "bullying" (3), is asked "are you safe right now?" and answers
    "No, I am in danger" (2): the safety message, a crisis case and its staff card."""
    out = chat(tmp_path, [SCRIPTS[lang][0], "1", "3", "2"])
    assert render(Msg(t.ASK_SAFETY_CHILD), lang) in out
    assert render(Msg(t.SAFETY_CHILD), lang).split("\n")[0] in out
    for number in ("112", "150", "111"):
        assert number in out
    (case,) = rows(tmp_path, "cases")
    assert (case["status"], case["urgency"], case["reason"]) == ("open", "crisis", "safety")
    cards = [r for r in rows(tmp_path, "outbox") if r["kind"] == "card"]
    assert [c["case_id"] for c in cards] == [case["id"]]


class Console:
    """An interactive `helpline chat` driven line by line through pipes."""

    def __init__(self, tmp_path: Path) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bot", "chat"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env_for(tmp_path),
            cwd=tmp_path,
        )
        self.buffer = b""

    def read_until(self, needle: str, timeout: float = 30) -> str:
        assert self.proc.stdout is not None
        deadline = time.monotonic() + timeout
        fd = self.proc.stdout.fileno()
        while needle.encode() not in self.buffer:
            left = deadline - time.monotonic()
            assert left > 0, f"timed out waiting for {needle!r}; got {self.buffer.decode()!r}"
            ready, _, _ = select.select([fd], [], [], left)
            if ready:
                chunk = os.read(fd, 65536)
                assert chunk, f"process ended; got {self.buffer.decode()!r}"
                self.buffer += chunk
        text = self.buffer.decode()
        self.buffer = b""
        return text

    def send(self, line: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write((line + "\n").encode())
        self.proc.stdin.flush()

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)


def test_killed_mid_dialog_resumes_at_the_same_step(tmp_path: Path) -> None:
    first = Console(tmp_path)
    first.read_until("0 — Мне нужна помощь сейчас")
    for line, expect in [("8", "Who is writing"), ("1", "What is happening"), ("5", "How old")]:
        first.send(line)
        first.read_until(expect)
    first.kill()  # no clean shutdown: state must already be on disk

    second = Console(tmp_path)
    shown = second.read_until("0 — I need help now")
    assert "Welcome back" in shown and "How old are you?" in shown
    # a child's age bands start at 7-9: "2" is 10-12
    for line, expect in [("2", "girl or a boy"), ("1", "Which region"), ("1", "Nobody")]:
        second.send(line)
        second.read_until(expect)
    assert second.proc.stdin is not None
    second.proc.stdin.close()
    assert second.proc.wait(timeout=30) == 0
    (record,) = rows(tmp_path, "intake_records")
    assert (record["caller"], record["age_band"], record["gender"]) == ("child", "10-12", "girl")
    assert [row["slug"] for row in rows(tmp_path, "intake_categories")] == ["education"]
    assert record["language"] == "en"


def test_invalid_setting_stops_with_one_clear_line(tmp_path: Path) -> None:
    env = env_for(tmp_path) | {"HELPLINE_DATABASE_URL": "mysql://nope"}
    proc = subprocess.run(
        [sys.executable, "-m", "bot", "chat"],
        input="",
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
    )
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [
        "helpline: invalid setting HELPLINE_DATABASE_URL: Value error, use "
        "sqlite+aiosqlite:///path.db or postgresql+asyncpg://…"
    ]


def test_missing_secret_key_is_generated_once_with_a_warning(tmp_path: Path) -> None:
    env = {k: v for k, v in env_for(tmp_path).items() if k != "HELPLINE_SECRET_KEY"}
    run = [sys.executable, "-m", "bot", "chat"]
    first = subprocess.run(run, input="", capture_output=True, text=True, env=env, cwd=tmp_path)
    assert "HELPLINE_SECRET_KEY is not set" in first.stderr
    key = (tmp_path / "var" / "secret_key").read_text()
    assert oct((tmp_path / "var" / "secret_key").stat().st_mode)[-3:] == "600"
    second = subprocess.run(run, input="", capture_output=True, text=True, env=env, cwd=tmp_path)
    assert "HELPLINE_SECRET_KEY" not in second.stderr
    assert (tmp_path / "var" / "secret_key").read_text() == key
