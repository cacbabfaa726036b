"""Coding frames against codebooks: the spaCy pipeline, segmentation and the coders.

Names load lazily from their submodules, so importing this package stays cheap.
"""

from __future__ import annotations

import importlib
from typing import Any

# public name -> submodule that defines it
_API: dict[str, str] = {
    "make_nlp": "pipeline",
    "segment": "segments",
    "RuleCoder": "rules",
    "code": "api",
    "TextCoder": "model",
    "EnsembleCoder": "ensemble",
    "suggest": "review",
    "find_themes": "themes",
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
