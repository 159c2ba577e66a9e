"""Staff actions: duty, claim, release, close (with its form), relay, lists, re-alert sweep.

Every change and the messages it causes are written in one transaction (the outbox).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from bot.dialogs import Context, Event, State, step
from bot.dialogs.menus import CATEGORY_LABELS
from bot.privacy import Identity, mask
from bot.services.locks import KeyedLocks
from bot.staff import outbox_rows as rows
from bot.staff import texts as st
from bot.staff.cards import OUTCOME_LABELS, PROFILE_FIELDS, SERVICE_LABELS
from bot.staff.escalation import Timeouts
from bot.staff.queue import by_risk_then_wait
from storage import Store
from storage.models import Case, aware
from storage.models_staff import StaffMember
from storage.repositories import Repos

PROFILE_ORDER = tuple(PROFILE_FIELDS)
DUTY_CACHE_S = 1.0


@dataclass(slots=True)
class Answer:
    """What to tell the staff member who acted: a staff-text key and its arguments."""

    key: str | None = None
    args: dict[str, Any] = field(default_factory=dict)
    case_id: int | None = None

    @property
    def ok(self) -> bool:
        return self.key is None


class StaffService:
    def __init__(
        self,
        store: Store,
        identity: Identity,
        timeouts: Timeouts | None = None,
        conversation_locks: KeyedLocks | None = None,
    ) -> None:
        self.store = store
        self.identity = identity
        self.timeouts = timeouts or Timeouts()
        # The turn service's per-conversation locks: a claim or close steps the person's
        # dialog, and must not interleave with (and overwrite) a turn of theirs.
        self.conversation_locks = conversation_locks or KeyedLocks()
        # Two buttons pressed at once on one card must not overwrite each other's change
        # (PostgreSQL also locks the row; SQLite has no row locks).
        self._case_locks = KeyedLocks()
        self._duty_cache: tuple[float, bool] | None = None

    def staff_pseudonym(self, staff_user_id: int) -> str:
        return self.identity.pseudonym("staff", str(staff_user_id))

    async def anyone_on_duty(self) -> bool:
        """Asked on every turn; the roster changes rarely, so a second-old answer will do."""
        now = time.monotonic()
        if self._duty_cache is not None and now - self._duty_cache[0] < DUTY_CACHE_S:
            return self._duty_cache[1]
        async with self.store.transaction() as repos:
            answer = await repos.staff.anyone_on_duty()
        self._duty_cache = (now, answer)
        return answer

    async def set_duty(self, staff_user_id: int, on: bool) -> int:
        async with self.store.transaction() as repos:
            member = await repos.staff.get_or_create(self.staff_pseudonym(staff_user_id))
            member.on_duty = on
            self._duty_cache = None
            await repos.audit.add(member.pseudonym, "duty_on" if on else "duty_off", None)
            await repos.session.flush()
            return member.id

    async def on_duty(self) -> list[int]:
        async with self.store.transaction() as repos:
            return [m.id for m in await repos.staff.on_duty()]

    @asynccontextmanager
    async def _case_and_person(self, case_id: int) -> AsyncIterator[Repos]:
        """Lock the case, then its person's conversation (as a turn does), then a transaction.
        Turns never take a case lock, so the order cannot deadlock."""
        async with self._case_locks.hold(str(case_id)):
            async with self.store.transaction() as repos:
                key = await repos.cases.conversation_pseudonym(case_id)
            person = self.conversation_locks.hold(key) if key else contextlib.nullcontext()
            async with person, self.store.transaction() as repos:
                yield repos

    async def claim(self, case_id: int, staff_user_id: int) -> Answer:
        async with self._case_and_person(case_id) as repos:
            member = await repos.staff.get_or_create(self.staff_pseudonym(staff_user_id))
            await repos.session.flush()
            case = await repos.cases.get(case_id, lock=True)
            if case is None:
                return Answer(st.NO_SUCH_CASE, {"number": case_id})
            if case.status == "closed":
                return Answer(st.NOT_OPEN, {"number": case_id})
            now = repos.now()
            if not await repos.cases.try_claim(case_id, str(member.id), now):
                await repos.session.refresh(case)
                return Answer(st.TAKEN, {"number": case_id, "alias": case.claimed_by}, case_id)
            await repos.session.refresh(case)
            if case.intake_id is not None:
                intake = await repos.intakes.get(case.intake_id)
                if intake is not None and intake.time_to_claim_s is None:
                    intake.time_to_claim_s = int((now - aware(case.created_at)).total_seconds())
            await repos.audit.add(member.pseudonym, "claim", case.id)
            await rows.queue_card_edit(repos, case)
            await rows.queue_topic(repos, case)
            await self._tell_user(repos, case, "staff_joined")
            return Answer(case_id=case.id)

    async def release(self, case_id: int, staff_user_id: int) -> Answer:
        async with self._case_locks.hold(str(case_id)), self.store.transaction() as repos:
            case, member, refusal = await self._own_case(repos, case_id, staff_user_id)
            if refusal is not None:
                return refusal
            assert case is not None and member is not None
            wait = rows.timeout_for(case.urgency, self.timeouts.crisis_s, self.timeouts.urgent_s)
            case.status, case.claimed_by, case.claimed_at = "open", None, None
            case.due_at = repos.now() + wait if wait else None
            case.close_draft = None
            await repos.audit.add(member.pseudonym, "release", case.id)
            await rows.queue_card_edit(repos, case)
            return Answer(case_id=case.id)

    async def close_form(
        self, case_id: int, staff_user_id: int, action: str, value: str
    ) -> Answer:
        """Drive the close form on the card: close → categories → service → outcome → profile."""
        async with self._case_and_person(case_id) as repos:
            case, member, refusal = await self._own_case(
                repos, case_id, staff_user_id, open_ok=True
            )
            if refusal is not None:
                return refusal
            assert case is not None and member is not None
            draft = dict(case.close_draft or {})
            stage = draft.get("stage")
            if action == "close":
                draft = {"stage": "categories", "categories": [case.category]}
            elif stage == "categories" and action == "cat" and value in CATEGORY_LABELS:
                chosen = list(draft.get("categories", []))
                draft["categories"] = (
                    [c for c in chosen if c != value] if value in chosen else [*chosen, value]
                )
            elif stage == "categories" and action == "catnext" and draft.get("categories"):
                draft["stage"] = "service"
            elif stage == "service" and action == "svc" and value in SERVICE_LABELS:
                draft["service"], draft["stage"] = value, "outcome"
            elif stage == "outcome" and action == "out" and value in OUTCOME_LABELS:
                draft["outcome"], draft["stage"] = value, PROFILE_ORDER[0]
            elif stage in PROFILE_FIELDS and action == "prof":
                if value in PROFILE_FIELDS[stage][1]:
                    draft[stage] = value
                position = PROFILE_ORDER.index(stage) + 1
                if position == len(PROFILE_ORDER):
                    return await self._close(repos, case, member.pseudonym, draft)
                draft["stage"] = PROFILE_ORDER[position]
            elif stage in PROFILE_FIELDS and action == "profdone":
                return await self._close(repos, case, member.pseudonym, draft)
            # anything else is a stale button from an earlier form: the card is redrawn
            case.close_draft = draft
            await rows.queue_card_edit(repos, case)
            return Answer(case_id=case.id)

    async def close_now(self, case_id: int, staff_user_id: int) -> Answer:
        """/close N: open the form on the card."""
        return await self.close_form(case_id, staff_user_id, "close", "")

    async def _close(self, repos: Repos, case: Case, actor: str, draft: dict[str, Any]) -> Answer:
        now = repos.now()
        case.status, case.closed_at, case.outcome = "closed", now, draft.get("outcome")
        case.close_draft, case.due_at = None, None
        if case.intake_id is not None:
            intake = await repos.intakes.get(case.intake_id)
            if intake is not None:
                intake.categories = list(draft.get("categories") or [case.category])
                intake.service = draft.get("service")
                intake.outcome = draft.get("outcome")
                intake.urgency = case.urgency
                for name in PROFILE_ORDER:
                    if draft.get(name):
                        setattr(intake, name, draft[name])
        await self._tell_user(repos, case, "case_closed")
        case.routing_enc = None  # the queued notice carries its own copy until it is sent
        await repos.audit.add(actor, "close", case.id)
        await rows.queue_card_edit(repos, case)
        return Answer(case_id=case.id)

    async def relay_to_user(
        self, case_id: int, staff_user_id: int, text: str | None, copy_of: int | None
    ) -> Answer:
        async with self.store.transaction() as repos:
            case, _member, refusal = await self._own_case(repos, case_id, staff_user_id)
            if refusal is not None:
                return Answer(st.CLAIM_FIRST, {}, case_id) if refusal.key == st.TAKEN else refusal
            assert case is not None
            if not await rows.queue_to_user(repos, case, text=text, copy_of=copy_of):
                return Answer(st.PERSON_QUIET, {"number": case_id}, case_id)
            if text:
                await repos.cases.add_message(case.id, "staff", mask(text))
            return Answer(case_id=case.id)

    async def case_for_message(self, staff_message_id: int) -> int | None:
        async with self.store.transaction() as repos:
            return await repos.relay.case_for(staff_message_id)

    async def case_for_thread(self, thread_id: int) -> int | None:
        async with self.store.transaction() as repos:
            return await repos.cases.not_closed_in_thread(thread_id)

    async def open_cases(self) -> list[Case]:
        async with self.store.transaction() as repos:
            return by_risk_then_wait(await repos.cases.not_closed())

    async def repost_card(self, case_id: int) -> Answer:
        async with self.store.transaction() as repos:
            case = await repos.cases.get(case_id)
            if case is None:
                return Answer(st.NO_SUCH_CASE, {"number": case_id})
            await rows.queue_card(repos, case, repost=True)
            return Answer(case_id=case.id)

    async def sweep_due(self, now: dt.datetime | None = None) -> int:
        """Re-announce unclaimed crisis and urgent cases past their deadline; tell the
        coordinator. Safe in several processes: due rows are claimed with SKIP LOCKED."""
        async with self.store.transaction() as repos:
            now = now or repos.now()
            due = by_risk_then_wait(await repos.due_cases.due(now))
            for case in due:
                case.realerts += 1
                wait = rows.timeout_for(
                    case.urgency, self.timeouts.crisis_s, self.timeouts.urgent_s
                )
                case.due_at = now + wait if wait else None
                await rows.queue_to_staff(repos, case, "realert")
                await rows.queue_to_coordinator(
                    repos, case, "waiting", f"waiting:{case.id}:{case.realerts}"
                )
            return len(due)

    async def _own_case(
        self, repos: Repos, case_id: int, staff_user_id: int, open_ok: bool = False
    ) -> tuple[Case | None, StaffMember, Answer | None]:
        member = await repos.staff.get_or_create(self.staff_pseudonym(staff_user_id))
        await repos.session.flush()
        case = await repos.cases.get(case_id, lock=True)
        if case is None:
            return None, member, Answer(st.NO_SUCH_CASE, {"number": case_id})
        if case.status == "closed":
            return None, member, Answer(st.NOT_OPEN, {"number": case_id}, case_id)
        if case.status == "open" and open_ok:
            return case, member, None
        if case.status != "claimed" or case.claimed_by != str(member.id):
            alias = case.claimed_by if case.status == "claimed" else None
            key = st.NOT_YOURS if alias else st.CLAIM_FIRST
            return None, member, Answer(key, {"number": case_id, "alias": alias}, case_id)
        return case, member, None

    async def _tell_user(self, repos: Repos, case: Case, what: str) -> None:
        """Run the dialog's system event so the user's state and the notice agree."""
        if case.conversation_id is None:
            return
        conv = await repos.conversations.by_id(case.conversation_id, lock=True)
        if conv is None:
            return
        state, reply = step(State.from_dict(conv.state), Event("system", command=what), Context())
        conv.state = state.to_dict()
        await rows.queue_to_user(repos, case, messages=reply.messages)
