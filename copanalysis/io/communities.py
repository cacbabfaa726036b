"""One name per community across a study's frames.

Respondents type their community's name, and lists and worksheets are named by hand, so
one community arrives as "Northside Teachers' Network", "northside teachers network" and
"Northside Teachers Network ". Counted as written, each spelling would be a community of its
own in every table and chart. :func:`unify_communities` reads names that differ only in
case, spaces or punctuation as one, under the spelling most rows use, and notes each
renaming in the load report of the file it came from. A name with a gloss in brackets after
it ("Líonra Mata na Gaillimhe (Galway Maths Teachers' Network)") is the community named
without it, when that name is there too and no other gloss follows it (trial 46: one
network counted as "2 communities"). Names that differ in their words ("City Engineers" and
"Municipal Engineers Exchange") are left as they are.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

__all__ = ["community_key", "unify_communities", "without_gloss"]

_NOT_A_WORD = re.compile(r"[\W_]+")


def community_key(name: str) -> str:
    """What two spellings of one community's name have in common.

    Examples
    --------
    >>> community_key("Northside Teachers' Network "), community_key("northside-teachers network")
    ('northside teachers network', 'northside teachers network')
    """
    return " ".join(_NOT_A_WORD.sub(" ", name.casefold()).split())


def without_gloss(name: str) -> str | None:
    """The name before a gloss in brackets that ends ``name``, or None when none does.

    The gloss is the one pair of round brackets at the end, with no bracket inside it;
    string methods, no regex, so any name is read in one pass.

    Examples
    --------
    >>> without_gloss("Líonra Mata na Gaillimhe (Galway Maths Teachers' Network)")
    'Líonra Mata na Gaillimhe'
    >>> without_gloss("Nurses (North) Group"), without_gloss("(North)"), without_gloss("A (B (C))")
    (None, None, None)
    """
    stripped = name.strip()
    if not stripped.endswith(")"):
        return None
    before, bracket, gloss = stripped[:-1].partition("(")
    if not bracket or not before.strip() or not gloss.strip() or ")" in gloss or "(" in gloss:
        return None
    return before.strip()


def unify_communities(frames: Mapping[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The frames with one spelling per community, each renaming noted where it happened.

    Parameters
    ----------
    frames : mapping of str to DataFrame
        Frames by name (those without a ``community`` column pass through).

    Returns
    -------
    dict of str to DataFrame
        The same frames, renamed spellings replaced by the one most rows use (on a tie, the
        first in sorted order), and a name with a gloss in brackets after it by the name
        without it (its spelling most rows use), when that name is there too and no other
        gloss follows it. Each file entry of a frame's load report whose rows were renamed
        gets a note: ``community 'north coaches' (2 rows) read as 'North Coaches'``.

    Examples
    --------
    >>> stories = pd.DataFrame({"community": ["North Coaches", "North Coaches", "north coaches"]})
    >>> unify_communities({"stories": stories})["stories"]["community"].tolist()
    ['North Coaches', 'North Coaches', 'North Coaches']
    """
    counts: Counter[str] = Counter()
    for frame in frames.values():
        if "community" in frame.columns:
            counts.update(frame["community"].dropna().astype(str))
    by_key: dict[str, list[str]] = {}
    for name in sorted(counts):
        by_key.setdefault(community_key(name), []).append(name)
    # stable: a tie keeps sorted order
    chosen = {key: sorted(names, key=lambda n: -counts[n])[0] for key, names in by_key.items()}
    renamed = {
        name: (chosen[key], _SPELLING)
        for key, names in by_key.items()
        for name in names
        if name != chosen[key]
    }
    for key, bare in _glossed(by_key).items():
        renamed.update({name: (chosen[bare], _GLOSS) for name in by_key[key]})
    if not renamed:
        return dict(frames)
    return {name: _renamed(frame, renamed) for name, frame in frames.items()}


_SPELLING = "the spelling most rows use: the names differ only in case, spaces or punctuation"
_GLOSS = "the same name without the gloss in brackets after it"


def _glossed(by_key: Mapping[str, list[str]]) -> dict[str, str]:
    """Of the names' keys (:func:`community_key`), those of a name with a gloss in brackets
    after it (:func:`without_gloss`) whose name without it is also there, each with that
    key; when two names differ only in their glosses ("Nurses (North)", "Nurses (South)"),
    they may be two groups, and neither is.

    Examples
    --------
    >>> _glossed({"lionra": ["Lionra"], "lionra galway": ["Lionra (Galway)"]})
    {'lionra galway': 'lionra'}
    >>> _glossed({"nurses": ["Nurses"], "nurses n": ["Nurses (N)"], "nurses s": ["Nurses (S)"]})
    {}
    """
    by_bare: dict[str, set[str]] = {}
    for key, names in by_key.items():
        for name in names:
            bare = without_gloss(name)
            if bare is not None and community_key(bare) in by_key and community_key(bare) != key:
                by_bare.setdefault(community_key(bare), set()).add(key)
    return {keys.pop(): bare for bare, keys in by_bare.items() if len(keys) == 1}


def _renamed(frame: pd.DataFrame, renamed: dict[str, tuple[str, str]]) -> pd.DataFrame:
    if "community" not in frame.columns:
        return frame
    hit = frame["community"].isin(list(renamed))
    if not hit.any():
        return frame
    out = frame.copy()
    to = {name: name_to for name, (name_to, _) in renamed.items()}
    out["community"] = frame["community"].where(~hit, frame["community"].map(to))
    report = out.attrs.get("load_report")
    if report is not None:
        out.attrs["load_report"] = _noted(report, frame[hit], renamed)
    return out


def _noted(report: dict, rows: pd.DataFrame, renamed: dict[str, tuple[str, str]]) -> dict:
    """A copy of ``report`` with a note in each file entry whose rows were renamed."""
    report = {**report, "files": [dict(entry) for entry in report.get("files", [])]}
    files = rows["source"].astype(str).str.split(":").str[0] if "source" in rows else None
    for entry in report["files"]:
        name = Path(str(entry.get("path", ""))).name
        here = rows if files is None else rows[files == name]
        notes = [
            f"community {spelling!r} ({n} row{'s' if n != 1 else ''}) read as "
            f"{renamed[spelling][0]!r}, {renamed[spelling][1]}"
            for spelling, n in sorted(Counter(here["community"]).items())
        ]
        if notes:
            entry["notes"] = [*entry.get("notes", []), *notes]
    return report
