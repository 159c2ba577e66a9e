"""Classifier scores: corpus held-out split, our blind sets and the dev set (all in tests/data).

python -m bot.classify.evaluate [--show-misses]
"""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.classify import classify_stream, load_classifier
from bot.classify.classifier import POSSIBLE_RISK
from bot.classify.train import load_corpus

BLIND_DIR = Path(__file__).resolve().parents[2] / "tests" / "data"
# The project's development set and its scorer, copied verbatim into the repository so that a
# bare clone scores itself (nothing here reads outside the repository).
DEV_SET = BLIND_DIR / "eval" / "dev.jsonl"
SCORER = BLIND_DIR / "eval" / "score.py"
# Rules were tuned on them and since the crisis model they are copied into corpus.jsonl's
# train split ("source" field): they no longer measure generalisation, only fit. The honest
# checks are the corpus held-out split and `python -m bot.classify.train --cv`.
# blind7.jsonl (hard cases on purpose) first scored 0.925 / 0.156 / 0.904; then rules were added
# for the families of its misses and false alarms and its lines joined the train split.
# blind9.jsonl (150 crisis lines, hard negatives) the same way: first score 0.987 / 0.211 / 0.912;
# blind10.jsonl (dev.jsonl's style) too: first score 0.955 / 0.090 / 0.900 (the session-1
# classifier: 0.939 / 0.118 / 0.886). blind11.jsonl (90 crises said indirectly) too: first score
# 0.944 / 0.215 / 0.882.
# blind13.jsonl (230, short, Latin script, code-mixed, capitals) and blind14.jsonl (230, long
# and rambling, parents and teachers, crises said indirectly), written from SPEC alone, were
# scored once with the classifier of 71027d8 before anything changed (crisis recall / "crisis
# or possible risk" recall at the possible-risk threshold later chosen, 0.17 / false crisis
# alarms / category / language):
#   blind13: 0.946 (88/93) / 0.968 (90/93) / 0.109 (15/137) / 0.896 / 1.000
#   blind14: 0.989 (91/92) / 1.000 (92/92) / 0.391 (54/138) / 0.761 / 1.000
# Then rules and the policy (data/policy.md) were written for the families of their misses and
# false alarms, and their lines joined the train split.
BLIND_SETS = (
    BLIND_DIR / "blind13.jsonl",
    BLIND_DIR / "blind14.jsonl",
    BLIND_DIR / "blind.jsonl",
    BLIND_DIR / "blind2.jsonl",
    BLIND_DIR / "blind7.jsonl",
    BLIND_DIR / "blind9.jsonl",
    BLIND_DIR / "blind10.jsonl",
    BLIND_DIR / "blind11.jsonl",
)
# blind3.jsonl was read after scoring it: rules and corpus lines were written for the families
# of its misses (not copies of its lines, which stay out of corpus.jsonl). Contaminated too.
# blind4.jsonl the same way (first score: recall 0.962, FPR 0.167, category 0.900).
TUNED_SETS = (BLIND_DIR / "blind3.jsonl", BLIND_DIR / "blind4.jsonl")
# blind5.jsonl chose the false-alarm budget of train.py (first score 0.936 / 0.099 / 0.875);
# blind6.jsonl and blind8.jsonl (dev.jsonl's style, written by someone who never saw the
# classifier or its data) have influenced nothing: their lines were never read. They are the
# honest estimate. blind8 scored 0.933 / 0.071 / 0.940 before the blind7 round, 0.967 / 0.043 /
# 0.950 after it.
THRESHOLD_SET = BLIND_DIR / "blind5.jsonl"
# blind12.jsonl the same: scored after the blind11 round, 0.985 / 0.117 / 0.924 (the session-1
# classifier: 0.985 / 0.145 / 0.905).
UNTOUCHED_SETS = (
    BLIND_DIR / "blind6.jsonl",
    BLIND_DIR / "blind8.jsonl",
    BLIND_DIR / "blind12.jsonl",
)
# blind15.jsonl (210, written from SPEC alone at the same time as blind13/14): its lines were
# never read; scored at the end of the blind13/14 round (see README): crisis recall 0.865
# (64/74), crisis or possible risk 0.878 (65/74), false alarms 0.140 (19/136), category 0.810,
# language 0.995 - below the targets. Only its scores are printed, never its misses, and no
# test holds it to targets (a failing assertion would print its lines).
FRESH_UNTOUCHED = BLIND_DIR / "blind15.jsonl"


@dataclass
class Scores:
    n: int = 0
    tp: int = 0
    fn: int = 0
    fp: int = 0
    tn: int = 0
    risk_tp: int = 0  # crises marked crisis or possible risk (what the staff see first)
    category_ok: int = 0
    language_ok: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def risk_recall(self) -> float:
        return self.risk_tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def fpr(self) -> float:
        return self.fp / (self.fp + self.tn) if self.fp + self.tn else 0.0

    @property
    def category(self) -> float:
        return self.category_ok / self.n if self.n else 0.0

    @property
    def language(self) -> float:
        return self.language_ok / self.n if self.n else 0.0

    def line(self, name: str) -> str:
        return (
            f"{name:<10} n={self.n:<4} crisis_recall={self.recall:.3f}"
            f" ({self.tp}/{self.tp + self.fn})"
            f" crisis_or_risk_recall={self.risk_recall:.3f} ({self.risk_tp}/{self.tp + self.fn})"
            f" crisis_fpr={self.fpr:.3f} ({self.fp}/{self.fp + self.tn})"
            f" category_acc={self.category:.3f} language_acc={self.language:.3f}\n"
        )


