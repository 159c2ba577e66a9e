"""The order staff see open cases in: by risk, then by waiting time (SPEC section 4).

Crisis first, then urgent cases marked "possible risk" (the classifier was unsure whether
it is a crisis, data/policy.md), then other urgent cases, then routine; within a level,
whoever has waited longest comes first.
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.classify.classifier import POSSIBLE_RISK
from storage.models import Case, aware


def is_possible_risk(case: Case) -> bool:
    return case.urgency == "urgent" and POSSIBLE_RISK in (case.signals or ())


def risk_rank(case: Case) -> int:
    """0 is the most urgent."""
    if case.urgency == "crisis":
        return 0
    if case.urgency == "urgent":
        return 1 if is_possible_risk(case) else 2
    return 3


def by_risk_then_wait(cases: Iterable[Case]) -> list[Case]:
    return sorted(cases, key=lambda c: (risk_rank(c), aware(c.created_at), c.id))
