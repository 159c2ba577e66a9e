"""Escalation cards and the close form, as plain data (text + buttons) in the staff language."""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass
from typing import Any

from bot.dialogs.menus import CALLERS, CATEGORY_LABELS, REGIONS
from bot.i18n import translations
from bot.staff import texts as st
from bot.staff.queue import is_possible_risk
from storage.models import Case, CaseMessage, aware

URGENCY_LABELS = {
    "crisis": st.URGENCY_CRISIS,
    "urgent": st.URGENCY_URGENT,
    "routine": st.URGENCY_ROUTINE,
}
URGENCY_MARK = {"crisis": "🔴", "urgent": "🟠", "routine": "🟢"}
POSSIBLE_RISK_MARK = "🟠⚠️"
SERVICE_LABELS = {
    "psychological": st.SERVICE_PSYCHOLOGICAL,
    "legal": st.SERVICE_LEGAL,
    "social": st.SERVICE_SOCIAL,
}
OUTCOME_LABELS = {
    "consulted": st.OUTCOME_CONSULTED,
    "referred": st.OUTCOME_REFERRED,
    "callback_scheduled": st.OUTCOME_CALLBACK,
    "emergency_informed": st.OUTCOME_EMERGENCY,
    "no_contact": st.OUTCOME_NO_CONTACT,
}
# Optional statistics profile (SPEC section 7), asked on the close form one field at a time.
PROFILE_FIELDS: dict[str, tuple[str, dict[str, str]]] = {
    "citizenship": (
        st.FIELD_CITIZENSHIP,
        {"kz": st.CITIZEN_KZ, "foreign": st.CITIZEN_FOREIGN, "stateless": st.CITIZEN_NONE},
    ),
    "living_situation": (
        st.FIELD_LIVING,
        {
            "both_parents": st.LIVING_BOTH,
            "one_parent": st.LIVING_ONE,
            "relatives": st.LIVING_RELATIVES,
            "institution": st.LIVING_INSTITUTION,
            "street": st.LIVING_STREET,
        },
    ),
    "family_status": (
        st.FIELD_FAMILY,
        {
            "two_parent": st.FAMILY_FULL,
            "single_parent": st.FAMILY_SINGLE,
            "large": st.FAMILY_LARGE,
            "low_income": st.FAMILY_LOW_INCOME,
        },
    ),
}
RECENT_MESSAGES = 5
CARD_LIMIT = 4096  # Telegram's limit for a message's text, counted after HTML escaping
DELIVERY_PROBLEMS = {
    "opted_out": st.CARD_OPTED_OUT,
    "bad_address": st.CARD_BAD_ADDRESS,
    "relay_failed": st.CARD_RELAY_FAILED,
}


@dataclass(frozen=True, slots=True)
class Button:
    label: str
    action: str
    case: int
    value: str = ""


@dataclass(frozen=True, slots=True)
class CardView:
    text: str
    rows: list[list[Button]]


def alias(lang: str, staff_id: int | str | None) -> str:
    return translations(lang).gettext(st.STAFF_ALIAS).format(number=staff_id)


def urgency_label(case: Case) -> str:
    """The msgid naming a case's urgency; urgent cases with possible risk say so."""
    return st.URGENCY_POSSIBLE_RISK if is_possible_risk(case) else URGENCY_LABELS[case.urgency]


def urgency_mark(case: Case) -> str:
    return POSSIBLE_RISK_MARK if is_possible_risk(case) else URGENCY_MARK.get(case.urgency, "")


