"""The clinician-edited data files stay valid and every rule's example still fires it."""

from __future__ import annotations

import pytest

from bot.classify import Classifier
from bot.classify.lexicon import DATA_DIR, load_signal_levels, parse_rules

SIGNAL_FILES = ("signals_kk.tsv", "signals_ru.tsv", "signals_en.tsv")
CRISIS_SIGNALS = {
    "suicide",
    "self_harm",
    "abuse_physical",
    "abuse_sexual",
    "sextortion",
    "violence",
    "missing_runaway",
    "forced_labour",
    "neglect_now",
}


def examples() -> list[tuple[str, int, str, str]]:
    out = []
    for name in SIGNAL_FILES:
        for n, line in enumerate((DATA_DIR / name).read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip() or line.startswith(("#", "@")):
                continue
            cols = line.split("\t")
            if len(cols) >= 3 and cols[2].strip():
                out.append((name, n, cols[0].lstrip("!"), cols[2].strip()))
    return out


def test_every_crisis_signal_has_rules_in_every_language() -> None:
    levels = load_signal_levels()
    assert {s for s, (level, _) in levels.items() if level == "crisis"} == CRISIS_SIGNALS
    for name in SIGNAL_FILES:
        with (DATA_DIR / name).open(encoding="utf-8") as f:
            rules = parse_rules(f, name, translit=name != "signals_en.tsv")
        assert {r.signal for r in rules} >= CRISIS_SIGNALS, name


@pytest.mark.parametrize(("name", "line", "signal", "example"), examples())
def test_rule_example_fires(
    clf: Classifier, name: str, line: int, signal: str, example: str
) -> None:
    result = clf.classify(example)
    if signal == "safe":
        assert not result.is_crisis, f"{name}:{line} {example!r} -> {result.signals}"
    else:
        assert signal in result.signals, f"{name}:{line} {example!r} -> {result.signals}"


def test_bad_patterns_are_reported_with_their_line() -> None:
    with pytest.raises(ValueError, match=r"x\.tsv:2"):
        parse_rules(["# header", "suicide\tхочу (умереть|(жить))"], "x.tsv", True)
    with pytest.raises(ValueError, match="unknown suffix class"):
        parse_rules(["suicide\tөл<nope>"], "x.tsv", True)
