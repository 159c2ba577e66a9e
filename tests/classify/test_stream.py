from __future__ import annotations

import io
import json
import subprocess
import sys
import time
from pathlib import Path

from bot.classify import CATEGORIES, Classification, classify_stream, load_classifier

REPO = Path(__file__).resolve().parents[2]


def test_stream_keeps_order_and_format() -> None:
    lines = [
        json.dumps({"id": "a", "text": "хочу умереть", "lang": "ru"}, ensure_ascii=False),
        "",
        json.dumps({"text": "the father refuses to pay maintenance"}),
        "   ",
        json.dumps({"text": "Баламның азаматтығы жоқ"}, ensure_ascii=False),
    ]
    out = io.StringIO()
    n = classify_stream(io.StringIO("\n".join(lines) + "\n"), out)
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert n == 3 == len(rows)
    for row in rows:
        assert {"language", "category", "categories", "urgency", "signals"} <= set(row)
        assert row["category"] == row["categories"][0][0]
        assert {slug for slug, _ in row["categories"]} == set(CATEGORIES)
        scores = [score for _, score in row["categories"]]
        assert scores == sorted(scores, reverse=True)
    assert [r["language"] for r in rows] == ["ru", "en", "kk"]
    assert rows[0]["urgency"] == "crisis" and rows[0]["signals"] == ["suicide"]
    assert rows[1]["category"] == "maintenance" and rows[1]["urgency"] == "routine"
    assert rows[2]["category"] == "civil_rights"


def test_result_type_and_confidence() -> None:
    clf = load_classifier()
    sure = clf.classify("бывший муж не платит алименты")
    assert isinstance(sure, Classification)
    assert sure.category == "maintenance" and sure.confident
    unsure = clf.classify("ну вот")
    assert not unsure.confident
    assert len(unsure.best_guesses(3)) == 3


def test_loader_is_cached() -> None:
    assert load_classifier() is load_classifier()


def test_import_does_no_work() -> None:
    code = "import time; t = time.perf_counter(); import bot.classify; "
    code += "print(time.perf_counter() - t)"
    took = float(
        subprocess.run(
            [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
        ).stdout
    )
    assert took < 0.2


def test_classification_is_fast() -> None:
    clf = load_classifier()
    texts = ["мама бьёт меня", "Өлгім келеді", "I cry all the time"] * 100
    start = time.perf_counter()
    for text in texts:
        clf.classify(text)
    assert (time.perf_counter() - start) / len(texts) < 0.002
