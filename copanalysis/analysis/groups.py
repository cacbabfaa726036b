"""Value by group: how the stories of each wave, district or role compare.

An evaluation often asks whether value moved between two rounds of the same survey, or
differs between kinds of members: the groups are a column of the stories frame (a
``district`` or ``role`` column, a ``wave`` column the researcher added) or ``"file"``, the
file each story came from (two survey exports, one per wave).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from statsmodels.stats.proportion import proportion_confint

from copanalysis.codebooks.order import MAIN_CYCLES
from copanalysis.errors import GroupColumnError

__all__ = ["FILE", "each_group", "group_key", "reach_by", "with_group"]

#: The group that is each story's file, read from its ``source`` ("wave1.csv:row 2").
FILE = "file"
#: The cycles from which a story counts as value put to use.
_FROM = "applied"


def group_key(column: str) -> str:
    """The name of a group column in table and file names ("Your subject" -> "your_subject").

    Examples
    --------
    >>> group_key("Your subject"), group_key("file")
    ('your_subject', 'file')
    """
    return re.sub(r"\W+", "_", column.strip().lower()).strip("_") or "group"


#: How the loader joins the choices ticked in a multiple-choice question ("CHW; Supervisor").
JOINED = "; "


def with_group(stories: pd.DataFrame, column: str) -> pd.DataFrame:
    """``stories`` with the group ``column`` there to group by: its own column, or, for
    ``"file"``, the file each story came from.

    A story whose value joins several groups (``"CHW; Supervisor"``: the loader joins the
    choices ticked in a multiple-choice question with "; ") is one row per group, so that it
    counts toward each of them rather than as a group of its own (trial 32: "CHW; Other"
    beside "CHW").

    Raises
    ------
    GroupColumnError
        Naming the columns the stories have, when ``column`` is none of them, and the
        field a file's column of that name was read as.

    Examples
    --------
    >>> stories = pd.DataFrame({"story_id": ["a", "b"],
    ...                         "source": ["wave1.csv:row 2", "wave2.xlsx:Sheet1:row 5"]})
    >>> with_group(stories, "file")["file"].tolist()
    ['wave1.csv', 'wave2.xlsx']
    >>> stories = pd.DataFrame({"story_id": ["a", "b"], "role": ["CHW; Supervisor", "CHW"]})
    >>> grouped = with_group(stories, "role")
    >>> grouped[["story_id", "role"]].values.tolist()
    [['a', 'CHW'], ['a', 'Supervisor'], ['b', 'CHW']]
    """
    if column == FILE and FILE not in stories.columns:
        source = stories["source"].astype("string")
        return stories.assign(**{FILE: source.str.split(":").str[0]})
    if column not in stories.columns:
        raise GroupColumnError(
            f"no column {column!r} in the stories to group them by{_read_as(stories, column)}; "
            f"they have {', '.join(map(repr, stories.columns))}, or 'file' (the file each "
            "came from)"
        )
    return each_group(stories, column)


def _read_as(stories: pd.DataFrame, column: str) -> str:
    """Where a file's column of that name went, when the loader read it as a field (trial
    44: "--by county" after "group_bg/county" was read as the community), as a clause.

    Examples
    --------
    >>> stories = pd.DataFrame({"story_id": ["a"], "community": ["Siaya"]})
    >>> stories.attrs["load_report"] = {"files": [{"path": "kobo.csv",
    ...     "mapping": {"group_bg/county": {"field": "community", "score": 90.0}}}]}
    >>> _read_as(stories, "County")
    ": column 'group_bg/county' of kobo.csv was read as 'community' (--by community)"
    """
    wanted = _plain(column)
    for entry in (stories.attrs.get("load_report") or {}).get("files", []):
        for source, read in (entry.get("mapping") or {}).items():
            field = read.get("field") if isinstance(read, dict) else read
            if field in stories.columns and _plain(str(source)) == wanted:
                return (
                    f": column {source!r} of {entry.get('path')} was read as {field!r} "
                    f"(--by {field})"
                )
    return ""


def _plain(name: str) -> str:
    """A column's name as compared: its last path part, in words, case folded."""
    return " ".join(re.findall(r"\w+", name.rsplit("/", 1)[-1].casefold()))


