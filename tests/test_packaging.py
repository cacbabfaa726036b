"""The build files agree with each other, and importing the package stays cheap."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]

# conda-forge spells a few PyPI names differently
CONDA_NAMES = {"types-pyyaml": "types-pyyaml"}


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[; ]", requirement, maxsplit=1)[0].strip().lower()


def test_environment_yml_lists_the_same_dependencies_as_pyproject() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    wanted = {_name(r) for r in project["dependencies"]}
    for extra in ("dev", "semantic", "llm", "dask"):
        wanted |= {_name(r) for r in project["optional-dependencies"][extra]}
    env = yaml.safe_load((REPO / "environment.yml").read_text())
    conda = {_name(d) for d in env["dependencies"] if isinstance(d, str)}
    pip_sections = [d["pip"] for d in env["dependencies"] if isinstance(d, dict)]
    pip_names = {_name(p) for section in pip_sections for p in section if not p.startswith("-")}
    conda_to_pypi = {"pytorch": "torch"}
    listed = {conda_to_pypi.get(n, n) for n in conda | pip_names} - {"python", "pip"}
    assert listed == wanted
    assert pip_sections[-1][-1] == "-e .", "environment.yml must end with pip: [-e .]"
    assert env["dependencies"][-1] == {"pip": pip_sections[-1]}


def test_min_versions_pin_every_required_floor() -> None:
    """``make test-min`` installs .ci/min-versions.txt: each required dependency exactly at
    the floor pyproject.toml declares, and the floors in environment.yml agree."""
    from packaging.requirements import Requirement
    from packaging.version import Version

    floors = {}
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    for text in project["dependencies"]:
        requirement = Requirement(text)
        lows = [s.version for s in requirement.specifier if s.operator == ">="]
        assert len(lows) == 1, f"{text}: expected one >= floor"
        floors[_name(requirement.name)] = Version(lows[0])
    pinned = {}
    for line in (REPO / ".ci" / "min-versions.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, version = line.split("==")
            pinned[_name(name)] = Version(version)
    assert pinned == floors
    env = yaml.safe_load((REPO / "environment.yml").read_text())
    for entry in env["dependencies"]:
        if isinstance(entry, str) and ">=" in entry and _name(entry) in floors:
            assert Version(entry.split(">=")[1].split(",")[0]) == floors[_name(entry)], entry


def test_import_loads_no_heavy_library() -> None:
    code = (
        "import sys, copanalysis; "
        "heavy = [m for m in ('spacy', 'sklearn', 'matplotlib', 'dask') if m in sys.modules]; "
        "print(','.join(heavy))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == ""


def test_public_api_names_resolve() -> None:
    code = (
        "import copanalysis as c; "
        "missing = [n for n in c.__all__ if n != '__version__' and not hasattr(c, n)]; "
        "print(','.join(missing))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == ""


def test_the_subpackages_the_readme_names_resolve_in_a_fresh_session() -> None:
    """Trial 45: ``import copanalysis as cop; cop.io.read_refi(...)``, as the README writes
    ``copanalysis.io.read_refi``, stopped with "No copanalysis attribute io" unless some
    loader had run first; loaded lazily, they still load nothing heavy at import."""
    code = (
        "import sys, copanalysis as c; "
        "heavy = [m for m in ('spacy', 'sklearn', 'matplotlib') if m in sys.modules]; "
        "names = [c.io.recode, c.io.read_refi, c.plots.plot_agreement, c.study.review_codes, "
        "c.analysis.agreement, c.coding.SemanticCoder, c.codebooks.Codebook]; "
        "print(','.join(heavy), len(names), 'io' in c.__all__)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == "7 False"


def test_every_library_the_package_imports_is_declared() -> None:
    """A third-party module the package imports (at the top or inside a function) belongs to
    a distribution that pyproject.toml declares, as required or in an extra: scipy had been
    imported for years only because scikit-learn happens to bring it."""
    import ast
    from importlib.metadata import packages_distributions

    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    declared = {_name(r) for r in project["dependencies"]}
    for extra in project["optional-dependencies"].values():
        declared |= {_name(r) for r in extra}
    declared = {d.replace("_", "-") for d in declared}
    owners = packages_distributions()
    stdlib = set(sys.stdlib_module_names)
    undeclared = {}
    for path in sorted((REPO / "copanalysis").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top in stdlib or top == "copanalysis":
                    continue
                dists = {d.lower().replace("_", "-") for d in owners.get(top, [top])}
                if not dists & declared:
                    undeclared.setdefault(top, path.relative_to(REPO).as_posix())
    assert undeclared == {}
