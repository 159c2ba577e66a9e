"""Signal lexicons: clinician-editable pattern files compiled into fast matchers.

File format (bot/classify/data/signals_*.tsv, described again in each file's header):
one rule per line, `signal<TAB>pattern<TAB>example`; `#` starts a comment line;
`@suffix NAME form|form|...` defines a class of endings usable as `stem<NAME>`.
Pattern words must appear in order with at most two other words between them; `...` allows
up to six. `word*` matches any ending, `(a|b|c)` is a choice for one word. The special
signal `safe` marks negation, figurative, reported or resolved-past phrases ("не хочу
умирать", "dying of laughter", "used to cut, fine now"): a signal match that lies inside a
safe match (or inside overlapping safe matches taken together) is ignored, unless the rule's
signal is written with a leading `!` ("!self_harm": a new episode such as "cut again" counts
even inside "used to cut ... fine now").

Negation binds in safe rules: in a `safe` rule, a negation word (NEGATIONS_CYRILLIC,
NEGATIONS_LATIN: "не", "ни", "нет", "not", "dont", "never", "no", ...) is followed by the
next pattern word directly, with no other word between them. So `не хочу умирать` matches
"я не хочу умирать" but not "я больше не могу, хочу умереть", a crisis that the safe phrase
would otherwise cover. A choice binds only after its forms that end in a negation ("(я не|не)
x" binds, "(wont|will not|not going to) x" binds after "wont" and "will not" only). An explicit
`...` after a negation keeps its long gap: the author asked for it. Signal rules keep their
gaps everywhere: broader matching is the safe side for them. Kazakh mostly negates with a
suffix ("өлгім келмейді"), where nothing changes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from bot.classify.normalize import skeleton_word

DATA_DIR = Path(__file__).resolve().parent / "data"
SAFE = "safe"
PROBE_LEN = 4
_GAP = r"(?: [^ ]+){0,2} "
_LONG_GAP = r"(?: [^ ]+){0,6} "
_NO_GAP = " "
# Negation words that bind to the next pattern word in `safe` rules (see the module docstring),
# written as in the rule files and compared after skeleton_word, like the text. Cyrillic rules
# (Russian and Kazakh, translit) and Latin rules (English) have their own lists: transliterated
# "no" would otherwise be Russian "но" ("but").
NEGATIONS_CYRILLIC = frozenset(
    {
        # Russian
        "не", "ни", "нет", "нету", "никогда",
        # Kazakh (negation is mostly a suffix; these are the separate words)
        "емес", "жоқ", "ешқашан",
    }
)  # fmt: skip
NEGATIONS_LATIN = frozenset(
    {
        # English (apostrophes do not matter: don't = dont)
        "not", "no", "never", "dont", "doesnt", "didnt", "wont", "wouldnt", "cant", "cannot",
        "couldnt", "shouldnt", "isnt", "arent", "wasnt", "werent", "havent", "hasnt", "hadnt",
        "aint", "neither", "nor",
    }
)  # fmt: skip
_CLASS_REF = re.compile(r"<(\w+)>")
_TOKEN = re.compile(r"\([^)]*\)|\S+")


@dataclass(frozen=True, slots=True)
class Rule:
    signal: str
    regex: re.Pattern[str]
    probes: tuple[str, ...]  # literal starts of the first word: cheap pre-filter
    source: str  # "file:line", so a reviewer can find the rule that fired
    sticky: bool = False  # written "!signal": no safe phrase can cover it


def _expand(alt: str, classes: dict[str, list[str]]) -> list[str]:
    m = _CLASS_REF.search(alt)
    if not m:
        return [alt]
    forms = classes.get(m.group(1))
    if forms is None:
        raise ValueError(f"unknown suffix class <{m.group(1)}> in {alt!r}")
    head, tail = alt[: m.start()], alt[m.end() :]
    return [x for f in forms for x in _expand(head + f + tail, classes)]


def _word_forms(
    word: str, classes: dict[str, list[str]], translit: bool
) -> tuple[list[tuple[str, str]], list[str]]:
    """Regexes of the forms of one pattern word (or choice), each with its last literal word,
    and the probes (literal starts of each form's first word)."""
    alts = word[1:-1].split("|") if word.startswith("(") and word.endswith(")") else [word]
    forms: list[tuple[str, str]] = []
    probes: list[str] = []
    for alt in alts:
        for form in _expand(alt.strip(), classes):
            rx_words = []
            first_lit = skeleton_word(form.split()[0].rstrip("*"), translit)
            last = ""
            for w in form.split():  # a choice may be several words: (с собой|собой)
                lit = skeleton_word(w.rstrip("*"), translit)
                if not lit:
                    raise ValueError(f"empty word in pattern: {word!r}")
                rx_words.append(re.escape(lit) + ("[^ ]*" if w.endswith("*") else ""))
                last = "" if w.endswith("*") else lit
            forms.append((" ".join(rx_words), last))
            probes.append(first_lit[:PROBE_LEN])
    return forms, probes


def _alternation(parts: Iterable[str]) -> str:
    return "(?:" + "|".join(sorted(set(parts), key=len, reverse=True)) + ")"


def _negations(translit: bool) -> frozenset[str]:
    words = NEGATIONS_CYRILLIC if translit else NEGATIONS_LATIN
    return frozenset(skeleton_word(w, translit) for w in words)


def compile_pattern(
    pattern: str, classes: dict[str, list[str]], translit: bool, safe: bool = False
) -> tuple[re.Pattern[str], tuple[str, ...]]:
    """The regex of one pattern, and its probes. With `safe`, a form ending in a negation word
    is followed by the next word directly instead of by a gap of up to two words."""
    if "-" in pattern or "?" in pattern or re.search(r"\([^)]*\(", pattern):
        raise ValueError(f"no hyphens, '?' or nested brackets in patterns: {pattern!r}")
    words: list[tuple[list[tuple[str, str]], str]] = []  # (forms, gap before the word)
    probes: tuple[str, ...] = ()
    gap = ""
    for tok in _TOKEN.findall(pattern):
        if tok == "...":
            gap = _LONG_GAP
            continue
        forms, word_probes = _word_forms(tok, classes, translit)
        if not probes:
            probes = tuple(sorted(set(word_probes)))
        words.append((forms, gap))
        gap = _GAP
    negations = _negations(translit) if safe else frozenset()
    out = " "
    for i, (forms, _) in enumerate(words):
        after = words[i + 1][1] if i + 1 < len(words) else ""
        if after != _GAP:  # the last word, or an explicit "..." the author wrote
            out += _alternation(rx for rx, _ in forms) + after
            continue
        bound = [rx for rx, last in forms if last in negations]
        free = [rx for rx, last in forms if last not in negations]
        if not bound:
            out += _alternation(free) + _GAP
        elif not free:
            out += _alternation(bound) + _NO_GAP
        else:
            out += "(?:" + _alternation(bound) + _NO_GAP + "|" + _alternation(free) + _GAP + ")"
    return re.compile(out + "(?= )"), probes


def parse_rules(lines: Iterable[str], origin: str, translit: bool) -> list[Rule]:
    classes: dict[str, list[str]] = {}
    rules: list[Rule] = []
    for n, raw in enumerate(lines, 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("@suffix"):
            _, name, forms = line.split(maxsplit=2)
            classes[name] = [f.strip() for f in forms.split("|")]
            continue
        cols = raw.rstrip("\n").split("\t")
        if len(cols) < 2:
            raise ValueError(f"{origin}:{n}: expected signal<TAB>pattern, got {raw!r}")
        try:
            signal = cols[0].strip()
            regex, probes = compile_pattern(
                cols[1].strip().lower(), classes, translit, safe=signal == SAFE
            )
        except ValueError as exc:
            raise ValueError(f"{origin}:{n}: {exc}") from None
        sticky = signal.startswith("!")
        rules.append(Rule(signal.lstrip("!"), regex, probes, f"{origin}:{n}", sticky))
    return rules


@dataclass(frozen=True, slots=True)
class Hit:
    signal: str
    span: tuple[int, int]  # word range [first, last + 1) in the skeleton
    source: str
    sticky: bool = False


class Lexicon:
    """All rules of one script family, matched against a skeleton string."""

    def __init__(self, rules: list[Rule]) -> None:
        self.rules = rules
        # probe (first <= 4 letters of a rule's first word) -> rule numbers: a message only
        # runs the rules whose first word could start one of its words.
        self._index: dict[str, list[int]] = {}
        for i, rule in enumerate(rules):
            for probe in rule.probes:
                self._index.setdefault(probe, []).append(i)
        # word -> the rules its prefixes select; words repeat across messages (bounded).
        self._by_word: dict[str, tuple[int, ...]] = {}

    def _candidates(self, word: str) -> tuple[int, ...]:
        found = self._by_word.get(word)
        if found is None:
            ids: set[int] = set()
            for k in range(1, min(len(word), PROBE_LEN) + 1):
                ids.update(self._index.get(word[:k], ()))
            found = tuple(sorted(ids))
            if len(self._by_word) < 50_000:
                self._by_word[word] = found
        return found

    @classmethod
    def from_files(cls, paths: Iterable[Path], translit: bool) -> Lexicon:
        rules: list[Rule] = []
        for path in paths:
            with path.open(encoding="utf-8") as f:
                rules += parse_rules(f, path.name, translit)
        return cls(rules)

    def hits(self, skel: str) -> list[Hit]:
        """Signal hits in `skel`, minus those covered by a `safe` phrase."""
        return self.scan(skel)[0]

    def scan(self, skel: str) -> tuple[list[Hit], bool]:
        """Signal hits in `skel` minus those covered by a `safe` phrase, and whether any
        `safe` phrase matched at all (the crisis model then needs more confidence)."""
        found, safe = self.raw_scan(skel)
        return drop_covered(found, safe), bool(safe)

    def matches(self, skel: str) -> bool:
        """Whether any rule matches `skel` (signals and `safe` alike): a vocabulary test."""
        text = f" {skel} "
        rules = self.rules
        seen: set[int] = set()
        for word in set(skel.split()):
            for i in self._candidates(word):
                if i not in seen:
                    seen.add(i)
                    if rules[i].regex.search(text):
                        return True
        return False

    def raw_scan(self, skel: str) -> tuple[list[Hit], list[tuple[int, int]]]:
        """All signal hits and all `safe` spans, as word ranges [first, last + 1) of `skel`.

        Word ranges (not character offsets) so that the safe phrases of one lexicon can
        cover the hits of another on a skeleton of the same words in another script."""
        text = f" {skel} "
        found: list[Hit] = []
        safe: list[tuple[int, int]] = []
        candidates: set[int] = set()
        for word in set(skel.split()):
            candidates.update(self._candidates(word))
        rules = self.rules
        for i in sorted(candidates):
            rule = rules[i]
            if rule.regex.search(text) is None:  # most candidates: cheaper than finditer
                continue
            for m in rule.regex.finditer(text):
                # A match starts at the space before its first word and ends before the
                # space after its last one.
                span = (text.count(" ", 0, m.start() + 1) - 1, text.count(" ", 0, m.end()))
                if rule.signal == SAFE:
                    safe.append(span)
                else:
                    found.append(Hit(rule.signal, span, rule.source, rule.sticky))
        return found, safe


def drop_covered(found: list[Hit], safe: list[tuple[int, int]]) -> list[Hit]:
    """Hits not lying inside a safe span (overlapping safe spans taken together); sticky
    hits (a new episode: "cut again") are always kept."""
    if not safe:
        return found
    merged = _merge(safe)
    return [
        h
        for h in found
        if h.sticky or not any(a <= h.span[0] and h.span[1] <= b for a, b in merged)
    ]


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping safe spans joined: "физика мені өлтіреді" + "өлтіреді ғой ... бақылау"
    together cover the hit "мені өлтіреді ғой" that neither covers alone."""
    out: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if out and a < out[-1][1]:
            out[-1] = (out[-1][0], max(b, out[-1][1]))
        else:
            out.append((a, b))
    return out


def load_signal_levels(path: Path | None = None) -> dict[str, tuple[str, str]]:
    """signal -> (urgency level, category it points to), from signals.tsv."""
    levels: dict[str, tuple[str, str]] = {}
    with (path or DATA_DIR / "signals.tsv").open(encoding="utf-8") as f:
        for line in f:
            if line.strip() and not line.startswith("#"):
                name, level, category = line.split("\t")[:3]
                levels[name.strip()] = (level.strip(), category.strip())
    return levels
