"""Answers written in another language than English, which the coders cannot read.

The coders' cues, training corpus and embedding model are English: an answer in French
("J'ai appris beaucoup sur les escarres") gets a wrong code, or none, and nothing would say
why. :func:`other_language` tells such an answer by its function words (spaCy's stop-word
lists of French, Spanish, German, Dutch, Portuguese and Italian, and a short list of
Swahili's, which spaCy lacks, against English's), and
:func:`note_other_languages` notes each file's answers in the load report, so that ``check``
asks for a look and the report's methods list them. Whatever the language, a row whose
answers together are long enough and hardly hold an English function word is not read as
English (:func:`not_english`; trial 35: a story in Chichewa was coded and counted as English).
"""

from __future__ import annotations

import importlib
import importlib.util
import re
from collections import Counter
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from copanalysis.io.places import first_places, listed_places

__all__ = [
    "LANGUAGES",
    "MAX_ENGLISH_SHARE",
    "MIN_WORDS_READ",
    "NOT_ENGLISH",
    "not_english",
    "note_other_languages",
    "other_language",
]

#: The languages told apart from English, by spaCy's language code.
LANGUAGES = {
    "fr": "French",
    "es": "Spanish",
    "de": "German",
    "nl": "Dutch",
    "pt": "Portuguese",
    "it": "Italian",
    "sw": "Swahili",
}
#: Function words of languages spaCy has no stop-word list for: Swahili's connectives
#: ("na", "ya", "kwa"), pronouns and possessives, question words and common adverbs
#: (trial 32: an all-Swahili story passed as English).
_SWAHILI = frozenset(
    {
        "na", "ya", "wa", "kwa", "za", "la", "cha", "vya", "katika", "kuhusu", "sana", "pia",
        "lakini", "au", "kwamba", "kama", "hii", "hiyo", "huu", "huo", "hizi", "hao", "yake",
        "wake", "zake", "yetu", "wetu", "zetu", "yangu", "wangu", "zangu", "yao", "zao", "ni",
        "si", "siyo", "ndiyo", "hapana", "hakuna", "hamna", "mimi", "wewe", "yeye", "sisi",
        "nyinyi", "bado", "kila", "mengi", "mingi", "nyingi", "zaidi", "sasa", "leo", "jana",
        "kesho", "baada", "kabla", "ili", "hata", "tena", "pamoja", "juu", "chini", "ndani",
        "nje", "hapa", "pale", "huko", "kwenye", "mpaka", "hadi", "sababu", "kwasababu",
        "kisha", "halafu", "lini", "nini", "nani", "wapi", "vipi", "gani", "kuna", "ambao",
        "ambayo", "ambaye", "ambazo", "kwani", "nao", "naye", "nayo", "kutoka", "kuwa",
        "hivyo", "hivi",
    }
)  # fmt: skip
#: A text of at least this many words is long enough to tell English by its function words.
MIN_WORDS_READ = 20
#: ... and is not read as English when under this share of its words are English function
#: words (spaCy's English stop words). English answers hold about half; the fewest in the
#: bundled, development and training corpora, at 20 words or more, is 0.19; the Chichewa
#: story of trial 35 holds 0.06 (2 of its 34 words: "a").
MAX_ENGLISH_SHARE = 0.1
#: What the load report calls such answers, in the place of a language's name.
NOT_ENGLISH = "a language other than English"
_OWN_STOP_WORDS: dict[str, frozenset[str]] = {"sw": _SWAHILI}
_WORD = re.compile(r"[^\W\d_]+")


@cache
def _stop_words() -> dict[str, frozenset[str]]:
    out = {}
    for code in ("en", *LANGUAGES):
        if code in _OWN_STOP_WORDS:
            out[code] = _OWN_STOP_WORDS[code]
            continue
        out[code] = frozenset(w.casefold() for w in _spacy_stop_words(code))
    return out


def _spacy_stop_words(code: str) -> frozenset[str]:
    """spaCy's ``STOP_WORDS`` of a language, from its ``spacy/lang/<code>/stop_words.py``
    alone: importing it as ``spacy.lang.<code>.stop_words`` runs the language package's
    ``__init__`` first, which builds its tokenizer exceptions (French's took 9 s of a 20 s
    load in trial 41, with nothing on screen)."""
    found = importlib.util.find_spec("spacy")
    folders = (found.submodule_search_locations or []) if found else []
    path = Path(folders[0] if folders else "", "lang", code, "stop_words.py")
    spec = importlib.util.spec_from_file_location(f"_copanalysis_stop_words_{code}", path)
    if not path.is_file() or spec is None or spec.loader is None:  # another layout
        return frozenset(importlib.import_module(f"spacy.lang.{code}.stop_words").STOP_WORDS)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return frozenset(module.STOP_WORDS)


def _script(text: str) -> str | None:
    """ "Arabic script", "Cyrillic script"...: when most of ``text``'s letters (at least
    three) are of one script other than Latin, which the English coders cannot read."""
    import unicodedata

    if text.isascii():  # every ASCII letter is Latin: most answers, read at C speed
        return None
    scripts: dict[str, int] = {}
    letters = 0
    for char in text:
        if not char.isalpha():
            continue
        letters += 1
        if char.isascii():
            continue
        name = unicodedata.name(char, "")
        first = name.split(" ")[0] if name else ""
        if first and first != "LATIN":
            scripts[first] = scripts.get(first, 0) + 1
    if letters < 3 or not scripts:
        return None
    first, count = max(scripts.items(), key=lambda pair: pair[1])
    if count * 2 <= letters:
        return None
    return f"{'CJK' if first == 'CJK' else first.title()} script"


