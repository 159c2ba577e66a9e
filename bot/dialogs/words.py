"""Understanding words typed instead of buttons: an option's own words, help words, thanks.

Everything is compared after `fold`: lower case, ё as е, Kazakh letters as their plain
Cyrillic neighbours (people type Kazakh without a Kazakh keyboard), punctuation and emoji
dropped, letters repeated for emphasis squeezed ("помогитеее"). Small typos are forgiven by a
similarity ratio; a message longer than a few words is never taken for an option, so a story
that happens to contain "мама" stays a story.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from difflib import SequenceMatcher

_KAZAKH_FOLD = str.maketrans("әғқңөұүһіё", "агкноуухие")
_NOT_WORD = re.compile(r"[^\w\s]|_")
_REPEATS = re.compile(r"(\w)\1+")
MAX_OPTION_WORDS = 5  # longer text is a message, not a typed option
TYPO_RATIO = 0.84


def fold(text: str) -> str:
    text = _NOT_WORD.sub(" ", text.casefold().translate(_KAZAKH_FOLD))
    return " ".join(_REPEATS.sub(r"\1", w) for w in text.split())


def _folded_set(words: str) -> frozenset[str]:
    """A set of words given as one space-separated string, each folded."""
    return frozenset(fold(w) for w in words.split())


# Words that carry no meaning of their own in a short request ("мне нужна помощь сейчас").
_FILLER = _folded_set(
    """мне нужна нужно нужен срочно сейчас прямо пожалуйста пж плиз очень я меня нам
    маған маган керек қазір тез өтінемін дереу мен бізге
    i me need now please pls urgent urgently right we us kerek qazir
    with a the"""
)
_HELP = _folded_set(
    """помогите помоги помогит помощь помощи спасите спаси sos сос help helpme
    көмектесіңдер көмектесіңіз көмектес көмектесші көмектесе көмек
    pomogite pomogi pomosh komek komektes komektesinder komektesiniz"""
)
_THANKS = _folded_set("""спасибо спс благодарю рахмет рақмет рахмет рахмеет thanks thank thx ty""")
_THANKS_FILLER = _folded_set(
    """большое огромное вам тебе сізге саған көп ок ok okay хорошо жақсы жарайды
    you so much very a lot"""
)
_STOPWORDS = _folded_set("и или a an the or and не мен я i am im m is немесе не")


def _only(text: str, core: frozenset[str], filler: frozenset[str]) -> bool:
    words = fold(text).split()
    if not words or len(words) > MAX_OPTION_WORDS + 1:
        return False
    meaning = [w for w in words if w not in filler]
    return bool(meaning) and all(w in core or _typo_of(w, core) for w in meaning)


def _typo_of(word: str, known: Iterable[str]) -> bool:
    """A small typo of a known word; "памагите" is "помогите" as it sounds (о read as а)."""
    if len(word) < 5:
        return False
    sounded = word.replace("о", "а")
    return any(
        len(k) >= 5
        and (
            sounded == k.replace("о", "а") or SequenceMatcher(None, word, k).ratio() >= TYPO_RATIO
        )
        for k in known
    )


def is_help(text: str) -> bool:
    """'помогите', 'көмек керек', 'I need help now', 'SOS', '0': the user asks for help now."""
    return text.strip() == "0" or _only(text, _HELP, _FILLER)


def is_thanks(text: str) -> bool:
    """'спасибо', 'рахмет', 'thank you so much': nothing to pass on to a counsellor."""
    return _only(text, _THANKS, _THANKS_FILLER)


def match_option(text: str, options: dict[str, list[str]]) -> str | None:
    """The one option whose words the text is (or nearly is, or names on its own).

    `options` maps a choice id to the ways of saying it: its label in every language and
    any synonyms. None when nothing fits or two options fit equally well.
    """
    said = fold(text)
    words = said.split()
    if not words or len(words) > MAX_OPTION_WORDS:
        return None
    meaning = [w for w in words if w not in _STOPWORDS] or words
    best: dict[str, float] = {}
    for cid, phrases in options.items():
        for phrase in phrases:
            score = _score(said, meaning, fold(phrase))
            if score > best.get(cid, 0.0):
                best[cid] = score
    if not best:
        return None
    top = max(best.values())
    winners = [cid for cid, score in best.items() if score == top]
    return winners[0] if len(winners) == 1 else None


def _score(said: str, meaning: list[str], phrase: str) -> float:
    if not phrase:
        return 0.0
    if said == phrase:
        return 3.0
    if len(said) >= 4 and SequenceMatcher(None, said, phrase).ratio() >= TYPO_RATIO:
        return 2.0
    label_words = phrase.split()
    content = [w for w in label_words if w not in _STOPWORDS]
    # "мама" for "мама или папа", "мен баламын" for the synonym "баламын"; every word typed
    # must belong to the option ("мама не даёт телефон" is a story, not "a parent")
    if all(w in label_words or _typo_of(w, label_words) for w in meaning):
        return 1.0 + len(meaning) / (len(content) or 1) / 10
    return 0.0


def option_phrases(
    choices: Iterable[tuple[str, object]],
    label: Callable[[object, str], str],
    synonyms: dict[str, tuple[str, ...]],
) -> dict[str, list[str]]:
    """Every way of saying each choice: its label in kk, ru and en, plus its synonyms."""
    return {
        cid: [label(msg, lang) for lang in ("kk", "ru", "en")] + list(synonyms.get(cid, ()))
        for cid, msg in choices
    }
