"""copanalysis: load, code and chart what members of communities of practice say.

The public API is imported lazily: ``import copanalysis`` loads pandas-free metadata only,
and spaCy, scikit-learn and matplotlib load when a function that needs them is first used.

Examples
--------
>>> import copanalysis as cop
>>> "load_stories" in cop.__all__
True
"""

from __future__ import annotations

import importlib
from importlib.metadata import PackageNotFoundError, version
from typing import Any

try:
    __version__ = version("copanalysis")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0+unknown"

# public name -> module that defines it
_API: dict[str, str] = {
    # frames and errors
    "validate": "copanalysis.schema",
    "errors": "copanalysis.errors",
    # loaders and savers (copanalysis.io is the only code that touches files)
    "load_stories": "copanalysis.io",
    "load_lists": "copanalysis.io",
    "load_roles": "copanalysis.io",
    "load_grid": "copanalysis.io",
    "load_codes": "copanalysis.io",
    "load_corpus": "copanalysis.io",
    "save_frame": "copanalysis.io",
    "load_frame": "copanalysis.io",
    "save_figure": "copanalysis.io",
    "read_refi": "copanalysis.io",
    "write_qdc": "copanalysis.io",
    "write_qdpx": "copanalysis.io",
    "export_for_review": "copanalysis.io",
    "import_review": "copanalysis.io",
    # codebooks
    "Codebook": "copanalysis.codebooks",
    "load_codebook": "copanalysis.codebooks",
    "list_codebooks": "copanalysis.codebooks",
    # coding
    "make_nlp": "copanalysis.coding",
    "segment": "copanalysis.coding",
    "RuleCoder": "copanalysis.coding",
    "TextCoder": "copanalysis.coding",
    "EnsembleCoder": "copanalysis.coding",
    "code": "copanalysis.coding",
    "suggest": "copanalysis.coding",
    "find_themes": "copanalysis.coding",
    # analysis
    "code_frequencies": "copanalysis.analysis",
    "crosstab": "copanalysis.analysis",
    "cooccurrence": "copanalysis.analysis",
    "value_grid": "copanalysis.analysis",
    "story_paths": "copanalysis.analysis",
    "value_flows": "copanalysis.analysis",
    "value_grid_summary": "copanalysis.analysis",
    "quantities": "copanalysis.analysis",
    "theme_balance": "copanalysis.analysis",
    "role_matrix": "copanalysis.analysis",
    "role_themes": "copanalysis.analysis",
    "agreement": "copanalysis.analysis",
    "disagreements": "copanalysis.analysis",
    "evaluate": "copanalysis.analysis",
    "cross_val_codes": "copanalysis.analysis",
    "exemplars": "copanalysis.analysis",
    # display and report
    "show_codes": "copanalysis.display",
    "build_report": "copanalysis.report",
    "report_figures": "copanalysis.report",
    "analyse": "copanalysis.study",
    "Findings": "copanalysis.study",
}

__all__ = ["__version__", *sorted(_API)]


def __getattr__(name: str) -> Any:
    module = _API.get(name)
    if module is None:
        raise AttributeError(f"module 'copanalysis' has no attribute {name!r}")
    mod = importlib.import_module(module)
    value = mod if name == "errors" else getattr(mod, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
