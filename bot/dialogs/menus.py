"""The dialog's menus as data tables: stable choice ids and their labels."""

from __future__ import annotations

from bot.dialogs import texts as t
from bot.dialogs.texts import N_

LANGUAGE_NAMES: dict[str, str] = {"kk": "Қазақша", "ru": "Русский", "en": "English"}

CALLERS: dict[str, str] = {
    "child": t.CALLER_CHILD,
    "parent": t.CALLER_PARENT,
    "relative": t.CALLER_RELATIVE,
    "teacher": t.CALLER_TEACHER,
    "other": t.CALLER_OTHER,
}

# Simple words for each category (SPEC section 5 slugs).
CATEGORY_LABELS: dict[str, str] = {
    "family": N_("Home and family"),
    "abuse": N_("Someone hurts me or a child"),
    "bullying": N_("Bullying, at school or online"),
    "psychological": N_("I feel sad, scared or alone"),
    "education": N_("School or kindergarten"),
    "health": N_("Health and doctors"),
    "maintenance": N_("Alimony and child support"),
    "social_security": N_("Benefits and social help"),
    "civil_rights": N_("Documents and citizenship"),
    "custody": N_("Custody, guardianship, adoption"),
    "parental_rights": N_("Parental rights"),
    "property": N_("Housing and inheritance"),
    "disability": N_("Children with disability"),
    "justice": N_("Police or court"),
    "care_institutions": N_("Children's homes and boarding schools"),
    "child_labor": N_("Child labour"),
    "other": t.SOMETHING_ELSE,
}

# The topic menu is grouped so that it fits on a phone screen: single topics and two groups.
TOPIC_MENU: tuple[str, ...] = (
    "family",
    "abuse",
    "bullying",
    "psychological",
    "education",
    "health",
    "group:money",
    "group:rights",
    "other",
)
TOPIC_GROUPS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "money": ("group:money", t.GROUP_MONEY, ("maintenance", "social_security")),
    "rights": (
        "group:rights",
        t.GROUP_RIGHTS,
        (
            "civil_rights",
            "custody",
            "parental_rights",
            "property",
            "disability",
            "justice",
            "care_institutions",
            "child_labor",
        ),
    ),
}

AGE_BANDS: tuple[str, ...] = ("0-3", "4-6", "7-9", "10-12", "13-15", "16-18")
GENDERS: dict[str, str] = {"girl": t.GIRL, "boy": t.BOY}

# The 17 regions and the three cities of republican significance.
REGIONS: dict[str, str] = {
    "astana": N_("Astana city"),
    "almaty": N_("Almaty city"),
    "shymkent": N_("Shymkent city"),
    "abai": N_("Abai Region"),
    "akmola": N_("Akmola Region"),
    "aktobe": N_("Aktobe Region"),
    "almaty_region": N_("Almaty Region"),
    "atyrau": N_("Atyrau Region"),
    "east_kazakhstan": N_("East Kazakhstan Region"),
    "jambyl": N_("Jambyl Region"),
    "jetisu": N_("Jetisu Region"),
    "karaganda": N_("Karaganda Region"),
    "kostanay": N_("Kostanay Region"),
    "kyzylorda": N_("Kyzylorda Region"),
    "mangystau": N_("Mangystau Region"),
    "north_kazakhstan": N_("North Kazakhstan Region"),
    "pavlodar": N_("Pavlodar Region"),
    "turkistan": N_("Turkistan Region"),
    "ulytau": N_("Ulytau Region"),
    "west_kazakhstan": N_("West Kazakhstan Region"),
}

SERVICES: dict[str, str] = {
    "psychological": t.SERVICE_PSYCHOLOGICAL,
    "legal": t.SERVICE_LEGAL,
    "social": t.SERVICE_SOCIAL,
}

TIPS: dict[str, str] = {
    "psychological": t.TIP_PSYCHOLOGICAL,
    "bullying": t.TIP_BULLYING,
    "family": t.TIP_FAMILY,
    "abuse": t.TIP_ABUSE,
    "maintenance": t.TIP_RIGHTS,
    "social_security": t.TIP_RIGHTS,
    "civil_rights": t.TIP_RIGHTS,
    "custody": t.TIP_RIGHTS,
    "parental_rights": t.TIP_RIGHTS,
    "property": t.TIP_RIGHTS,
    "justice": t.TIP_RIGHTS,
}
