"""A seeded generator of synthetic value-creation story corpora for the benchmarks.

Stories follow the worksheet's prompts; each field holds one or two sentences drawn from
templates for that prompt, filled with the codebook's cues (inflected as members write
them: "learnt", "shared our experiences") and with plain filler, and a few negated
("we did not learn anything new"). The same seed gives the same corpus.

The defaults are calibrated on the bundled sample corpus (``data/raw/stories``, 84 real
stories): how often each prompt is answered (:data:`FIELD_SHARE`), how many stories are
free narratives, words per story (about 50), rule codes per 100 words (about 9), and how
varied the words are (:func:`variety`: part of the filler is English words drawn by
frequency, so the corpus repeats itself no more than real answers do).
``benchmarks/run.py`` prints both corpora's figures side by side.

Examples
--------
>>> stories = make_stories(3, seed=1)
>>> stories.shape
(3, 12)
>>> make_stories(3, seed=1).equals(stories)
True
"""

from __future__ import annotations

import gzip
import json
import random
from functools import lru_cache
from importlib.resources import files
from itertools import islice
from typing import Any

import pandas as pd

from copanalysis.coding.cues import surface_forms
from copanalysis.io.codebooks import load_codebook
from copanalysis.schema import PROMPT_FIELDS, ROLES

__all__ = ["CORPUS_VERSION", "make_stories", "story_words", "variety"]

#: Bumped when the generator changes, so results of different corpora are not mixed
#: (2: calibrated on the sample corpus, about 50 words and 5 rule codes per story;
#: 3: as varied in its words as the sample corpus, see :func:`variety`).
CORPUS_VERSION = 3

_SUBJECTS = ("I", "We", "My team", "Our group", "The two of us", "Several of us")
_EVENTS = (
    "the monthly call",
    "the spring workshop",
    "our regional meet-up",
    "the online forum",
    "a site visit",
    "the peer review session",
    "the community's webinar",
)
_OBJECTS = (
    "the discharge checklist",
    "our onboarding process",
    "the shared case library",
    "a new triage protocol",
    "the reporting template",
    "our weekly handover",
    "the evaluation framework",
)
_FILLER = (
    "It was a busy quarter for everyone on the ward.",
    "The weather made travel slow that week.",
    "Most of the participants came from the northern districts.",
    "The session ran for about two hours.",
    "There were fourteen people in the room and six online.",
    "Afterwards we went back to our usual routines.",
    "The agenda had been circulated a week earlier.",
    "Some of the discussion was about staffing rotas.",
)
_TEMPLATES: dict[str, tuple[str, ...]] = {
    "activities": (
        "{subject} {cue} at {event} in {month}.",
        "During {event} we {cue} with colleagues from other sites.",
        "{subject} took part in {event}, where people could {cue}.",
    ),
    "insights": (
        "At {event} I {cue} how other teams handle {object}.",
        "{subject} {cue} a lot about {object} from the discussion.",
        "The main thing I {cue} was that {object} can be much simpler.",
    ),
    "practice": (
        "Back at work {subject} {cue} {object} in our unit.",
        "Since then we {cue} {object} every week.",
        "{subject} decided to {cue} {object} with the night shift.",
    ),
    "development": (
        "Personally, this helped me {cue} as a professional.",
        "{subject} {cue} in the role after presenting {object}.",
        "Over the year I {cue} through {event}.",
    ),
    "organization": (
        "As a result the department {cue} waiting times by {number} percent.",
        "{subject} {cue} {object}, and complaints fell from {number} to {small}.",
        "Management {cue} the budget to extend {object} to {small} more wards.",
    ),
    "story": (
        "{subject} joined {event} and {cue} from people facing the same problems.",
        "After {event} I {cue} {object} and it saved us about {small} hours a week.",
        "The group helped me {cue} when I was new to the job.",
    ),
}
_NEGATED = (
    "Honestly I did not {cue} anything new at {event}.",
    "There was no time to {cue} {object} properly.",
    "{subject} never really {cue} {object}.",
)
_MONTHS = ("January", "March", "May", "September", "November")
#: Share of the sample corpus's stories that answer each prompt.
FIELD_SHARE = {
    "activities": 0.96,
    "insights": 0.92,
    "practice": 0.58,
    "development": 0.44,
    "organization": 0.51,
}


