"""The one-way flow, read from the source: io -> frames -> coding -> codes -> analysis.

Parses every module's imports (module level and inside functions) with ``ast``, so a lazy
import inside a function counts as much as one at the top.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "copanalysis"


def _module(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every copanalysis module ``path`` imports, relative imports resolved."""
    name = _module(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                target = f"{base}.{node.module}" if node.module else base
            else:
                target = node.module or ""
            found.add(target)
            found |= {f"{target}.{alias.name}" for alias in node.names}
    return {m for m in found if m.split(".")[0] == "copanalysis"}


def _offenders(folder: str, forbidden: str) -> list[str]:
    paths = (
        [PACKAGE / folder] if folder.endswith(".py") else sorted((PACKAGE / folder).glob("*.py"))
    )
    return [
        f"{_module(path)} imports {target}"
        for path in paths
        for target in sorted(_imports(path))
        if target == forbidden or target.startswith(forbidden + ".")
    ]


@pytest.mark.parametrize(
    ("folder", "forbidden"),
    [
        ("analysis", "copanalysis.coding"),
        ("codebooks", "copanalysis.io"),
        ("codebooks", "copanalysis.coding"),
        ("codebooks", "copanalysis.analysis"),
        ("frames.py", "copanalysis.coding"),
        ("frames.py", "copanalysis.analysis"),
        ("schema.py", "copanalysis.coding"),
        ("io", "copanalysis.coding"),
        ("io", "copanalysis.analysis"),
    ],
)
def test_no_import_against_the_flow(folder: str, forbidden: str) -> None:
    assert _offenders(folder, forbidden) == []


def test_display_imports_no_private_analysis_module() -> None:
    private = [
        target
        for target in _imports(PACKAGE / "display.py")
        if target.startswith("copanalysis.analysis.") and target.split(".")[2].startswith("_")
    ]
    assert private == []


def test_the_parser_sees_lazy_imports() -> None:
    # the check must catch an import inside a function, as the old leaks were
    imports = _imports(PACKAGE / "coding" / "api.py")
    assert "copanalysis.coding.rules" in imports
    assert "copanalysis.io.codebooks" in imports


def test_analysis_functions_take_one_frame_then_keywords() -> None:
    """Every public analysis function is ``f(codes, *, frame=None, codebook=None, ...)``:
    the table it summarises first, every other argument by keyword."""
    import importlib
    import inspect

    from copanalysis.analysis import _API

    loose = []
    for name, module in _API.items():
        function = getattr(importlib.import_module(f"copanalysis.analysis.{module}"), name)
        first, *rest = inspect.signature(function).parameters.values()
        if first.kind is not first.POSITIONAL_OR_KEYWORD or any(
            p.kind is not p.KEYWORD_ONLY for p in rest
        ):
            loose.append(f"{name}{inspect.signature(function)}")
    assert loose == []
