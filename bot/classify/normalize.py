"""Text folding shared by lexicons, language id and the category model.

Everything is reduced to a *skeleton*: lower case, NFKC, ё→е, Kazakh letters folded onto
their Russian look-alikes (ө→о, ұ/ү→у, қ→к, ...), и/і/ы/й merged, ь/ъ dropped and runs of a
repeated letter collapsed. Latin-script Kazakh (2021 alphabet or informal "sh/zh/q") and
Russian typed in Latin letters ("ya ne hochu zhit") are transliterated into the same
Cyrillic skeleton, so a lexicon line is written once, in normal spelling, and still matches
"өлгім келеді", "олгим келеди", "ólgim keledi" and "olgim keledi" alike.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

# Kazakh 2021 Latin letters with diacritics (and a few older-alphabet ones) to plain Latin.
_LATIN_DIACRITICS = str.maketrans(
    {
        "á": "a",
        "ä": "a",
        "ǵ": "gh",
        "ğ": "gh",
        "ń": "n",
        "ñ": "n",
        "ó": "o",
        "ö": "o",
        "ú": "u",
        "ü": "u",
        "ý": "u",
        "ı": "i",
        "ş": "sh",
        "ç": "ch",
        "’": "'",
        "‘": "'",
        "`": "'",
        "ʼ": "'",
    }
)
KAZAKH_LATIN_MARKS = frozenset("áǵńóúýış")
KAZAKH_CYRILLIC = frozenset("әғқңөұүһі")

# Longest sequences first; applied left to right on a Latin word.
_TRANSLIT_MULTI: tuple[tuple[str, str], ...] = (
    ("shch", "щ"),
    ("tsya", "тся"),  # "-тся" as typed: "zakonchitsya", not "закончиця"
    ("sch", "щ"),
    ("sh", "ш"),
    ("ch", "ч"),
    ("zh", "ж"),
    ("kh", "х"),
    ("gh", "г"),
    ("ts", "ц"),
    ("ya", "я"),
    ("yu", "ю"),
    ("yo", "е"),
    ("ye", "е"),
    ("ia", "я"),
    ("iu", "ю"),
)
_TRANSLIT_SINGLE = {
    "a": "а", "b": "б", "c": "ц", "d": "д", "e": "е", "f": "ф", "g": "г", "h": "х",
    "i": "и", "j": "ж", "k": "к", "l": "л", "m": "м", "n": "н", "o": "о", "p": "п",
    "q": "к", "r": "р", "s": "с", "t": "т", "u": "у", "v": "в", "w": "ш", "x": "х",
    "y": "ы", "z": "з", "'": "",
}  # fmt: skip
_TRANSLIT_RE = re.compile(
    "|".join(m for m, _ in _TRANSLIT_MULTI) + "|[a-z']",
)
_TRANSLIT_MAP = dict(_TRANSLIT_MULTI) | _TRANSLIT_SINGLE

# Cyrillic folding: Kazakh-specific letters onto Russian ones; vowels that typists confuse.
_CYR_FOLD = str.maketrans(
    {
        "ә": "а", "ғ": "г", "қ": "к", "ң": "н", "ө": "о", "ұ": "у", "ү": "у", "һ": "х",
        "і": "и", "й": "и", "ы": "и", "ё": "е", "э": "е", "ь": None, "ъ": None,
    }
)  # fmt: skip
_NON_WORD = re.compile(r"[^\w']+|_")
_REPEATS = re.compile(r"(\w)\1+")
_LATIN = re.compile(r"[a-z]")
_CYRILLIC = re.compile(r"[а-яёәғқңөұүһі]")


def fold(text: str) -> str:
    """Case and Unicode folding only: NFKC, lower case, ё→е, dotted İ, curly quotes."""
    text = unicodedata.normalize("NFKC", text).lower().replace("i̇", "i")
    return text.replace("ё", "е")


def words(text: str) -> list[str]:
    """Folded word tokens (hyphens and punctuation split words)."""
    return [w.strip("'") for w in _NON_WORD.split(fold(text)) if w.strip("'")]


def _translit_word(word: str) -> str:
    word = word.translate(_LATIN_DIACRITICS)
    return _TRANSLIT_RE.sub(lambda m: _TRANSLIT_MAP[m.group(0)], word)


# Words repeat across messages; 64k entries of short strings is a few MiB.
@lru_cache(maxsize=65536)
def skeleton_word(word: str, translit: bool = True) -> str:
    """One folded word to its skeleton; Latin letters become Cyrillic when `translit`."""
    if translit and _LATIN.search(word.translate(_LATIN_DIACRITICS)):
        word = _translit_word(word)
    else:
        word = word.translate(_LATIN_DIACRITICS).replace("'", "")
    word = word.translate(_CYR_FOLD)
    return _REPEATS.sub(r"\1", word)


def skeleton(text: str, translit: bool = True) -> str:
    """Space-joined skeleton of a whole message (see module docstring)."""
    return skeleton_of(words(text), translit)


def skeleton_of(toks: Iterable[str], translit: bool = True) -> str:
    """`skeleton` of a message already split by `words` (the classifier splits once)."""
    return " ".join(s for w in toks if (s := skeleton_word(w, translit)))


def script_counts(text: str) -> tuple[int, int]:
    """(Latin letters, Cyrillic letters) in the folded text."""
    folded = fold(text).translate(_LATIN_DIACRITICS)
    return len(_LATIN.findall(folded)), len(_CYRILLIC.findall(folded))
