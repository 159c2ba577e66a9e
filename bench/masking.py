"""Masking quality on the labelled PII set: precision and recall per kind, for the hand-written
rules, airlock-pii alone, and the combination the product uses.

Recall of a kind: labelled values fully covered by masked spans. Precision of a kind: masked
spans of that kind that overlap some labelled value (a value masked under another kind's label
is still hidden, so recall counts any kind). Also prints the speed of each.
"""

from __future__ import annotations

import json
import re
import time
from collections import Counter
from pathlib import Path

import phonenumbers

from bot.masking import KINDS, Masker, Span, airlock_finder, default_masker, rule_spans

DATA = Path(__file__).resolve().parents[1] / "tests" / "data"
SETS = {
    "labelled (rules were written against it)": DATA / "pii_labelled.jsonl",
    "held out (written before a single run)": DATA / "pii_heldout.jsonl",
}

# The hand-written rules as they were before issue 8, as a baseline.
_OLD_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_OLD_DIGITS = re.compile(r"(?<!\w)\+?\d[\d\s()-]{6,}\d(?!\w)")
_OLD_HANDLE = re.compile(r"(?<!\w)@[A-Za-z][\w]{3,}")
_OLD_ADDRESS = re.compile(
    r"(?i)\b(ул\.?|улица|пр\.?|проспект|мкр\.?|микрорайон|дом|кв\.?|квартира|көшесі|"
    r"ш\.а\.?|үй|пәтер|street|st\.|avenue|ave\.|apt\.?|flat)\s*[\w\"«».-]*\s*\d+[\w/-]*"
    r"(\s*,?\s*(кв\.?|квартира|пәтер|apt\.?|flat|дом|үй)\s*\d+[\w/-]*)?"
)
_OLD_NAME = re.compile(
    r"(?i)(меня зовут|зовут|my name is|i am called|менің атым|атым|фамилия|surname)"
    r"(\s+)([^\W\d_]+)(\s+[^\W\d_]+)?"
)


def old_rules(text: str) -> list[Span]:
    spans = [Span(m.start(), m.end(), "email") for m in _OLD_EMAIL.finditer(text)]
    spans += [Span(m.start, m.end, "phone") for m in phonenumbers.PhoneNumberMatcher(text, "KZ")]
    spans += [Span(m.start(), m.end(), "phone") for m in _OLD_DIGITS.finditer(text)]
    spans += [Span(m.start(), m.end(), "account") for m in _OLD_HANDLE.finditer(text)]
    spans += [Span(m.start(), m.end(), "address") for m in _OLD_ADDRESS.finditer(text)]
    spans += [Span(m.start(3), m.end(), "name") for m in _OLD_NAME.finditer(text)]
    return spans


def load(path: Path) -> list[tuple[str, list[Span]]]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        text = row["text"]
        gold = []
        for kind, value in row["pii"]:
            start = text.index(value)
            gold.append(Span(start, start + len(value), kind))
        out.append((text, gold))
    return out


def score(masker: Masker, rows: list[tuple[str, list[Span]]]) -> dict[str, tuple[float, float]]:
    hit, total, tp, predicted = Counter(), Counter(), Counter(), Counter()
    for text, gold in rows:
        spans = masker.spans(text)
        covered = set()
        for s in spans:
            covered.update(range(s.start, s.end))
        for g in gold:
            total[g.kind] += 1
            # whitespace and punctuation inside a value need not be masked
            core = [i for i in range(g.start, g.end) if text[i].isalnum()]
            hit[g.kind] += all(i in covered for i in core)
        for s in spans:
            predicted[s.kind] += 1
            tp[s.kind] += any(s.start < g.end and g.start < s.end for g in gold)
    out = {}
    for kind in KINDS:
        precision = tp[kind] / predicted[kind] if predicted[kind] else float("nan")
        recall = hit[kind] / total[kind] if total[kind] else float("nan")
        out[kind] = (precision, recall)
    out["all"] = (
        sum(tp.values()) / max(1, sum(predicted.values())),
        sum(hit.values()) / max(1, sum(total.values())),
    )
    return out


def report(title: str, rows: list[tuple[str, list[Span]]], maskers: dict[str, Masker]) -> None:
    counts = Counter(g.kind for _, gold in rows for g in gold)
    print(f"\n{title}: {len(rows)} texts, {sum(counts.values())} values {dict(counts)}")
    print(f"{'kind':9}" + "".join(f"{name:>20}" for name in maskers))
    print(f"{'':9}" + "".join(f"{'precision recall':>20}" for _ in maskers))
    results = {name: score(m, rows) for name, m in maskers.items()}
    for kind in (*KINDS, "all"):
        cells = "".join(
            f"{results[name][kind][0]:>11.2f}{results[name][kind][1]:>9.2f}" for name in maskers
        )
        print(f"{kind:9}{cells}")


def main() -> None:
    maskers = {"before": Masker([old_rules]), "rules": Masker([rule_spans])}
    airlock = airlock_finder()
    if airlock is not None:
        maskers["airlock-pii"] = Masker([airlock])
    maskers["combined"] = default_masker()
    every: list[str] = []
    for title, path in SETS.items():
        rows = load(path)
        every += [t for t, _ in rows]
        report(title, rows, maskers)
    print()
    texts = every * 20
    for name, masker in maskers.items():
        start = time.perf_counter()
        for text in texts:
            masker.mask(text)
        per = (time.perf_counter() - start) / len(texts) * 1e6
        print(f"{name}: {per:.0f} µs per message")


if __name__ == "__main__":
    main()
