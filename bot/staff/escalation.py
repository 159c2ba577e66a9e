"""Hooks the turn service calls inside its transaction when a case opens or the user writes."""

from __future__ import annotations

from dataclasses import dataclass

from bot.staff import outbox_rows as rows
from storage.models import Case, aware
from storage.repositories import Repos


@dataclass(frozen=True, slots=True)
class Timeouts:
    crisis_s: int = 120
    urgent_s: int = 1800


class Escalations:
    def __init__(self, timeouts: Timeouts | None = None) -> None:
        self.timeouts = timeouts or Timeouts()

    async def case_opened(self, repos: Repos, case: Case, on_duty: bool) -> None:
        """The card goes out at once; crisis and urgent cases get a claim deadline."""
        wait = rows.timeout_for(case.urgency, self.timeouts.crisis_s, self.timeouts.urgent_s)
        case.due_at = repos.now() + wait if wait else None
        await rows.queue_card(repos, case)
        if not on_duty and case.urgency in ("crisis", "urgent"):
            await rows.queue_to_coordinator(repos, case, "nobody", f"nobody:{case.id}")

    async def case_raised(self, repos: Repos, case: Case) -> None:
        """An open case became more urgent (a crisis after a left message)."""
        wait = rows.timeout_for(case.urgency, self.timeouts.crisis_s, self.timeouts.urgent_s)
        if case.status == "open" and wait is not None:
            deadline = repos.now() + wait
            case.due_at = min(aware(case.due_at), deadline) if case.due_at else deadline
        await rows.queue_card_edit(repos, case)

    async def user_wrote(self, repos: Repos, case: Case, masked: str) -> None:
        if case.status == "claimed":
            await rows.queue_to_staff(repos, case, "relay_in", masked)
        else:
            await rows.queue_card_edit(repos, case)

    async def opted_out(self, repos: Repos, conversation_id: int, stopped: bool) -> None:
        """The person sent STOP (or START again): their open cases' cards say so."""
        for case in await repos.cases.open_of_conversation(conversation_id):
            await rows.mark_delivery(repos, case, "opted_out" if stopped else None)
