"""Families of gaps found by the third blind set (tests/data/blind3.jsonl), each checked in
kk, ru and en with several inflected and Latin-typed forms that are not the blind lines."""

from __future__ import annotations

import pytest

from bot.classify import Classifier
from bot.classify.classifier import TextAnalyzer

ANALYZER = TextAnalyzer()


def crisis_with(clf: Classifier, text: str, signal: str) -> None:
    result = clf.classify(text)
    assert result.is_crisis, f"not crisis: {text!r} -> {result.signals}"
    assert signal in result.signals, f"{text!r} -> {result.signals}"


def not_crisis(clf: Classifier, text: str) -> None:
    result = clf.classify(text)
    assert not result.is_crisis, f"crisis: {text!r} -> {result.signals} {result.extra}"


@pytest.mark.parametrize(
    "text",
    [
        # Russian: threat verbs and the future forms of kill/stab/beat, object before or after
        "старшеклассники грозятся прирезать брата",
        "одноклассники угрожают убить меня после физры",
        "они пообещали что меня зарежут у гаражей",
        "меня после школы изобьют, так сказали пацаны",
        "написали что нас порежут если пожалуемся",
        "отчим пригрозил застрелить нас с мамой",
        "ждут у школы чтобы избить сына",
        "menya obeshchali zarezat posle urokov",
        # Kazakh: -мыз/-ді/-мін деп, қорқытады
        "балалар мектептен кейін пышақтаймыз деп жазды",
        "ағасы інімді өлтіреді деп қорқытады",
        "сабақтан соң қақпада күтіп тұр, сабап тастаймыз дейді",
        "бізді өлтіреміз деп қоқан лоқы жасап жүр",
        "meni pyshaqtaimyz dep jazdy",
        # English: they'll / threatened to / beat up
        "they said they'll stab me tomorrow",
        "he threatened to kill my little brother",
        "the older boys are going to beat me up after school",
        "kids from 11th grade keep threatening to knife me",
        "i'm getting death threats from my classmates",
    ],
)
def test_threats_by_others_are_violence(clf: Classifier, text: str) -> None:
    crisis_with(clf, text, "violence")


@pytest.mark.parametrize(
    "text",
    [
        "брат сказал что убьёт меня если возьму его приставку, смешно",
        "досым әзілдеп өлтіремін деді",
        "my sister said she'd kill me if i read her diary lol",
        "убить готова брата за то что съел мой торт",
        "i could kill for a burger right now",
    ],
)
def test_joking_threats_stay_not_crisis(clf: Classifier, text: str) -> None:
    not_crisis(clf, text)


@pytest.mark.parametrize(
    "text",
    [
        "подруга написала что завтра её уже не будет",
        "скоро меня не станет, не ищите",
        "меня больше не будет, простите",
        "его скоро не будет на этом свете",
        "всем станет легче когда меня не будет",
        "это моё последнее сообщение",
        "vam stanet legche kogda menya ne budet",
        "мен жоқ болсам бәріне жеңіл болады",
        "ертең мүлдем жоқ боламын",
        "мен біржола жоғалып кетемін, анама жеңілірек болады",
        "енді мені көрмейсіңдер",
        "erteng men bolmaimyn",
        "I won't be here tomorrow",
        "she said she won't be around much longer",
        "everyone would be happier without me",
        "it'll all be over soon",
        "this is the last time you'll hear from me",
        "soon i won't be a burden anymore",
    ],
)
def test_indirect_suicidal_talk(clf: Classifier, text: str) -> None:
    crisis_with(clf, text, "suicide")


@pytest.mark.parametrize(
    "text",
    [
        "завтра меня не будет на уроке",
        "меня не будет дома в субботу",
        "ертең сабақта болмаймын",
        "I won't be here tomorrow, we're going to grandma's",
    ],
)
def test_plain_absence_is_not_suicidal(clf: Classifier, text: str) -> None:
    not_crisis(clf, text)


@pytest.mark.parametrize(
    "text",
    [
        "мальчик спит на остановке третью ночь",
        "брат ночует в подъезде",
        "сестра ночевала на вокзале",
        "на автовокзале спят двое детей",
        "nochuet v podezde uzhe nedelyu",
        "вокзалда түнеп жүр",
        "бала аялдамада ұйықтап жүр",
        "інім подъезде түнейді",
        "aialdamada tunep jur",
        "a kid is sleeping at the bus station",
        "my friend sleeps in the stairwell",
        "he spends nights at the bus stop",
        "she's living on the streets",
    ],
)
def test_children_sleeping_outside(clf: Classifier, text: str) -> None:
    crisis_with(clf, text, "missing_runaway")


@pytest.mark.parametrize(
    "text",
    [
        "в прошлом году резала руки, уже год не режу, как сказать маме",
        "раньше резалась, но давно уже не делаю этого",
        "два года назад наносила себе порезы, сейчас всё хорошо",
        "раньше отчим поднимал руку, но он давно не пьёт и всё нормально",
        "былтыр өзіме зиян келтіретінмін, қазір жақсымын",
        "бұрын қолымды кесетінмін, қазір тоқтаттым",
        "бала кезімде әкем ұратын, қазір ішуді қойды",
        "I used to self-harm but I'm fine now",
        "i used to cut in 8th grade, been clean for two years",
        "my dad used to hit us but he's sober now and doesn't hit anymore",
    ],
)
def test_resolved_past_is_not_crisis(clf: Classifier, text: str) -> None:
    not_crisis(clf, text)


