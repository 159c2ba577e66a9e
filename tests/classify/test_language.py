from __future__ import annotations

import pytest

from bot.classify import Classifier


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Баламның азаматтығы жоқ", "kk"),
        ("олгим келеди", "kk"),  # Kazakh typed without Kazakh letters
        ("мен сени жаксы корем", "kk"),
        ("ózimdi óltirgim keledi", "kk"),
        ("ozimdi oltirgim keledi", "kk"),
        ("anam meni uryp jatyr", "kk"),
        ("папам мені күнде ұрады", "kk"),  # mixed: Kazakh grammar wins
        ("мне плохо", "ru"),
        ("у ребёнка нет гражданства", "ru"),
        ("ya ne hochu zhit", "ru"),
        ("menya b'et otec", "ru"),
        ("hochu umeret", "ru"),
        ("I want to die", "en"),
        ("the father refuses to pay maintenance", "en"),
        ("hello", "en"),
    ],
)
def test_language(clf: Classifier, text: str, language: str) -> None:
    assert clf.classify(text).language == language


def test_hint_breaks_ties(clf: Classifier) -> None:
    assert clf.classify("123", hint_language="kk").language == "kk"
    assert clf.classify("123", hint_language="en").language == "en"
