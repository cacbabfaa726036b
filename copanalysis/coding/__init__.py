"""Coding frames against codebooks: the spaCy pipeline, segmentation and the coders.

Names load lazily from their submodules, so importing this package stays cheap.
"""

from __future__ import annotations

import lazy_loader

# public name -> submodule that defines it
_API: dict[str, str] = {
    "make_nlp": "pipeline",
    "segment": "segments",
    "RuleCoder": "rules",
    "code": "api",
    "iter_codes": "api",
    "TextCoder": "model",
    "SemanticCoder": "semantic",
    "EnsembleCoder": "ensemble",
    "LLMCoder": "llm",
    "suggest": "review",
    "find_themes": "themes",
    "value_grid": "grid",
    "worksheet_placements": "grid",
    "quantities": "quantities",
    "evaluate": "evaluation",
    "cross_val_codes": "evaluation",
}

__getattr__, __dir__, __all__ = lazy_loader.attach(
    __name__,
    submod_attrs={m: [n for n, s in _API.items() if s == m] for m in sorted(set(_API.values()))},
)

# ``quantities`` names both a submodule and the function it defines: once the submodule is
# imported Python sets this package's attribute to the module, and the lazy look-up above is
# never asked again (lazy_loader 0.4 shows it). Binding the function here keeps the name the
# function whatever is imported later; the module needs pandas only, not spaCy.
from copanalysis.coding.quantities import quantities as quantities  # noqa: E402
