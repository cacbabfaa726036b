"""One function per chart: ``plot_x(table, *, ax=None, ...) -> Axes``.

Names load lazily from their submodules, so importing this package stays cheap.
"""

from __future__ import annotations

import lazy_loader

# public name -> submodule that defines it
_API: dict[str, str] = {
    "plot_value_grid": "grid",
    "plot_code_frequencies": "frequencies",
    "plot_story_reach": "paths",
    "plot_value_flows": "paths",
    "plot_cooccurrence": "cooccurrence",
    "plot_enablers_challenges": "themes",
    "plot_roles": "roles",
    "plot_role_themes": "roles",
    "plot_agreement": "agreement",
    "plot_quantities": "quantities",
    "plot_reliability": "reliability",
}

__getattr__, __dir__, __all__ = lazy_loader.attach(
    __name__,
    submod_attrs={m: [n for n, s in _API.items() if s == m] for m in sorted(set(_API.values()))},
)
