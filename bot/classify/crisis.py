"""Learned crisis detector: sublinear TF-IDF + logistic regression, scored with numpy alone.

The hand-written rules (signals_*.tsv) catch the wordings someone thought of; this model
catches paraphrases they miss. It sees the Cyrillic skeleton of every message (so Kazakh,
Russian, Latin-typed Kazakh/Russian and English share one feature space), character n-grams
(2-5, inside words), word unigrams and bigrams, and the rule and topic hits as ordinary
features. A second, multi-class head names the most likely crisis signal when only the
model fires. Trained by train.py, shipped as plain arrays in data/crisis_model.pkl.
"""

from __future__ import annotations

import math
import pickle
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np

from bot.classify.linear import VocabularyIds, tfidf_logits, tfidf_row

CRISIS_MODEL_PATH = Path(__file__).resolve().parent / "data" / "crisis_model.pkl"
FORMAT_VERSION = 2
CHAR_NGRAMS = (2, 3, 4, 5)
# Name added to the signals when the model, not a rule, raised the crisis.
MODEL_SIGNAL = "model"
# The model alone never raises a crisis on fewer words than this: a greeting ("добрый вечер")
# or a two-word fragment gives it too few features to be trusted (few n-grams, each weighing
# a lot after length normalisation).
MIN_MODEL_WORDS = 3
# On a message with a distance cue (data/distance_cues.tsv: "not urgent", "years ago", a
# research paper) the model alone raises a crisis only this sure; below, a possible risk.
DISTANCED_THRESHOLD = 0.85


def model_may_fire(cyr_skel: str) -> bool:
    """Whether the crisis model alone may raise a crisis on this message."""
    return len(cyr_skel.split()) >= MIN_MODEL_WORDS


def crisis_features(
    cyr_skel: str, signals: Iterable[str] = (), topics: Iterable[str] = ()
) -> list[str]:
    """Features of one message for the crisis model (shared by training and inference).

    `cyr_skel` is normalize.skeleton(text, translit=True), whatever the language.
    """
    toks = cyr_skel.split()
    out = [f"w:{t}" for t in toks]
    out += [f"b:{a}_{b}" for a, b in pairwise(toks)]
    for t in toks:
        padded = f" {t} "
        size = len(padded)
        for n in CHAR_NGRAMS:
            out += [f"c:{padded[i : i + n]}" for i in range(size - n + 1)]
    out += [f"s:{s}" for s in signals]
    out += [f"t:{t}" for t in topics]
    return out


@dataclass(frozen=True)
class CrisisModel:
    vocab: dict[str, int]
    idf: np.ndarray  # (n_features,)
    # Column 0: crisis-vs-not logit weights; columns 1..: one per signal in `signal_classes`.
    coef_t: np.ndarray  # (n_features, 1 + n_signals)
    intercept: np.ndarray  # (1 + n_signals,)
    signal_classes: tuple[str, ...]
    threshold: float  # crisis when P(crisis) >= threshold (and no rule fired)
    # Possible risk (urgent, marked on the staff card) when P(crisis) >= risk_threshold and
    # the message is not a crisis; chosen by cross-validation too (train.py).
    risk_threshold: float

    def __post_init__(self) -> None:
        object.__setattr__(self, "_ids", VocabularyIds(self.vocab, crisis_features))
        # The crisis-vs-not column alone, contiguous: most messages need only P(crisis).
        object.__setattr__(self, "_coef0", np.ascontiguousarray(self.coef_t[:, 0]))

    def feature_ids(
        self, cyr_skel: str, signals: Iterable[str] = (), topics: Iterable[str] = ()
    ) -> list[int]:
        """Vocabulary ids of crisis_features(...) (same multiset), with a per-word cache."""
        ids: VocabularyIds = self._ids  # type: ignore[attr-defined]
        hints = [f"s:{s}" for s in signals] + [f"t:{t}" for t in topics]
        return ids.of_message(cyr_skel.split(), hints)

    def probability(self, ids: list[int]) -> float:
        """P(crisis) for a message's vocabulary ids (see feature_ids); the signal head is
        left out (likely_signal asks it only when the answer needs a name)."""
        if not ids:
            return 1.0 / (1.0 + math.exp(-float(self.intercept[0])))
        idx, vals = tfidf_row(ids, self.idf, sublinear_tf=True)
        coef0: np.ndarray = self._coef0  # type: ignore[attr-defined]
        logit = float(vals @ coef0[idx]) + float(self.intercept[0])
        return 1.0 / (1.0 + math.exp(-logit))

    def likely_signal(self, ids: list[int]) -> str:
        """The most likely crisis signal for a message's vocabulary ids."""
        return self.score_ids(ids)[1]

    def score_ids(self, ids: list[int]) -> tuple[float, str]:
        """P(crisis) and the most likely crisis signal, for a message's vocabulary ids
        (see feature_ids)."""
        logits = tfidf_logits(ids, self.idf, self.coef_t, self.intercept, sublinear_tf=True)
        prob = 1.0 / (1.0 + math.exp(-float(logits[0])))
        signal = self.signal_classes[int(np.argmax(logits[1:]))]
        return prob, signal

    def to_state(self) -> dict[str, Any]:
        return {
            "version": FORMAT_VERSION,
            "vocab": sorted(self.vocab, key=self.vocab.__getitem__),
            "idf": self.idf,
            "coef_t": self.coef_t,
            "intercept": self.intercept,
            "signal_classes": list(self.signal_classes),
            "threshold": self.threshold,
            "risk_threshold": self.risk_threshold,
        }

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> CrisisModel:
        if state.get("version") != FORMAT_VERSION:
            raise ValueError("crisis model file has an unknown format; run bot.classify.train")
        return cls(
            vocab={f: i for i, f in enumerate(state["vocab"])},
            idf=np.asarray(state["idf"], dtype=np.float64),
            coef_t=np.ascontiguousarray(state["coef_t"], dtype=np.float64),
            intercept=np.asarray(state["intercept"], dtype=np.float64),
            signal_classes=tuple(state["signal_classes"]),
            threshold=float(state["threshold"]),
            risk_threshold=float(state["risk_threshold"]),
        )

    def save(self, path: Path = CRISIS_MODEL_PATH) -> None:
        with path.open("wb") as f:
            pickle.dump(self.to_state(), f, protocol=5)

    @classmethod
    def load(cls, path: Path = CRISIS_MODEL_PATH) -> CrisisModel:
        # Our own file, shipped in the package; it holds only lists, floats and numpy arrays.
        with path.open("rb") as f:
            return cls.from_state(pickle.load(f))
