"""Summary tables computed from ``codes`` and the frames they code.

Names load lazily from their submodules, so importing this package stays cheap.
"""

from __future__ import annotations

import importlib
from typing import Any

# public name -> submodule that defines it
_API: dict[str, str] = {
    "code_frequencies": "frequencies",
    "crosstab": "frequencies",
    "cooccurrence": "cooccurrence",
    "value_grid": "grid",
    "value_grid_summary": "grid",
    "story_paths": "paths",
    "value_flows": "paths",
    "quantities": "quantities",
    "theme_balance": "themes",
    "role_matrix": "roles",
    "role_themes": "roles",
    "agreement": "agreement",
    "disagreements": "agreement",
    "evaluate": "evaluation",
    "cross_val_codes": "evaluation",
    "exemplars": "exemplars",
}

__all__ = sorted(_API)


def __getattr__(name: str) -> Any:
    module = _API.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
