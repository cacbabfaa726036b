"""One function per chart: ``plot_x(table, *, ax=None, ...) -> Axes``.

Names load lazily from their submodules, so importing this package stays cheap.
"""

from __future__ import annotations

import importlib
from typing import Any

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
