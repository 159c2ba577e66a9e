"""Masking of personal data (issue 8, defect 11): the issue's examples, and recall on the
labelled sets that bench/masking.py reports per kind."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.masking import KINDS, Masker, default_masker, number_kind, rule_spans
from bot.privacy import mask

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.mark.parametrize(
    ("text", "secrets"),
    [
        ("I'm Zhuldyzay Nurlanqyzy, help me", ["Zhuldyzay", "Nurlanqyzy"]),
        ("my name's Aruzhan and I'm 12", ["Aruzhan"]),
        ("пишите zhuldyz собака mail.kz", ["zhuldyz", "mail.kz"]),
        ("aruzhan at gmail dot com", ["aruzhan", "gmail"]),
        ("мой ник zhuldyz_2011", ["zhuldyz_2011"]),
        ("he writes from dark_angel_777", ["dark_angel_777"]),
        ("мой ИИН 140524686846", ["140524686846"]),
        ("ИИН 070205 620754", ["070205", "620754"]),
        ("карта 4400 5145 4752 7729", ["4400", "7729"]),
        ("номер 8 705 123 45 67", ["705", "45 67"]),
        ("я живу на ул. Абая 12, кв 5", ["Абая", "кв 5"]),
        ("Абай көшесі 150 үй, 23 пәтер", ["150", "23 пәтер"]),
        ("меня зовут Жулдызай Нурланкызы", ["Жулдызай", "Нурланкызы"]),
        ("Айгерим обижает меня", ["Айгерим"]),
    ],
)
def test_the_issues_examples_are_masked(text: str, secrets: list[str]) -> None:
    masked = mask(text)
    for secret in secrets:
        assert secret not in masked, masked


@pytest.mark.parametrize(
    "text",
    [
        "мне 12 лет, я учусь в 6 классе",
        "I'm scared and I'm alone",
        "I'm fine now, thank you",
        "Позвоните 112 или 150",
        "мне нужно 5000 тенге на обед",
        "мой брат родился 12.05.2015",
        "It's Monday and I'm Sad",
    ],
)
def test_ordinary_words_and_small_numbers_stay(text: str) -> None:
    assert mask(text) == text


def test_iin_and_card_kinds() -> None:
    assert number_kind("140524686846") == "iin"
    assert number_kind("4400514547527729") == "card"
    assert number_kind("87011234567") == "phone"
    assert number_kind("2015") is None
    assert mask("IIN 140524686846") == "IIN [IIN]"
    assert mask("card 4400514547527729") == "card [card]"


def _rows(name: str) -> list[tuple[str, list[tuple[str, int, int]]]]:
    rows = []
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        spans = []
        for kind, value in row["pii"]:
            start = row["text"].index(value)
            spans.append((kind, start, start + len(value)))
        rows.append((row["text"], spans))
    return rows


def _recall(masker: Masker, name: str) -> dict[str, float]:
    hit = dict.fromkeys(KINDS, 0)
    total = dict.fromkeys(KINDS, 0)
    for text, gold in _rows(name):
        covered = {i for s in masker.spans(text) for i in range(s.start, s.end)}
        for kind, start, end in gold:
            total[kind] += 1
            hit[kind] += all(i in covered for i in range(start, end) if text[i].isalnum())
    return {k: hit[k] / total[k] for k in KINDS if total[k]}


@pytest.mark.parametrize("name", ["pii_labelled.jsonl", "pii_heldout.jsonl"])
def test_recall_per_kind_on_the_labelled_sets(name: str) -> None:
    recall = _recall(default_masker(), name)
    assert set(recall) == set(KINDS)
    assert all(value >= 0.95 for value in recall.values()), recall


def test_airlock_pii_adds_names_the_rules_do_not_catch() -> None:
    """The combination is what ships: without airlock-pii bare given names get through."""
    rules_only = _recall(Masker([rule_spans]), "pii_labelled.jsonl")["name"]
    combined = _recall(default_masker(), "pii_labelled.jsonl")["name"]
    assert combined > rules_only
