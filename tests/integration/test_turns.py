"""The turn service against real databases: state, intake, cases, callbacks, erasure."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import inspect, text

from bot.dialogs import Event, State, start_state
from bot.privacy import Identity
from bot.services.turns import Inbound, Outcome, TurnService
from storage import Store

ADDRESS = "987654321"  # stands for a Telegram chat id
PHONE = "+77012345678"


async def say(turns: TurnService, line: str, address: str = ADDRESS) -> Outcome:
    if line.startswith("/"):
        name, _, arg = line[1:].partition(" ")
        event = Event("command", command=name, arg=arg)
    else:
        event = Event("text", text=line)
    return await turns.handle(Inbound("telegram", address, event, platform_language="en"))


async def dump(store: Store) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table, as text, to search for identifiers."""
    out: dict[str, list[dict[str, Any]]] = {}
    async with store.engine.connect() as conn:
        names = await conn.run_sync(lambda c: inspect(c).get_table_names())
        for name in names:
            rows = (await conn.execute(text(f"SELECT * FROM {name}"))).mappings().all()
            out[name] = [dict(r) for r in rows]
    return out


def assert_absent(tables: dict[str, list[dict[str, Any]]], *needles: str) -> None:
    for name, rows in tables.items():
        for row in rows:
            for column, value in row.items():
                for needle in needles:
                    assert needle not in str(value), f"{needle!r} found in {name}.{column}"


async def test_routine_triage_writes_one_anonymous_intake(
    turns: TurnService, store: Store
) -> None:
    for line in ["/start school_7", "1", "1", "1", "3", "1", "1"]:
        await say(turns, line)
    await say(turns, "my friends are mean")  # the message left for a counsellor
    async with store.transaction() as repos:
        (record,) = await repos.intakes.list()
        assert (record.channel, record.source, record.language) == ("telegram", "school_7", "en")
        assert (record.caller, record.age_band, record.gender, record.region) == (
            "child",
            "13-15",
            "girl",
            "astana",
        )
        assert record.categories == ["family"] and record.urgency == "routine"
        assert record.repeat_contact is False
        (case,) = await repos.cases.list()
        assert (case.reason, case.urgency) == ("message", "routine")
    tables = await dump(store)
    assert_absent(tables, ADDRESS)
    # the text lives only in the case transcript (masked, erased after retention)
    assert_absent({k: v for k, v in tables.items() if k != "case_messages"}, "friends")


async def test_state_survives_a_new_service(store: Store, identity: Identity) -> None:
    from bot.services.duty import NobodyOnDuty
    from tests.fakes import FakeClassifier

    first = TurnService(store, FakeClassifier(), identity, NobodyOnDuty())
    for line in ["/start", "2", "1"]:
        await say(first, line)
    second = TurnService(store, FakeClassifier(), identity, NobodyOnDuty())
    outcome = await second.resume(Inbound("telegram", ADDRESS, Event("start")))
    assert outcome.state.step == "age" and outcome.state.caller == "parent"


async def test_crisis_opens_one_case_with_encrypted_routing_and_masked_transcript(
    turns: TurnService, store: Store, identity: Identity
) -> None:
    await say(turns, "/start")
    out = await say(turns, f"I want to die, call me on {PHONE}")
    assert out.state.step == "crisis" and len(out.case_ids) == 1
    out2 = await say(turns, "my email is kid@example.com and I want to die")
    assert out2.case_ids == out.case_ids  # the same case, not a second one
    async with store.transaction() as repos:
        (case,) = await repos.cases.list()
        assert (case.status, case.urgency, case.signals) == ("open", "crisis", ["suicide"])
        assert case.routing_enc is not None
        assert identity.decrypt(case.routing_enc) == ADDRESS
        messages = [m.text_masked for m in await repos.cases.messages(case.id)]
        assert messages == [
            "I want to die, call me on [phone]",
            "my email is [e-mail] and I want to die",
        ]
        (intake,) = await repos.intakes.list()
        assert intake.urgency == "crisis" and intake.age_band is None
    assert_absent(await dump(store), ADDRESS, PHONE, "kid@example.com")


