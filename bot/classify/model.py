"""Category model: TF-IDF over `features` + multinomial logistic regression.

Trained with scikit-learn (train.py) but shipped as plain arrays in data/category_model.pkl
and scored here with numpy alone, so loading takes milliseconds and one message costs
tens of microseconds instead of sklearn's per-call validation overhead.
"""

from __future__ import annotations

import pickle
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from bot.classify.features import hint_features, word_features
from bot.classify.linear import VocabularyIds, tfidf_logits

MODEL_PATH = Path(__file__).resolve().parent / "data" / "category_model.pkl"
FORMAT_VERSION = 1


@dataclass(frozen=True)
class CategoryModel:
    classes: tuple[str, ...]
    vocab: dict[str, int]
    idf: np.ndarray  # (n_features,)
    coef_t: np.ndarray  # (n_features, n_classes): rows gathered per message
    intercept: np.ndarray  # (n_classes,)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_ids", VocabularyIds(self.vocab, word_features))

    def feature_ids(
        self, skel: str, signals: Iterable[str] = (), topics: Iterable[str] = ()
    ) -> list[int]:
        """Vocabulary ids of features(...) (the same multiset), with a per-word cache."""
        ids: VocabularyIds = self._ids  # type: ignore[attr-defined]
        return ids.of_message(skel.split(), hint_features(signals, topics))

    def predict_ids(self, ids: list[int]) -> list[tuple[str, float]]:
        """Classes with probabilities, best first, for a message's vocabulary ids
        (see feature_ids)."""
        logits = tfidf_logits(ids, self.idf, self.coef_t, self.intercept, sublinear_tf=False)
        logits = np.exp(logits - logits.max())
        probs = logits / logits.sum()
        order = np.argsort(-probs, kind="stable")
        return [(self.classes[i], float(probs[i])) for i in order]

    def to_state(self) -> dict[str, Any]:
        vocab = sorted(self.vocab, key=self.vocab.__getitem__)
        return {
            "version": FORMAT_VERSION,
            "classes": list(self.classes),
            "vocab": vocab,
            "idf": self.idf,
            "coef_t": self.coef_t,
            "intercept": self.intercept,
        }

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> CategoryModel:
        if state.get("version") != FORMAT_VERSION:
            raise ValueError("category model file has an unknown format; run bot.classify.train")
        return cls(
            classes=tuple(state["classes"]),
            vocab={f: i for i, f in enumerate(state["vocab"])},
            idf=np.asarray(state["idf"], dtype=np.float64),
            coef_t=np.asarray(state["coef_t"], dtype=np.float64),
            intercept=np.asarray(state["intercept"], dtype=np.float64),
        )

    def save(self, path: Path = MODEL_PATH) -> None:
        with path.open("wb") as f:
            pickle.dump(self.to_state(), f, protocol=5)

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> CategoryModel:
        # Our own file, shipped in the package; it holds only lists and numpy arrays.
        with path.open("rb") as f:
            return cls.from_state(pickle.load(f))
