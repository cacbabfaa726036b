"""A study folder: the conventional layout of ``data/raw/`` read in one call."""

from __future__ import annotations

from dataclasses import dataclass
from os import PathLike
from pathlib import Path

import pandas as pd

from copanalysis.errors import CopanalysisError
from copanalysis.io.codes import load_codes
from copanalysis.io.grid import load_grid
from copanalysis.io.lists import load_lists
from copanalysis.io.roles import load_roles
from copanalysis.io.stories import load_stories

#: sub-folder -> what it holds
LAYOUT: dict[str, str] = {
    "stories": "value-creation stories (CSV, TSV, XLSX, JSON, JSONL, DOCX, MD, TXT)",
    "lists": "enabler and challenge lists",
    "roles": "leadership-role worksheets",
    "grid": "strategic-value reflection grids",
    "gold": "human codes (a codes table as CSV or XLSX), optional",
}


@dataclass(frozen=True)
class Corpus:
    """Everything a study folder holds, as the package's tidy frames.

    Attributes
    ----------
    stories, items, roles, grid : DataFrame
        The frames of :mod:`copanalysis.schema`; empty where the folder is missing.
    gold : DataFrame
        Human codes from ``gold/`` (a ``codes`` frame), empty when there are none.
    """

    stories: pd.DataFrame
    items: pd.DataFrame
    roles: pd.DataFrame
    grid: pd.DataFrame
    gold: pd.DataFrame

    def frames(self) -> dict[str, pd.DataFrame]:
        """The frames by name, in the order a report lists them."""
        return {
            "stories": self.stories,
            "items": self.items,
            "roles": self.roles,
            "grid": self.grid,
            "gold": self.gold,
        }


def load_corpus(path: str | PathLike[str], *, progress: bool = True) -> Corpus:
    """Load a study folder laid out as ``stories/``, ``lists/``, ``roles/``, ``grid/``, ``gold/``.

    Parameters
    ----------
    path : path-like
        The folder (for the bundled sample, ``data/raw``). Sub-folders that are missing give
        empty frames; at least one of ``stories``, ``lists``, ``roles`` or ``grid`` must exist.

    Returns
    -------
    Corpus
        Each frame keeps its load report in ``frame.attrs["load_report"]``.

    Raises
    ------
    CopanalysisError
        When the folder does not exist or holds none of the known sub-folders.
    """
    from copanalysis.schema import empty

    root = Path(path)
    if not root.is_dir():
        raise CopanalysisError("no such folder", path=root)
    present = [name for name in LAYOUT if (root / name).is_dir()]
    if not set(present) - {"gold"}:
        expected = "; ".join(f"{k}/: {v}" for k, v in LAYOUT.items())
        raise CopanalysisError(f"none of the expected sub-folders is here ({expected})", path=root)

    gold_dir = root / "gold"
    gold_files = sorted(
        p for p in gold_dir.glob("*") if p.suffix.lower() in {".csv", ".xlsx", ".parquet"}
    )
    if gold_files:
        gold = pd.concat([load_codes(p) for p in gold_files], ignore_index=True)
    else:
        gold = empty("codes")
    return Corpus(
        stories=load_stories(root / "stories", progress=progress)
        if "stories" in present
        else empty("stories"),
        items=load_lists(root / "lists") if "lists" in present else empty("items"),
        roles=load_roles(root / "roles") if "roles" in present else empty("roles"),
        grid=load_grid(root / "grid") if "grid" in present else empty("grid"),
        gold=gold,
    )
