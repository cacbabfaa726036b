"""Tie a language model's answers back to the text: quotes grounded, names pseudonymised.

* :func:`ground_quote` finds where a quote the model returned stands in the unit's text:
  exactly, else after normalising whitespace and quotation marks (exactly, then with
  rapidfuzz's ``partial_ratio`` at 95 or more). The offsets always come from the text; a
  quote found nowhere is not grounded, and its code is dropped.
* :class:`Pseudonyms` replaces people's names with stable placeholders (``[PERSON-1a2b3c]``,
  the same for a name in every unit and every run) before a text is sent, maps offsets in
  the sent text back to the original, and puts the names back in the model's reasons.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from copanalysis.io.codes import normalise

__all__ = ["Pseudonyms", "PseudonymisedText", "ground_quote", "normalise", "placeholder"]

#: The lowest rapidfuzz ``partial_ratio`` at which a normalised quote counts as found.
MIN_SCORE = 95.0

#: What a model wraps a quote in that the text may not have: quotation marks, ellipses.
_WRAPPING = re.compile(
    r"^(?:\s|\.\.\.|[\u2026\"'\u2018\u2019\u201c\u201d\u00ab\u00bb])+"
    r"|(?:\s|\.\.\.|[\u2026\"'\u2018\u2019\u201c\u201d\u00ab\u00bb])+$"
)

Grounding = Literal["exact", "normalised"]


def ground_quote(
    quote: str, text: str, *, min_score: float = MIN_SCORE
) -> tuple[int, int, Grounding] | None:
    """Where ``quote`` stands in ``text``: ``(start, end, how)``, or None when it is not there.

    Tried in order: the quote as given (outer whitespace trimmed); without the quotation
    marks and ellipses a model wraps quotes in; then both texts normalised
    (:func:`normalise`), exactly and with rapidfuzz's ``partial_ratio`` at ``min_score`` or
    more. A match found after normalising is widened to whole words. The first occurrence
    wins.

    Parameters
    ----------
    quote : str
        What the model says it quotes.
    text : str
        The unit's text.
    min_score : float
        The lowest ``partial_ratio`` (0..100) accepted.

    Returns
    -------
    tuple of (int, int, {"exact", "normalised"}) or None
        Offsets into ``text``; ``text[start:end]`` is the grounded quote.

    Examples
    --------
    >>> text = "We met in May.  I \u201clearned\u201d a new way\\nto run handovers."
    >>> ground_quote("I \u201clearned\u201d a new way", text)
    (16, 37, 'exact')
    >>> start, end, how = ground_quote('"I "learned" a new way to run handovers."', text)
    >>> text[start:end], how
    ('I \u201clearned\u201d a new way\\nto run handovers.', 'normalised')
    >>> start, end, how = ground_quote('I "learned" a new way to run handovers!', text)
    >>> text[start:end], how
    ('I \u201clearned\u201d a new way\\nto run handovers', 'normalised')
    >>> ground_quote("We went to Lisbon in June", text) is None
    True
    """
    found = _exact(quote.strip(), text)
    if found is not None:
        return (*found, "exact")
    bare = _WRAPPING.sub("", quote)
    if not bare:
        return None
    found = _exact(bare, text)
    if found is not None:
        return (*found, "exact")
    norm_text, index = normalise(text)
    norm_quote, _ = normalise(bare)
    if not norm_quote or not norm_text:
        return None
    at = norm_text.find(norm_quote)
    if at >= 0:
        return (index[at], index[at + len(norm_quote) - 1] + 1, "normalised")
    if len(norm_quote) > len(norm_text) or len(norm_quote) < 3:
        return None
    from rapidfuzz import fuzz

    aligned = fuzz.partial_ratio_alignment(norm_quote, norm_text, score_cutoff=min_score)
    if aligned is None or aligned.dest_end <= aligned.dest_start:
        return None
    start, end = index[aligned.dest_start], index[aligned.dest_end - 1] + 1
    start, end = _whole_words(text, start, end)
    return (start, end, "normalised")


def _exact(quote: str, text: str) -> tuple[int, int] | None:
    if not quote:
        return None
    at = text.find(quote)
    return None if at < 0 else (at, at + len(quote))


def _whole_words(text: str, start: int, end: int) -> tuple[int, int]:
    """``text[start:end]`` without whitespace at its ends, widened so that it neither
    starts nor ends inside a word."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    while start > 0 and text[start - 1].isalnum() and text[start].isalnum():
        start -= 1
    while end < len(text) and text[end - 1].isalnum() and text[end].isalnum():
        end += 1
    return start, end


# ------------------------------------------------------------------ pseudonymisation


