"""Sparse linear models over string features, scored with numpy alone.

Both shipped models (categories and crisis) are TF-IDF + logistic regression trained with
scikit-learn (train.py) and kept as plain arrays; this module holds the run-time half they
share: turning a message's features into vocabulary ids, and ids into logits.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise

import numpy as np


class VocabularyIds:
    """Vocabulary ids of a message's features, with the per-word part cached.

    Words repeat across messages, so each word's own features (the word and its character
    n-grams) are looked up once; bigrams and hints are looked up per message.
    """

    MAX_WORDS = 50_000  # bounded: a few MiB at most

    def __init__(self, vocab: dict[str, int], per_word: Callable[[str], list[str]]) -> None:
        self.vocab = vocab
        self.per_word = per_word
        self._by_word: dict[str, list[int]] = {}

    def of_word(self, word: str) -> list[int]:
        ids = self._by_word.get(word)
        if ids is None:
            vocab = self.vocab
            ids = [i for f in self.per_word(word) if (i := vocab.get(f)) is not None]
            if len(self._by_word) < self.MAX_WORDS:
                self._by_word[word] = ids
        return ids

    def of_message(self, toks: list[str], extra: list[str]) -> list[int]:
        """Ids of every word's features, the bigrams of `toks`, and `extra` features."""
        out: list[int] = []
        for t in toks:
            out += self.of_word(t)
        vocab = self.vocab
        extra = [f"b:{a}_{b}" for a, b in pairwise(toks)] + extra
        out += [i for f in extra if (i := vocab.get(f)) is not None]
        return out


def tfidf_row(
    ids: list[int], idf: np.ndarray, *, sublinear_tf: bool
) -> tuple[np.ndarray, np.ndarray]:
    """The L2-normalised TF-IDF row of `ids` (a multiset of vocabulary ids), as the sorted
    distinct ids and their values."""
    idx, counts = np.unique(np.asarray(ids, dtype=np.int64), return_counts=True)
    tf = 1.0 + np.log(counts) if sublinear_tf else counts
    vals = tf * idf[idx]
    vals /= np.sqrt(vals @ vals)
    return idx, vals


def tfidf_logits(
    ids: list[int],
    idf: np.ndarray,
    coef_t: np.ndarray,
    intercept: np.ndarray,
    *,
    sublinear_tf: bool,
) -> np.ndarray:
    """Logits of the L2-normalised TF-IDF row of `ids` (a multiset of vocabulary ids);
    only the rows of `coef_t` the message uses are gathered."""
    if not ids:
        return intercept.copy()
    idx, vals = tfidf_row(ids, idf, sublinear_tf=sublinear_tf)
    return np.asarray(vals @ coef_t[idx] + intercept)
