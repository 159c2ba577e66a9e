"""Every user-facing string is translated into kk, ru and en, with matching placeholders."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po

from bot.dialogs import texts as t
from bot.dialogs.model import Msg
from bot.dialogs.register import CHILD, CHILD_CONTEXT
from bot.dialogs.texts import GREETING, WITHIN_HOURS
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
        message = catalog[WITHIN_HOURS[0]]
        message.string = tuple(s.replace("{n}", "{count}") for s in message.string)
    elif edit == "remove_child":  # the child's register of a text is an entry of its own
        catalog.delete(t.THANKS_TOPIC, context=CHILD)
    elif edit == "untranslated_child":
        found = catalog.get(t.THANKS_TOPIC, context=CHILD)
        assert found is not None
        found.string = ""
    with po.open("wb") as fh:
        write_po(fh, catalog)
    return copy


@pytest.mark.parametrize("lang", ["kk", "ru"])
@pytest.mark.parametrize(
    "edit", ["remove", "empty", "fuzzy", "placeholder", "remove_child", "untranslated_child"]
)
def test_check_fails_on_a_broken_copy(tmp_path: Path, lang: str, edit: str) -> None:
    problems = check_all(_broken_copy(tmp_path, lang, edit))
    assert problems, f"{edit} in {lang} went unnoticed"
    assert all(p.startswith(f"{lang}:") for p in problems)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_plural_forms_render(lang: str) -> None:
    for n in (1, 2, 5, 21):
        msg = Msg(WITHIN_HOURS[0], plural=WITHIN_HOURS[1], n=n, args=(("n", n),))
        assert str(n) in render(msg, lang)


def test_russian_plurals_follow_the_language() -> None:
    def hours(n: int) -> str:
        text = render(Msg(WITHIN_HOURS[0], plural=WITHIN_HOURS[1], n=n, args=(("n", n),)), "ru")
        return text.rsplit(" ", 1)[-1]

    assert [hours(n) for n in (1, 2, 5, 21)] == ["часа", "часов", "часов", "часа"]


def test_texts_differ_per_language() -> None:
    rendered = {lang: render(Msg(GREETING), lang) for lang in LANGUAGES}
    assert len(set(rendered.values())) == 3
    assert "112" in rendered["kk"] and "112" in rendered["ru"]


def test_child_register_entries_repeat_real_texts() -> None:
    """Each `child` context literal in register.py is a text of texts.py, word for word."""
    texts = {v for k, v in vars(t).items() if k.isupper() and isinstance(v, str)}
    assert texts >= CHILD_CONTEXT, sorted(CHILD_CONTEXT - texts)


def test_child_register_reads_differently() -> None:
    """A child entry exists only where the child reads something else (ты / сен)."""
    args = (("max", 3), ("within", "x"))
    for key in CHILD_CONTEXT:
        differs = [
            render(Msg(key, args=args), lang) != render(Msg(key, args=args, context=CHILD), lang)
            for lang in ("kk", "ru")
        ]
        assert any(differs), key