def make_stories(
    n: int,
    *,
    seed: int = 0,
    codebook: str = "value_cycles",
    negated: float = 0.08,
    filler: float = 0.72,
    chatter: float = 0.55,
    narrative: float = 0.04,
) -> pd.DataFrame:
    """``n`` synthetic stories in the ``stories`` frame layout.

    Parameters
    ----------
    n : int
        How many stories.
    seed : int
        Random seed; the same seed gives the same corpus.
    codebook : str
        Whose cues fill the templates (each field draws from the codes that favour it).
    negated : float
        Share of cue sentences written as a negation.
    filler : float
        Share of sentences with no cue.
    chatter : float
        Share of those written from English words drawn by their frequency
        (:func:`_chatter`) rather than taken from a few fixed sentences: real answers rarely
        repeat their words, and a coder that remembers what it has seen must not be timed
        on a corpus that does.
    narrative : float
        Share of stories told as one free narrative instead of prompt answers.

    Returns
    -------
    DataFrame
        ``story_id``, ``community``, ``date``, ``member``, ``role``, the prompt fields and
        ``story``.
    """
    rng = random.Random(seed)
    book = load_codebook(codebook)
    favoured: dict[str, list[str]] = {f: [] for f in PROMPT_FIELDS}
    every = [cue for c in book.codes for cue in c.cues]
    for c in book.codes:
        for f in c.fields:
            if f in favoured:
                favoured[f].extend(c.cues)
    favoured["story"] = every
    forms = {cue: _inflections(cue) for cue in every}
    rows = []
    for i in range(n):
        told = rng.random() < narrative
        fields = ("story",) if told else PROMPT_FIELDS[:-1]
        texts: dict[str, Any] = {f: pd.NA for f in PROMPT_FIELDS}
        for f in fields:
            if not told and rng.random() >= FIELD_SHARE.get(f, 1.0):
                continue
            pool = favoured[f] or every
            sentences = []
            for _ in range(rng.randint(4, 7) if told else rng.randint(1, 2)):
                if rng.random() < filler:
                    chatty = rng.random() < chatter
                    sentences.append(_chatter(rng) if chatty else rng.choice(_FILLER))
                    continue
                cue = rng.choice(pool if rng.random() < 0.7 else every)
                template = rng.choice(_NEGATED if rng.random() < negated else _TEMPLATES[f])
                sentences.append(
                    template.format(
                        subject=rng.choice(_SUBJECTS),
                        cue=rng.choice(forms[cue]),
                        event=rng.choice(_EVENTS),
                        object=rng.choice(_OBJECTS),
                        month=rng.choice(_MONTHS),
                        number=rng.randint(10, 60),
                        small=rng.randint(2, 9),
                    )
                )
            texts[f] = " ".join(sentences)
        rows.append(
            {
                "story_id": f"S{i:06d}",
                "community": f"CoP {rng.randint(1, 12)}",
                "date": rng.randint(0, 1500),
                "member": f"Member {rng.randint(1, 5000)}",
                "role": rng.choice(ROLES),
                **texts,
                "source": f"synthetic:{seed}:row {i + 2}",
            }
        )
    stories = pd.DataFrame(rows)
    stories["date"] = pd.Timestamp(2020, 1, 1) + pd.to_timedelta(stories["date"], unit="D")
    return stories


@lru_cache(maxsize=1)
def _english(size: int = 200_000, flatten: float = 0.3) -> tuple[list[str], list[float]]:
    """The ``size`` most frequent English words (letters only) and cumulative weights.

    A word's weight is its probability raised to ``flatten``: frequencies flattened, so
    that a corpus has about as many distinct words as the sample corpus (see
    :func:`variety`). Probabilities are spaCy's lexeme probabilities from
    ``spacy-lookups-data`` (installed with the package), so the corpus needs no download.
    """
    data = files("spacy_lookups_data") / "data" / "en_lexeme_prob.json.gz"
    with gzip.open(data.open("rb"), "rt", encoding="utf-8") as handle:
        prob = json.load(handle)
    ranked = sorted(((p, w) for w, p in prob.items() if w.isascii() and w.isalpha()), reverse=True)
    words, weights, total = [], [], 0.0
    for p, w in islice(ranked, size):
        total += 10.0 ** (flatten * p)
        words.append(w)
        weights.append(total)
    return words, weights


def _chatter(rng: random.Random) -> str:
    """A sentence of 6 to 14 English words drawn by frequency (and a comma, now and then)."""
    words, weights = _english()
    drawn = rng.choices(words, cum_weights=weights, k=rng.randint(6, 14))
    if rng.random() < 0.3:
        drawn[rng.randrange(1, len(drawn) - 1)] += ","
    return " ".join(drawn).capitalize() + "."


def variety(stories: pd.DataFrame, *, words: int = 4000) -> int:
    """Distinct whitespace-delimited chunks among the first ``words`` words of ``stories``.

    How often a corpus repeats itself: each distinct chunk is tokenized once by the rule
    coder's cache, so a corpus of few chunks would flatter it.

    Examples
    --------
    >>> variety(pd.DataFrame({"story_id": ["a"], "story": ["We met. We met, again."]}))
    4
    """
    fields = [f for f in PROMPT_FIELDS if f in stories.columns]
    seen: list[str] = []
    for text in stories[fields].stack().dropna():
        seen.extend(str(text).split())
        if len(seen) >= words:
            break
    return len(set(seen[:words]))


def _inflections(cue: str) -> list[str]:
    """The cue as written plus variants with its first word inflected."""
    first, _, rest = cue.partition(" ")
    variants = sorted(f for f in surface_forms(first) if f.isalpha())
    return [cue, *(f"{v} {rest}".strip() for v in variants)]


def story_words(stories: pd.DataFrame) -> int:
    """Whitespace-separated words in the prompt fields and narratives of ``stories``.

    Examples
    --------
    >>> story_words(pd.DataFrame({"story_id": ["a"], "practice": ["I used it."]}))
    3
    """
    fields = [f for f in PROMPT_FIELDS if f in stories.columns]
    return sum(len(str(text).split()) for f in fields for text in stories[f].dropna())
