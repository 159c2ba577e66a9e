"""The pure dialog's side of issue 8: odd digits (defect 14), the start parameter (16),
/clear and /start (9), /new in a case (10), media in a case (12)."""

from __future__ import annotations

import pytest

from bot.dialogs import Context, Event, step
from bot.dialogs import texts as t
from bot.dialogs.model import Escalate
from bot.dialogs.triage import menu_number, source_slug
from tests.dialog_driver import CHILD_PATH, PARENT_PATH, run


@pytest.mark.parametrize("typed", ["²", "③", "⁰", "½", "¹²³", "٣", "１", "𝟚", "Ⅻ", "0²"])
@pytest.mark.parametrize("where", [*CHILD_PATH, *PARENT_PATH])
def test_odd_digits_at_every_step_never_crash(typed: str, where: str) -> None:
    path = (CHILD_PATH | PARENT_PATH)[where]
    state, _ = run(path)
    _, reply = step(state, Event("text", text=typed), Context())
    assert reply.messages or reply.choices


def test_superscript_and_circled_digits_choose_like_plain_ones() -> None:
    assert menu_number("³") == 3 and menu_number("③") == 3 and menu_number("٣") == 3
    assert menu_number("½") is None and menu_number("12345") is None
    plain, _ = run(["/start", "1"])
    circled, _ = run(["/start", "①"])
    assert plain.caller == circled.caller == "child"


@pytest.mark.parametrize(
    "arg",
    ["87011234567", "+77011234567", "140524686846", "zhuldyz@mail.kz", "a87011234567", "x" * 40],
)
def test_start_parameter_that_could_identify_is_not_stored(arg: str) -> None:
    state, _ = run([f"/start {arg}"])
    assert state.source is None


@pytest.mark.parametrize(
    ("arg", "slug"), [("school-12", "school-12"), ("Poster_Almaty_2024", "poster_almaty_2024")]
)
def test_start_parameter_slugs_are_kept(arg: str, slug: str) -> None:
    assert source_slug(arg) == slug
    state, _ = run([f"/start {arg}"])
    assert state.source == slug


def test_clear_then_start_shows_the_first_visit() -> None:
    _, (first,) = run(["/start"])
    state, replies = run(["/start", "1", "1", "/clear", "/start"])
    assert replies[-1].messages == first.messages
    assert [c.id for c in replies[-1].choices] == [c.id for c in first.choices]
    assert state.cleared  # still quiet: /start is not "writing again"
    state, _ = run(["/start", "1", "/clear", "/start", "1"])
    assert not state.cleared


def test_new_in_a_claimed_case_does_not_restart() -> None:
    state, _ = run(CHILD_PATH["message"] + ["my teacher shouts at me"])
    state, _ = step(state, Event("system", command="staff_joined"), Context())
    assert state.case_open and state.step == "message"
    after, reply = step(state, Event("command", command="new"), Context())
    assert after.step == "message" and after.case_open
    assert reply.messages[0].key == t.NEW_IN_CASE_CHILD


def test_media_in_a_case_is_passed_on_and_elsewhere_unsupported() -> None:
    state, _ = run(CHILD_PATH["message"] + ["my teacher shouts at me"])
    photo = Event("media", text="look", media="photo", media_ref=77)
    _, reply = step(state, photo, Context())
    (action,) = [a for a in reply.actions if isinstance(a, Escalate)]
    assert (action.media, action.media_ref, action.text) == ("photo", 77, "look")
    fresh, _ = run(["/start"])
    _, reply = step(fresh, photo, Context())
    assert reply.messages[0].key == t.UNSUPPORTED and not reply.actions
