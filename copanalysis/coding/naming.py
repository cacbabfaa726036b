"""Codes a unit names outright: "the community provided immediate value".

Evaluators' statements often name the cycle they report ("evidence of realised and
transformative value was limited"), and a careful reader codes such a unit by the name, not
by its other words. :func:`named_codes` finds a codebook's codes named in a text by their
label or a multi-word alias, case-insensitively, with British spellings (``realised``) and
coordinated names (``realised and transformative value``, ``applied/realized value``) read
as naming each code. One-word aliases (``transformative``) are too loose to count alone.

Examples
--------
>>> from copanalysis.io.codebooks import load_codebook
>>> naming = CodeNames(load_codebook("value_cycles"))
>>> [code for code, _ in naming.find("Realised and transformative value was limited.")]
['realized', 'reframing']
>>> naming.find("The webinars drew high satisfaction.")
[]
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from copanalysis.codebooks.codebook import Codebook

__all__ = ["CodeNames", "code_names"]

_JOIN = r"(?:\s*,\s*(?:and\s+|or\s+)?|\s+and\s+|\s+or\s+|\s*/\s*|\s*&\s*)"
#: A short aside between the names and the head noun: "transformative (sustainability) value".
_ASIDE = r"(?:\s*\([^()]{1,40}\))?"


def _spellings(word: str) -> set[str]:
    """``realized`` -> {realized, realised}; the -ize/-ise variants of one word."""
    out = {word}
    for american, british in (("ized", "ised"), ("izing", "ising"), ("ization", "isation")):
        if american in word:
            out.add(word.replace(american, british))
        if british in word:
            out.add(word.replace(british, american))
    return out


class CodeNames:
    """The names of a codebook's codes, and where a text uses them.

    A name is a code's label or an alias of two words or more. Its last word is the head
    (``value``, ``capital``); names sharing a head may be coordinated before it.

    Parameters
    ----------
    book : Codebook
    """

    def __init__(self, book: Codebook) -> None:
        self.book = book
        by_head: dict[str, dict[str, str]] = {}  # head noun -> modifier -> code
        for code in book.codes:
            if not code.codable:
                continue
            for name in (code.label, *code.aliases):
                words = name.lower().split()
                if len(words) < 2:
                    continue
                head, modifier = words[-1], " ".join(words[:-1])
                for spelling in _spellings(modifier):
                    by_head.setdefault(head, {}).setdefault(spelling, code.code)
        self._modifiers = by_head
        # a text names a code only where it holds a head noun: most texts hold none
        self._any_head = re.compile("|".join(map(re.escape, by_head)) or "(?!)", re.IGNORECASE)
        self._patterns = []
        for head, modifiers in by_head.items():
            alternatives = "|".join(
                re.escape(m).replace(r"\ ", r"\s+")
                for m in sorted(modifiers, key=len, reverse=True)
            )
            one = rf"(?:{alternatives})"
            self._patterns.append(
                (
                    head,
                    re.compile(
                        rf"\b(?P<names>{one}(?:{_JOIN}{one})*){_ASIDE}\s+{re.escape(head)}s?\b",
                        re.IGNORECASE,
                    ),
                    re.compile(rf"\b{one}\b", re.IGNORECASE),
                )
            )

    def find(self, text: str) -> list[tuple[str, str]]:
        """The codes ``text`` names, in the order it names them, each with the phrase.

        Returns
        -------
        list of (code, phrase)
            A code named twice is listed once, at its first mention.
        """
        found: list[tuple[int, str, str]] = []
        if not self._any_head.search(text):
            return []
        for head, whole, single in self._patterns:
            modifiers = self._modifiers[head]
            for match in whole.finditer(text):
                names = match.group("names")
                for name in single.finditer(names):
                    code = modifiers[" ".join(name.group(0).lower().split())]
                    found.append((match.start() + name.start(), code, match.group(0)))
        seen: set[str] = set()
        out = []
        for _, code, phrase in sorted(found, key=lambda hit: hit[0]):
            if code not in seen:
                seen.add(code)
                out.append((code, " ".join(phrase.split())))
        return out

    def find_all(self, texts: Iterable[str]) -> list[list[tuple[str, str]]]:
        """:meth:`find` of each text."""
        return [self.find(str(text)) for text in texts]


@functools.lru_cache(maxsize=16)
def code_names(book: Codebook) -> CodeNames:
    """The :class:`CodeNames` of ``book``, compiled once per codebook."""
    return CodeNames(book)
