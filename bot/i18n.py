"""Gettext catalogs (Babel) and the rendering of dialog messages into one language.

Catalogs live in `locales/<lang>/LC_MESSAGES/messages.po`; `make` compiles them to `.mo`.
Message ids are the English source texts; `Msg.literal` texts are shown as they are.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from babel.support import NullTranslations, Translations

from bot.dialogs.model import Msg
from bot.dialogs.texts import SMS_VARIANTS

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
DOMAIN = "messages"


class CatalogMissing(RuntimeError):
    """The compiled catalogs are not there: run `make` (it compiles them)."""


@lru_cache(maxsize=8)
def translations(language: str) -> NullTranslations:
    mo = LOCALES_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.mo"
    if not mo.exists():
        raise CatalogMissing(f"compiled catalog missing: {mo} (run `make catalogs`)")
    return Translations.load(str(LOCALES_DIR), [language], DOMAIN)


def render(msg: Msg, language: str, short: bool = False) -> str:
    """One message in one language; `short` picks the SMS variant where there is one."""
    if msg.literal:
        return msg.key
    tr = translations(language)
    if msg.plural is not None:
        text = tr.ngettext(msg.key, msg.plural, msg.n or 0)
    elif short and msg.key in SMS_VARIANTS:
        text = tr.gettext(SMS_VARIANTS[msg.key])
    elif msg.context is not None:
        text = str(tr.pgettext(msg.context, msg.key))
    else:
        text = tr.gettext(msg.key)
    if not msg.args:
        return text
    args: dict[str, Any] = {
        name: render(value, language, short) if isinstance(value, Msg) else value
        for name, value in msg.args
    }
    return text.format(**args)


def gettext(text: str, language: str) -> str:
    return translations(language).gettext(text)
