"""Every example of the written urgency policy (bot/classify/data/policy.md) against the
classifier: the policy a clinician reads is the one the code applies."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.classify import Classifier
from bot.classify.classifier import POSSIBLE_RISK

POLICY = Path(__file__).resolve().parents[2] / "bot" / "classify" / "data" / "policy.md"
_EXAMPLE = re.compile(r"^- (crisis|not crisis|possible risk) · (kk|ru|en) · (.+)$")


def _examples() -> list[tuple[str, str, str, str]]:
    """(section, level, language, text) of every example line."""
    out: list[tuple[str, str, str, str]] = []
    section = ""
    for line in POLICY.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            section = line[3:].strip()
        elif m := _EXAMPLE.match(line):
            out.append((section, m.group(1), m.group(2), m.group(3)))
    return out


EXAMPLES = _examples()


def _in(section_start: str) -> list[tuple[str, str, str]]:
    return [(lvl, lang, t) for s, lvl, lang, t in EXAMPLES if s.startswith(section_start)]


def test_the_policy_has_examples_in_three_languages_for_each_decision() -> None:
    for level in ("crisis", "not crisis"):
        assert {lang for _, lvl, lang, _ in EXAMPLES if lvl == level} == {"kk", "ru", "en"}
    assert len(_in("Lethal means")) >= 10 and len(_in("Figurative speech")) >= 10


@pytest.mark.parametrize(("level", "lang", "text"), _in("Lethal means"))
def test_each_lethal_means_line_is_a_crisis(
    clf: Classifier, level: str, lang: str, text: str
) -> None:
    assert level == "crisis"
    result = clf.classify(text)
    assert result.is_crisis, (result.urgency, result.signals, result.extra)


@pytest.mark.parametrize(("level", "lang", "text"), _in("Figurative speech"))
def test_each_figurative_line_is_no_crisis(
    clf: Classifier, level: str, lang: str, text: str
) -> None:
    assert level == "not crisis"
    result = clf.classify(text)
    assert not result.is_crisis, (result.signals, result.extra)


@pytest.mark.parametrize(("section", "level", "lang", "text"), EXAMPLES)
def test_every_policy_example(
    clf: Classifier, section: str, level: str, lang: str, text: str
) -> None:
    result = clf.classify(text)
    assert result.language == lang, (text, result.language)
    if level == "crisis":
        assert result.is_crisis, (text, result.urgency, result.signals, result.extra)
    else:
        assert not result.is_crisis, (text, result.signals, result.extra)
    if level == "possible risk":
        assert result.urgency == "urgent" and POSSIBLE_RISK in result.signals, result.signals
