"""Masking of personal data in what a child writes, before it reaches staff or storage.

`find_pii(text)` returns spans (start, end, kind); `mask(text)` replaces them with markers such
as `[phone]`. Hand-written rules for what the helpline sees (Kazakhstani phones, IINs, cards,
plain and spelled-out e-mails, account names, street addresses in three languages, names after
"меня зовут" / "атым" / "I'm" and name + surname/patronymic pairs) are combined with the
recognizers of `airlock-pii` (names from its word lists, IINs, cards) when it is installed;
`bench/masking.py` measures each on a labelled set. Errs on the side of masking.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import phonenumbers

KINDS = ("name", "phone", "email", "account", "iin", "card", "address")
LABELS = {
    "name": "[name]",
    "phone": "[phone]",
    "email": "[e-mail]",
    "account": "[account]",
    "iin": "[IIN]",
    "card": "[card]",
    "address": "[address]",
}


@dataclass(frozen=True, slots=True, order=True)
class Span:
    start: int
    end: int
    kind: str


Finder = Callable[[str], Iterable[Span]]

# --- e-mails and accounts --------------------------------------------------------------------

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_AT = r"(?:\s*@\s*|\s*[(\[{<]\s*(?:at|собака)\s*[)\]}>]\s*|\s+(?:at|собака|собачка|эт|ат)\s+)"
_DOT = r"(?:\s*\.\s*|\s*[(\[{<]\s*(?:dot|точка)\s*[)\]}>]\s*|\s+(?:dot|точка|нүкте)\s+)"
_TLD = r"(?:com|ru|kz|net|org|ua|by|uz|kg|me|io|кз|ру|ком)"
_PROVIDER = (
    r"(?:gmail|mail|yandex|inbox|list|bk|icloud|outlook|hotmail|yahoo|rambler|"
    r"мейл|майл|гмейл|яндекс)"
)
_SPELLED_EMAIL = re.compile(
    rf"(?i)(?<![\w.])[\w.+-]{{2,}}{_AT}(?:[\w-]+(?:{_DOT}[\w-]+)*{_DOT}{_TLD}\b"
    rf"|{_PROVIDER}(?:\s+{_TLD})?\b)"
)
_URL_ACCOUNT = re.compile(
    r"(?i)\b(?:https?://)?(?:www\.)?(?:instagram\.com|t\.me|vk\.com|tiktok\.com|facebook\.com"
    r"|fb\.com|youtube\.com|twitter\.com|x\.com|snapchat\.com/add)/@?[\w.]+"
)
_HANDLE = re.compile(r"(?<![\w@])@[A-Za-z0-9_][\w.]{2,}")
_ACCOUNT_CUE = re.compile(
    r"(?i)\b(?:ник|никнейм|логин|аккаунта?|акк|username|user name|nick(?:name)?|login|"
    r"account|insta(?:gram)?|инст(?:а|е|у|ы)?|инстаграм(?:е|а)?|tik ?tok|тик ?ток(?:е|а)?|"
    r"telegram|телеграм(?:е|а)?|тг|discord|дискорд(?:е|а)?|snap(?:chat)?|vk|вк|roblox|роблокс(?:е)?)(?!\w)"
    r"(?:\s+(?:is|это|мой|мою|—|-|:))?\s*[:—-]?\s*(?P<acc>[A-Za-z0-9_][A-Za-z0-9_.]{2,})"
)
# a bare Latin token that looks like an account: letters with an underscore, or letters + digits
_BARE_ACCOUNT = re.compile(
    r"(?<![\w@./])(?=[A-Za-z0-9_.]*[A-Za-z]{2})[A-Za-z][A-Za-z0-9]*(?:[_.][A-Za-z0-9]+)*"
    r"(?:_[A-Za-z0-9_.]*|\d{2,})(?![\w@])"
)


def _emails(text: str) -> Iterable[Span]:
    for rx in (_EMAIL, _SPELLED_EMAIL):
        for m in rx.finditer(text):
            yield Span(m.start(), m.end(), "email")


def _accounts(text: str) -> Iterable[Span]:
    for rx in (_URL_ACCOUNT, _HANDLE, _BARE_ACCOUNT):
        for m in rx.finditer(text):
            yield Span(m.start(), m.end(), "account")
    for m in _ACCOUNT_CUE.finditer(text):
        acc = m.group("acc")
        if any(ch.isalpha() for ch in acc) and acc.lower() not in _NOT_ACCOUNTS:
            yield Span(m.start("acc"), m.end("acc"), "account")


_NOT_ACCOUNTS = frozenset({"is", "the", "and", "but", "not", "there", "here", "mine", "my"})

# --- numbers: phones, IINs, cards ----------------------------------------------------------

_NUMBER = re.compile(r"(?<![\w.,])\+?\d[\d\s()-]{5,}\d(?![\w])")


def _iin_valid(digits: str) -> bool:
    """Kazakhstani IIN/BIN check digit (two rounds of weights, mod 11)."""
    values = [int(d) for d in digits]
    for weights in (range(1, 12), [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2]):
        check = sum(v * w for v, w in zip(values[:11], weights, strict=True)) % 11
        if check != 10:
            return check == values[11]
    return False


def _luhn(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def number_kind(digits: str) -> str | None:
    """What a run of digits most likely is; None for short numbers (ages, grades, sums)."""
    if len(digits) == 12:
        return "iin"  # an IIN (or a BIN); a valid check digit or not, it is masked
    if 13 <= len(digits) <= 19:
        return "card"  # Luhn-valid or mistyped, a long number is masked as a card
    if len(digits) >= 7:
        return "phone"
    return None


def _numbers(text: str) -> Iterable[Span]:
    for m in _NUMBER.finditer(text):
        start, end = m.start(), m.end()
        raw = m.group()
        # a trailing ")" or "(" that is not part of a phone number
        while raw and raw[-1] in " -(":
            raw, end = raw[:-1], end - 1
        kind = number_kind(re.sub(r"\D", "", raw))
        if kind is not None:
            yield Span(start, end, kind)
    for match in phonenumbers.PhoneNumberMatcher(text, "KZ"):
        yield Span(match.start, match.end, "phone")


# --- street addresses ------------------------------------------------------------------------

_NUM = r"\d+[\w/-]*"
_UNIT = r"(?:кв\.?|квартира|пәтер|үй|дом|д\.|корпус|apt\.?|flat|house|блок)"
_TAIL = rf"(?:\s*,?\s*(?:{_UNIT}\s*{_NUM}|{_NUM}\s*{_UNIT}(?!\w)))*"
_ADDRESS_BEFORE = re.compile(  # the keyword first: ул. Абая 12, проспект Назарбаева 223
    r"(?i)\b(?:ул\.?|улица|улице|пр\.|пр-т|проспект|мкр\.?|микрорайон|бульвар|б-р|переулок|"
    r"пер\.|шағын\s?аудан|ш\.а\.?|street|st\.|avenue|ave\.|microdistrict)"
    rf"(?:\s*[\"«]?[^\W\d][\w\"«».-]*){{0,2}}\s*,?\s*(?:{_NUM}(?:\s*(?:үй|дом)(?!\w))?)?{_TAIL}"
)
_ADDRESS_AFTER = re.compile(  # the name first: Абай көшесі 150, 25 Dostyk avenue
    rf"(?i)(?:{_NUM}\s+)?[\w-]+\s+(?:көшесі|даңғылы|шағынауданы|ықшамауданы|street|avenue|"
    rf"ave\.?|st\.|road|str\.)\s*,?\s*(?:{_NUM}(?:\s*(?:үй|дом)(?!\w))?)?{_TAIL}"
)
_UNIT_ONLY = re.compile(rf"(?i)(?<!\w){_UNIT}\s*{_NUM}{_TAIL}")


def _addresses(text: str) -> Iterable[Span]:
    for rx in (_ADDRESS_BEFORE, _ADDRESS_AFTER, _UNIT_ONLY):
        for m in rx.finditer(text):
            found = m.group().rstrip(" ,")
            if any(ch.isdigit() for ch in found):
                yield Span(m.start(), m.start() + len(found), "address")


# --- names ---------------------------------------------------------------------------------

_WORD = r"[^\W\d_][^\W\d_'-]*"
_CAP = r"[^\W\d_a-zа-яёәғқңөұүһі][^\W\d_'-]*"  # a word that starts with a capital letter
_PATRONYMIC = (
    r"(?:ұлы|улы|қызы|кызы|uly|uli|ulu|qyzy|kyzy|qizi|овна|евна|ична|ович|евич|ovna|evna|"
    r"ovich|evich)"
)
_SURNAME = r"(?:ов|ова|ев|ева|ёв|ёва|ин|ина|ын|ына|ский|ская|енко|ov|ova|ev|eva|in|ina|sky|enko)"
# Cues after which the next word is a name whatever its case ("меня зовут жулдыз").
_SURE_CUE = re.compile(
    r"(?<!\w)(?i:меня\s+зовут|зовут\s+меня|зовут|моё\s+имя|мое\s+имя|имя|фамилия|"
    r"менің\s+атым|атым|есімім|менің\s+есімім|my\s+name\s+is|my\s+name's|my\s+names|"
    r"name\s+is|i\s+am\s+called|i'm\s+called|call\s+me|surname|menin\s+atym|atym|esimim)"
    r"\s*[:—-]?\s+"
    rf"(?P<name>{_WORD}(?:\s+{_CAP})?(?:\s+{_CAP})?)"
    r"|(?<!\w)(?i:meni|мені)\s+(?P<called>" + _WORD + r")\s+(?i:dep|деп)(?!\w)"
)
# Cues after which only a capitalised word is taken ("I'm Zhuldyzay", not "I'm fine").
_SOFT_CUE = re.compile(
    r"(?:(?<!\w)(?:[Ii]'?m|[Ii]\s+am|[Tt]his\s+is|[Ii]t'?s|[Яя]|[Ээ]то|Mr\.?|Mrs\.?|Ms\.?|"
    r"мама|папа|отчим|мачеха|брат|сестра|учитель|учительница|тренер|teacher|coach|"
    r"mom|dad|stepdad|stepfather|ағай|апай))\s+(?:(?:Mr|Mrs|Ms|Dr)\.?\s+)?"
    rf"(?P<name>{_CAP}(?:\s+{_CAP}){{0,2}})"
)
_PAIR = re.compile(rf"(?<!\w){_CAP}(?:\s+{_CAP}){{1,2}}(?!\w)")
_NOT_NAMES = frozenset(
    """
    kazakh russian english muslim christian fine ok okay good bad sad scared lazy alone
    happy tired sorry sure here there not in at on so from very really just also mr mrs ms dr
    monday tuesday wednesday thursday friday saturday sunday i a the is it my and but or yes no
    рада рад очень не в на из тоже уже просто хорошо плохо боюсь казах казашка русский
    русская мусульманин молодец сама сам один одна снова опять здесь тут
    """.split()  # noqa: SIM905 (a word list reads better as text)
)
_PLACES = frozenset(
    """
    almaty astana shymkent karaganda aktobe taraz pavlodar semey atyrau kostanay kyzylorda
    oral aktau turkistan kazakhstan алматы астана шымкент караганда караганды актобе тараз
    павлодар семей атырау костанай кызылорда уральск актау туркестан казахстан қазақстан
    """.split()  # noqa: SIM905
)


def _is_name_word(word: str) -> bool:
    low = word.lower()
    return low not in _NOT_NAMES and low not in _PLACES


def _trim_name(start: int, words: str) -> Span | None:
    """Keep the leading words that can be a name; None when the first cannot."""
    kept, pos = [], 0
    for m in re.finditer(r"\S+", words):
        if not _is_name_word(m.group()):
            break
        kept.append(m)
        pos = m.end()
    if not kept:
        return None
    return Span(start, start + pos, "name")


def _names(text: str) -> Iterable[Span]:
    for rx in (_SURE_CUE, _SOFT_CUE):
        for m in rx.finditer(text):
            group = "name" if m.group("name") is not None else "called"
            span = _trim_name(m.start(group), m.group(group))
            if span is not None:
                yield span
    for m in _PAIR.finditer(text):  # Иванов Сергей, Dana Seitkali, Мөлдір Сәрсенбайқызы
        words = m.group().split()
        if any(re.search(rf"(?i){_PATRONYMIC}$|{_SURNAME}$", w) for w in words) and all(
            _is_name_word(w) for w in words
        ):
            yield Span(m.start(), m.end(), "name")
    for m in re.finditer(rf"(?<!\w){_CAP}{_PATRONYMIC}(?!\w)", text):
        yield Span(m.start(), m.end(), "name")


RULES: tuple[Finder, ...] = (_emails, _accounts, _numbers, _addresses, _names)


def rule_spans(text: str) -> list[Span]:
    return [span for finder in RULES for span in finder(text)]


def merge(spans: Iterable[Span]) -> list[Span]:
    """Overlapping spans become one; its kind is that of the longest part."""
    out: list[Span] = []
    for span in sorted(spans):
        if out and span.start < out[-1].end:
            last = out[-1]
            kind = last.kind if last.end - last.start >= span.end - span.start else span.kind
            out[-1] = Span(last.start, max(last.end, span.end), kind)
        else:
            out.append(span)
    return out


def mask_spans(text: str, spans: Iterable[Span]) -> str:
    out, pos = [], 0
    for span in merge(spans):
        out.append(text[pos : span.start])
        out.append(LABELS.get(span.kind, "[hidden]"))
        pos = span.end
    out.append(text[pos:])
    return "".join(out)


# --- airlock-pii --------------------------------------------------------------------------

AIRLOCK_KINDS = {
    "PERSON": "name",
    "IIN": "iin",
    "BIN": "iin",
    "CARD": "card",
    "KZ_IBAN": "card",
    "PHONE": "phone",
    "EMAIL": "email",
}


def airlock_finder(
    kinds: Iterable[str] | None = None, min_confidence: float = 0.0
) -> Finder | None:
    """airlock-pii's recognizers (no NER model, nothing read from the environment), or None
    when the package is not installed."""
    try:
        from airlock_pii.engine import Engine
        from airlock_pii.recognizers import default_recognizers
    except ImportError:
        return None
    engine = Engine(default_recognizers(ner="off", internal_domains=""))
    wanted = set(kinds) if kinds is not None else set(AIRLOCK_KINDS)

    def find(text: str) -> Iterable[Span]:
        for entity in engine.detect(text, min_confidence=min_confidence):
            kind = AIRLOCK_KINDS.get(str(entity.type.value))
            if kind is not None and str(entity.type.value) in wanted:
                yield Span(entity.start, entity.end, kind)

    return find


class Masker:
    def __init__(self, finders: Iterable[Finder]) -> None:
        self.finders = tuple(finders)

    def spans(self, text: str) -> list[Span]:
        return merge(span for finder in self.finders for span in finder(text))

    def mask(self, text: str) -> str:
        return mask_spans(text, self.spans(text))


def default_masker() -> Masker:
    """The rules, plus airlock-pii's names, IINs and cards (see bench/masking.py)."""
    extra = airlock_finder(("PERSON", "IIN", "BIN", "CARD"))
    return Masker([rule_spans] if extra is None else [rule_spans, extra])


_DEFAULT: Masker | None = None


def mask(text: str) -> str:
    """Mask personal data in `text`: what staff and storage see."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = default_masker()
    return _DEFAULT.mask(text)


def warm_up() -> None:
    """Build the masker (word lists, patterns) at start, not on a child's first message."""
    mask("warm up")
