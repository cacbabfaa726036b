"""Codebooks as data: the :class:`Codebook` value and the built-in YAML codebooks.

Names load lazily from their submodules, so importing this package stays cheap.
"""

from __future__ import annotations

import importlib
from typing import Any

# public name -> submodule that defines it
_API: dict[str, str] = {
    "Code": "codebook",
    "Codebook": "codebook",
    "load_codebook": "codebook",
    "list_codebooks": "codebook",
    "code_table": "order",
    "order_codes": "order",
    "MAIN_CYCLES": "order",
    "CYCLE_ORDER": "order",
    "CYCLE_ALIASES": "order",
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
