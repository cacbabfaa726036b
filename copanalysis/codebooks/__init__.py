"""Codebooks as data: the :class:`Codebook` value and the built-in YAML codebooks.

Names load lazily from their submodules, so importing this package stays cheap.
"""

from __future__ import annotations

import lazy_loader

# public name -> submodule that defines it
_API: dict[str, str] = {
    "Code": "codebook",
    "Codebook": "codebook",
    "builtin_codebook": "codebook",
    "list_codebooks": "codebook",
    "code_table": "order",
    "order_codes": "order",
    "MAIN_CYCLES": "order",
    "CYCLE_ORDER": "order",
    "CYCLE_ALIASES": "order",
}

__getattr__, __dir__, __all__ = lazy_loader.attach(
    __name__,
    submod_attrs={m: [n for n, s in _API.items() if s == m] for m in sorted(set(_API.values()))},
)
