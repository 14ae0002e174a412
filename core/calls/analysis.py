"""Call analysis: pure functions over a transcript, no database and no I/O.

The job handler (``core/jobs/handlers.py``) loads a call and feeds its transcript here; the
result is stored on the job as JSON. Sentiment uses VADER (``vaderSentiment``), a
maintained, rule-based lexicon tuned for English conversational text.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

from vaderSentiment.vaderSentiment import (  # type: ignore[import-untyped]
    SentimentIntensityAnalyzer,
)

SentimentLabel = Literal["positive", "neutral", "negative"]

# VADER's own recommended thresholds on the compound score.
POSITIVE_THRESHOLD = 0.05
NEGATIVE_THRESHOLD = -0.05

# Weights of the 0-10 score; they sum to 1 (documented in docs/resources/jobs.md).
SCORE_WEIGHTS: Mapping[str, float] = {"sentiment": 0.5, "talkBalance": 0.25, "outcome": 0.25}
# How much each call outcome adds to the score (0-1); an unknown outcome is neutral.
OUTCOME_VALUES: Mapping[str, float] = {
    "booked": 1.0,
    "connected": 0.7,
    "voicemail": 0.3,
    "busy": 0.2,
    "no_answer": 0.2,
    "failed": 0.0,
}
NEUTRAL = 0.5
DEFAULT_KEYWORDS = 10

# Common English function words and fillers: they would top every keyword list.
_STOP_WORDS_TEXT = """
    a about above after again against all also am an and any are aren't as at be because been
    before being below between both but by can can't cannot could couldn't did didn't do does
    doesn't doing don't down during each few for from further get got had hadn't has hasn't have
    haven't having he he'd he'll he's her here here's hers herself him himself his how how's i
    i'd i'll i'm i've if in into is isn't it it's its itself just let's like me more most much
    mustn't my myself no nor not now of off on once only or other ought our ours ourselves out
    over own really right same shan't she she'd she'll she's should shouldn't so some such than
    that that's the their theirs them themselves then there there's these they they'd they'll
    they're they've this those through to too under until up us very was wasn't we we'd we'll
    we're we've well were weren't what what's when when's where where's which while who who's
    whom why why's will with won't would wouldn't yeah yes you you'd you'll you're you've your
    yours yourself yourselves okay ok oh um uh hmm hello hi bye thanks thank please sure one
    going gonna want know think see say said go yep
