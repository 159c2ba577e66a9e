"""Callback requests, the staff side: Take · Called · No answer · Reschedule · Cancel, the
'due now' and reminder sweep, /callbacks, and /refer. Each action, its audit entry and the
messages it causes are one transaction (the outbox).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from bot.dialogs import slots as sl
from bot.directory import Directory, Entry
from bot.privacy import Identity
from bot.services.callbacks import CallbackBook
from bot.services.locks import KeyedLocks
from bot.staff import callback_rows as rows
from bot.staff import callback_texts as ct
from bot.staff import outbox_rows
from storage import Store
from storage.models import Callback, aware
from storage.repositories import Repos

NO_ANSWER_LIMIT = 2  # after the second unanswered call the parent picks another time


@dataclass(slots=True)
class DeskAnswer:
    """What to tell the staff member who acted: a text key and its arguments, or ok."""

    key: str | None = None
    args: dict[str, Any] = field(default_factory=dict)
    callback: Callback | None = None
    phone: str | None = None  # Take / Show number only: for the taker's eyes, never logged
    offered: list[str] = field(default_factory=list)  # Reschedule: the slots to choose from

    @property
    def ok(self) -> bool:
        return self.key is None


class CallbackDesk:
    def __init__(
        self, store: Store, identity: Identity, book: CallbackBook, directory: Directory
    ) -> None:
        self.store = store
        self.identity = identity
        self.book = book
        self.directory = directory
        self._locks = KeyedLocks()  # two buttons on one card at once (SQLite has no row locks)

    def _pseudonym(self, staff_user_id: int) -> str:
        return self.identity.pseudonym("staff", str(staff_user_id))

    async def _load(
        self, repos: Repos, cb_id: int, staff_user_id: int, *, need_taker: bool
    ) -> tuple[Callback | None, str, str, DeskAnswer | None]:
        member = await repos.staff.get_or_create(self._pseudonym(staff_user_id))
        await repos.session.flush()
        cb = await repos.callbacks.get(cb_id, lock=True)
        me = str(member.id)
        if cb is None or cb.status == "draft":
            return None, me, member.pseudonym, DeskAnswer(ct.CB_NO_SUCH, {"number": cb_id})
        if cb.status in ("done", "cancelled"):
            return None, me, member.pseudonym, DeskAnswer(ct.CB_NOT_OPEN, {"number": cb_id})
        if cb.status == "taken" and cb.taken_by != me:
            refusal = DeskAnswer(ct.CB_TAKEN, {"number": cb_id, "alias": cb.taken_by})
            return None, me, member.pseudonym, refusal
        if need_taker and cb.status != "taken":
            key = ct.CB_WAITING_PARENT if cb.status == "waiting" else ct.CB_TAKE_FIRST
            return None, me, member.pseudonym, DeskAnswer(key, {"number": cb_id})
        return cb, me, member.pseudonym, None

    async def take(self, cb_id: int, staff_user_id: int) -> DeskAnswer:
        """Take it (or, for the taker, show the number again). Only the taker gets the number."""
        async with self._locks.hold(str(cb_id)), self.store.transaction() as repos:
            cb, me, actor, refusal = await self._load(
                repos, cb_id, staff_user_id, need_taker=False
            )
            if refusal is not None:
                return refusal
            assert cb is not None
            if cb.status == "waiting":
                return DeskAnswer(ct.CB_WAITING_PARENT, {"number": cb_id})
            if cb.status == "pending":
                cb.status, cb.taken_by = "taken", me
                await repos.audit.add(actor, "cb_take", None, cb.id)
                await rows.queue_edit(repos, cb)
            phone = self.identity.decrypt(cb.phone_enc) if cb.phone_enc else None
            return DeskAnswer(callback=cb, phone=phone)

    async def called(self, cb_id: int, staff_user_id: int) -> DeskAnswer:
        """The call was made: the intake record gets its service and outcome; the number goes."""
        async with self._locks.hold(str(cb_id)), self.store.transaction() as repos:
            cb, _me, actor, refusal = await self._load(
                repos, cb_id, staff_user_id, need_taker=True
            )
            if refusal is not None:
                return refusal
            assert cb is not None
            await self.book.tell_parent(repos, cb, "callback_done")
            await self.book.close(repos, cb, "done", outcome="consulted")
            await repos.audit.add(actor, "cb_called", None, cb.id)
            await rows.queue_edit(repos, cb)
            return DeskAnswer(callback=cb)

    async def no_answer(self, cb_id: int, staff_user_id: int) -> DeskAnswer:
        async with self._locks.hold(str(cb_id)), self.store.transaction() as repos:
            cb, _me, actor, refusal = await self._load(
                repos, cb_id, staff_user_id, need_taker=True
            )
            if refusal is not None:
                return refusal
            assert cb is not None
            cb.no_answers += 1
            await repos.audit.add(actor, "cb_no_answer", None, cb.id)
            if cb.no_answers >= NO_ANSWER_LIMIT:
                cb.status, cb.taken_by = "waiting", None
                await self.book.tell_parent(repos, cb, "callback_no_answer")
            await rows.queue_edit(repos, cb)
            return DeskAnswer(callback=cb)

    async def reschedule_options(self, cb_id: int, staff_user_id: int) -> DeskAnswer:
        async with self.store.transaction() as repos:
            cb, _me, _actor, refusal = await self._load(
                repos, cb_id, staff_user_id, need_taker=False
            )
            if refusal is not None:
                return refusal
            offered = sl.upcoming(self.book.schedule, self.book.clock())
            if not offered:
                return DeskAnswer(ct.CB_NO_SLOTS)
            return DeskAnswer(callback=cb, offered=offered)

    async def reschedule(self, cb_id: int, staff_user_id: int, slot: str) -> DeskAnswer:
        async with self._locks.hold(str(cb_id)), self.store.transaction() as repos:
            cb, _me, actor, refusal = await self._load(
                repos, cb_id, staff_user_id, need_taker=False
            )
            if refusal is not None:
                return refusal
            assert cb is not None
            now = self.book.clock()
            if not sl.is_slot(slot) or sl.has_started(slot, self.book.schedule, now):
                return DeskAnswer(ct.CB_SLOT_GONE)
            cb.slot, cb.window = slot, slot.split("-", 1)[1]
            cb.slot_start, cb.slot_end = sl.bounds(slot, self.book.schedule)
            cb.due_announced = False
            cb.reminded = cb.slot_start - self.book.reminder_lead <= now
            if cb.status == "waiting":
                cb.status, cb.no_answers = "pending", 0
            await repos.audit.add(actor, "cb_reschedule", None, cb.id)
            await self.book.tell_parent(repos, cb, "callback_moved", slot)
            await rows.queue_edit(repos, cb)
            return DeskAnswer(callback=cb)

    async def cancel(self, cb_id: int, staff_user_id: int) -> DeskAnswer:
        async with self._locks.hold(str(cb_id)), self.store.transaction() as repos:
            cb, _me, actor, refusal = await self._load(
                repos, cb_id, staff_user_id, need_taker=False
            )
            if refusal is not None:
                return refusal
            assert cb is not None
            await self.book.tell_parent(repos, cb, "callback_cancelled")
            await self.book.close(repos, cb, "cancelled", outcome="no_contact")
            await repos.audit.add(actor, "cb_cancel", None, cb.id)
            await rows.queue_edit(repos, cb)
            return DeskAnswer(callback=cb)

    async def today_and_overdue(self) -> list[Callback]:
        now = self.book.clock()
        zone = self.book.schedule.zone
        tomorrow = now.astimezone(zone).date() + dt.timedelta(days=1)
        until = dt.datetime.combine(tomorrow, dt.time(), zone).astimezone(dt.UTC)
        async with self.store.transaction() as repos:
            return await repos.callbacks.scheduled_before(until)

    async def sweep(self) -> int:
        """Remind parents shortly before their slot; post the 'due now' card when a slot opens
        and tell the coordinator when nobody is on shift. Safe in several processes."""
        now = self.book.clock()
        done = 0
        async with self.store.transaction() as repos:
            for cb in await repos.callbacks.to_remind(now + self.book.reminder_lead):
                cb.reminded = True
                if cb.slot_end is not None and aware(cb.slot_end) > now:
                    await self.book.tell_parent(repos, cb, "callback_reminder")
                    done += 1
            due = await repos.callbacks.due(now)
            nobody = bool(due) and not await repos.staff.anyone_on_duty()
            for cb in due:
                cb.due_announced = True
                await rows.queue_due(repos, cb)
                if nobody:
                    await rows.queue_coordinator(repos, cb)
                done += 1
        return done

    # --- /refer -------------------------------------------------------------------------------

    async def referrals_for(self, case_id: int) -> tuple[DeskAnswer, list[Entry]]:
        async with self.store.transaction() as repos:
            case = await repos.cases.get(case_id)
            if case is None:
                return DeskAnswer("no_case", {"number": case_id}), []
            return DeskAnswer(), self.directory.matching(case.category, case.region, limit=10)

    async def refer(self, case_id: int, staff_user_id: int, entry: Entry, text: str) -> DeskAnswer:
        """Send one entry, already rendered in the person's language, to a claimed case."""
        async with self.store.transaction() as repos:
            member = await repos.staff.get_or_create(self._pseudonym(staff_user_id))
            await repos.session.flush()
            case = await repos.cases.get(case_id)
            if case is None or case.status != "claimed" or case.claimed_by != str(member.id):
                return DeskAnswer("not_yours", {"number": case_id})
            await outbox_rows.queue_to_user(repos, case, text=text)
            await repos.audit.add(member.pseudonym, "refer", case.id)
            return DeskAnswer(args={"entry": entry.id})

    async def case_language(self, case_id: int) -> str | None:
        async with self.store.transaction() as repos:
            case = await repos.cases.get(case_id)
            return case.language if case is not None else None
