"""Small-cell suppression for one breakdown (pure).

Primary: a count from 1 to k-1 is hidden ("<k"). Zero is shown: it singles nobody out.
Secondary: when the rows of a breakdown add up to a printed total, the hidden rows' sum is
known, and a hidden count can sometimes be worked out from it (one hidden row; or two hidden
rows that must both be 1, or both k-1). Then the smallest shown counts are hidden as well
("×") until no hidden count is determined. If even hiding every row does not do it, the whole
breakdown is withheld.

The reader is assumed to know the rule: a "<k" row holds 1..k-1, and a "×" row holds at least
k and at most the smallest shown count (secondary rows are the smallest ones). Under one sum
constraint with box bounds, each row's feasible values are exactly an integer interval, so
checking its two ends is exact.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum


class Mark(StrEnum):
    SHOWN = "shown"
    SMALL = "small"  # primary: "<k"
    COVER = "cover"  # secondary: "×"
    WITHHELD = "withheld"


def bounds(marks: Sequence[Mark], counts: Sequence[int], k: int) -> list[tuple[int, int]]:
    """What a reader knows of each hidden row, from the rule alone."""
    shown = [c for c, m in zip(counts, marks, strict=True) if m is Mark.SHOWN and c >= k]
    hidden_sum = sum(c for c, m in zip(counts, marks, strict=True) if m is not Mark.SHOWN)
    cover_max = min(shown) if shown else hidden_sum
    return [
        (1, k - 1) if m is Mark.SMALL else (k, cover_max)
        for m in marks
        if m in (Mark.SMALL, Mark.COVER)
    ]


def determined(hidden_sum: int, boxes: Sequence[tuple[int, int]]) -> bool:
    """Whether any hidden row has a single feasible value, given their known sum."""
    if len(boxes) == 1:
        return True
    low_all = sum(lo for lo, _ in boxes)
    high_all = sum(hi for _, hi in boxes)
    for lo, hi in boxes:
        least = max(lo, hidden_sum - (high_all - hi))
        most = min(hi, hidden_sum - (low_all - lo))
        if least >= most:
            return True
    return False


def suppress(counts: Sequence[int], k: int, adds_up: bool) -> list[Mark]:
    """Marks for the rows of one breakdown. `adds_up`: the rows sum to a printed total."""
    marks = [Mark.SMALL if 0 < c < k else Mark.SHOWN for c in counts]
    if not adds_up or k <= 1 or Mark.SMALL not in marks:
        return marks
    while True:
        hidden_sum = sum(c for c, m in zip(counts, marks, strict=True) if m is not Mark.SHOWN)
        if not determined(hidden_sum, bounds(marks, counts, k)):
            return marks
        candidates = [i for i, m in enumerate(marks) if m is Mark.SHOWN and counts[i] > 0]
        if not candidates:
            return [Mark.WITHHELD] * len(counts)
        smallest = min(candidates, key=lambda i: (counts[i], i))
        marks[smallest] = Mark.COVER
