"""One name per community across a study's frames.

Respondents type their community's name, and lists and worksheets are named by hand, so
one community arrives as "Northside Teachers' Network", "northside teachers network" and
"Northside Teachers Network ". Counted as written, each spelling would be a community of its
own in every table and chart. :func:`unify_communities` reads names that differ only in
case, spaces or punctuation as one, under the spelling most rows use, and notes each
renaming in the load report of the file it came from. Names that differ in their words
("City Engineers" and "Municipal Engineers Exchange") are left as they are.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

__all__ = ["community_key", "unify_communities"]

_NOT_A_WORD = re.compile(r"[\W_]+")


def community_key(name: str) -> str:
    """What two spellings of one community's name have in common.

    Examples
    --------
    >>> community_key("Northside Teachers' Network "), community_key("northside-teachers network")
    ('northside teachers network', 'northside teachers network')
    """
    return " ".join(_NOT_A_WORD.sub(" ", name.casefold()).split())


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
        first in sorted order). Each file entry of a frame's load report whose rows were
        renamed gets a note: ``community 'north coaches' (2 rows) read as 'North Coaches'``.

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
    renamed = {
        name: sorted(names, key=lambda n: -counts[n])[0]  # stable: a tie keeps sorted order
        for names in by_key.values()
        if len(names) > 1
        for name in names
    }
    renamed = {name: to for name, to in renamed.items() if name != to}
    if not renamed:
        return dict(frames)
    return {name: _renamed(frame, renamed) for name, frame in frames.items()}


def _renamed(frame: pd.DataFrame, renamed: dict[str, str]) -> pd.DataFrame:
    if "community" not in frame.columns:
        return frame
    hit = frame["community"].isin(list(renamed))
    if not hit.any():
        return frame
    out = frame.copy()
    out["community"] = frame["community"].where(~hit, frame["community"].map(renamed))
    report = out.attrs.get("load_report")
    if report is not None:
        out.attrs["load_report"] = _noted(report, frame[hit], renamed)
    return out


def _noted(report: dict, rows: pd.DataFrame, renamed: dict[str, str]) -> dict:
    """A copy of ``report`` with a note in each file entry whose rows were renamed."""
    report = {**report, "files": [dict(entry) for entry in report.get("files", [])]}
    files = rows["source"].astype(str).str.split(":").str[0] if "source" in rows else None
    for entry in report["files"]:
        name = Path(str(entry.get("path", ""))).name
        here = rows if files is None else rows[files == name]
        notes = [
            f"community {spelling!r} ({n} row{'s' if n != 1 else ''}) read as "
            f"{renamed[spelling]!r}, the spelling most rows use: the names differ only in "
            "case, spaces or punctuation"
            for spelling, n in sorted(Counter(here["community"]).items())
        ]
        if notes:
            entry["notes"] = [*entry.get("notes", []), *notes]
    return report
