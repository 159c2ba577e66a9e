"""The helpline classifier: language, crisis signals, urgency and ranked categories."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.classify.crisis import DISTANCED_THRESHOLD, MODEL_SIGNAL, CrisisModel, model_may_fire
from bot.classify.language import LanguageIdentifier
from bot.classify.lexicon import DATA_DIR, SAFE, Lexicon, drop_covered, load_signal_levels
from bot.classify.model import CategoryModel
from bot.classify.normalize import skeleton_of, words
from bot.classify.types import CATEGORIES, Classification, Language, Urgency

# Below these the dialog asks the user to pick among the best guesses.
MIN_TOP_SCORE = 0.40
MIN_MARGIN = 0.12
# Weight of a fired signal's own category (signals.tsv) added to the model's probabilities:
# a message with a crisis signal should not land in e.g. "education" by accident.
SIGNAL_PRIOR = 0.15
# Signal added when a message is `urgent` because of possible risk (policy.md): the model
# scored it between its two thresholds, or a crisis rule or the model fired inside a joke or
# another safe phrase. Staff see it on the card; the queue puts it first after crises.
POSSIBLE_RISK = "possible_risk"
DISTANCE = "distance"  # the crisis model's hint for a distance cue
# Emoji that name a means of harm, read as words by the rules and the model (the skeleton
# drops emoji): "💊💊 tonight" is "pills pills tonight". Language id still sees the raw text.
EMOJI_WORDS = {"💊": "pills", "🔪": "knife", "🪢": "rope", "🩸": "blood"}
EMOJI_RE = re.compile("|".join(EMOJI_WORDS))
# Laughter and song markers (policy.md, "Figurative speech"): every message of our corpus
# that carries one is figurative. They are read on the raw text: the skeleton drops emoji.
PLAYFUL_RE = re.compile(
    r"[😂🤣😅😆😹🎵🎶🎤]|\b(?:lol|lmao|haha\w*|ha-ha|hehe|xd|ахах\w*|хаха\w*|ха-ха|хи-хи|хехе|кек|рофл\w*)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Analysis:
    language: Language
    skel: str  # the skeleton the category model sees
    signals: tuple[str, ...]  # signals in order of first appearance
    sources: tuple[str, ...]  # "file:line" of the rules that fired
    topics: tuple[str, ...] = ()  # categories hinted by topic words (data/topics_*.tsv)
    cyr: str = ""  # the Cyrillic skeleton (whatever the language): what the crisis model sees
    safe: bool = False  # a `safe` (negation / figurative / resolved past) phrase matched
    # A word of the crisis vocabulary (data/crisis_vocabulary_*.tsv) occurs: without one the
    # crisis model alone may not raise a crisis.
    crisis_words: bool = False
    # The language was settled by the rules with a clear margin (not a tie or lingua's guess):
    # only then may a long message switch a dialog's language (issue 9).
    language_sure: bool = False
    playful: bool = False  # a laughter or song marker (PLAYFUL_RE)
    # A distance cue (data/distance_cues.tsv): "not urgent", years ago, a research paper, a
    # film, a legal question.
    distanced: bool = False
    # Crisis signals of non-sticky rules said playfully or from a distance: a possible risk.
    softened: tuple[str, ...] = ()

    @property
    def model_may_fire(self) -> bool:
        """Whether the crisis model alone may raise a crisis or a possible risk: enough
        words, one of them from the crisis vocabulary (training's cross-validation applies
        the same gate)."""
        return self.crisis_words and model_may_fire(self.cyr)

    @property
    def figurative(self) -> bool:
        """A safe phrase or a laughter/song marker: the model alone may not raise a crisis
        (at most a possible risk), and non-sticky crisis rules only a possible risk."""
        return self.safe or self.playful

    @property
    def model_signals(self) -> tuple[str, ...]:
        """What the crisis model sees of the rules: the hits, and "safe" if one matched."""
        hints = (*self.signals, *self.softened)
        hints += (SAFE,) if self.figurative else ()
        return (*hints, DISTANCE) if self.distanced else hints


class TextAnalyzer:
    """Everything except the category model: language id and the signal lexicons."""

    def __init__(self) -> None:
        self.language_id = LanguageIdentifier()
        cyrillic = [DATA_DIR / "signals_kk.tsv", DATA_DIR / "signals_ru.tsv"]
        self.cyrillic = Lexicon.from_files(cyrillic, translit=True)
        self.latin = Lexicon.from_files([DATA_DIR / "signals_en.tsv"], translit=False)
        self.topics_cyrillic = Lexicon.from_files([DATA_DIR / "topics_cyr.tsv"], translit=True)
        self.topics_latin = Lexicon.from_files([DATA_DIR / "topics_en.tsv"], translit=False)
        self.vocabulary_cyrillic = Lexicon.from_files(
            [DATA_DIR / "crisis_vocabulary_kk.tsv", DATA_DIR / "crisis_vocabulary_ru.tsv"],
            translit=True,
        )
        self.vocabulary_latin = Lexicon.from_files(
            [DATA_DIR / "crisis_vocabulary_en.tsv"], translit=False
        )
        # Both scripts read every cue line: a cue file mixes the three languages.
        cues = [DATA_DIR / "distance_cues.tsv"]
        self.distance_cyrillic = Lexicon.from_files(cues, translit=True)
        self.distance_latin = Lexicon.from_files(cues, translit=False)
        self.levels = load_signal_levels()
        unknown = {r.signal for r in self.cyrillic.rules + self.latin.rules} - {"safe"}
        unknown -= set(self.levels)
        if unknown:
            raise ValueError(f"signals missing from signals.tsv: {sorted(unknown)}")

    def analyze(self, text: str, hint: Language | None = None) -> Analysis:
        toks = words(text)  # split once: language id and both skeletons read the same words
        language, language_sure = self.language_id.identify_sure(text, hint, toks)
        if EMOJI_RE.search(text):
            toks = words(EMOJI_RE.sub(lambda m: f" {EMOJI_WORDS[m.group(0)]} ", text))
        cyr = skeleton_of(toks, translit=True)
        lat = skeleton_of(toks, translit=False)
        # Both lexicons always run: mixed or misidentified text must not hide a crisis.
        cyr_found, cyr_safe = self.cyrillic.raw_scan(cyr)
        lat_found, lat_safe = self.latin.raw_scan(lat)
        if cyr.count(" ") == lat.count(" "):
            # Same words in two scripts: a safe phrase of either lexicon covers hits of both
            # ("self-harm" in an English "used to ..., fine now" also reads as Kazakh "селф харм").
            both = cyr_safe + lat_safe
            hits = drop_covered(cyr_found + lat_found, both)
        else:
            hits = drop_covered(cyr_found, cyr_safe) + drop_covered(lat_found, lat_safe)
        hits.sort(key=lambda h: h.span)
        signals = tuple(dict.fromkeys(h.signal for h in hits))
        sources = tuple(dict.fromkeys(h.source for h in hits))
        topic_hits = self.topics_latin.hits(lat) if language == "en" else []
        topic_hits += self.topics_cyrillic.hits(cyr) if language != "en" else []
        topics = tuple(h.signal for h in topic_hits)
        skel = lat if language == "en" else cyr
        # Both scripts, like the signals: Latin-typed Russian is read through `cyr`.
        crisis_words = self.vocabulary_latin.matches(lat) or self.vocabulary_cyrillic.matches(cyr)
        safe = bool(cyr_safe or lat_safe)
        playful = PLAYFUL_RE.search(text) is not None
        # A distance cue can only change a crisis rule's hit or the model's verdict (asked only
        # with a word of the crisis vocabulary): most messages skip the cue scan.
        distanced = (crisis_words or any(self.levels[s][0] == "crisis" for s in signals)) and (
            self.distance_latin.matches(lat) or self.distance_cyrillic.matches(cyr)
        )
        # Neither covers a sticky rule (lethal means, a new episode): those stay crises.
        softened: tuple[str, ...] = ()
        if playful or distanced:
            sticky = {h.signal for h in hits if h.sticky}
            softened = tuple(
                s for s in signals if s not in sticky and self.levels[s][0] == "crisis"
            )
            signals = tuple(s for s in signals if s not in softened)
        return Analysis(
            language,
            skel,
            signals,
            sources,
            topics,
            cyr,
            safe,
            crisis_words,
            language_sure=language_sure,
            playful=playful,
            distanced=distanced,
            softened=softened,
        )

    def urgency(self, signals: tuple[str, ...]) -> Urgency:
        levels = {self.levels[s][0] for s in signals if s in self.levels}
        if "crisis" in levels:
            return "crisis"
        return "urgent" if "urgent" in levels else "routine"


class HelplineClassifier:
    """Rules first; the crisis model adds what the rules miss (data/policy.md says what counts).

    Crisis when a crisis rule fires, or when the crisis model's probability reaches its
    threshold, provided the text holds a word of the crisis vocabulary
    (data/crisis_vocabulary_*.tsv: death, methods, harm, abuse, running away, danger ...), so
    routine questions the model happens to score high stay routine. On one or two words (a
    greeting) the model alone never decides. A model-only crisis names the model's most
    likely signal plus "model", so staff can see why.

    Possible risk (`urgent` + POSSIBLE_RISK): the model scored the message between its
    risk threshold and its crisis threshold; or at or above the crisis threshold while a
    `safe` phrase ("не хочу умирать", "used to cut, fine now") or a laughter or song marker
    matched (the model alone never raises a crisis on figurative speech), or below
    DISTANCED_THRESHOLD on a message with a distance cue; or a non-sticky
    crisis rule fired on a message with a laughter marker.
    """

    def __init__(
        self, analyzer: TextAnalyzer, model: CategoryModel, crisis: CrisisModel | None = None
    ) -> None:
        if set(model.classes) != set(CATEGORIES):
            raise ValueError("category model classes differ from CATEGORIES; retrain it")
        if crisis is not None and set(crisis.signal_classes) - set(analyzer.levels):
            raise ValueError("crisis model names signals missing from signals.tsv; retrain it")
        self.analyzer = analyzer
        self.model = model
        self.crisis = crisis

    def classify(self, text: str, hint_language: Language | None = None) -> Classification:
        a = self.analyzer.analyze(text, hint_language)
        signals = a.signals
        urgency = self.analyzer.urgency(signals)
        extra: dict[str, object] = {"rules": a.sources, "language_sure": a.language_sure}
        risk: tuple[str, ...] = a.softened  # what a possible risk names on the staff card
        # The model is asked only when it could change the answer: no crisis rule fired and
        # the text passes the vocabulary gate (most routine messages do not: half the cost).
        if self.crisis is not None and urgency != "crisis" and a.model_may_fire:
            ids = self.crisis.feature_ids(a.skel, a.model_signals, a.topics)
            prob = self.crisis.probability(ids)
            extra["crisis_p"] = round(prob, 4)
            needed = max(DISTANCED_THRESHOLD, self.crisis.threshold) if a.distanced else 0.0
            if prob >= max(needed, self.crisis.threshold) and not a.figurative:
                urgency = "crisis"
                signals = (*signals, self.crisis.likely_signal(ids), MODEL_SIGNAL)
            elif prob >= self.crisis.risk_threshold:
                risk = (*risk, self.crisis.likely_signal(ids), MODEL_SIGNAL)
        prior_signals = signals
        if risk and urgency != "crisis":
            urgency = "urgent"
            signals = (*signals, *dict.fromkeys(risk), POSSIBLE_RISK)
        ranked = self.model.predict_ids(self.model.feature_ids(a.skel, a.signals, a.topics))
        named = [s for s in prior_signals if s in self.analyzer.levels]
        if named:
            prior = {self.analyzer.levels[s][1] for s in named}
            boosted = [(c, p + (SIGNAL_PRIOR if c in prior else 0.0)) for c, p in ranked]
            total = sum(p for _, p in boosted)
            ranked = sorted(((c, p / total) for c, p in boosted), key=lambda x: -x[1])
        top, second = ranked[0][1], ranked[1][1]
        return Classification(
            language=a.language,
            categories=tuple(ranked),
            urgency=urgency,
            signals=signals,
            confident=top >= MIN_TOP_SCORE and top - second >= MIN_MARGIN,
            extra=extra,
        )