def card(
    case: Case,
    messages: list[CaseMessage],
    lang: str,
    now: dt.datetime,
    footer: str = "",
    limit: int = CARD_LIMIT,
) -> CardView:
    """The card's text (with `footer` after the messages), at most `limit` characters once
    HTML-escaped: the newest messages that fit, and a line saying how much was left out."""
    _ = translations(lang).gettext
    unknown = _(st.UNKNOWN)
    waited = max(0, int((now - aware(case.created_at)).total_seconds() // 60))
    lines = [
        f"{urgency_mark(case)} "
        + _(st.CARD_TITLE).format(number=case.id, urgency=_(urgency_label(case))),
        _(st.CARD_CATEGORY).format(category=_(CATEGORY_LABELS.get(case.category, st.UNKNOWN))),
    ]
    if case.signals:
        lines.append(_(st.CARD_SIGNALS).format(signals=", ".join(case.signals)))
    lines.append(
        _(st.CARD_WHO).format(
            language=case.language,
            caller=_(CALLERS[case.caller]) if case.caller in CALLERS else unknown,
            age=case.age_band or unknown,
            region=_(REGIONS[case.region]) if case.region in REGIONS else unknown,
        )
    )
    lines.append(_(st.CARD_CHANNEL).format(channel=case.channel, reason=case.reason))
    plural = translations(lang).ngettext(st.CARD_WAITING[0], st.CARD_WAITING[1], waited)
    lines.append(plural.format(n=waited))
    lines.append(status_line(case, lang))
    if case.delivery_problem in DELIVERY_PROBLEMS:
        lines.append("⚠️ " + _(DELIVERY_PROBLEMS[case.delivery_problem]))
    user_texts = [m.text_masked for m in messages if m.direction == "user"]
    lines.append("")
    lines.append(_(st.CARD_MESSAGES) if user_texts else _(st.CARD_NO_MESSAGES))
    head = "\n".join(lines)
    tail = f"\n\n{footer}" if footer else ""
    body = newest_within(user_texts, limit - escaped_len(head + tail), lang)
    return CardView(head + body + tail, _card_buttons(case, lang))


def escaped_len(text: str) -> int:
    return len(html.escape(text))


def newest_within(texts: list[str], room: int, lang: str) -> str:
    """The newest (up to RECENT_MESSAGES) texts as "— text" lines that fit in `room`
    escaped characters, oldest first; a line saying how many were left out; the newest
    message alone cut short, saying by how much, when even it does not fit."""
    tr = translations(lang)
    recent = texts[-RECENT_MESSAGES:]
    older = len(texts) - len(recent)

    def cut_note(n: int) -> str:
        return "\n" + tr.ngettext(st.CARD_CUT_MESSAGES[0], st.CARD_CUT_MESSAGES[1], n).format(n=n)

    shown: list[str] = []
    used = 0
    note_room = escaped_len(cut_note(len(texts)))
    for i, text in enumerate(reversed(recent)):
        line = f"\n— {text}"
        left_out = older + len(recent) - i - 1
        need = escaped_len(line) + (note_room if left_out else 0)
        if used + need <= room:
            shown.insert(0, line)
            used += escaped_len(line)
            continue
        if not shown:  # the newest message alone is too long: its beginning, and how much
            shown.insert(0, _truncated(text, room - used - note_room, tr))
        break
    skipped = len(texts) - len(shown)
    return "".join(shown) + (cut_note(skipped) if skipped else "")


def _truncated(text: str, room: int, tr: Any) -> str:
    def with_note(keep: int) -> str:
        cut = len(text) - keep
        note = tr.ngettext(st.CARD_CUT_CHARS[0], st.CARD_CUT_CHARS[1], cut).format(n=cut)
        return f"\n— {text[:keep].rstrip()}{note}"

    lo, hi = 0, len(text)
    while lo < hi:  # the longest beginning that fits with its note
        mid = (lo + hi + 1) // 2
        if escaped_len(with_note(mid)) <= room:
            lo = mid
        else:
            hi = mid - 1
    return with_note(lo)


def status_line(case: Case, lang: str) -> str:
    _ = translations(lang).gettext
    if case.status == "closed":
        outcome = _(OUTCOME_LABELS.get(case.outcome or "", st.UNKNOWN))
        return _(st.CARD_STATUS_CLOSED).format(outcome=outcome)
    if case.status == "claimed":
        return _(st.CARD_STATUS_CLAIMED).format(alias=alias(lang, case.claimed_by))
    return _(st.CARD_STATUS_OPEN)


def _card_buttons(case: Case, lang: str) -> list[list[Button]]:
    _ = translations(lang).gettext
    if case.status == "closed":
        return []
    if case.close_draft is not None:
        return close_form_buttons(case, lang)
    first = (
        Button(_(st.BUTTON_RELEASE), "release", case.id)
        if case.status == "claimed"
        else Button(_(st.BUTTON_CLAIM), "claim", case.id)
    )
    return [[first, Button(_(st.BUTTON_CLOSE), "close", case.id)]]


def close_form_prompt(case: Case, lang: str) -> str:
    _ = translations(lang).gettext
    draft: dict[str, Any] = case.close_draft or {}
    stage = draft.get("stage", "categories")
    if stage == "categories":
        return _(st.FORM_CATEGORIES).format(number=case.id)
    if stage == "service":
        return _(st.FORM_SERVICE).format(number=case.id)
    if stage == "outcome":
        return _(st.FORM_OUTCOME).format(number=case.id)
    field_label = _(PROFILE_FIELDS[stage][0])
    return _(st.FORM_PROFILE).format(number=case.id, field=field_label)


def close_form_buttons(case: Case, lang: str) -> list[list[Button]]:
    _ = translations(lang).gettext
    draft: dict[str, Any] = case.close_draft or {}
    stage = draft.get("stage", "categories")
    n = case.id
    if stage == "categories":
        chosen = set(draft.get("categories", []))
        buttons = [
            Button(("✓ " if slug in chosen else "") + _(label), "cat", n, slug)
            for slug, label in CATEGORY_LABELS.items()
        ]
        rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
        return [*rows, [Button(_(st.BUTTON_NEXT), "catnext", n)]]
    if stage == "service":
        return [[Button(_(label), "svc", n, key) for key, label in SERVICE_LABELS.items()]]
    if stage == "outcome":
        return [[Button(_(label), "out", n, key)] for key, label in OUTCOME_LABELS.items()]
    _label, options = PROFILE_FIELDS[stage]
    rows = [[Button(_(text), "prof", n, key)] for key, text in options.items()]
    return [
        *rows,
        [Button(_(st.BUTTON_SKIP), "prof", n, "-"), Button(_(st.BUTTON_DONE), "profdone", n)],
    ]
