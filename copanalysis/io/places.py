"""The places a load-report note points to: the first few, then how many more.

A note on a big survey ("5,538 answers read as no answer", "577 responses were not
finished") names its first :data:`SHOWN` places and counts the rest (trial 41: one note
listed 4,850 answers on a line of 133,470 characters, in ``check``, ``run`` and the
report's methods). The loader keeps every place in the file's entry of the load report,
under ``listed`` (what is listed -> every place), and ``copanalysis check --all`` prints
them, one a line.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

__all__ = ["EVERY_ONE", "SHOWN", "first_places", "listed_places"]

#: The places a note names before it counts the rest.
SHOWN = 5
#: Where the places a note does not name are listed.
EVERY_ONE = "all listed by copanalysis check --all"


def first_places(places: Sequence[str], *, sep: str = "; ", shown: int | None = SHOWN) -> str:
    """The first ``shown`` of ``places`` (all of them with None), then how many more, and
    where they are all listed.

    Examples
    --------
    >>> first_places(["row 3", "row 9"])
    'row 3; row 9'
    >>> print(first_places([f"row {n}" for n in range(2, 1302)], sep=", "))
    row 2, row 3, row 4, row 5, row 6, and 1,295 more, all listed by copanalysis check --all
    >>> first_places(["row 3", "row 9", "row 12"], shown=None)
    'row 3; row 9; row 12'
    """
    named = list(places if shown is None else places[:shown])
    more = len(places) - len(named)
    return sep.join(named) + (f"{sep}and {more:,} more, {EVERY_ONE}" if more else "")


def listed_places(places: Mapping[str, Sequence[str]]) -> dict[str, list[str]]:
    """The load report's ``listed``: of ``places`` (what is listed -> its places), those
    a note names only the first :data:`SHOWN` of.

    Examples
    --------
    >>> every = listed_places({"answers read as no answer": [f"row {n} 'N/A'" for n in range(9)],
    ...                        "responses not finished": ["row 4"]})
    >>> list(every), every["answers read as no answer"][-1]
    (['answers read as no answer'], "row 8 'N/A'")
    >>> listed_places({"responses not finished": ["row 4"]})
    {}
    """
    return {what: list(where) for what, where in places.items() if len(where) > SHOWN}
