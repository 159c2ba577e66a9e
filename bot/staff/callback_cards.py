"""Callback cards as plain data (text + buttons) in the staff language. Never the number."""

from __future__ import annotations

from bot.dialogs import slots as sl
from bot.dialogs.menus import CALLERS, CATEGORY_LABELS, LANGUAGE_NAMES, REGIONS, SERVICES
from bot.i18n import render, translations
from bot.staff import callback_texts as ct
from bot.staff import texts as st
from bot.staff.cards import Button, CardView, alias
from storage.models import Callback

CALLBACK_ACTIONS = ("take", "called", "noanswer", "resched", "cbcancel", "number", "slot")


def slot_label(cb: Callback, lang: str) -> str:
    return render(sl.label(cb.slot), lang) if cb.slot else "?"


def specialist(cb: Callback, lang: str) -> str:
    return translations(lang).gettext(SERVICES.get(cb.service, st.UNKNOWN))


def status_line(cb: Callback, lang: str) -> str:
    _ = translations(lang).gettext
    if cb.status == "taken":
        return _(ct.CB_TAKEN_BY).format(alias=alias(lang, cb.taken_by))
    if cb.status == "waiting":
        return _(ct.CB_WAITING)
    if cb.status == "done":
        return _(ct.CB_DONE)
    if cb.status == "cancelled":
        return _(ct.CB_CANCELLED)
    return _(ct.CB_PENDING)


def card(cb: Callback, lang: str, due: bool = False) -> CardView:
    _ = translations(lang).gettext
    unknown = _(st.UNKNOWN)
    title = ct.CB_DUE_TITLE if due else ct.CB_TITLE
    lines = [
        _(title).format(number=cb.id, specialist=specialist(cb, lang)),
        _(ct.CB_WHEN).format(
            slot=slot_label(cb, lang), language=LANGUAGE_NAMES.get(cb.language, cb.language)
        ),
        _(ct.CB_WHO).format(
            category=_(CATEGORY_LABELS[cb.category])
            if cb.category in CATEGORY_LABELS
            else unknown,
            caller=_(CALLERS[cb.caller]) if cb.caller in CALLERS else unknown,
            age=cb.age_band or unknown,
            region=_(REGIONS[cb.region]) if cb.region in REGIONS else unknown,
        ),
        _(ct.CB_CHANNEL).format(channel=cb.channel),
        status_line(cb, lang),
    ]
    if cb.no_answers and cb.status in ("taken", "pending"):
        lines.append(_(ct.CB_NO_ANSWERS).format(n=cb.no_answers))
    if cb.status in ("pending", "taken"):
        lines += ["", _(ct.CB_NUMBER_HIDDEN)]
    return CardView("\n".join(lines), buttons(cb, lang))


def buttons(cb: Callback, lang: str) -> list[list[Button]]:
    _ = translations(lang).gettext
    n = cb.id
    if cb.status == "pending":
        return [
            [Button(_(ct.BUTTON_TAKE), "take", n)],
            [
                Button(_(ct.BUTTON_RESCHEDULE), "resched", n),
                Button(_(ct.BUTTON_CANCEL), "cbcancel", n),
            ],
        ]
    if cb.status == "taken":
        return [
            [
                Button(_(ct.BUTTON_CALLED), "called", n),
                Button(_(ct.BUTTON_NO_ANSWER), "noanswer", n),
            ],
            [
                Button(_(ct.BUTTON_RESCHEDULE), "resched", n),
                Button(_(ct.BUTTON_CANCEL), "cbcancel", n),
            ],
            [Button(_(ct.BUTTON_NUMBER), "number", n)],
        ]
    if cb.status == "waiting":
        return [[Button(_(ct.BUTTON_CANCEL), "cbcancel", n)]]
    return []


def slot_buttons(cb_id: int, offered: list[str], lang: str) -> list[list[Button]]:
    labelled = [Button(render(sl.label(x), lang), "slot", cb_id, x) for x in offered]
    return [labelled[i : i + 2] for i in range(0, len(labelled), 2)]


def note_text(cb: Callback, lang: str, key: str, text: str) -> str:
    _ = translations(lang).gettext
    if text:
        return _(ct.CB_NOTE).format(number=cb.id) + "\n" + text
    what = ct.CB_PARENT_CANCELLED if key == "cancelled" else ct.CB_PARENT_CHANGED
    return _(what).format(number=cb.id)


def coordinator_text(cb: Callback, lang: str) -> str:
    return (
        translations(lang)
        .gettext(ct.CB_COORDINATOR)
        .format(number=cb.id, slot=slot_label(cb, lang))
    )


def list_line(cb: Callback, lang: str) -> str:
    return (
        translations(lang)
        .gettext(ct.CB_LIST_LINE)
        .format(
            number=cb.id,
            slot=slot_label(cb, lang),
            specialist=specialist(cb, lang),
            language=cb.language,
            status=status_line(cb, lang),
        )
    )
