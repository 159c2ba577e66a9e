"""The delivery seam: how the outbox hands a message for a person to the channel they use.

A channel (Telegram, SMS, console, the next one) implements `ChannelDelivery`:

    name: str                                           # "telegram", "sms", "console"
    async def deliver(address, message) -> Delivered    # one message to one routing address

`address` is the routing address the channel gave the turn service (a chat id, a phone
number), decrypted just before the call and never logged. `message` is an `Outbound`: what
to say, channel-neutral (dialog message keys with arguments, choices, a counsellor's text, a
staff-group message to copy). Rendering belongs to the channel: Telegram turns it into HTML
with inline buttons and splits at 4,096 characters, SMS into short texts with numbered
options, the console into plain lines.

What went wrong is reported by raising:

* `RetryAfter(seconds)`: the platform asked us to wait (Telegram 429, Twilio 429). Only
  this destination is paused; the outbox keeps the row and sends it later.
* `OptedOut`: the person blocked the bot or replied STOP. The row is dropped and the
  conversation is marked, so nothing more is sent until they write again.
* `BadAddress`: the address cannot receive (invalid or not a mobile number, chat gone).
  The row is dropped.
* anything else (network errors, 5xx): transient; the outbox retries with backoff.

A channel that answers a turn inside the inbound response itself (SMS: TwiML) sets the class
attribute `replies_inline = True`; its turns' replies are then not queued in the outbox
(everything later still is). Every other channel's replies go through the outbox, sent at
once by the turn's fast path.

The outbox (`bot/outbox.py`) picks the channel per row by the row's `channel` column and
marks each row sent once; a channel never touches the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from bot.dialogs.model import Choice, Msg


@dataclass(slots=True)
class Delivered:
    """What a send produced: a message id (Telegram), a topic id, a provider id (SMS sid)."""

    message_id: int | None = None
    thread_id: int | None = None
    external_id: str | None = None
    part_ids: tuple[int, ...] = ()  # further messages when a long text went out in parts


class DeliveryError(Exception):
    """Base of the failures a channel reports."""


class RetryAfter(DeliveryError):
    """The platform asked us to wait before sending to this destination again."""

    def __init__(self, after: float) -> None:
        super().__init__(f"retry after {after}s")
        self.after = after


class Undeliverable(DeliveryError):
    """Permanent for this message: sending it again would fail the same way."""


class OptedOut(Undeliverable):
    """The person blocked the bot or opted out (STOP): nothing more until they write."""


class BadAddress(Undeliverable):
    """The routing address cannot receive messages (invalid, not mobile, chat gone)."""


@dataclass(frozen=True, slots=True)
class Outbound:
    """One message for a person, before any channel has rendered it."""

    language: str
    messages: tuple[Msg, ...] = ()
    choices: tuple[Choice, ...] = ()
    text: str | None = None  # a counsellor's own words, shown as they are
    copy_of: int | None = None  # a staff-group message (photo, voice...) to copy

    def to_payload(self) -> dict[str, Any]:
        out: dict[str, Any] = {"lang": self.language}
        if self.messages:
            out["msgs"] = [_msg_to_json(m) for m in self.messages]
        if self.choices:
            out["choices"] = [{"id": c.id, "label": _msg_to_json(c.label)} for c in self.choices]
        if self.text is not None:
            out["text"] = self.text
        if self.copy_of is not None:
            out["copy"] = self.copy_of
        return out

    @classmethod
    def from_payload(cls, data: dict[str, Any]) -> Outbound:
        messages = [_msg_from_json(m) for m in data.get("msgs", [])]
        # rows written before messages carried arguments held bare keys
        messages += [Msg(k) for k in data.get("keys", [])]
        choices = tuple(
            Choice(c["id"], _msg_from_json(c["label"])) for c in data.get("choices", [])
        )
        copy = data.get("copy")
        return cls(
            language=str(data.get("lang", "ru")),
            messages=tuple(messages),
            choices=choices,
            text=data.get("text"),
            copy_of=int(copy) if copy is not None else None,
        )


class ChannelDelivery(Protocol):
    """A channel's outbound half. See the module docstring for the contract."""

    name: str

    async def deliver(self, address: str, message: Outbound) -> Delivered: ...


def queued_reply_channels(channels: dict[str, ChannelDelivery]) -> frozenset[str]:
    """The channels whose turn replies go through the outbox."""
    return frozenset(n for n, d in channels.items() if not getattr(d, "replies_inline", False))


def _msg_to_json(msg: Msg) -> dict[str, Any]:
    out: dict[str, Any] = {"k": msg.key}
    if msg.args:
        out["a"] = [
            [name, {"msg": _msg_to_json(value)} if isinstance(value, Msg) else value]
            for name, value in msg.args
        ]
    if msg.plural is not None:
        out["p"], out["n"] = msg.plural, msg.n
    if msg.literal:
        out["l"] = True
    if msg.context is not None:
        out["c"] = msg.context  # the child's register of the same text
    return out


def _msg_from_json(data: dict[str, Any]) -> Msg:
    args = tuple(
        (str(name), _msg_from_json(value["msg"]) if isinstance(value, dict) else value)
        for name, value in data.get("a", [])
    )
    return Msg(
        data["k"],
        args,
        plural=data.get("p"),
        n=data.get("n"),
        literal=bool(data.get("l")),
        context=data.get("c"),
    )
