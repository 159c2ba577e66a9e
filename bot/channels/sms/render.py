"""A dialog reply as one SMS: the short texts, then the choices numbered in one line.

    Бала болсаң не ата-ана болсаң, нөмірін жібер.
    1 Бала 2 Ата-ана 3 Туыс 4 Педагог 5 Басқа адам 6 Қазақша 7 Русский 8 English 0 SOS

The numbers are the dialog's own (`bot.dialogs.numbered`: help-now is 0, the rest count from
1), so a number typed back means the same choice on every channel. A list longer than a page
(the regions) shows its first page and "+ more"; "+" brings the next page (see keywords).
"""

from __future__ import annotations

from typing import Any

from bot.channels import texts as ct
from bot.channels.delivery import Outbound
from bot.channels.sms import texts as st
from bot.dialogs import Msg, numbered
from bot.dialogs.model import Choice
from bot.i18n import render, translations

# The language switcher in Latin letters: one Cyrillic letter would make an English SMS UCS-2.
LANGUAGE_SHORT = {"lang:kk": "KZ", "lang:ru": "RU", "lang:en": "EN"}
PAGE = 10  # numbered options on one page (0 / SOS comes on top of them)
MAX_BODY = 1600  # Twilio's limit for one message body; longer text goes in several messages


def text_of(msg: Msg, language: str) -> str:
    """One message in its short SMS form (or whole, when it has no short variant)."""
    if msg.literal:
        return msg.key
    short = st.SHORT.get(msg.key)
    if short is None:
        return render(msg, language, short=True)
    tr = translations(language)
    if isinstance(short, tuple):
        text = tr.ngettext(short[0], short[1], msg.n or 0)
    else:
        text = tr.gettext(short)
    if not msg.args:
        return text
    args: dict[str, Any] = {
        name: text_of(value, language) if isinstance(value, Msg) else value
        for name, value in msg.args
    }
    return text.format(**args)


def pages(choices: list[Choice]) -> list[list[tuple[int, Choice]]]:
    """The numbered choices cut into pages of PAGE; help-now (0) is on every page, last."""
    rows = numbered(choices)
    help_now = [row for row in rows if row[0] == 0]
    rest = [row for row in rows if row[0] != 0]
    cut = [rest[i : i + PAGE] for i in range(0, len(rest), PAGE)] or [[]]
    if len(cut) > 1 and len(cut[-1]) == 1:  # one more fits better than a page of its own
        last = cut.pop()
        cut[-1] += last
    return [page + help_now for page in cut]


def options_line(choices: list[Choice], language: str, page: int = 0) -> str:
    all_pages = pages(choices)
    if not all_pages or not all_pages[0]:
        return ""
    page = min(max(page, 0), len(all_pages) - 1)
    rows = all_pages[page]
    parts = [f"{n} {_label(choice, language)}" for n, choice in rows if n != 0]
    if page + 1 < len(all_pages):
        parts.append(_more(language))
    parts += [f"{n} {_label(choice, language)}" for n, choice in rows if n == 0]
    return " ".join(parts)


def _label(choice: Choice, language: str) -> str:
    return LANGUAGE_SHORT.get(choice.id) or text_of(choice.label, language)


def _more(language: str) -> str:
    return translations(language).gettext(st.MORE)


def body(
    messages: list[Msg] | tuple[Msg, ...],
    choices: list[Choice] | tuple[Choice, ...],
    language: str,
    extra: list[str] | None = None,
    page: int = 0,
) -> str:
    """The whole SMS: texts one per line, any extra lines, then the options line."""
    lines = [text_of(m, language) for m in messages]
    lines += extra or []
    options = options_line(list(choices), language, page)
    if options:
        lines.append(options)
    return "\n".join(line for line in lines if line)


def outbound_body(message: Outbound) -> str:
    """An outbox message for a person (a notice from the dialog, a counsellor's words)."""
    extra: list[str] = []
    if message.text is not None:
        extra.append(message.text)
    elif message.copy_of is not None:
        extra.append(text_of(Msg(ct.STAFF_MEDIA), message.language))
    return body(message.messages, message.choices, message.language, extra)


def split_body(text: str) -> list[str]:
    """Bodies within Twilio's limit, cut at paragraph, line or word breaks."""
    from bot.channels.split import split_text

    return split_text(text, MAX_BODY) if text else []
