"""Shared test set-up: a headless matplotlib backend and the paths of bundled data."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("MPLBACKEND", "Agg")

REPO = Path(__file__).resolve().parents[1]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Running the notebooks is slow: ``make test-fast`` leaves them (and ``slow`` tests) out."""
    for item in items:
        if item.path.suffix == ".ipynb":
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The repository root (``data/``, ``notebooks/`` and ``../shared/`` hang off it)."""
    return REPO


@pytest.fixture(scope="session")
def raw_dir() -> Path:
    """The bundled sample corpus."""
    return REPO / "data" / "raw"


@pytest.fixture(scope="session")
def corpus(raw_dir: Path):
    """The bundled corpus, loaded once per test session."""
    from copanalysis.io import load_corpus

    return load_corpus(raw_dir)


@pytest.fixture(scope="session")
def findings(corpus):
    """The bundled corpus analysed once per test session (rules for the value cycles)."""
    from copanalysis.study import analyse

    return analyse(corpus, coder="rules", progress=False)
