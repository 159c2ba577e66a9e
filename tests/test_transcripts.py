"""Golden conversations: a safeguarding reviewer can read and correct these without Python.

Each file in tests/transcripts/ holds the user's lines (`you> …`) and the bot's console output
in between. The test replays the user's lines through the real classifier, dialog and storage
and compares every line. After an intended change of text, regenerate with
`UPDATE_TRANSCRIPTS=1 make pytest` and review the diff.

Header lines: `# on duty: yes|no`; `# now: 2026-12-01T10:00+05:00` (the clock, for callback
slots; that moment by default); `# directory samples: shown` (the shipped directory's sample
regional entries are shown as if real, to show matching by region; never so in production).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import os
from pathlib import Path

import pytest

from bot.channels.console import parse_line, show
from bot.classify import load_classifier
from bot.dialogs import Event
from bot.dialogs import texts as t
from bot.dialogs.model import Msg
from bot.directory import load as load_directory
from bot.i18n import render
from bot.privacy import Identity
from bot.services.callbacks import CallbackBook
from bot.services.clock import ManualClock
from bot.services.duty import FixedDuty
from bot.services.turns import Inbound, TurnService
from storage import Store

HERE = Path(__file__).parent / "transcripts"
FILES = sorted(HERE.glob("*.txt"))


DEFAULT_NOW = "2026-12-01T10:00+05:00"  # a Tuesday morning in Almaty


async def replay(
    user_lines: list[str], on_duty: bool, db: Path, now: str = DEFAULT_NOW, samples: bool = False
) -> str:
    store = Store(f"sqlite+aiosqlite:///{db}")
    await store.create_schema()
    identity = Identity(b"golden")
    book = CallbackBook(identity, clock=ManualClock(dt.datetime.fromisoformat(now)))
    turns = TurnService(
        store,
        load_classifier(),
        identity,
        FixedDuty(on_duty),
        callbacks=book,
        directory=load_directory(samples=samples),
    )
    out = io.StringIO()
    try:
        show(await turns.resume(Inbound("console", "golden", Event("start"))), out)
        for line in user_lines:
            out.write(f"you> {line}\n")
            show(await turns.handle(Inbound("console", "golden", parse_line(line))), out)
    finally:
        await store.close()
    return out.getvalue()


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_golden_transcript(path: Path, tmp_path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    header = [line for line in text.splitlines() if line.startswith("#")]
    on_duty = "# on duty: yes" in header
    samples = "# directory samples: shown" in header
    now = next((h[len("# now: ") :] for h in header if h.startswith("# now: ")), DEFAULT_NOW)
    user_lines = [line[5:] for line in text.splitlines() if line.startswith("you> ")]
    played = asyncio.run(replay(user_lines, on_duty, tmp_path / "t.db", now, samples))
    got = "\n".join(header) + "\n" + played
    if os.environ.get("UPDATE_TRANSCRIPTS"):
        path.write_text(got, encoding="utf-8")
    assert got == text


def test_there_are_transcripts_in_every_language() -> None:
    names = " ".join(p.stem for p in FILES)
    for lang in ("kk", "ru", "en"):
        assert f"{lang}_" in names


SCENARIOS = (  # issue 11, acceptance 1
    "child_routine_by_menu",
    "child_routine_by_words",
    "child_crisis_nobody_on_shift",
    "child_crisis_on_shift",
    "parent_callback",
    "parent_crisis_about_child",
    "teacher",
    "help_words_at_every_step",
    "second_unusable_answer",
)


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_every_scenario_has_a_transcript_in_every_language(lang: str) -> None:
    names = {p.stem for p in FILES}
    assert {f"{lang}_{name}" for name in SCENARIOS} <= names


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_the_safety_question_is_in_the_transcripts(lang: str) -> None:
    """Issue 9, acceptance 3: asked, and answered with danger, in every language."""
    question = render(Msg(t.ASK_SAFETY_CHILD), lang)
    asked = [p for p in FILES if p.stem.startswith(lang) and question in p.read_text("utf-8")]
    assert len(asked) >= 3
    crisis = (HERE / f"{lang}_child_crisis_on_shift.txt").read_text("utf-8")
    assert question in crisis and render(Msg(t.SAFETY_CHILD), lang).split("\n")[0] in crisis
