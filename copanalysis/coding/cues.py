"""Compile a codebook's cues once, so coding needs no lemmatizer.

A cue is a lemma phrase ("learn", "share experience"). Each of its words is expanded into
the surface forms that lemmatize to it: the inverted ``lemma_lookup`` table of
spacy-lookups-data ("learnt" -> "learn") and, for words the table does not know, the regular
-s/-ed/-ing forms ("webinars"). Matching then compares each token's lower-case form with
these forms (the ``LOWER`` id spaCy gives each token), so "Learning", "learned" and
"learnt" all hit "learn" without running the lemmatizer on every token.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import cast

from copanalysis.codebooks.codebook import Codebook

__all__ = [
    "CLAUSE_BREAKS",
    "NEGATORS",
    "PSEUDO_NEGATIONS",
    "Cue",
    "CompiledCodebook",
    "compile_codebook",
    "lemmatize",
    "surface_forms",
]

#: Words that put what follows them in the clause under negation ("lack" covers "lack of").
NEGATORS: tuple[str, ...] = (
    "not",
    "no",
    "never",
    "nothing",
    "without",
    "lack",
    "hardly",
    "none",
    "neither",
    "nor",
    "barely",
    "scarcely",
)
#: Phrases that start with a negator but do not negate.
PSEUDO_NEGATIONS: tuple[str, ...] = (
    "not only",
    "not just",
    "not least",
    "no doubt",
    "without doubt",
    "without a doubt",
)
#: Tokens that end a clause (the scope of a negator or polarity cue).
CLAUSE_BREAKS: frozenset[str] = frozenset(
    {
        ",",
        ";",
        ":",
        ".",
        "!",
        "?",
        "(",
        ")",
        "—",
        "–",
        "but",
        "however",
        "although",
        "though",
        "whereas",
        "yet",
        "because",
    }
)


@dataclass(frozen=True)
class Cue:
    """One compiled cue: its text as written, its lemma words, and what it signals."""

    text: str
    words: tuple[str, ...]
    role: str  # "code", "negator", "pseudo", "positive" or "negative"
    codes: tuple[str, ...] = ()


@dataclass(frozen=True)
class CompiledCodebook:
    """A codebook's cues as data ready for a matcher.

    Attributes
    ----------
    words : tuple of str
        Every lemma word any cue uses; a word's id is its position here.
    forms : dict
        Lower-case surface form -> ids of the words it can be an inflection of.
    cues : tuple of Cue
        Code cues, negators, pseudo-negations and polarity cues.
    first_word : dict
        Word id -> ids of the cues that start with it.
    cue_words : tuple of tuple of int
        Per cue, the ids of its words.
    """

    words: tuple[str, ...]
    forms: dict[str, tuple[int, ...]]
    cues: tuple[Cue, ...]
    first_word: dict[int, tuple[int, ...]]
    cue_words: tuple[tuple[int, ...], ...]


@lru_cache(maxsize=1)
def _lemma_table() -> dict[str, str]:
    """spacy-lookups-data's English ``lemma_lookup`` (form -> lemma), lower-cased."""
    from spacy.util import load_language_data, registry

    table = cast(dict[str, str], load_language_data(registry.lookups.get("en")["lemma_lookup"]))
    lowered: dict[str, str] = {}
    for form, lemma in table.items():
        lowered.setdefault(form.lower(), lemma.lower())
    return lowered


@lru_cache(maxsize=1)
def _inverted_table() -> dict[str, frozenset[str]]:
    inverted: dict[str, set[str]] = defaultdict(set)
    for form, lemma in _lemma_table().items():
        inverted[lemma].add(form)
    return {lemma: frozenset(forms) for lemma, forms in inverted.items()}


def lemmatize(word: str) -> str:
    """The lookup lemma of one word, lower-cased.

    Examples
    --------
    >>> lemmatize("Learnt"), lemmatize("experiences"), lemmatize("webinar")
    ('learn', 'experience', 'webinar')
    """
    lower = word.lower()
    return _lemma_table().get(lower, lower)