async def test_callback_phone_is_encrypted(
    turns: TurnService, store: Store, identity: Identity
) -> None:
    for line in ["/start", "2", "1", "7", "3", "17", "1", "4", "1", PHONE, "1"]:
        out = await say(turns, line)
    assert out.state.step == "callback_pending"
    async with store.transaction() as repos:
        (callback,) = await repos.callbacks.list()
        assert callback.window == "09-12" and callback.phone_enc is not None
        assert callback.routing_enc is not None and callback.status == "pending"
        assert identity.decrypt(callback.phone_enc) == PHONE
        (intake,) = await repos.intakes.list()
        assert intake.outcome == "callback_scheduled" and intake.region == "pavlodar"
    assert_absent(await dump(store), PHONE, "7012345678")


async def test_forget_erases_everything_but_anonymous_intake(
    turns: TurnService, store: Store
) -> None:
    for line in ["/start", "2", "1", "7", "3", "1", "1", "1", "1", PHONE, "1"]:
        await say(turns, line)
    await say(turns, "/new")
    await say(turns, "I want to die")
    await say(turns, "/forget")
    tables = await dump(store)
    # only the language the user speaks is kept, in a fresh state (issue 11, finding 13)
    (conv,) = tables["conversations"]
    kept = conv["state"] if isinstance(conv["state"], dict) else json.loads(conv["state"])
    assert State.from_dict(kept) == start_state("en", "platform")
    assert conv["intake_id"] is None and conv["triage_count"] == 0
    (callback,) = tables["callbacks"]  # withdrawn: nothing left that leads to the person
    assert callback["status"] == "cancelled" and callback["conversation_id"] is None
    assert callback["phone_enc"] is None and callback["routing_enc"] is None
    assert tables["case_messages"] == []
    (case,) = tables["cases"]
    assert case["routing_enc"] is None and case["conversation_id"] is None
    assert case["status"] == "closed" and case["outcome"] == "no_contact"
    assert len(tables["intake_records"]) == 2
    out = await say(turns, "/start")
    assert out.state.step == "caller"  # a new, unknown contact


async def test_repeat_contact_is_counted(turns: TurnService, store: Store) -> None:
    path = ["/start", "1", "1", "1", "5", "3", "21"]
    for line in [*path, "/new", *path[1:]]:
        await say(turns, line)
    async with store.transaction() as repos:
        records = await repos.intakes.list()
    assert [r.repeat_contact for r in records] == [False, True]


async def test_stop_marks_conversation_and_writing_again_lifts_it(
    turns: TurnService, store: Store
) -> None:
    await say(turns, "/start")
    await say(turns, "/stop")
    tables = await dump(store)
    assert tables["conversations"][0]["stopped"] in (True, 1)
    await say(turns, "1")
    tables = await dump(store)
    assert tables["conversations"][0]["stopped"] in (False, 0)


async def test_concurrent_turns_of_one_conversation_do_not_interleave(
    turns: TurnService, store: Store
) -> None:
    import asyncio

    await say(turns, "/start")
    await asyncio.gather(*(say(turns, "🙂") for _ in range(6)))
    async with store.transaction() as repos:
        assert await repos.conversations.count() == 1


async def test_menu_numbers_and_emoji_are_never_classified(
    store: Store, identity: Identity
) -> None:
    from bot.services.duty import NobodyOnDuty
    from tests.fakes import FakeClassifier

    classifier = FakeClassifier()
    turns = TurnService(store, classifier, identity, NobodyOnDuty())
    for line in ["/start", "1", "0", "😢", "+7 701 234 56 78", "school"]:
        await say(turns, line)
    assert classifier.seen == ["school"]
