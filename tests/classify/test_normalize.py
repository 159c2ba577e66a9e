from __future__ import annotations

import pytest

from bot.classify.normalize import fold, skeleton


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Өзімді өлтіргім келеді", "ózimdi óltirgim keledi"),  # 2021 Latin with diacritics
        ("Өзімді өлтіргім келеді", "ozimdi oltirgim keledi"),  # informal Latin
        ("Өзімді өлтіргім келеді", "озимди олтиргим келеди"),  # Cyrillic without kk letters
        ("жасағым келмейді", "zhasagym kelmeidi"),
        ("қызым", "qyzym"),
        ("я не хочу жить", "ya ne hochu zhit"),
        ("меня бьёт отец", "menya b'et otec"),
        ("хочу умереть", "hochu umeret"),
        ("помогите", "помогитееее"),
        ("ЁЛКА", "елка"),
    ],
)
def test_spellings_share_a_skeleton(a: str, b: str) -> None:
    assert skeleton(a) == skeleton(b)


def test_fold_is_nfkc_and_lower() -> None:
    assert fold("ＡБВ Ё") == "aбв е"


def test_hyphen_splits_words() -> None:
    assert skeleton("өзін-өзі") == skeleton("өзін өзі")


def test_english_stays_latin_without_translit() -> None:
    assert skeleton("I don't want to LIVE", translit=False) == "i dont want to live"
