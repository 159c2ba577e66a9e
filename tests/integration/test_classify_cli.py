"""`helpline classify` piped into the dev set's scorer, exactly as the README and issue say."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EVAL_DIR = ROOT / "tests" / "data" / "eval"  # copied into the repo: nothing reads outside it
HELPLINE = Path(sys.executable).with_name("helpline")


def test_classify_cli_feeds_the_scorer() -> None:
    gold = EVAL_DIR / "dev.jsonl"
    with gold.open() as fh:
        classify = subprocess.run(
            [str(HELPLINE), "classify"], stdin=fh, capture_output=True, text=True, timeout=120
        )
    assert classify.returncode == 0, classify.stderr
    lines = classify.stdout.splitlines()
    assert len(lines) == sum(1 for line in gold.read_text().splitlines() if line.strip())
    first = json.loads(lines[0])
    assert set(first) >= {"language", "category", "categories", "urgency"}
    score = subprocess.run(
        [sys.executable, str(EVAL_DIR / "score.py"), str(gold), "/dev/stdin"],
        input=classify.stdout,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "crisis_recall=" in score.stdout and "category_acc=" in score.stdout


def test_classify_ignores_other_fields_and_keeps_order() -> None:
    lines = [
        {"text": "I want to die", "id": 1},
        {"text": "no place in kindergarten", "lang": "en"},
        {"text": "Өлгім келеді"},
    ]
    proc = subprocess.run(
        [str(HELPLINE), "classify"],
        input="\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n",
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    out = [json.loads(x) for x in proc.stdout.splitlines()]
    assert [o["urgency"] for o in out] == ["crisis", "routine", "crisis"]
    assert [o["language"] for o in out] == ["en", "en", "kk"]