def score_rows(rows: list[dict[str, Any]]) -> dict[str, Scores]:
    """Scores overall ("all") and per gold language / kind of text."""
    clf = load_classifier()
    out: dict[str, Scores] = defaultdict(Scores)
    for row in rows:
        result = clf.classify(row["text"])
        gold_cats = row.get("categories") or [row["category"]]
        gold_langs = row.get("langs") or [row["lang"]]
        said = result.is_crisis
        risk = said or POSSIBLE_RISK in result.signals
        c_ok, l_ok = result.category in gold_cats, result.language in gold_langs
        groups = ["all", row["lang"]]
        if row.get("kind", "plain") != "plain":
            groups.append(row["kind"])
        for g in groups:
            s = out[g]
            s.n += 1
            s.tp += said and row["crisis"]
            s.risk_tp += risk and row["crisis"]
            s.fn += (not said) and row["crisis"]
            s.fp += said and not row["crisis"]
            s.tn += (not said) and not row["crisis"]
            s.category_ok += c_ok
            s.language_ok += l_ok
        if said != row["crisis"] or not c_ok or not l_ok:
            out["all"].misses.append(
                f"  miss crisis={row['crisis']} cat={gold_cats} lang={gold_langs} -> "
                f"{result.urgency} {result.category} {result.language} {list(result.signals)}"
                f" | {row['text']}\n"
            )
    return out


def report_heldout(show_misses: bool) -> None:
    rows = [r for r in load_corpus() if r.get("split") == "test"]
    scores = score_rows(rows)
    sys.stdout.write(f"Held-out split of bot/classify/data/corpus.jsonl ({len(rows)} messages)\n")
    for name in ("all", "kk", "ru", "en", "mixed", "latin"):
        if name in scores:
            sys.stdout.write(scores[name].line(name))
    if show_misses:
        sys.stdout.writelines(scores["all"].misses)


def report_blind(show_misses: bool) -> None:
    for path in (*BLIND_SETS, *TUNED_SETS, THRESHOLD_SET, *UNTOUCHED_SETS, FRESH_UNTOUCHED):
        if not path.exists():
            continue
        with path.open(encoding="utf-8") as f:
            rows = [json.loads(line) for line in f if line.strip()]
        scores = score_rows(rows)
        how = (
            "now trained on"
            if path in BLIND_SETS
            else "rules tuned on its misses"
            if path in TUNED_SETS
            else "chose the false-alarm budget"
            if path == THRESHOLD_SET
            else "untouched"
        )
        unread = path in UNTOUCHED_SETS or path == FRESH_UNTOUCHED
        sys.stdout.write(f"\nBlind set {path.name} ({len(rows)} messages, {how})\n")
        for name in ("all", "kk", "ru", "en"):
            if name in scores:
                sys.stdout.write(scores[name].line(name))
        if show_misses and not unread:
            sys.stdout.writelines(scores["all"].misses)


def report_dev(show_misses: bool) -> int:
    if not DEV_SET.exists() or not SCORER.exists():
        sys.stdout.write(f"\nDEV SET MISSING: {DEV_SET} or {SCORER.name} is not in the checkout\n")
        return 1
    with DEV_SET.open(encoding="utf-8") as f:
        gold = [json.loads(line) for line in f if line.strip()]
    sys.stdout.write(f"\n{DEV_SET} (scored by {SCORER.name})\n")
    per_lang = score_rows(gold)
    for name in ("kk", "ru", "en"):
        if name in per_lang:
            sys.stdout.write(per_lang[name].line(name))
    pred = io.StringIO()
    with DEV_SET.open(encoding="utf-8") as f:
        classify_stream(f, pred)
    cmd = [sys.executable, str(SCORER), str(DEV_SET), "/dev/stdin"]
    cmd += ["--min-recall", "1.0", "--max-fpr", "0.10", "--min-category", "0.90"]
    cmd += ["--min-language", "0.98"] + (["--show-misses"] if show_misses else [])
    done = subprocess.run(cmd, input=pred.getvalue(), capture_output=True, text=True, check=False)
    sys.stdout.write(done.stdout + done.stderr)
    sys.stdout.write("dev thresholds met\n" if done.returncode == 0 else "DEV THRESHOLDS MISSED\n")
    return done.returncode


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Classifier scores")
    ap.add_argument("--show-misses", action="store_true")
    args = ap.parse_args(argv)
    report_heldout(args.show_misses)
    report_blind(args.show_misses)
    return report_dev(args.show_misses)


if __name__ == "__main__":
    raise SystemExit(main())
