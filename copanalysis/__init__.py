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

from importlib.metadata import PackageNotFoundError, version

import lazy_loader

try:
    __version__ = version("copanalysis")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0+unknown"

# public name -> submodule that defines it (``copanalysis.errors`` is public as a module)
_API: dict[str, str] = {
    # frames and errors
    "validate": "schema",
    # loaders and savers (copanalysis.io is the only code that touches files)
    "load_stories": "io",
    "load_lists": "io",
    "load_roles": "io",
    "load_grid": "io",
    "load_codes": "io",
    "load_corpus": "io",
    "save_frame": "io",
    "load_frame": "io",
    "write_codes_parquet": "io",
    "save_figure": "io",
    "read_refi": "io",
    "write_qdc": "io",
    "write_qdpx": "io",
    "export_for_review": "io",
    "import_review": "io",
    "repeated_answers": "io",
    # codebooks
    "Codebook": "codebooks",
    "load_codebook": "io",
    "read_codebook": "io",
    "write_codebook": "io",
    "list_codebooks": "codebooks",
    # coding
    "make_nlp": "coding",
    "segment": "coding",
    "RuleCoder": "coding",
    "TextCoder": "coding",
    "SemanticCoder": "coding",
    "EnsembleCoder": "coding",
    "LLMCoder": "coding",
    "code": "coding",
    "iter_codes": "coding",
    "suggest": "coding",
    "find_themes": "coding",
    # analysis
    "code_frequencies": "analysis",
    "crosstab": "analysis",
    "cooccurrence": "analysis",
    "value_grid": "coding",
    "worksheet_placements": "coding",
    "story_paths": "analysis",
    "value_flows": "analysis",
    "value_grid_summary": "analysis",
    "value_grid_codes": "analysis",
    "quantities": "coding",
    "theme_balance": "analysis",
    "role_matrix": "analysis",
    "role_themes": "analysis",
    "agreement": "analysis",
    "disagreements": "analysis",
    "evaluate": "coding",
    "cross_val_codes": "coding",
    "exemplars": "analysis",
    "primary_codes": "analysis",
    "validity": "analysis",
    "reliability": "analysis",
    # display and report
    "show_codes": "display",
    "build_report": "report",
    "report_figures": "report",
    "analyse": "study",
    "Findings": "study",
}

#: the subpackages the README names as ``copanalysis.io.recode``, ``copanalysis.plots``...:
#: loaded when first used, so ``import copanalysis as cop; cop.io.read_refi(...)`` works in
#: a fresh session (trial 45: "No copanalysis attribute io" until some loader had run)
_SUBMODULES = ["analysis", "codebooks", "coding", "io", "plots", "study"]

__getattr__, __dir__, _lazy_all = lazy_loader.attach(
    __name__,
    submodules=["errors", *_SUBMODULES],
    submod_attrs={m: [n for n, s in _API.items() if s == m] for m in sorted(set(_API.values()))},
)
__all__ = ["__version__", *sorted(set(_lazy_all) - set(_SUBMODULES))]
