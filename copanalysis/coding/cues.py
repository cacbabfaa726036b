"""A codebook's cues as lemma words, and the surface forms each lemma takes.

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
from copanalysis.coding.wordlists import word_lists

__all__ = ["Cue", "compile_codebook", "lemmatize", "surface_forms"]


@dataclass(frozen=True)
class Cue:
    """One compiled cue: its text as written, its lemma words, and what it signals."""

    text: str
    words: tuple[str, ...]
    role: str  # "code", "negator", "pseudo", "positive" or "negative"
    codes: tuple[str, ...] = ()


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


def compile_codebook(
    codebook: Codebook, tokenize: Callable[[str], Iterable[str]]
) -> tuple[Cue, ...]:
    """The cues of ``codebook`` (codable codes only) as lemma words, then the built-in
    negators and pseudo-negations, then the codebook's ``polarity`` cues.

    A cue several codes share is one cue that names them all.

    Parameters
    ----------
    codebook : Codebook
    tokenize : callable
        Splits a phrase into token strings the way the pipeline's tokenizer does
        (``lambda s: [t.text for t in nlp.make_doc(s)]``).

    Examples
    --------
    >>> from copanalysis.codebooks import Code, Codebook
    >>> book = Codebook("demo", "1", (Code("shared", "Shared", cues=("shared experiences",)),
    ...                               Code("other", "Other", cues=("share experience",))))
    >>> compile_codebook(book, str.split)[0]
    Cue(text='shared experiences', words=('share', 'experience'), role='code', codes=('shared', 'other'))
    """  # noqa: E501

    def words(phrase: str) -> tuple[str, ...]:
        return tuple(lemmatize(t) for t in tokenize(phrase) if t.strip())

    owners: dict[tuple[str, ...], list[str]] = defaultdict(list)
    texts: dict[tuple[str, ...], str] = {}
    for code in codebook.codes:
        for phrase in code.cues if code.codable else ():
            lemmas = words(phrase)
            if lemmas and code.code not in owners[lemmas]:
                owners[lemmas].append(code.code)
                texts.setdefault(lemmas, phrase)
    cues = [Cue(texts[w], w, "code", tuple(owners[w])) for w in owners]
    for role, phrases in (
        ("negator", word_lists("scope")["negators"]),
        ("pseudo", word_lists("scope")["pseudo_negations"]),
        ("positive", codebook.polarity.get("positive", ())),
        ("negative", codebook.polarity.get("negative", ())),
    ):
        cues += [Cue(p, words(p), role) for p in phrases if words(p)]
    return tuple(cues)
