"""Callback requests, the parent's side: what the turn service does with the dialog's
callback actions (inside the turn's transaction), and telling a parent what the staff did.
"""

from __future__ import annotations

import datetime as dt

from bot.dialogs import Context, Event, State, step
from bot.dialogs import slots as sl
from bot.dialogs.model import CallbackNote, ConfirmCallback, StoreCallbackPhone
from bot.privacy import Identity, mask
from bot.services.clock import Clock, system_clock
from bot.staff import callback_rows as rows
from storage.models import Callback, Conversation
from storage.repositories import Repos

DEFAULT_REMINDER = dt.timedelta(minutes=30)


class CallbackBook:
    def __init__(
        self,
        identity: Identity,
        schedule: sl.Schedule | None = None,
        clock: Clock = system_clock,
        reminder_lead: dt.timedelta = DEFAULT_REMINDER,
    ) -> None:
        self.identity = identity
        self.schedule = schedule or sl.Schedule()
        self.clock = clock
        self.reminder_lead = reminder_lead

    async def store_phone(
        self,
        repos: Repos,
        conv: Conversation,
        state: State,
        channel: str,
        address: str,
        action: StoreCallbackPhone,
    ) -> None:
        """The number is encrypted into the request at once; the dialog state never has it."""
        phone = action.phone or address  # empty: the sender's own number (SMS)
        cb = await repos.callbacks.active_for(conv.id)
        if cb is None:
            await repos.callbacks.add(
                Callback(
                    conversation_id=conv.id,
                    status="draft",
                    channel=channel,
                    routing_enc=self.identity.encrypt(address),
                    phone_enc=self.identity.encrypt(phone),
                    language=state.callback_language or state.language,
                    service=state.service or "psychological",
                )
            )
            return
        cb.phone_enc = self.identity.encrypt(phone)

    async def confirm(
        self, repos: Repos, conv: Conversation, state: State, action: ConfirmCallback
    ) -> Callback | None:
        cb = await repos.callbacks.active_for(conv.id)
        if cb is None:
            return None
        now = self.clock()
        start, end = sl.bounds(action.slot, self.schedule)
        was = cb.status
        cb.slot, cb.window = action.slot, action.slot.split("-", 1)[1]
        cb.slot_start, cb.slot_end = start, end
        cb.language, cb.service = action.language, action.service
        cb.category, cb.caller = state.category, state.caller
        cb.age_band, cb.region = state.age_band, state.region
        cb.intake_id = cb.intake_id or conv.intake_id
        cb.due_announced = False
        cb.reminded = start - self.reminder_lead <= now  # the confirmation is reminder enough
        if was == "draft":
            cb.status = "pending"
            await repos.session.flush()
            await rows.queue_card(repos, cb)
            return cb
        if was == "waiting":  # a new time after two unanswered calls
            cb.status, cb.taken_by, cb.no_answers = "pending", None, 0
        await rows.queue_edit(repos, cb)
        await rows.queue_note(repos, cb, key="changed")
        return cb

    async def cancel(self, repos: Repos, conv: Conversation) -> None:
        cb = await repos.callbacks.active_for(conv.id)
        if cb is None:
            return
        if cb.status == "draft":  # never reached the staff: nothing to keep
            await repos.session.delete(cb)
            return
        await self.close(repos, cb, "cancelled", outcome="no_contact")
        await rows.queue_edit(repos, cb)
        await rows.queue_note(repos, cb, key="cancelled")

    async def note(self, repos: Repos, conv: Conversation, action: CallbackNote) -> None:
        cb = await repos.callbacks.active_for(conv.id)
        if cb is not None and cb.status != "draft":
            await rows.queue_note(repos, cb, text=mask(action.text))

    async def forget(self, repos: Repos, conversation_id: int) -> None:
        for cb_id in await repos.callbacks.forget_conversation(conversation_id, self.clock()):
            cb = await repos.callbacks.get(cb_id)
            if cb is not None:
                await rows.queue_edit(repos, cb)

    async def close(
        self, repos: Repos, cb: Callback, status: str, outcome: str | None = None
    ) -> None:
        """Done or cancelled: the number and address are erased now, in this transaction
        (tell the parent first: a queued notice carries its own copy of the address)."""
        cb.status, cb.closed_at = status, self.clock()
        cb.phone_enc = cb.routing_enc = None
        if outcome is not None and cb.intake_id is not None:
            intake = await repos.intakes.get(cb.intake_id)
            if intake is not None:
                intake.outcome = outcome
                if outcome == "consulted":
                    intake.service = cb.service

    def context(self, channel: str) -> Context:
        return Context(channel=channel, now=self.clock(), schedule=self.schedule)

    async def tell_parent(self, repos: Repos, cb: Callback, what: str, arg: str = "") -> None:
        """Run the dialog's system event, so the parent's state and the message agree."""
        if cb.conversation_id is not None:
            conv = await repos.conversations.by_id(cb.conversation_id)
            if conv is not None:
                event = Event("system", command=what, arg=arg)
                state, reply = step(State.from_dict(conv.state), event, self.context(cb.channel))
                conv.state = state.to_dict()
                await rows.queue_to_parent(repos, cb, reply, state.language)
