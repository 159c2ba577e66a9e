"""The referral directory: state bodies and NGOs by region and category (SPEC section 8).

An editable tab-separated file (`entries.tsv` beside this module, or HELPLINE_DIRECTORY_FILE),
one entry a line, `#` lines are comments. Columns, in this order:

    id  regions  categories  phone  hours  sample  name_kk  name_ru  name_en
        helps_kk  helps_ru  helps_en

* `regions`: `*` for the whole country, or region slugs separated by commas (the dialog's
  twenty regions and cities, e.g. `almaty,almaty_region`).
* `categories`: `*` for every topic, or category slugs (SPEC section 5) separated by commas.
* `phone`: a full number (`+7 7172 00 00 00`) or a short national number (`150`); may be
  empty when the entry is reached another way.
* `hours`: `24/7`, `09:00-18:00`, `mon-fri 09:00-18:00`, or empty when not known.
* `sample`: `yes` for a made-up example the coordinator must replace; samples are never shown
  to users unless the settings ask for them (HELPLINE_DIRECTORY_SAMPLES).

`helpline directory check [FILE]` validates a file and names the line of every problem.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import phonenumbers

from bot.dialogs.menus import CATEGORY_LABELS, REGIONS

DEFAULT_FILE = Path(__file__).resolve().parent / "entries.tsv"
LANGS = ("kk", "ru", "en")
COLUMNS = (
    "id",
    "regions",
    "categories",
    "phone",
    "hours",
    "sample",
    *(f"name_{lang}" for lang in LANGS),
    *(f"helps_{lang}" for lang in LANGS),
)
REQUIRED = ("id", "regions", "categories", *COLUMNS[6:])
_ID_RE = re.compile(r"^[a-z0-9_]{1,40}$")
_SHORT_RE = re.compile(r"^\d{3,4}$")
_HOURS_RE = re.compile(
    r"^(?:24/7|(?:(mon|tue|wed|thu|fri|sat|sun)-(mon|tue|wed|thu|fri|sat|sun) )?"
    r"([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-4]):[0-5]\d)$"
)


@dataclass(frozen=True, slots=True)
class Entry:
    id: str
    regions: frozenset[str]  # empty: the whole country
    categories: frozenset[str]  # empty: every topic
    phone: str
    hours: str
    sample: bool
    names: tuple[tuple[str, str], ...]  # (language, text)
    helps: tuple[tuple[str, str], ...]
    line: int = 0

    @property
    def national(self) -> bool:
        return not self.regions

    def name(self, lang: str) -> str:
        return dict(self.names)[lang]

    def helps_with(self, lang: str) -> str:
        return dict(self.helps)[lang]

    def fits(self, category: str | None, region: str | None) -> bool:
        topic_ok = not self.categories or (category is not None and category in self.categories)
        place_ok = self.national or (region is not None and region in self.regions)
        return topic_ok and place_ok


@dataclass(frozen=True, slots=True)
class Directory:
    entries: tuple[Entry, ...] = ()

    def matching(self, category: str | None, region: str | None, limit: int = 5) -> list[Entry]:
        """Regional entries for the place and topic first, then national ones for the topic,
        then the national lines for every topic; at most `limit`."""
        fitting = [e for e in self.entries if not e.sample and e.fits(category, region)]
        fitting.sort(key=lambda e: (e.national, not e.categories, e.line))
        return fitting[:limit]

    def get(self, entry_id: str) -> Entry | None:
        return next((e for e in self.entries if e.id == entry_id), None)

    def with_samples(self) -> Directory:
        """Samples treated as real: for demonstrations and tests only."""
        return Directory(tuple(_unsample(e) for e in self.entries))


def _unsample(entry: Entry) -> Entry:
    return Entry(
        entry.id,
        entry.regions,
        entry.categories,
        entry.phone,
        entry.hours,
        False,
        entry.names,
        entry.helps,
        entry.line,
    )


@dataclass(frozen=True, slots=True)
class Problem:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


class DirectoryError(ValueError):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(str(p) for p in problems[:5]))
        self.problems = problems


def _slugs(
    value: str, known: Iterable[str], what: str, line: int
) -> tuple[set[str], list[Problem]]:
    if value.strip() == "*":
        return set(), []
    found = {v.strip() for v in value.split(",") if v.strip()}
    unknown = sorted(found - set(known))
    problems = [Problem(line, f"unknown {what} {u!r}") for u in unknown]
    if not found:
        problems.append(Problem(line, f"no {what}s (use * for all)"))
    return found, problems


def phone_ok(phone: str) -> bool:
    if not phone or _SHORT_RE.match(phone):
        return True
    try:
        parsed = phonenumbers.parse(phone, "KZ")
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_valid_number(parsed)


def parse(text: str) -> tuple[Directory, list[Problem]]:
    """Read a directory file's text; every problem is reported with its line number."""
    entries: list[Entry] = []
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    header_done = False
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        cells = [c.strip() for c in raw.split("\t")]
        if not header_done:
            header_done = True
            if tuple(cells) != COLUMNS:
                problems.append(Problem(number, "the header must be: " + " ".join(COLUMNS)))
                return Directory(), problems
            continue
        if len(cells) != len(COLUMNS):
            problems.append(
                Problem(number, f"{len(cells)} columns, expected {len(COLUMNS)} (tab-separated)")
            )
            continue
        row = dict(zip(COLUMNS, cells, strict=True))
        before = len(problems)
        problems += [Problem(number, f"{name} is empty") for name in REQUIRED if not row[name]]
        if row["id"] and not _ID_RE.match(row["id"]):
            problems.append(Problem(number, "id: use lower-case letters, digits and _"))
        if row["id"] in seen:
            problems.append(
                Problem(number, f"id {row['id']!r} already used on line {seen[row['id']]}")
            )
        seen.setdefault(row["id"], number)
        regions, found = _slugs(row["regions"], REGIONS, "region", number)
        problems += found
        categories, found = _slugs(row["categories"], CATEGORY_LABELS, "category", number)
        problems += found
        if not phone_ok(row["phone"]):
            problems.append(Problem(number, f"phone {row['phone']!r} is not a valid number"))
        if row["hours"] and not _HOURS_RE.match(row["hours"]):
            problems.append(Problem(number, "hours: use 24/7, 09:00-18:00 or mon-fri 09:00-18:00"))
        if row["sample"] not in ("yes", "no", ""):
            problems.append(Problem(number, "sample: use yes or no"))
        if len(problems) > before:
            continue
        entries.append(
            Entry(
                id=row["id"],
                regions=frozenset(regions),
                categories=frozenset(categories),
                phone=row["phone"],
                hours=row["hours"],
                sample=row["sample"] == "yes",
                names=tuple((lang, row[f"name_{lang}"]) for lang in LANGS),
                helps=tuple((lang, row[f"helps_{lang}"]) for lang in LANGS),
                line=number,
            )
        )
    if not header_done:
        problems.append(Problem(1, "empty file: no header"))
    return Directory(tuple(entries)), problems


def load(path: Path | None = None, samples: bool = False) -> Directory:
    """The directory to use; a broken file is an error at start, not a silent empty list."""
    directory, problems = parse((path or DEFAULT_FILE).read_text(encoding="utf-8"))
    if problems:
        raise DirectoryError(problems)
    return directory.with_samples() if samples else directory
