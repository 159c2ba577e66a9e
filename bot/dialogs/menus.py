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

# Simple words for each category (SPEC section 5 slugs), as an adult reads them.
CATEGORY_LABELS: dict[str, str] = {
    "family": N_("Home and family"),
    "abuse": N_("Someone hurts the child"),
    "bullying": N_("Bullying, at school or online"),
    "psychological": N_("The child is sad, anxious or withdrawn"),
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

# The labels a child reads instead (about themselves, not "the child").
CHILD_TOPIC_LABELS: dict[str, str] = {
    CATEGORY_LABELS["abuse"]: N_("Someone hurts me or another child"),
    CATEGORY_LABELS["psychological"]: N_("I feel sad, scared or alone"),
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
CHILD_AGE_BANDS: tuple[str, ...] = AGE_BANDS[2:]  # a child writing themselves is 7 or older
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

# "Are you safe right now?" (SPEC section 3, step 4): asked of a child with these topics.
SAFETY_TOPICS = frozenset({"psychological", "abuse", "bullying", "family", "other"})
SAFETY_ANSWERS: dict[str, str] = {
    "yes": t.SAFE_YES,
    "danger": t.SAFE_DANGER,
    "self_harm": t.SAFE_SELF_HARM,
}

# Words people type instead of pressing a button (the labels themselves are matched too, in
# all three languages). Compared after `words.fold`, so Kazakh letters and ё need no variants.
# fmt: off
OPTION_SYNONYMS: dict[str, tuple[str, ...]] = {
    "caller:child": (
        "ребенок", "я ребенок", "подросток", "школьник", "школьница", "ученик", "ученица",
        "бала", "баламын", "жасөспірім", "жасөспіріммін", "оқушымын", "оқушы",
        "child", "kid", "teen", "teenager", "student", "i am a kid", "i am a child",
    ),
    "caller:parent": (
        "мама", "папа", "мать", "отец", "родитель", "родители", "мамочка",
        "ата-ана", "ата ана", "анамын", "анасымын", "әкемін", "әкесімін", "шешемін", "ана", "әке",
        "mother", "mom", "mum", "father", "dad", "parent", "mama", "papa",
    ),
    "caller:relative": (
        "бабушка", "дедушка", "тетя", "дядя", "сестра", "брат", "родственник", "родственница",
        "әже", "ата", "апа", "аға", "әпке", "тәте", "нағашы", "туыс", "туысымын", "туысқан",
        "әжесімін", "атасымын", "апасымын", "ағасымын", "әпкесімін", "нағашысымын",
        "grandmother", "grandma", "grandfather", "grandpa", "aunt", "uncle", "sister",
        "brother", "relative",
    ),
    "caller:teacher": (
        "учитель", "учительница", "педагог", "воспитатель", "воспитательница", "психолог",
        "классный руководитель", "мұғалім", "мұғаліммін", "тәрбиеші", "ұстаз", "сынып жетекші",
        "teacher", "caregiver", "school psychologist", "tutor",
    ),
    "caller:other": ("другой", "другое", "басқа", "other", "someone else", "neighbour"),
    "safety:yes": (
        "да", "ага", "в безопасности", "я в безопасности", "все хорошо", "иә", "ия", "иа",
        "қауіпсізбін", "бәрі жақсы", "yes", "yeah", "yep", "i am safe", "im safe", "safe",
    ),
    "safety:danger": (
        "нет", "опасность", "мне опасно", "мне страшно", "жоқ", "қауіп", "қауіп бар",
        "no", "danger", "not safe", "i am not safe",
    ),
    "safety:self_harm": (
        "хочу навредить себе", "хочу себе навредить", "думаю навредить себе",
        "өзіме зиян келтіргім келеді", "hurt myself", "hurting myself", "i want to hurt myself",
    ),
    "gender:girl": ("девочка", "девушка", "я девочка", "қыз", "қызбын", "girl", "i am a girl"),
    "gender:boy": ("мальчик", "парень", "я мальчик", "ұл", "ұлмын", "boy", "i am a boy"),
    "skip": (
        "пропустить", "пропусти", "пропуск", "не скажу", "не хочу говорить", "дальше",
        "өткізу", "өткізіп жібер", "айтпаймын", "skip", "next", "pass",
    ),
    "route:talk": ("да", "хочу", "поговорить", "иә", "ия", "сөйлескім келеді", "yes", "talk"),
    "route:message": ("сообщение", "хабар", "message"),
    "route:callback": ("перезвоните", "позвоните", "звонок", "қоңырау", "call", "call me"),
    "route:chat": ("чат", "переписка", "жазысу", "chat"),
    "back": ("назад", "артқа", "back"),
}
# fmt: on
