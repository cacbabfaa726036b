"""The coders' word lists, package data in ``copanalysis/coding/data/<name>.yaml``.

Words are data, like a codebook's cues: a researcher reads and edits them in YAML, not in
Python. Each file maps a list's name to its words (a YAML list) or to a small table (a YAML
mapping, such as each cycle's horizon).
"""

from __future__ import annotations

import importlib.resources
from functools import cache
from typing import Any

__all__ = ["word_lists"]


@cache
def word_lists(name: str) -> dict[str, Any]:
    """The word lists of ``coding/data/<name>.yaml``: lists as tuples of non-empty strings,
    mappings as dicts of strings.

    Raises
    ------
    ValueError
        When an entry is neither a list of words nor a mapping of words.

    Examples
    --------
    >>> word_lists("scope")["pseudo_negations"][:2]
    ('not only', 'not just')
    >>> word_lists("grid_cycles")["horizon"]["strategic"]
    'long'
    """
    import yaml

    # package data, not a user's file: read here, as the built-in codebooks are
    path = importlib.resources.files("copanalysis.coding") / "data" / f"{name}.yaml"
    loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    out: dict[str, Any] = {}
    for key, values in loaded.items():
        if isinstance(values, list) and all(isinstance(w, str) and w for w in values):
            out[key] = tuple(values)
        elif isinstance(values, dict) and all(
            isinstance(k, str) and isinstance(v, str) and v for k, v in values.items()
        ):
            out[key] = dict(values)
        else:
            raise ValueError(
                f"coding/data/{name}.yaml, field {key!r}: {values!r}; expected a list of words "
                "or a mapping of words (quote yes, no, on and off)"
            )
    return out
