"""What goes into the outbox for a callback (always inside the caller's transaction).

Staff rows never carry the number. A row to the parent carries the callback's encrypted
address, so the callback can be erased while its last message still waits to be sent.
"""

from __future__ import annotations

import base64

from bot.channels.delivery import Outbound
from bot.dialogs.model import Reply
from storage.models import Callback
from storage.repositories import Repos


async def queue_card(repos: Repos, cb: Callback) -> None:
    await repos.outbox.add("cb_card", "staff", None, {}, f"cbcard:{cb.id}", callback_id=cb.id)


async def queue_edit(repos: Repos, cb: Callback) -> None:
    """Rendered from the callback when sent; an edit that a later one makes moot is skipped."""
    await repos.outbox.add("cb_edit", "staff", None, {}, callback_id=cb.id)


async def queue_due(repos: Repos, cb: Callback) -> None:
    """The 'due now' card: posted again as a new message when the slot opens."""
    await repos.outbox.add(
        "cb_due", "staff", None, {}, f"cbdue:{cb.id}:{cb.slot}", callback_id=cb.id
    )


async def queue_note(repos: Repos, cb: Callback, *, key: str = "", text: str = "") -> None:
    """A line under the card: what the parent wrote (masked) or did (a key)."""
    payload = {"text": text} if text else {"key": key}
    await repos.outbox.add("cb_note", "staff", None, payload, callback_id=cb.id)


async def queue_coordinator(repos: Repos, cb: Callback) -> None:
    await repos.outbox.add(
        "cb_coord", "coordinator", None, {}, f"cbcoord:{cb.id}:{cb.slot}", callback_id=cb.id
    )


async def queue_to_parent(repos: Repos, cb: Callback, reply: Reply, language: str) -> None:
    if cb.routing_enc is None or not (reply.messages or reply.choices):
        return  # erased, or nothing to say
    message = Outbound(language, tuple(reply.messages), tuple(reply.choices))
    payload = {"addr": base64.b64encode(cb.routing_enc).decode(), **message.to_payload()}
    await repos.outbox.add("to_user", "user", None, payload, channel=cb.channel, callback_id=cb.id)
