"""Hand-written fakes with state a test can read."""

from __future__ import annotations

from bot.classify.types import Classification, Language

CRISIS_WORDS = {"die": "suicide", "өлгім": "suicide", "умереть": "suicide", "бьёт": "abuse"}
TOPIC_WORDS = {
    "alimony": "maintenance",
    "алимент": "maintenance",
    "school": "education",
    "школ": "education",
    "мектеп": "education",
    "fat": "bullying",
    "sad": "psychological",
}


class FakeClassifier:
    """Keyword fake: predictable verdicts so dialog tests do not depend on the real model."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def classify(self, text: str, hint_language: Language | None = None) -> Classification:
        self.seen.append(text)
        low = text.lower()
        lang: Language = hint_language or "ru"
        sure = True  # the script says it (the real identifier also weighs cue words)
        if any(ch in low for ch in "әғқңөұүһі"):
            lang = "kk"
        elif any("а" <= ch <= "я" for ch in low):
            lang = "ru"
        elif any("a" <= ch <= "z" for ch in low):
            lang = "en"
        else:
            sure = False
        extra = {"language_sure": sure}
        signals = tuple(sig for word, sig in CRISIS_WORDS.items() if word in low)
        if signals:
            cat = "abuse" if "abuse" in signals else "psychological"
            return Classification(lang, ((cat, 0.9),), "crisis", signals, extra=extra)
        for word, slug in TOPIC_WORDS.items():
            if word in low:
                return Classification(lang, ((slug, 0.8), ("other", 0.1)), "routine", extra=extra)
        if "unsure" in low:
            guesses = (("family", 0.3), ("education", 0.28), ("health", 0.2))
            return Classification(lang, guesses, "routine", confident=False, extra=extra)
        return Classification(lang, (("other", 0.5),), "routine", extra=extra)
