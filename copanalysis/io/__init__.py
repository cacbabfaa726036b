"""Reading and writing files: the only code in copanalysis that touches the disk.

Names load lazily from their submodules, so importing this package stays cheap.
"""

from __future__ import annotations

import importlib
from typing import Any

# public name -> submodule that defines it
_API: dict[str, str] = {
    "load_stories": "stories",
    "load_lists": "lists",
    "load_roles": "roles",
    "load_grid": "grid",
    "load_codes": "codes",
    "load_corpus": "corpus",
    "Corpus": "corpus",
    "save_frame": "parquet",
    "load_frame": "parquet",
    "save_figure": "figures",
    "read_refi": "refi",
    "RefiProject": "refi",
    "write_qdc": "refi",
    "write_qdpx": "refi",
    "export_for_review": "review",
    "import_review": "review",
    "write_report": "report",
    "format_load_report": "provenance",
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