@pytest.mark.parametrize(
    "text",
    [
        "раньше резала руки, а вчера опять порезалась",
        "бросила резаться, но на прошлой неделе снова порезала руку",
        "бұрын кесетінмін, кеше қайтадан қолымды кестім",
        "I used to self-harm, and last week I cut again",
        "i stopped for a year but i relapsed and cut myself yesterday",
    ],
)
def test_relapse_is_crisis(clf: Classifier, text: str) -> None:
    crisis_with(clf, text, "self_harm")


@pytest.mark.parametrize(
    "text",
    [
        "пишу доклад о профилактике суицида, где статистика",
        "стихотворение про смерть на урок литературы",
        "суицид туралы баяндама дайындап жатырмын",
        "we have a school project on suicide prevention",
        "essay about self-harm awareness for health class",
        "физика мені өлтіреді ғой, ертең бақылау",
        "химия мені өлтіреді ғой",
        "тышқан көріп жүрегім тоқтап қала жаздады 😂",
        "сердце чуть не остановилось когда кот прыгнул",
        "my heart nearly stopped when the lights went out",
        "this homework will be the death of me",
        "my son was expelled for missing classes",
        "she keeps missing school, what can the teacher do",
    ],
)
def test_projects_and_figures_are_not_crisis(clf: Classifier, text: str) -> None:
    not_crisis(clf, text)


@pytest.mark.parametrize(
    ("text", "urgency"),
    [
        ("мама говорит что лучше бы я не рождался", "urgent"),
        ("отец кричит что лучше бы ты не родилась", "urgent"),
        ("анам туылмағаның жақсы еді дейді", "urgent"),
        ("my mom says she wishes i was never born", "urgent"),
        ("парень бросил, не могу ни есть ни спать", "urgent"),
        ("since the breakup i can't eat or sleep", "urgent"),
    ],
)
def test_emotional_abuse_and_distress_are_urgent(clf: Classifier, text: str, urgency: str) -> None:
    assert clf.classify(text).urgency == urgency


def test_a_childs_own_wish_not_to_be_born_stays_crisis(clf: Classifier) -> None:
    crisis_with(clf, "лучше бы я не родилась, не хочу так жить", "suicide")


@pytest.mark.parametrize(
    "text",
    [
        "как подать на алименты если мы не были расписаны",
        "мы были в браке три года, как делить имущество",
        "were not married, how do i claim alimony",
        "родители разводятся, папа хочет забрать меня в другой город",
        "my parents are divorcing and dad wants to take me abroad",
        "школа по прописке не берёт, мест нет",
        "the school won't register my son without a residence permit",
    ],
)
def test_routine_legal_questions_are_not_crisis(clf: Classifier, text: str) -> None:
    not_crisis(clf, text)


def test_safe_phrase_raises_the_bar_even_with_an_urgent_rule() -> None:
    """ "мама говорит лучше бы я не рождался": emotional_abuse fired and a safe phrase
    matched; the model alone may then raise at most a possible risk."""
    a = ANALYZER.analyze("мама говорит что лучше бы я не рождался")
    assert a.safe and "emotional_abuse" in a.signals and "suicide" not in a.signals
    assert "safe" in a.model_signals


def test_english_safe_phrase_covers_the_transliterated_hit() -> None:
    """ "self-harm" also reads as Kazakh "селф харм" in the Cyrillic skeleton."""
    a = ANALYZER.analyze("I used to self-harm two years ago but I'm fine now")
    assert "self_harm" not in a.signals and a.safe


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("учитель бьёт моего сына линейкой", "abuse"),
        ("мұғалім баламды ұрады", "abuse"),
        ("the teacher hit my daughter in class", "abuse"),
        ("взрослый мужчина пишет дочке 12 лет и зовёт встретиться", "abuse"),
        ("бейтаныс ер адам қызыма жазып, кездесуге шақырады", "abuse"),
        ("a stranger online keeps inviting my 12 year old to meet up", "abuse"),
        ("сосед показывает детям порно на телефоне", "abuse"),
        ("a man showed my son porn videos", "abuse"),
    ],
)
def test_crisis_categories(clf: Classifier, text: str, category: str) -> None:
    result = clf.classify(text)
    assert result.is_crisis, result.signals
    assert result.category == category, result.categories[:3]


@pytest.mark.parametrize(
    "text",
    [
        "пацаны из старших классов обещают зарезать после уроков",
        "жоғары сынып балалары өлтіреміз деп күтіп тұр",
        "older kids said they'll stab me after school",
    ],
)
def test_threats_from_pupils_are_bullying_or_abuse(clf: Classifier, text: str) -> None:
    result = clf.classify(text)
    assert result.is_crisis
    assert result.category in {"bullying", "abuse"}, result.categories[:3]


@pytest.mark.parametrize(
    "text",
    [
        "neighbours left their baby alone, it's been crying for hours",
        "көршінің баласы үйде жалғыз, таңнан бері жылап жатыр",
        "соседи оставили малыша одного, он кричит уже несколько часов",
    ],
)
def test_toddler_left_alone_is_abuse_or_family(clf: Classifier, text: str) -> None:
    result = clf.classify(text)
    assert result.is_crisis
    assert result.category in {"abuse", "family"}, result.categories[:3]