"""
STOP_WORDS: frozenset[str] = frozenset(_STOP_WORDS_TEXT.split())
# Letters only, with inner apostrophes (straight or typographic): "don't".
_WORD = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)*")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
MIN_KEYWORD_LENGTH = 3


@dataclass(frozen=True, slots=True)
class Segment:
    speaker: str
    text: str
    start_seconds: float
    end_seconds: float


@dataclass(frozen=True, slots=True)
class SpeakerTime:
    speaker: str
    seconds: float
    share: float


@dataclass(frozen=True, slots=True)
class Sentiment:
    compound: float
    label: SentimentLabel


def segments_from(raw: Iterable[Mapping[str, Any]] | None) -> list[Segment]:
    """Segments as stored on a call (``transcript_segments``)."""
    return [
        Segment(
            speaker=str(item["speaker"]),
            text=str(item["text"]),
            start_seconds=float(item["start_seconds"]),
            end_seconds=float(item["end_seconds"]),
        )
        for item in raw or ()
    ]


def talk_time(segments: Sequence[Segment]) -> list[SpeakerTime]:
    """Seconds spoken per speaker and their share of all speech, most talkative first."""
    seconds: dict[str, float] = defaultdict(float)
    for segment in segments:
        seconds[segment.speaker] += max(segment.end_seconds - segment.start_seconds, 0.0)
    total = sum(seconds.values())
    return sorted(
        (
            SpeakerTime(speaker, round(spoken, 2), round(spoken / total, 4) if total else 0.0)
            for speaker, spoken in seconds.items()
        ),
        key=lambda item: (-item.seconds, item.speaker),
    )


def keywords(texts: Iterable[str], limit: int = DEFAULT_KEYWORDS) -> list[tuple[str, int]]:
    """The most frequent content words (lowercased, stop words and short words dropped);
    ties are broken alphabetically so the result is stable."""
    counts: Counter[str] = Counter()
    for text in texts:
        for match in _WORD.finditer(text.lower()):
            word = match.group().replace("\u2019", "'")
            if len(word) >= MIN_KEYWORD_LENGTH and word not in STOP_WORDS:
                counts[word] += 1
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:limit]


@lru_cache(maxsize=1)
def _analyzer() -> SentimentIntensityAnalyzer:
    # Loading the lexicon takes a while; one analyzer per process is enough (it is stateless).
    return SentimentIntensityAnalyzer()


def label_of(compound: float) -> SentimentLabel:
    if compound >= POSITIVE_THRESHOLD:
        return "positive"
    if compound <= NEGATIVE_THRESHOLD:
        return "negative"
    return "neutral"


def sentences(text: str) -> list[str]:
    return [part.strip() for part in _SENTENCE_END.split(text) if part.strip()]


def sentiment(texts: Iterable[str]) -> Sentiment:
    """VADER's compound score averaged over sentences, weighted by their word count.

    VADER is built for sentence-sized text: scored whole, a long transcript saturates
    towards ±1, so each sentence is scored and the scores are averaged."""
    total_weight = 0
    weighted = 0.0
    for text in texts:
        for sentence in sentences(text):
            words = len(sentence.split())
            weighted += _analyzer().polarity_scores(sentence)["compound"] * words
            total_weight += words
    compound = round(weighted / total_weight, 4) if total_weight else 0.0
    return Sentiment(compound, label_of(compound))


def sentiment_by_speaker(segments: Sequence[Segment]) -> dict[str, Sentiment]:
    texts: dict[str, list[str]] = defaultdict(list)
    for segment in segments:
        texts[segment.speaker].append(segment.text)
    return {speaker: sentiment(parts) for speaker, parts in sorted(texts.items())}


def talk_balance(times: Sequence[SpeakerTime]) -> float:
    """1 when every speaker talks equally, 0 when one speaker does all the talking.

    With n speakers and the largest share s: ``1 - (s - 1/n) / (1 - 1/n)``. Without timed
    segments the balance is unknown and counts as neutral (0.5)."""
    total = sum(item.seconds for item in times)
    if not times or total <= 0:
        return NEUTRAL
    n = len(times)
    if n == 1:
        return 0.0
    largest = max(item.seconds for item in times) / total
    return round(max(0.0, 1 - (largest - 1 / n) / (1 - 1 / n)), 4)


def score(compound: float, balance: float, outcome: str | None) -> tuple[float, dict[str, float]]:
    """The 0-10 call score and its 0-1 components:

    ``10 * (0.5 * (compound + 1) / 2 + 0.25 * balance + 0.25 * outcome value)``,
    rounded to one decimal."""
    components = {
        "sentiment": round((compound + 1) / 2, 4),
        "talkBalance": balance,
        "outcome": OUTCOME_VALUES.get(outcome or "", NEUTRAL),
    }
    value = 10 * sum(SCORE_WEIGHTS[name] * part for name, part in components.items())
    return round(min(max(value, 0.0), 10.0), 1), components


def analyse(
    *,
    text: str,
    segments: Sequence[Segment],
    outcome: str | None,
    keyword_limit: int = DEFAULT_KEYWORDS,
) -> dict[str, Any]:
    """The whole analysis as the API shows it (camelCase JSON)."""
    times = talk_time(segments)
    # Segments carry the words when present; the flat text may repeat speaker labels.
    texts = [segment.text for segment in segments] if segments else [text]
    overall = sentiment(texts)
    balance = talk_balance(times)
    total, components = score(overall.compound, balance, outcome)
    return {
        "talkTime": {
            "totalSeconds": round(sum(item.seconds for item in times), 2) if times else None,
            "speakers": [
                {"speaker": item.speaker, "seconds": item.seconds, "share": item.share}
                for item in times
            ],
        },
        "keywords": [
            {"term": term, "count": count} for term, count in keywords(texts, keyword_limit)
        ],
        "sentiment": {
            "lexicon": "vader",
            "overall": {"compound": overall.compound, "label": overall.label},
            "bySpeaker": [
                {"speaker": speaker, "compound": value.compound, "label": value.label}
                for speaker, value in sentiment_by_speaker(segments).items()
            ],
        },
        "outcome": outcome,
        "score": total,
        "scoreComponents": components,
    }
