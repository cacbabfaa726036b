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

# ``agreement``, ``cooccurrence``, ``exemplars`` and ``validity`` each name both a submodule
# and the function it defines. Once
# something imports the submodule, Python sets the package's attribute to the module and the
# lazy look-up above is never asked again, so ``from copanalysis import agreement`` gave a
# module or the function depending on what ran first. Binding the functions here, after
# their submodules are loaded, keeps the name the function whatever is imported later.
# (lazy_loader 0.4, the oldest supported, shows it; later versions happen to hide it.)
from copanalysis.analysis.agreement import agreement as agreement  # noqa: E402
from copanalysis.analysis.cooccurrence import cooccurrence as cooccurrence  # noqa: E402
from copanalysis.analysis.exemplars import exemplars as exemplars  # noqa: E402
from copanalysis.analysis.validity import validity as validity  # noqa: E402