def _regular_forms(lemma: str) -> set[str]:
    if not lemma.isalpha() or len(lemma) < 3:
        return set()
    forms = {lemma + "s", lemma + "ed", lemma + "ing"}
    if lemma.endswith(("s", "x", "z", "ch", "sh")):
        forms.add(lemma + "es")
    if lemma.endswith("e"):
        forms |= {lemma + "d", lemma[:-1] + "ing"}
    if lemma.endswith("y") and lemma[-2] not in "aeiou":
        forms |= {lemma[:-1] + "ies", lemma[:-1] + "ied"}
    if lemma[-1] not in "aeiouwxy" and lemma[-2] in "aeiou" and lemma[-3] not in "aeiou":
        forms |= {lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"}
    return forms


def surface_forms(lemma: str) -> frozenset[str]:
    """The lower-case forms that lemmatize to ``lemma``, the lemma included.

    Forms come from the inverted lookup table; a word the table does not know gets its
    regular -s/-ed/-ing forms instead.

    Examples
    --------
    >>> sorted(surface_forms("learn"))
    ['learn', 'learned', 'learning', 'learns', 'learnt']
    >>> sorted(surface_forms("upskill"))
    ['upskill', 'upskilled', 'upskilling', 'upskills']
    """
    lemma = lemma.lower()
    known = _inverted_table().get(lemma)
    if known:
        return frozenset({lemma, *known})
    return frozenset({lemma, *_regular_forms(lemma)})


def _phrase_words(phrase: str, tokenize: Callable[[str], Iterable[str]]) -> tuple[str, ...]:
    return tuple(lemmatize(t) for t in tokenize(phrase) if t.strip())


def compile_codebook(
    codebook: Codebook, tokenize: Callable[[str], Iterable[str]]
) -> CompiledCodebook:
    """Compile the cues of ``codebook`` with the built-in negators into matcher data.

    Parameters
    ----------
    codebook : Codebook
        Its codes' cues (codable codes only) and its ``polarity`` cues are compiled.
    tokenize : callable
        Splits a phrase into token strings the way the pipeline's tokenizer does
        (``lambda s: [t.text for t in nlp.make_doc(s)]``).

    Examples
    --------
    >>> from copanalysis.codebooks import Code, Codebook
    >>> book = Codebook("demo", "1", (Code("shared", "Shared", cues=("share experience",)),))
    >>> compiled = compile_codebook(book, str.split)
    >>> [c.words for c in compiled.cues if c.role == "code"]
    [('share', 'experience')]
    >>> "experiences" in compiled.forms
    True
    """
    owners: dict[tuple[str, ...], list[str]] = defaultdict(list)
    texts: dict[tuple[str, ...], str] = {}
    for code in codebook.codes:
        if not getattr(code, "codable", True):
            continue
        for phrase in code.cues:
            words = _phrase_words(phrase, tokenize)
            if words and code.code not in owners[words]:
                owners[words].append(code.code)
                texts.setdefault(words, phrase)
    cues: list[Cue] = [Cue(texts[w], w, "code", tuple(owners[w])) for w in owners]
    for role, phrases in (
        ("negator", NEGATORS),
        ("pseudo", PSEUDO_NEGATIONS),
        ("positive", codebook.polarity.get("positive", ())),
        ("negative", codebook.polarity.get("negative", ())),
    ):
        for phrase in phrases:
            words = _phrase_words(phrase, tokenize)
            if words:
                cues.append(Cue(phrase, words, role))
    vocabulary: dict[str, int] = {}
    cue_words = []
    for cue in cues:
        cue_words.append(tuple(vocabulary.setdefault(w, len(vocabulary)) for w in cue.words))
    forms: dict[str, set[int]] = defaultdict(set)
    for word, word_id in vocabulary.items():
        for form in surface_forms(word):
            forms[form].add(word_id)
    first: dict[int, list[int]] = defaultdict(list)
    for cue_id, ids in enumerate(cue_words):
        first[ids[0]].append(cue_id)
    return CompiledCodebook(
        words=tuple(vocabulary),
        forms={form: tuple(sorted(ids)) for form, ids in forms.items()},
        cues=tuple(cues),
        first_word={w: tuple(ids) for w, ids in first.items()},
        cue_words=tuple(cue_words),
    )
