"""Handle one inbound event: classify, run the dialog, persist state and effects atomically."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from bot.channels.delivery import Outbound
from bot.classify.types import LANGUAGES, Classification, Classifier, Language
from bot.dialogs import Context, Event, Reply, State, start_state, step
from bot.dialogs.callback import mask_number
from bot.dialogs.model import (
    Action,
    CallbackNote,
    CancelCallback,
    ClearChat,
    ConfirmCallback,
    Escalate,
    Forget,
    RecordIntake,
    StopMessages,
    StoreCallbackPhone,
)
from bot.directory import Directory
from bot.i18n import render
from bot.privacy import Identity, mask
from bot.services.callbacks import CallbackBook
from bot.services.duty import DutyRoster
from bot.services.locks import KeyedLocks
from bot.staff import outbox_rows as rows
from bot.staff.escalation import Escalations
from storage import Store
from storage.models import Case, Conversation, IntakeRecord
from storage.repositories import Repos
from storage.retry import retry_transient

CLASSIFY_PIECE = 4096  # long text is read in pieces of this size: all of it, for crisis
URGENCY_RANK = {"routine": 0, "urgent": 1, "crisis": 2}


def pieces(text: str, size: int = CLASSIFY_PIECE, overlap: int = 200) -> list[str]:
    """The text cut at spaces into pieces of at most `size` characters, each overlapping the
    one before so that a sentence cut in two is also read whole."""
    if len(text) <= size:
        return [text]
    out: list[str] = []
    start = 0
    while start < len(text):
        end = min(start + size, len(text))
        if end < len(text):
            cut = text.rfind(" ", start + size // 2, end)
            end = cut if cut > 0 else end
        out.append(text[start:end])
        if end >= len(text):
            break
        start = max(end - overlap, start + 1)
    return out


@dataclass(frozen=True, slots=True)
class Inbound:
    channel: str
    address: str  # chat id or phone number: used for the pseudonym and encrypted routing only
    event: Event
    platform_language: str | None = None
    inbox_id: int | None = None  # the stored update this turn answers (see bot/inbox.py)
    # SMS: after STOP only START lifts the opt-out (anything else is still read, never answered)
    keeps_stop: bool = False
    # the reply goes through the outbox even on a channel that answers inline (an SMS
    # handled by the inbox worker after a crash: no webhook response is waiting for it)
    reply_by_outbox: bool = False


@dataclass(slots=True)
class Outcome:
    reply: Reply
    state: State
    language: str
    channel_actions: list[Action] = field(default_factory=list)
    case_ids: list[int] = field(default_factory=list)
    outbox_ids: list[int] = field(default_factory=list)  # the reply, queued for delivery
    silenced: bool = False  # the person opted out: the channel sends no reply
    queued: bool = False  # something for the staff or the parent went into the outbox
    forgotten: bool = False  # /forget erased the conversation in this turn


class TurnService:
    def __init__(
        self,
        store: Store,
        classifier: Classifier,
        identity: Identity,
        duty: DutyRoster,
        default_language: str = "ru",
        reply_within_hours: int = 12,
        escalations: Escalations | None = None,
        on_commit: Callable[[], None] | None = None,
        locks: KeyedLocks | None = None,
        retry_within_s: float = 60.0,
        outbox_channels: frozenset[str] = frozenset(),
        callbacks: CallbackBook | None = None,
        directory: Directory | None = None,
    ) -> None:
        self.store = store
        self.classifier = classifier
        self.identity = identity
        self.duty = duty
        self.default_language = default_language
        self.reply_within_hours = reply_within_hours
        self.escalations = escalations or Escalations()
        self.on_commit = on_commit  # wakes the outbox sender so cards leave within a second
        self.locks = locks or KeyedLocks()  # shared with the staff side (claim, close)
        self.retry_within_s = retry_within_s
        # channels whose replies go through the outbox (a delivery is configured for them);
        # for any other the caller shows `Outcome.reply` itself
        self.outbox_channels = outbox_channels
        self.callbacks = callbacks or CallbackBook(identity)
        self.directory = directory

    def classify(self, text: str, hint: Language | None = None) -> Classification | None:
        """None for text without a single letter: a menu number, an emoji, a phone number
        is an answer to the dialog, not words a model can read anything into.

        An over-long message is read whole, in overlapping pieces: the most urgent piece's
        verdict stands (a crisis at the end of a long letter must be found, issue 11)."""
        text = text.strip()
        if not any(ch.isalpha() for ch in text):
            return None
        verdicts = [self.classifier.classify(piece, hint) for piece in pieces(text)]
        return max(verdicts, key=lambda c: URGENCY_RANK[c.urgency])

    async def handle(self, inbound: Inbound) -> Outcome:
        pseudonym = self.identity.pseudonym(inbound.channel, inbound.address)
        async with self.locks.hold(pseudonym):
            # a held lock or a restarting database must not lose the turn: the whole
            # transaction runs again (never half of it, so it is never applied twice)
            outcome = await retry_transient(
                lambda: self._turn(inbound, pseudonym),
                within_s=self.retry_within_s,
                what="turn",
            )
        if outcome.forgotten:
            await self.store.checkpoint()  # the erased text must not stay in the -wal file
        if (
            outcome.case_ids or outcome.queued or outcome.forgotten
        ) and self.on_commit is not None:
            self.on_commit()
        return outcome

    async def _turn(self, inbound: Inbound, pseudonym: str) -> Outcome:
        ctx = Context(
            channel=inbound.channel,
            on_duty=await self.duty.anyone_on_duty(),
            reply_within_hours=self.reply_within_hours,
            label=render,
            now=self.callbacks.clock(),
            schedule=self.callbacks.schedule,
            directory=self.directory,
            sender_phone_masked=mask_number(inbound.address) if inbound.channel == "sms" else None,
        )
        async with self.store.transaction() as repos:
            if inbound.inbox_id is not None and not await repos.inbox.mark_handled(
                inbound.inbox_id
            ):  # this update's turn was committed before (a crash, a redelivery)
                return Outcome(Reply(), self._initial_state(inbound), self.default_language)
            conv, _ = await repos.conversations.get_or_create(
                pseudonym,
                inbound.channel,
                self._initial_state(inbound).to_dict(),
                self.default_language,
            )
            state = State.from_dict(conv.state)
            event = inbound.event
            if event.kind in ("text", "media") and event.classification is None and event.text:
                event = replace(event, classification=self.classify(event.text, state.language))
            new_state, reply = step(state, event, ctx)
            was_stopped = conv.stopped
            if not (inbound.keeps_stop and conv.stopped):
                # writing again lifts /stop (this turn's /stop sets it below) and a block
                conv.stopped = conv.blocked = False
            outcome = Outcome(reply, new_state, new_state.language)
            forgotten = await self._apply(repos, conv, new_state, inbound, reply, outcome, ctx)
            if forgotten:  # erased; only the language the user speaks is kept (issue 11)
                await repos.conversations.get_or_create(
                    pseudonym, inbound.channel, new_state.to_dict(), new_state.language
                )
            else:
                conv.state = new_state.to_dict()
                conv.language = new_state.language
                stopping = any(isinstance(a, StopMessages) for a in reply.actions)
                outcome.silenced = conv.stopped and not stopping
                if was_stopped != conv.stopped:  # the staff see it on the card
                    await self.escalations.opted_out(repos, conv.id, conv.stopped)
            outcome.forgotten = forgotten
            wants_reply = reply.messages or reply.choices
            by_outbox = inbound.channel in self.outbox_channels or inbound.reply_by_outbox
            if by_outbox and wants_reply and not outcome.silenced:
                await self._queue_reply(repos, inbound, pseudonym, outcome)
        return outcome

    async def _queue_reply(
        self, repos: Repos, inbound: Inbound, pseudonym: str, outcome: Outcome
    ) -> None:
        reply = outcome.reply
        crisis = any(isinstance(a, Escalate) and a.urgency == "crisis" for a in reply.actions)
        row_id = await rows.queue_reply(
            repos,
            channel=inbound.channel,
            routing_enc=self.identity.encrypt(inbound.address),
            pseudonym=pseudonym,
            message=Outbound(outcome.language, tuple(reply.messages), tuple(reply.choices)),
            crisis=crisis,
        )
        if row_id is not None:
            outcome.outbox_ids.append(row_id)

    async def resume(self, inbound: Inbound) -> Outcome:
        """Handle a (re)connection: greet a new contact, or pick up where it stopped."""
        return await self.handle(replace(inbound, event=Event("start")))

    def _initial_state(self, inbound: Inbound) -> State:
        lang = inbound.platform_language
        if lang in LANGUAGES:
            return start_state(lang, "platform")
        return start_state(self.default_language)

    async def _apply(
        self,
        repos: Repos,
        conv: Conversation,
        state: State,
        inbound: Inbound,
        reply: Reply,
        outcome: Outcome,
        ctx: Context,
    ) -> bool:
        for action in reply.actions:
            if isinstance(action, RecordIntake):
                await self._record_intake(repos, conv, state, inbound.channel, action)
            elif isinstance(action, Escalate):
                case = await self._escalate(repos, conv, state, inbound, action, ctx.on_duty)
                outcome.case_ids.append(case.id)
            elif isinstance(action, StoreCallbackPhone):
                book = self.callbacks
                await book.store_phone(
                    repos, conv, state, inbound.channel, inbound.address, action
                )
            elif isinstance(action, ConfirmCallback):
                await self.callbacks.confirm(repos, conv, state, action)
                outcome.queued = True
            elif isinstance(action, CancelCallback):
                await self.callbacks.cancel(repos, conv)
                outcome.queued = True
            elif isinstance(action, CallbackNote):
                await self.callbacks.note(repos, conv, action)
                outcome.queued = True
            elif isinstance(action, Forget):
                # neither a queued staff reply nor their own words still on the way to staff
                await repos.outbox.drop_to_user(conv.id, and_their_words=True)
                for case_id in await repos.cases.forget_conversation(conv.id, repos.now()):
                    await repos.outbox.add("card_edit", "staff", case_id, {})  # text erased
                await self.callbacks.forget(repos, conv.id)
                await repos.conversations.delete(conv)
                return True
            elif isinstance(action, StopMessages):
                conv.stopped = True
                await repos.outbox.drop_to_user(conv.id)
            elif isinstance(action, ClearChat):
                await repos.outbox.drop_to_user(conv.id)  # nothing reappears in the chat
                outcome.channel_actions.append(action)
        return False

    async def _record_intake(
        self, repos: Repos, conv: Conversation, state: State, channel: str, action: RecordIntake
    ) -> None:
        now = repos.now()
        record = await repos.intakes.add(
            IntakeRecord(
                period_date=now.date(),
                period_hour=now.hour,
                channel=channel,
                source=state.source,
                language=state.language,
                caller=state.caller,
                age_band=state.age_band,
                gender=state.gender,
                region=state.region,
                categories=state.categories or ([state.category] if state.category else []),
                urgency=state.urgency,
                service=state.service,
                outcome=action.outcome,
                repeat_contact=conv.triage_count > 0,
            )
        )
        conv.intake_id = record.id
        conv.triage_count += 1
        case = await repos.cases.open_for(conv.id)
        if case is not None and case.intake_id is None:  # the child's words went ahead
            case.intake_id = record.id

    async def _escalate(
        self,
        repos: Repos,
        conv: Conversation,
        state: State,
        inbound: Inbound,
        action: Escalate,
        on_duty: bool,
    ) -> Case:
        case = await repos.cases.open_for(conv.id)
        opened = case is None
        if case is None:
            case = await repos.cases.add(
                Case(
                    conversation_id=conv.id,
                    intake_id=conv.intake_id,
                    urgency=action.urgency,
                    reason=action.reason,
                    category=action.category,
                    signals=list(action.signals),
                    channel=inbound.channel,
                    language=state.language,
                    caller=state.caller,
                    age_band=state.age_band,
                    gender=state.gender,
                    region=state.region,
                    routing_enc=self.identity.encrypt(inbound.address),
                    due_at=repos.now(),
                    delivery_problem="opted_out" if conv.stopped else None,
                )
            )
        raised = False
        if not opened:
            raised = URGENCY_RANK[action.urgency] > URGENCY_RANK[case.urgency]
            if raised:
                case.urgency = action.urgency
            case.signals = sorted(set(case.signals) | set(action.signals))
        masked = mask(action.text) if action.text else ""
        if action.media:  # the transcript and the card say a photo came, not what is on it
            masked = f"[{action.media}] {masked}".strip()
        if masked:
            await repos.cases.add_message(case.id, "user", masked)
        copy = action.media_ref if action.media else None
        if opened:
            await self.escalations.case_opened(repos, case, on_duty)
        elif raised:
            await self.escalations.case_raised(repos, case)
        elif masked:
            await self.escalations.user_wrote(repos, case, masked, copy)
        if conv.intake_id is not None and action.urgency == "crisis":
            intake = await repos.intakes.get(conv.intake_id)
            if intake is not None:
                intake.urgency = "crisis"
        return case