def placeholder(name: str) -> str:
    """The placeholder that stands for ``name``: the same in every text and every run.

    Derived from the name (case does not matter), so a cached answer stays valid when more
    names are added; it is a pseudonym, not anonymisation: anyone holding a list of
    candidate names can tell which one it stands for.

    Examples
    --------
    >>> placeholder("Ana Lopez"), placeholder("ana lopez")
    ('[PERSON-67b6ab]', '[PERSON-67b6ab]')
    """
    digest = hashlib.sha256(" ".join(name.split()).casefold().encode("utf-8")).hexdigest()
    return f"[PERSON-{digest[:6]}]"


@dataclass(frozen=True)
class PseudonymisedText:
    """A text as sent, and where its placeholders stand in it and in the original.

    Attributes
    ----------
    original, text : str
        The text before and after pseudonymisation.
    replaced : tuple of (int, int, int, int)
        For each name replaced: its placeholder's start and end in ``text``, and the name's
        start and end in ``original``.
    """

    original: str
    text: str
    replaced: tuple[tuple[int, int, int, int], ...] = ()

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Offsets into the sent text as offsets into the original; a span that starts or
        ends inside a placeholder takes in the whole name.

        Examples
        --------
        >>> sent = Pseudonyms.from_names(["Ana"]).apply("I met Ana. We talked.")
        >>> sent.text
        'I met [PERSON-24d4b9]. We talked.'
        >>> start, end = sent.to_original(*ground_quote("[PERSON-24d4b9]. We talked", sent.text)[:2])
        >>> sent.original[start:end]
        'Ana. We talked'
        """  # noqa: E501
        return self._map(start, end=False), self._map(end, end=True)

    def _map(self, position: int, *, end: bool) -> int:
        shift = 0
        for sent_start, sent_end, old_start, old_end in self.replaced:
            if position <= sent_start:
                break
            if position < sent_end:
                return old_end if end else old_start
            shift = old_end - sent_end
        return position + shift


class Pseudonyms:
    """Replace names with :func:`placeholder` and back.

    Build it with :meth:`from_names`. A full name (``"Ana Lopez"``) also stands for each of
    its capitalised words of three letters or more (``"Ana"``, ``"Lopez"``), since people
    are named by their first name in stories. Names match whole words, in any case; longer
    names first.

    Examples
    --------
    >>> names = Pseudonyms.from_names(["Ana Lopez", "Ben"])
    >>> sent = names.apply("Ana told Ben and ana lopez agreed.")
    >>> sent.text
    '[PERSON-24d4b9] told [PERSON-670086] and [PERSON-67b6ab] agreed.'
    >>> names.restore("[PERSON-670086] agreed with [PERSON-24d4b9]")
    'Ben agreed with Ana'
    >>> Pseudonyms.from_names([]).apply("Ana met Ben.").text
    'Ana met Ben.'
    """

    def __init__(self, names: dict[str, str]) -> None:
        #: casefolded name -> the name as listed
        self.names = names
        self._back = {placeholder(name): name for name in names.values()}
        ordered = sorted(names, key=len, reverse=True)
        self._pattern = (
            re.compile(
                r"(?<!\w)(?:" + "|".join(re.escape(n) for n in ordered) + r")(?!\w)",
                re.IGNORECASE,
            )
            if ordered
            else None
        )
        self._restore = (
            re.compile("|".join(re.escape(p) for p in self._back)) if self._back else None
        )

    @classmethod
    def from_names(cls, names: Iterable[object]) -> Pseudonyms:
        """From people's names (missing values and names shorter than two letters skipped)."""
        found: dict[str, str] = {}
        for value in names:
            if value is None or not isinstance(value, str):
                continue
            name = " ".join(value.split())
            if len(name) < 2:
                continue
            found.setdefault(name.casefold(), name)
            words = name.split(" ")
            if len(words) > 1:
                for word in words:
                    word = word.strip(".,;:()")
                    if len(word) >= 3 and word[0].isupper():
                        found.setdefault(word.casefold(), word)
        return cls(found)

    def __len__(self) -> int:
        return len(self.names)

    def apply(self, text: str) -> PseudonymisedText:
        """``text`` with every name replaced by its placeholder."""
        if self._pattern is None:
            return PseudonymisedText(text, text)
        pieces: list[str] = []
        replaced: list[tuple[int, int, int, int]] = []
        last = 0
        length = 0
        for match in self._pattern.finditer(text):
            before = text[last : match.start()]
            pieces.append(before)
            length += len(before)
            name = self.names[" ".join(match.group(0).split()).casefold()]
            token = placeholder(name)
            replaced.append((length, length + len(token), match.start(), match.end()))
            pieces.append(token)
            length += len(token)
            last = match.end()
        pieces.append(text[last:])
        return PseudonymisedText(text, "".join(pieces), tuple(replaced))

    def restore(self, text: str) -> str:
        """``text`` (a model's reason) with each placeholder back as the name."""
        if self._restore is None:
            return text
        return self._restore.sub(lambda m: self._back[m.group(0)], text)
