"""Catalog completeness check: every message in the code is translated in every language.

Run as `python -m bot.i18n_check`; the test suite runs it on the real catalogs and on
deliberately broken copies.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from bot.i18n import DOMAIN, LOCALES_DIR

LANGUAGES = ("kk", "ru", "en")
KEYWORDS = {"N_": None, "NP_": (1, 2), "NC_": ((1, "c"), 2)}
_PLACEHOLDER = re.compile(r"\{(\w*)\}")
BOT_DIR = Path(__file__).resolve().parent


MessageKey = tuple[str | None, str]  # (gettext context, message id)


def extracted_ids(source_dir: Path = BOT_DIR) -> set[MessageKey]:
    """Message ids marked in the code (singular id for plurals), with their context."""
    found: set[MessageKey] = set()
    for _file, _line, message, _comments, ctx in extract_from_dir(
        str(source_dir), method_map=[("**.py", "python")], keywords=KEYWORDS
    ):
        found.add((ctx, message[0] if isinstance(message, tuple) else message))
    return found


def _named(key: MessageKey) -> str:
    context, msgid = key
    return f"{context}|{msgid[:60]!r}" if context else repr(msgid[:60])


def _placeholders(text: str) -> set[str]:
    return set(_PLACEHOLDER.findall(text))


def check_catalog(catalog: Catalog, lang: str, expected: set[MessageKey]) -> list[str]:
    problems: list[str] = []
    present: set[MessageKey] = set()
    for msg in catalog:
        if not msg.id:
            continue
        msgid = str(msg.id[0] if isinstance(msg.id, tuple) else msg.id)
        present.add((msg.context, msgid))
        raw = msg.string if isinstance(msg.string, tuple) else (msg.string,)
        strings = [str(s) if s else "" for s in raw]
        if msg.fuzzy:
            problems.append(f"{lang}: fuzzy: {msgid[:60]!r}")
        if not all(strings) or len(strings) < (catalog.num_plurals if msg.pluralizable else 1):
            problems.append(f"{lang}: untranslated: {msgid[:60]!r}")
            continue
        want = _placeholders(msgid)
        for text in strings:
            if _placeholders(text) != want:
                problems.append(f"{lang}: placeholders differ: {msgid[:60]!r}")
    for missing in sorted(expected - present, key=lambda k: (k[0] or "", k[1])):
        problems.append(f"{lang}: missing: {_named(missing)}")
    return problems


def check_all(locales_dir: Path = LOCALES_DIR, source_dir: Path = BOT_DIR) -> list[str]:
    expected = extracted_ids(source_dir)
    problems: list[str] = []
    for lang in LANGUAGES:
        path = locales_dir / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
        if not path.exists():
            problems.append(f"{lang}: no catalog at {path}")
            continue
        with path.open("rb") as fh:
            catalog = read_po(fh, locale=lang)
        problems += check_catalog(catalog, lang, expected)
    return problems


def main() -> int:
    problems = check_all()
    for problem in problems:
        sys.stderr.write(problem + "\n")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
