"""Every SMS text, in every language, within its segment budget; and the counter itself."""

from __future__ import annotations

from pathlib import Path
from typing import get_args

import pytest
from babel.messages.extract import extract_from_dir

import bot
from bot.channels import texts as channel_texts
from bot.channels.sms import texts as st
from bot.channels.sms.render import body, options_line, pages, text_of
from bot.channels.sms.segments import cost, segments
from bot.dialogs import Msg, State, choices_for, menus
from bot.dialogs import texts as t
from bot.dialogs.model import Context, Step
from bot.dialogs.prompts import question
from bot.i18n_check import KEYWORDS

LANGUAGES = ("kk", "ru", "en")


# Typical values of the other placeholders (callback slots, masked numbers, directory lines).
TYPICAL = tuple(
    {
        "date": "03.12",
        "start": "15:00",
        "end": "18:00",
        "weekday": "Wednesday",
        "today": "today",
        "hours": "09-21",
        "slot": "Wednesday 03.12, 15:00-18:00",
        "specialist": "a psychologist",
        "language": "Русский",
        "number": "+7 701 *** ** 67",
        "phone": "+7 701 *** ** 67",
        "first": "1",
        "last": "4",
        "name": "Child Protection Centre",
        "helps": "psychologist",
    }.items()
)


def dialog_texts() -> list[Msg]:
    """Every text of the dialog module (a plural text with the count that reads longest)."""
    within = Msg("within {n} hours", literal=True)  # the longest a wait is said
    found: list[Msg] = []
    for module in st.dialog_text_modules():
        for name, value in vars(module).items():
            if name.startswith("_") or name.endswith("_SMS") or name == "SMS_VARIANTS":
                continue
            args = (("max", 21), ("n", 12), ("within", within), *TYPICAL)
            if isinstance(value, str):
                found.append(Msg(value, args))
            elif isinstance(value, tuple) and len(value) == 2:
                found.append(Msg(value[0], args, plural=value[1], n=12))
    found.append(Msg(channel_texts.STAFF_MEDIA))
    return found


def test_the_texts_are_found() -> None:
    keys = {m.key for m in dialog_texts()}
    assert t.GREETING in keys and t.HELP_NOW in keys and len(keys) > 60


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_sms_text_fits_its_budget(language: str) -> None:
    over = []
    for msg in dialog_texts():
        text = text_of(msg, language)
        if segments(text) > st.budget(msg.key):
            over.append(f"{segments(text)} > {st.budget(msg.key)}: {text!r}")
    assert not over, "\n".join(over)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_question_with_its_options_fits_the_reply_budget(language: str) -> None:
    steps = [step for step in get_args(Step) if step not in ("new", "done")]
    for caller in ("child", "parent"):
        for step in steps:
            state = State(step=step, caller=caller, language=language, guesses=["family", "abuse"])  # type: ignore[arg-type]
            choices = choices_for(state)
            for page in range(len(pages(choices))):
                sms = body(question(state, Context(channel="sms")), choices, language, page=page)
                assert segments(sms) <= st.REPLY_BUDGET, (step, sms)
                line = options_line(choices, language, page)
                assert segments(line) <= st.OPTIONS_BUDGET, (step, line)


def test_gsm7_fits_160_and_splits_at_153() -> None:
    assert cost("a" * 160).segments == 1
    assert cost("a" * 161).segments == 2
    assert cost("a" * 306).segments == 2
    assert cost("a" * 307).segments == 3
    assert cost("a" * 160).encoding == "GSM-7"


def test_the_extension_table_costs_two() -> None:
    assert cost("€" * 80).units == 160
    assert cost("€" * 80).segments == 1
    assert cost("€" * 81).segments == 2
    assert cost("[]{}").encoding == "GSM-7"


def test_cyrillic_is_ucs2_at_70_and_67() -> None:
    assert cost("б" * 70) == cost("б" * 70)
    assert cost("б" * 70).segments == 1
    assert cost("б" * 71).segments == 2
    assert cost("б" * 134).segments == 2
    assert cost("б" * 135).segments == 3
    assert cost("б").encoding == "UCS-2"


def test_one_kazakh_letter_makes_a_latin_text_ucs2() -> None:
    latin = "a" * 100
    assert cost(latin).segments == 1
    assert cost(latin + "ә").encoding == "UCS-2"
    assert cost(latin + "ә").segments == 2


def test_an_emoji_is_two_units() -> None:
    assert cost("😀").units == 2
    assert cost("😀" * 35).segments == 1
    assert cost("😀" * 36).segments == 2


def test_empty_costs_nothing() -> None:
    assert segments("") == 0


def test_no_short_text_shares_a_message_id_with_a_full_text() -> None:
    """A short variant is its own catalog entry: rewording it never changes a Telegram text."""
    full = {m.key for m in dialog_texts()} | {m.plural for m in dialog_texts() if m.plural}
    for table in vars(menus).values():  # the menus' labels
        if isinstance(table, dict):
            full |= {v for v in table.values() if isinstance(v, str)}
    shorts: set[str] = set()
    for short in st.SHORT.values():
        shorts |= set(short) if isinstance(short, tuple) else {short}
    assert not shorts & full


def test_short_texts_are_written_only_for_sms() -> None:
    """No other module marks the same message id (a staff button, a Telegram text)."""
    shorts: set[str] = set()
    for short in st.SHORT.values():
        shorts |= set(short) if isinstance(short, tuple) else {short}
    shorts |= {st.STOPPED, st.CLEAR, st.MORE, st.SOS}
    bot_dir = Path(bot.__file__).resolve().parent
    elsewhere = {
        message[0] if isinstance(message, tuple) else message
        for filename, _line, message, _comments, _ctx in extract_from_dir(
            str(bot_dir), method_map=[("**.py", "python")], keywords=KEYWORDS
        )
        if not filename.endswith("channels/sms/texts.py")
    }
    assert not shorts & elsewhere
