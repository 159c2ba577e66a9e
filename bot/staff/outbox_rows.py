"""What goes into the outbox for each staff-side event (always inside the caller's transaction).

User-bound rows carry the case's encrypted routing address, so closing a case can erase the
address on the case while its last notice is still waiting to be sent.
"""

from __future__ import annotations

import base64
import datetime as dt

from bot.channels.delivery import Outbound
from bot.dialogs.model import Msg
from storage.models import Case
from storage.repositories import Repos

# Outbox priorities: lower goes first (see bot/outbox.py).
CRISIS, CARD, RELAY, REST = 0, 1, 2, 3


def crisis_shown(case: Case) -> bool:
    """A crisis found in what the person wrote or answered (not only the SOS button or a
    help word, which a prank flood can press too): its card goes before every other."""
    return case.urgency == "crisis" and any(sig != "help_now" for sig in case.signals or [])


def card_priority(case: Case) -> int:
    return CRISIS if crisis_shown(case) else CARD


def user_stream(pseudonym: str) -> str:
    """Everything for one person goes out in order: replies, notices, relays."""
    return f"u:{pseudonym}"


async def queue_card(repos: Repos, case: Case, repost: bool = False) -> None:
    dedup = None if repost else f"card:{case.id}"
    await repos.outbox.add("card", "staff", case.id, {}, dedup, priority=card_priority(case))


async def queue_card_edit(repos: Repos, case: Case) -> None:
    """The card is rendered from the case when the edit is sent; the sender skips an edit
    that a later one of the same card makes redundant (see OutboxSender.COALESCE)."""
    await repos.outbox.add("card_edit", "staff", case.id, {}, priority=card_priority(case))


async def queue_to_staff(
    repos: Repos, case: Case, kind: str, text: str = "", copy: int | None = None
) -> None:
    """`copy`: a message of the person's own chat to copy (never forward: no name travels)."""
    payload: dict[str, object] = {"text": text} if text else {}
    if copy is not None:
        payload["copy"] = copy
    priority = RELAY if kind == "relay_in" else CARD  # re-alerts are cards again
    await repos.outbox.add(kind, "staff", case.id, payload, None, priority=priority)


async def queue_to_coordinator(repos: Repos, case: Case, key: str, dedup: str) -> None:
    await repos.outbox.add(
        "coordinator", "coordinator", case.id, {"key": key}, dedup, priority=CARD
    )


async def queue_topic(repos: Repos, case: Case) -> None:
    await repos.outbox.add("topic", "staff", case.id, {}, f"topic:{case.id}", priority=RELAY)


async def queue_reply(
    repos: Repos,
    *,
    channel: str,
    routing_enc: bytes,
    pseudonym: str,
    message: Outbound,
    crisis: bool,
    case_id: int | None = None,
) -> int | None:
    """A turn's reply to the person, written in the turn's transaction."""
    payload = {"addr": base64.b64encode(routing_enc).decode(), **message.to_payload()}
    row = await repos.outbox.add(
        "reply",
        "user",
        case_id,
        payload,
        channel=channel,
        priority=CRISIS if crisis else REST,
        stream=user_stream(pseudonym),
    )
    if row is None:
        return None
    await repos.session.flush()
    return row.id


async def queue_to_user(
    repos: Repos,
    case: Case,
    *,
    messages: list[Msg] | None = None,
    text: str | None = None,
    copy_of: int | None = None,
) -> bool:
    """Queue a message to the person; False when nothing may be written to them now."""
    if case.routing_enc is None:
        return False  # erased (forgotten or closed): nobody to write to
    if await person_is_quiet(repos, case):
        return False  # /stop (SMS STOP; the card says so), or /clear until they write again
    message = Outbound(case.language, tuple(messages or ()), text=text, copy_of=copy_of)
    payload = {"addr": base64.b64encode(case.routing_enc).decode(), **message.to_payload()}
    conv = await repos.conversations.by_id(case.conversation_id) if case.conversation_id else None
    await repos.outbox.add(
        "to_user",
        "user",
        case.id,
        payload,
        channel=case.channel,
        priority=REST if messages else RELAY,
        stream=user_stream(conv.pseudonym) if conv is not None else None,
    )
    return True


async def person_is_quiet(repos: Repos, case: Case) -> bool:
    """The person sent /stop, or /clear and has not written since: write nothing to them."""
    if case.conversation_id is None:
        return True
    conv = await repos.conversations.by_id(case.conversation_id)
    return conv is None or conv.stopped or bool((conv.state or {}).get("cleared"))


async def mark_delivery(repos: Repos, case: Case, problem: str | None) -> None:
    """Show on the card why messages do not reach the person (or that they do again)."""
    if problem is None and case.delivery_problem is None:
        return
    if problem is None and case.delivery_problem != "opted_out":
        return  # only START clears an opt-out; other problems stay until the case closes
    if case.delivery_problem != problem:
        case.delivery_problem = problem
        await queue_card_edit(repos, case)


def timeout_for(urgency: str, crisis_s: int, urgent_s: int) -> dt.timedelta | None:
    if urgency == "crisis":
        return dt.timedelta(seconds=crisis_s)
    if urgency == "urgent":
        return dt.timedelta(seconds=urgent_s)
    return None
