"""Language of one short message: kk, ru or en, including transliterated Kazakh/Russian.

Rules first (Kazakh letters, cue words in data/language_cues.txt, Latin-script Kazakh marks),
lingua only for Cyrillic text the rules cannot settle. lingua runs in low-accuracy mode with
its three models preloaded: ~30 ms to load instead of ~0.5 s, and the rules carry the
short-message cases where the high-accuracy models would help.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from bot.classify.normalize import (
    KAZAKH_CYRILLIC,
    KAZAKH_LATIN_MARKS,
    fold,
    script_counts,
    skeleton_word,
    words,
)
from bot.classify.types import Language

CUES_PATH = Path(__file__).resolve().parent / "data" / "language_cues.txt"
# Latin-typed Kazakh endings (skeleton form): -мын/-мін, -ғым/-гім, -ды/-ді, -лар/-лер ...
_KK_ENDINGS = (
    "мин", "гим", "ким", "гиси", "ади", "еди", "дим", "тим", "сиз", "лар", "лер",
    "иди", "мди", "нди", "ган", "ген", "миз", "дан", "тан",
)  # fmt: skip


def load_cues(path: Path = CUES_PATH) -> dict[str, frozenset[str]]:
    sections: dict[str, set[str]] = {}
    current: set[str] | None = None
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], set())
        elif current is not None:
            current.update(line.lower().split())
    en = frozenset(w.replace("'", "") for w in sections.get("en", ()))
    return {
        "en": en,
        "kk": frozenset(skeleton_word(w) for w in sections.get("kk", ())),
        "ru": frozenset(skeleton_word(w) for w in sections.get("ru", ())),
    }


@lru_cache(maxsize=1)
def _lingua() -> Any:
    from lingua import Language as L
    from lingua import LanguageDetectorBuilder

    return (
        LanguageDetectorBuilder.from_languages(L.KAZAKH, L.RUSSIAN, L.ENGLISH)
        .with_low_accuracy_mode()
        .with_preloaded_language_models()
        .build()
    )


SURE_MARGIN = 2  # cue words more for the winner than for the runner-up
_LINGUA_CODES: dict[str, Language] = {"KAZAKH": "kk", "RUSSIAN": "ru", "ENGLISH": "en"}


class LanguageIdentifier:
    def __init__(self, cues: dict[str, frozenset[str]] | None = None) -> None:
        self.cues = cues or load_cues()
        _lingua()  # preload now so the first message is as fast as the rest

    def identify(
        self, text: str, hint: Language | None = None, toks: list[str] | None = None
    ) -> Language:
        """`toks`: `words(text)` when the caller has it already."""
        return self.identify_sure(text, hint, toks)[0]

    def identify_sure(
        self, text: str, hint: Language | None = None, toks: list[str] | None = None
    ) -> tuple[Language, bool]:
        """The language, and whether the rules settled it by a margin of two or more cues
        (False for ties, the hint as tie-breaker, lingua's guess, or no letters at all)."""
        latin, cyrillic = script_counts(text)
        if latin == 0 and cyrillic == 0:
            return hint or "ru", False
        toks = words(text) if toks is None else toks
        if cyrillic >= latin:
            return self._cyrillic(text, toks, hint)
        return self._latin(text, toks, hint)

    def _cyrillic(
        self, text: str, toks: list[str], hint: Language | None
    ) -> tuple[Language, bool]:
        kk = ru = 0.0
        for w in toks:
            if not any("а" <= c <= "я" or c in KAZAKH_CYRILLIC for c in w):
                continue
            s = skeleton_word(w)
            if any(c in KAZAKH_CYRILLIC for c in w) or s in self.cues["kk"]:
                kk += 1
            elif s in self.cues["ru"]:
                ru += 1
        if kk != ru:
            return ("kk" if kk > ru else "ru"), abs(kk - ru) >= SURE_MARGIN
        if hint in ("kk", "ru") and kk > 0:
            return hint, False
        found = _lingua().detect_language_of(text)
        code = _LINGUA_CODES.get(found.name) if found is not None else None
        return (code if code in ("kk", "ru") else (hint if hint in ("kk", "ru") else "ru")), False

    def _latin(self, text: str, toks: list[str], hint: Language | None) -> tuple[Language, bool]:
        folded = fold(text)
        if any(c in KAZAKH_LATIN_MARKS for c in folded):
            return "kk", True
        en = kk = ru = 0.0
        for w in toks:
            plain = w.replace("'", "")
            if plain in self.cues["en"]:
                en += 1
                continue
            s = skeleton_word(w)
            if s in self.cues["kk"]:
                kk += 1
            elif s in self.cues["ru"]:
                ru += 1
            elif "q" in w or (len(s) > 4 and s.endswith(_KK_ENDINGS)):
                kk += 0.5
        best = max(kk, ru)
        if best > en:
            if kk == ru:
                return (hint if hint in ("kk", "ru") else "kk"), False
            return ("kk" if kk > ru else "ru"), min(abs(kk - ru), best - en) >= SURE_MARGIN
        if best == en and best > 0 and hint in ("kk", "ru"):
            return hint, False
        return "en", en - best >= SURE_MARGIN
