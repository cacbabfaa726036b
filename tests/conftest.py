"""Shared test set-up: a headless matplotlib backend and the paths of bundled data."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("MPLBACKEND", "Agg")
# embeddings are cached once per test session, never in the user's cache
os.environ["COPANALYSIS_CACHE_DIR"] = tempfile.mkdtemp(prefix="copanalysis-test-cache-")

REPO = Path(__file__).resolve().parents[1]


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
