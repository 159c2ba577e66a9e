"""The staff queue is ordered by risk, then waiting time; possible risk shows on the card."""

from __future__ import annotations

import datetime as dt

from bot.classify.classifier import POSSIBLE_RISK
from bot.staff import cards
from bot.staff.queue import by_risk_then_wait, risk_rank
from storage.models import Case

T0 = dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.UTC)


def _case(n: int, urgency: str, minutes_ago: int, signals: tuple[str, ...] = ()) -> Case:
    return Case(
        id=n,
        urgency=urgency,
        reason="message",
        category="psychological",
        signals=list(signals),
        channel="telegram",
        language="ru",
        status="open",
        created_at=T0 - dt.timedelta(minutes=minutes_ago),
    )


def test_queue_is_crisis_then_possible_risk_then_urgent_then_routine_oldest_first() -> None:
    routine = _case(1, "routine", 90)
    urgent_old = _case(2, "urgent", 60)
    urgent_new = _case(3, "urgent", 5)
    risk_new = _case(4, "urgent", 1, ("suicide", "model", POSSIBLE_RISK))
    risk_old = _case(5, "urgent", 30, (POSSIBLE_RISK,))
    crisis = _case(6, "crisis", 0, ("suicide",))
    order = by_risk_then_wait([routine, urgent_old, urgent_new, risk_new, risk_old, crisis])
    assert [c.id for c in order] == [6, 5, 4, 2, 3, 1]
    assert [risk_rank(c) for c in order] == [0, 1, 1, 2, 2, 3]


def test_a_crisis_keeps_its_rank_whatever_its_signals() -> None:
    assert risk_rank(_case(1, "crisis", 0, (POSSIBLE_RISK,))) == 0


def test_the_card_says_possible_risk_in_the_staff_language() -> None:
    case = _case(7, "urgent", 3, ("self_harm", POSSIBLE_RISK))
    text = cards.card(case, [], "ru", T0).text
    assert text.startswith("🟠⚠️ ")
    assert "возможный риск" in text.splitlines()[0]
    plain = cards.card(_case(8, "urgent", 3, ("distress",)), [], "en", T0).text
    assert "possible risk" not in plain.splitlines()[0] and plain.startswith("🟠 ")
