"""Every user-facing string is translated into kk, ru and en, with matching placeholders."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po

from bot.dialogs.model import Msg
from bot.dialogs.texts import GREETING, NOBODY_CHILD
from bot.i18n import LOCALES_DIR, render
from bot.i18n_check import LANGUAGES, check_all, extracted_ids


def test_real_catalogs_are_complete() -> None:
    assert check_all() == []


def test_code_marks_many_messages() -> None:
    assert len(extracted_ids()) > 100


def _broken_copy(tmp_path: Path, lang: str, edit: str) -> Path:
    copy = tmp_path / "locales"
    shutil.copytree(LOCALES_DIR, copy, ignore=shutil.ignore_patterns("*.mo"))
    po = copy / lang / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as fh:
        catalog = read_po(fh, locale=lang)
    if edit == "remove":
        catalog.delete(GREETING)
    elif edit == "empty":
        catalog[GREETING].string = ""
    elif edit == "fuzzy":
        catalog[GREETING].flags.add("fuzzy")
    elif edit == "placeholder":
        message = catalog[NOBODY_CHILD[0]]
        message.string = tuple(s.replace("{n}", "{count}") for s in message.string)
    with po.open("wb") as fh:
        write_po(fh, catalog)
    return copy


@pytest.mark.parametrize("lang", ["kk", "ru"])
@pytest.mark.parametrize("edit", ["remove", "empty", "fuzzy", "placeholder"])
def test_check_fails_on_a_broken_copy(tmp_path: Path, lang: str, edit: str) -> None:
    problems = check_all(_broken_copy(tmp_path, lang, edit))
    assert problems, f"{edit} in {lang} went unnoticed"
    assert all(p.startswith(f"{lang}:") for p in problems)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_plural_forms_render(lang: str) -> None:
    for n in (1, 2, 5, 21):
        msg = Msg(NOBODY_CHILD[0], plural=NOBODY_CHILD[1], n=n, args=(("n", n),))
        assert str(n) in render(msg, lang)


def test_russian_plurals_follow_the_language() -> None:
    def hours(n: int) -> str:
        text = render(Msg(NOBODY_CHILD[0], plural=NOBODY_CHILD[1], n=n, args=(("n", n),)), "ru")
        return text.rsplit(" ", 1)[-1]

    assert [hours(n) for n in (1, 2, 5, 21)] == ["часа.", "часов.", "часов.", "часа."]


def test_texts_differ_per_language() -> None:
    rendered = {lang: render(Msg(GREETING), lang) for lang in LANGUAGES}
    assert len(set(rendered.values())) == 3
    assert "112" in rendered["kk"] and "112" in rendered["ru"]
