"""Dialog messages and choices as JSON, for replies written to the outbox and sent later."""

from __future__ import annotations

from typing import Any

from bot.dialogs.model import Choice, Msg


def msg_to_json(msg: Msg) -> dict[str, Any]:
    args = {
        name: {"msg": msg_to_json(value)} if isinstance(value, Msg) else value
        for name, value in msg.args
    }
    out: dict[str, Any] = {"key": msg.key}
    if args:
        out["args"] = args
    if msg.plural is not None:
        out["plural"], out["n"] = msg.plural, msg.n
    if msg.literal:
        out["literal"] = True
    return out


def msg_from_json(data: dict[str, Any]) -> Msg:
    args = tuple(
        sorted(
            (name, msg_from_json(v["msg"]) if isinstance(v, dict) and "msg" in v else v)
            for name, v in (data.get("args") or {}).items()
        )
    )
    return Msg(
        data["key"],
        args,
        plural=data.get("plural"),
        n=data.get("n"),
        literal=bool(data.get("literal")),
    )


def choices_to_json(choices: list[Choice]) -> list[dict[str, Any]]:
    return [{"id": c.id, "label": msg_to_json(c.label)} for c in choices]


def choices_from_json(data: list[dict[str, Any]]) -> list[Choice]:
    return [Choice(item["id"], msg_from_json(item["label"])) for item in data]
