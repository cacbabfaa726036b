"""Summary tables computed from ``codes`` and the frames they code.

Names load lazily from their submodules, so importing this package stays cheap.
"""

from __future__ import annotations

import lazy_loader

# public name -> submodule that defines it
_API: dict[str, str] = {
    "code_frequencies": "frequencies",
    "crosstab": "frequencies",
    "cooccurrence": "cooccurrence",
    "value_grid_summary": "grid",
    "value_grid_codes": "grid",
    "story_paths": "paths",
    "value_flows": "paths",
    "theme_balance": "themes",
    "role_matrix": "roles",
    "role_themes": "roles",
    "agreement": "agreement",
    "disagreements": "agreement",
    "exemplars": "exemplars",
    "primary_codes": "validity",
    "validity": "validity",
    "reliability": "validity",
}

__getattr__, __dir__, __all__ = lazy_loader.attach(
    __name__,
    submod_attrs={m: [n for n, s in _API.items() if s == m] for m in sorted(set(_API.values()))},
)
