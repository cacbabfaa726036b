"""Reading and writing files: the only code in copanalysis that touches the disk.

Names load lazily from their submodules, so importing this package stays cheap.
"""

from __future__ import annotations

import lazy_loader

# public name -> submodule that defines it
_API: dict[str, str] = {
    "load_stories": "stories",
    "load_codebook": "codebooks",
    "read_codebook": "codebooks",
    "write_codebook": "codebooks",
    "load_lists": "lists",
    "load_roles": "roles",
    "load_grid": "grid",
    "load_codes": "codes",
    "recode": "codes",
    "load_corpus": "corpus",
    "Corpus": "corpus",
    "save_frame": "parquet",
    "load_frame": "parquet",
    "write_codes_parquet": "parquet",
    "save_figure": "figures",
    "read_refi": "refi",
    "RefiProject": "refi",
    "write_qdc": "refi",
    "write_qdpx": "refi",
    "import_refi": "refi_study",
    "ImportedProject": "refi_study",
    "export_for_review": "review",
    "import_review": "review",
    "write_report": "report",
    "write_llm_appendix": "llm_appendix",
    "save_table": "outputs",
    "check_study": "corpus",
    "unify_communities": "communities",
    "StudyCheck": "corpus",
    "format_load_report": "provenance",
    "repeated_answers": "responses",
}

__getattr__, __dir__, __all__ = lazy_loader.attach(
    __name__,
    submod_attrs={m: [n for n, s in _API.items() if s == m] for m in sorted(set(_API.values()))},
)