def other_language(text: str) -> str | None:
    """The language ``text`` looks written in when it is not English, else None.

    A text of at least three words whose function words are another language's (at least
    two of them, twice English's count plus one, and a third of its words) is that
    language's; a shorter one, or a mix, is taken for English. Sentences in the languages
    named hold 0.4 to 0.75 of their function words; a Welsh one, 0.27 of Spanish's ("ni",
    "un", "mis": trial 42 named it Spanish), is not named.

    Examples
    --------
    >>> other_language("J'ai appris beaucoup sur les escarres.")
    'French'
    >>> other_language("Le manque de temps.")
    'French'
    >>> other_language("Nimejifunza mengi kuhusu lishe ya watoto.")
    'Swahili'
    >>> other_language("We learned a lot about pressure sores."), other_language("Merci")
    (None, None)
    >>> other_language("أشعر بثقة أكبر في عملي")  # most letters in another script
    'Arabic script'
    >>> other_language("Rydym ni wedi dechrau defnyddio'r un ap ar ein harolygon ni ers mis "
    ...                "Chwefror.") is None  # Welsh: not Spanish
    True
    """
    script = _script(text)
    if script is not None:
        return script
    words = _WORD.findall(text.casefold())
    if len(words) < 3:
        return None
    stops = _stop_words()
    counts = Counter(words)  # each word looked up once per language, not once per use
    english = sum(n for w, n in counts.items() if w in stops["en"])
    code, hits = max(
        ((c, sum(n for w, n in counts.items() if w in stops[c])) for c in LANGUAGES),
        key=lambda pair: pair[1],
    )
    if hits >= max(2, 2 * english + 1) and hits >= len(words) / 3:
        return LANGUAGES[code]
    return None


def not_english(text: str) -> bool:
    """Whether ``text``, whatever its language, is not read as English: at least
    :data:`MIN_WORDS_READ` words, under :data:`MAX_ENGLISH_SHARE` of them English function
    words (spaCy's English stop words). Shorter texts, and lists of English nouns with few
    function words, are read as English.

    Examples
    --------
    >>> not_english(
    ...     "Mwezi uno tinakumana ku Kanyama ndipo tinaphunzira za manyowa a bokashi. "
    ...     "Ndaphunzira kupanga manyowa a bokashi pogwiritsa ntchito zinthu za m'mudzi."
    ... )
    True
    >>> not_english("Ndaphunzira kupanga manyowa a bokashi")  # too short to tell
    False
    >>> not_english(
    ...     "Soil fertility, bokashi composting, pit planting, mulching, ripper tillage, "
    ...     "fall armyworm scouting, seed multiplication and post-harvest storage demos"
    ... )
    False
    """
    words = _WORD.findall(text.casefold())
    if len(words) < MIN_WORDS_READ:
        return False
    stops = _stop_words()["en"]
    english = sum(w in stops for w in words)
    return english < MAX_ENGLISH_SHARE * len(words)


def note_other_languages(units: Any, entries: list[dict[str, Any]]) -> None:
    """Note, in each file's load-report entry, its answers in another language.

    ``units`` holds each answer's ``text``, ``field`` (may be empty) and ``source``
    ("file.csv:row 4"); an entry gets ``other_language`` (``{language: [where, ...]}``) and
    one note per language. An answer in none of :data:`LANGUAGES` is under
    :data:`NOT_ENGLISH` when its row's other such answers and it, together, are
    :func:`not_english`.
    """
    found: dict[str, dict[str, list[str]]] = {}  # file name -> language -> where
    rows: dict[str, list[tuple[str, str]]] = {}  # source -> (text, field) in no language
    for text, field, source in zip(units["text"], units["field"], units["source"], strict=True):
        language = other_language(str(text))
        if language is None:
            rows.setdefault(str(source), []).append((str(text), str(field)))
            continue
        name, _, where = str(source).partition(":")
        found.setdefault(name, {}).setdefault(language, []).append(f"{where} {field}".strip())
    for source, answers in rows.items():
        if not_english(" ".join(text for text, _ in answers)):
            name, _, where = source.partition(":")
            unread = found.setdefault(name, {}).setdefault(NOT_ENGLISH, [])
            unread.extend(f"{where} {field}".strip() for _, field in answers)
    for entry in entries:
        mine = found.get(Path(str(entry.get("path"))).name)
        if not mine:
            continue
        entry["other_language"] = mine
        entry["notes"] = [*entry.get("notes", []), *_notes(mine)]
        every = listed_places({_listed_as(language): where for language, where in mine.items()})
        if every:
            entry["listed"] = {**entry.get("listed", {}), **every}


def _listed_as(language: str) -> str:
    """What the load report's ``listed`` calls the answers in ``language``."""
    return "answers not read as English" if language == NOT_ENGLISH else f"answers in {language}"


def _notes(found: Mapping[str, list[str]]) -> list[str]:
    notes = []
    for language, where in found.items():
        shown = first_places(where)
        many = len(where) != 1
        if language == NOT_ENGLISH:
            notes.append(
                f"{len(where):,} answer{'s' if many else ''} not read as English ({shown}): "
                f"fewer than {MAX_ENGLISH_SHARE:.0%} of the words of {'their' if many else 'its'} "
                "row are common English words, and the coders read English, so check "
                f"{'their' if many else 'its'} codes by hand"
            )
            continue
        notes.append(
            f"{len(where):,} answer{'s' if many else ''} look{'' if many else 's'} written in "
            f"{language} ({shown}): the coders read English, so check their codes by hand"
        )
    return notes
