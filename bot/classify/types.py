"""What a classifier returns, and the slugs it may use (SPEC sections 4 and 5)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

Language = Literal["kk", "ru", "en"]
Urgency = Literal["crisis", "urgent", "routine"]

LANGUAGES: tuple[Language, ...] = ("kk", "ru", "en")
URGENCIES: tuple[Urgency, ...] = ("crisis", "urgent", "routine")

# Stable slugs: used in code, storage, statistics and evaluation sets. Never rename one.
CATEGORIES: tuple[str, ...] = (
    "family",
    "maintenance",
    "social_security",
    "education",
    "health",
    "property",
    "civil_rights",
    "custody",
    "parental_rights",
    "abuse",
    "disability",
    "care_institutions",
    "psychological",
    "bullying",
    "child_labor",
    "justice",
    "other",
)

# The service a category most often needs; the dialog proposes it to parents.
SERVICE_FOR_CATEGORY: dict[str, str] = {
    "family": "psychological",
    "maintenance": "legal",
    "social_security": "social",
    "education": "legal",
    "health": "social",
    "property": "legal",
    "civil_rights": "legal",
    "custody": "legal",
    "parental_rights": "legal",
    "abuse": "psychological",
    "disability": "social",
    "care_institutions": "social",
    "psychological": "psychological",
    "bullying": "psychological",
    "child_labor": "social",
    "justice": "legal",
    "other": "psychological",
}


@dataclass(frozen=True, slots=True)
class Classification:
    """The classifier's verdict on one message.

    `categories` is ranked best first with scores in [0, 1]; `signals` names the crisis
    signals that fired (e.g. "suicide", "abuse_physical") so staff can see why.
    `confident` is False when the top category is too close to call; the dialog then
    asks the user to pick from the best guesses.
    """

    language: Language
    categories: tuple[tuple[str, float], ...]
    urgency: Urgency
    signals: tuple[str, ...] = ()
    confident: bool = True
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def category(self) -> str:
        return self.categories[0][0] if self.categories else "other"

    @property
    def is_crisis(self) -> bool:
        return self.urgency == "crisis"

    def best_guesses(self, n: int = 3) -> list[str]:
        return [slug for slug, _ in self.categories[:n]]

    def to_json(self) -> dict[str, Any]:
        return {
            "language": self.language,
            "category": self.category,
            "categories": [[slug, round(score, 4)] for slug, score in self.categories],
            "urgency": self.urgency,
            "signals": list(self.signals),
            "confident": self.confident,
        }


class Classifier(Protocol):
    """Anything that classifies one message. Pure: no I/O after loading."""

    def classify(self, text: str, hint_language: Language | None = None) -> Classification:
        """`hint_language` is the conversation's current language, used only as a tie-breaker."""
        ...
