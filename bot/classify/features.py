"""Features of one message for the category model (shared by training and inference)."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import pairwise

CHAR_NGRAMS = (3, 4, 5)
# Signal and topic hints count this many times: among hundreds of n-grams a single hint
# would be drowned by length normalisation (held-out category accuracy 0.74 -> 0.92).
HINT_WEIGHT = 5


def features(skel: str, signals: Iterable[str] = (), topics: Iterable[str] = ()) -> list[str]:
    """Word unigrams and bigrams, character n-grams inside words, lexicon signals and
    topic hints.

    `skel` is the message skeleton (normalize.skeleton), so Kazakh and Russian in either
    alphabet share features; signal features let the model learn e.g. self_harm -> psychological.
    """
    toks = skel.split()
    out: list[str] = []
    for t in toks:
        out += word_features(t)
    out += [f"b:{a}_{b}" for a, b in pairwise(toks)]
    return out + hint_features(signals, topics)


def word_features(word: str) -> list[str]:
    """The features of one word on its own: the word and its character n-grams."""
    out = [f"w:{word}"]
    padded = f" {word} "
    for n in CHAR_NGRAMS:
        out += [f"c:{padded[i : i + n]}" for i in range(len(padded) - n + 1)]
    return out


def hint_features(signals: Iterable[str], topics: Iterable[str]) -> list[str]:
    return [f"s:{s}" for s in signals] * HINT_WEIGHT + [f"t:{t}" for t in topics] * HINT_WEIGHT
