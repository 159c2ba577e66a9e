"""Texts of the statistics report (formal: it is read by the helpline and its funders)."""

from __future__ import annotations

from bot.dialogs.menus import LANGUAGE_NAMES, REGIONS
from bot.dialogs.texts import N_
from bot.staff import texts as st
from bot.staff.cards import OUTCOME_LABELS, PROFILE_FIELDS, SERVICE_LABELS

TITLE = N_("Helpline statistics, {start} – {end}")
TOTAL = N_("Contacts in the period: {n}")
DEMO_WARNING = N_(
    "DEMO DATA: {n} of these records are synthetic (made by helpline demo-data). "
    "Do not publish these figures."
)
COL_VALUE = N_("Value")
COL_COUNT = N_("Count")
COL_SHARE = N_("Share")
WITHHELD = N_("Not shown: too few contacts to show this breakdown safely.")
NOT_GIVEN = N_("not given")
FOOTER_SUPPRESSION = N_(
    "Counts below {k} are shown as “<{k}” without a share, so that no child can be singled "
    "out. Where a hidden count could be worked out from the total and the other rows, the "
    "next smallest counts are hidden too (shown as “×”)."
)
FOOTER_SHARES = N_(
    "Shares are of all contacts in the period, “not given” included. A contact can have "
    "several consultation categories, so those counts do not add up to the total."
)
CLAIM_TIMES = N_(
    "Time until a counsellor took a crisis case: median {median} min, 90th percentile "
    "{p90} min ({n} cases)."
)
CLAIM_FEW = N_("Time until a counsellor took a crisis case: too few cases to show.")
CONTACTS = N_("contacts")
USAGE = N_("Use /stats month, /stats quarter, /stats year or /stats 2026-01-01 2026-03-31.")
SENT_SUMMARY = N_("Statistics for {start} – {end}: {n} contacts. The full report is attached.")
MONTHLY_CAPTION = N_("Monthly statistics report for {start} – {end}.")

SECTIONS: dict[str, str] = {
    "caller": N_("Who contacted us"),
    "gender": N_("Gender of the child"),
    "age_band": N_("Age of the child"),
    "region": N_("Region"),
    "citizenship": st.FIELD_CITIZENSHIP,
    "nationality": N_("Nationality"),
    "education": N_("Education"),
    "living_situation": st.FIELD_LIVING,
    "family_status": st.FIELD_FAMILY,
    "categories": N_("Consultations by category"),
    "service": N_("Help given"),
    "outcome": N_("Outcome"),
    "urgency": N_("Urgency"),
    "channel": N_("Channel"),
    "language": N_("Language"),
    "source": N_("Outreach source"),
    "repeat_contact": N_("Repeat contacts"),
    "weekly": N_("Contacts per week"),
}

CATEGORIES: dict[str, str] = {
    "family": N_("rights of family members"),
    "maintenance": N_("recovery of obligations (alimony)"),
    "social_security": N_("social security and benefits"),
    "education": N_("right to education"),
    "health": N_("right to health care"),
    "property": N_("property and housing rights"),
    "civil_rights": N_("constitutional rights, documents"),
    "custody": N_("custody, guardianship, adoption"),
    "parental_rights": N_("deprivation of parental rights"),
    "abuse": N_("violence and abuse"),
    "disability": N_("rights of children with disabilities"),
    "care_institutions": N_("children in residential care"),
    "psychological": N_("psychological problems"),
    "bullying": N_("bullying and cyberbullying"),
    "child_labor": N_("child labour"),
    "justice": N_("children in contact with police or courts"),
    "other": N_("other questions"),
}

# Value labels per dimension; a value not listed (an outreach code) is shown as it is.
VALUES: dict[str, dict[str, str]] = {
    "caller": {
        "child": N_("children"),
        "parent": N_("parents"),
        "relative": N_("other relatives"),
        "teacher": N_("teachers and caregivers"),
        "other": N_("others"),
    },
    "gender": {"boy": N_("male"), "girl": N_("female")},
    "age_band": {b: b.replace("-", "–") for b in ("0-3", "4-6", "7-9", "10-12", "13-15", "16-18")},
    "region": REGIONS,
    "citizenship": PROFILE_FIELDS["citizenship"][1],
    "nationality": {
        "kazakh": N_("Kazakh"),
        "russian": N_("Russian"),
        "uzbek": N_("Uzbek"),
        "uyghur": N_("Uyghur"),
        "other": N_("other nationality"),
    },
    "education": {
        "preschool": N_("preschool age"),
        "school": N_("at school"),
        "not_in_school": N_("not attending school"),
        "college": N_("college or university"),
    },
    "living_situation": PROFILE_FIELDS["living_situation"][1],
    "family_status": PROFILE_FIELDS["family_status"][1],
    "categories": CATEGORIES,
    "service": SERVICE_LABELS,
    "outcome": OUTCOME_LABELS,
    "urgency": {
        "crisis": N_("crisis"),
        "urgent": st.URGENCY_URGENT,
        "routine": st.URGENCY_ROUTINE,
    },
    "channel": {"telegram": "Telegram", "sms": "SMS", "console": N_("console")},
    "language": LANGUAGE_NAMES,
    "source": {},
    "repeat_contact": {"no": N_("first contact"), "yes": N_("repeat contact")},
}
# Literal labels (not translated): names that read the same in every language.
LITERAL = {"age_band", "language"}
LITERAL_VALUES = {"Telegram", "SMS"}
COL_WEEK = N_("Week from")
