"""A crisis typed at any step, in any language (and in Latin-script Kazakh), goes through the
real classifier, interrupts the dialog, shows the 24/7 numbers and opens a crisis case."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.classify import load_classifier
from bot.dialogs import Event
from bot.dialogs import texts as t
from bot.dialogs.model import Msg
from bot.i18n import render
from bot.privacy import Identity
from bot.services.duty import FixedDuty
from bot.services.turns import Inbound, TurnService
from storage import Store
from tests.dialog_driver import all_paths

CRISIS = {
    "kk": ["өзімді өлтіргім келеді", "ózimdi óltirgim keledi", "ozimdi oltirgim keledi"],
    "ru": ["не хочу больше жить", "ya ne hochu zhit"],
    "en": ["I want to kill myself"],
}
CASES = [(lang, text) for lang, texts in CRISIS.items() for text in texts]


@pytest.fixture
async def sqlite_store(tmp_path: Path) -> Store:
    store = Store(f"sqlite+aiosqlite:///{tmp_path}/crisis.db")
    await store.create_schema()
    return store


def event_for(line: str) -> Event:
    if line.startswith("/"):
        name, _, arg = line[1:].partition(" ")
        return Event("command", command=name, arg=arg)
    return Event("text", text=line)


@pytest.mark.parametrize(("lang", "crisis"), CASES)
async def test_crisis_at_every_step(sqlite_store: Store, lang: str, crisis: str) -> None:
    for n, (step_name, lines, on_duty) in enumerate(all_paths()):
        turns = TurnService(sqlite_store, load_classifier(), Identity(b"k"), FixedDuty(on_duty))
        address = f"{lang}-{n}-{len(crisis)}"
        await turns.handle(Inbound("console", address, Event("command", command="start")))
        await turns.handle(Inbound("console", address, Event("choice", choice=f"lang:{lang}")))
        for line in lines[1:]:
            outcome = await turns.handle(Inbound("console", address, event_for(line)))
        before = outcome.state if lines[1:] else None
        outcome = await turns.handle(Inbound("console", address, Event("text", text=crisis)))
        said = " ".join(render(m, lang) for m in outcome.reply.messages)
        assert outcome.state.step == "crisis", (step_name, crisis)
        for number in ("112", "150", "111"):
            assert number in said, (step_name, said)
        safety = t.SAFETY_CHILD if outcome.state.caller == "child" else t.SAFETY
        assert render(Msg(safety), lang) in said
        assert len(outcome.case_ids) == 1
        if before is not None and before.age_band is None:
            assert outcome.state.age_band is None  # the profile is skipped, never asked
    async with sqlite_store.transaction() as repos:
        cases = await repos.cases.list()
    assert len(cases) == len(all_paths())
    assert {c.urgency for c in cases} == {"crisis"} and {c.status for c in cases} == {"open"}
    await sqlite_store.close()