def each_group(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    """``frame`` with a row whose ``column`` joins several groups (``"CHW; Supervisor"``)
    made one row per group, each group once, in the order ticked; ``frame`` itself when no
    value joins several.

    Examples
    --------
    >>> roles = pd.DataFrame({"doc_id": ["a", "b"], "role": ["CHW; Supervisor; CHW", None]})
    >>> each_group(roles, "role").values.tolist()
    [['a', 'CHW'], ['a', 'Supervisor'], ['b', <NA>]]
    """
    text = frame[column].astype("string")
    joined = text.str.contains(JOINED, regex=False).fillna(False).astype(bool)
    if not joined.any():
        return frame
    # each group once, in the order ticked ("CHW; CHW" is one)
    groups = [
        list(dict.fromkeys(g.strip() for g in value.split(JOINED))) if several else [value]
        for value, several in zip(text.astype(object), joined, strict=True)
    ]
    grouped = frame.assign(**{column: pd.Series(groups, index=frame.index)})
    grouped = grouped.explode(column, ignore_index=True)
    grouped[column] = grouped[column].astype("string")
    return grouped


def reach_by(
    paths: pd.DataFrame,
    stories: pd.DataFrame,
    column: str,
    *,
    cycles: Sequence[str] = MAIN_CYCLES,
) -> pd.DataFrame:
    """How far the stories of each group get along the value cycles.

    Parameters
    ----------
    paths : DataFrame
        :func:`~copanalysis.analysis.story_paths` of the stories (one row per story).
    stories : DataFrame
        The stories, with the group ``column`` (see :func:`with_group`).
    column : str
        The group column.
    cycles : sequence of str
        The cycles, in order (the five main ones).

    Returns
    -------
    DataFrame
        One row per group, in the column's order: ``column``, ``stories``, then for each
        cycle the stories whose furthest cycle it is, ``none`` (no main cycle told), and
        ``applied_or_further`` with its ``share`` of the group's stories and the share's
        95% Wilson interval (``share_low``, ``share_high``; statsmodels'
        ``proportion_confint``). A story with no group value is in the group ``"(none)"``;
        a story in several groups (:func:`with_group`) counts in each. ``attrs`` holds
        ``stories``, the number of distinct stories, and ``in_several``, those counted in
        more than one group.

    Examples
    --------
    >>> paths = pd.DataFrame({"doc_id": ["a", "b", "c"],
    ...                       "reach": ["potential", "realized", None]})
    >>> stories = pd.DataFrame({"story_id": ["a", "b", "c"], "wave": [1, 2, 2]})
    >>> reach_by(paths, stories, "wave")[["wave", "stories", "applied_or_further", "share"]]
       wave  stories  applied_or_further  share
    0     1        1                   0    0.0
    1     2        2                   1    0.5
    """
    ids = stories["story_id"].astype(str)
    group = stories[column].astype("string").fillna("(none)")
    # a story's group, beside its furthest cycle
    reach = pd.Series(
        paths["reach"].astype("string").to_numpy(), index=paths["doc_id"].astype(str)
    )
    table = pd.DataFrame({column: group.to_numpy(), "reach": reach.reindex(ids).to_numpy()})
    table["reach"] = table["reach"].fillna("none")
    counts = pd.crosstab(table[column], table["reach"])
    counts = counts.reindex(columns=[*cycles, "none"], fill_value=0)
    order = list(dict.fromkeys(group.tolist()))
    try:
        order = sorted(order, key=lambda g: (pd.to_numeric(g), g))
    except (ValueError, TypeError):
        order = sorted(order)
    counts = counts.reindex(order, fill_value=0)
    later = list(cycles[list(cycles).index(_FROM) :]) if _FROM in cycles else []
    out = counts.reset_index()
    out.insert(1, "stories", counts.sum(axis=1).to_numpy())
    out["applied_or_further"] = counts[later].sum(axis=1).to_numpy()
    out["share"] = (out["applied_or_further"] / out["stories"].where(out["stories"] > 0)).fillna(
        0.0
    )
    # a group of 30 stories says little: the share's 95% Wilson interval beside it
    low, high = proportion_confint(
        out["applied_or_further"], out["stories"].clip(lower=1), alpha=0.05, method="wilson"
    )
    out["share_low"], out["share_high"] = np.asarray(low, float), np.asarray(high, float)
    out.columns.name = None
    out = out.astype({column: _dtype_of(stories[column])}, errors="ignore")
    # a story in several groups counts in each: the groups add up to more than the stories
    out.attrs.update(stories=ids.nunique(), in_several=ids[ids.duplicated()].nunique())
    return out


def _dtype_of(column: pd.Series) -> Any:
    """The dtype to give a group column back (the groups were read as text to count them)."""
    return column.dtype if not column.isna().any() else "string"
