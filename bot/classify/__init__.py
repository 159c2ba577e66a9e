"""Message classifier: language, urgency, crisis signals and consultation category.

clf = load_classifier()
clf.classify("мама бьёт меня").urgency  # "crisis"
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import TextIO

from bot.classify.types import CATEGORIES, Classification, Classifier

__all__ = ["CATEGORIES", "Classification", "Classifier", "classify_stream", "load_classifier"]


@lru_cache(maxsize=1)
def load_classifier() -> Classifier:
    """Load lexicons, language id, the category and crisis models from the package (no network)."""
    from bot.classify.classifier import HelplineClassifier, TextAnalyzer
    from bot.classify.crisis import CrisisModel
    from bot.classify.model import CategoryModel

    return HelplineClassifier(TextAnalyzer(), CategoryModel.load(), CrisisModel.load())


def classify_stream(inp: TextIO, out: TextIO) -> int:
    """JSON lines {"text": ...} in, one classification JSON line out per input, in order."""
    clf = load_classifier()
    n = 0
    for line in inp:
        if not line.strip():
            continue
        text = json.loads(line).get("text") or ""
        out.write(json.dumps(clf.classify(str(text)).to_json(), ensure_ascii=False) + "\n")
        n += 1
    out.flush()
    return n
