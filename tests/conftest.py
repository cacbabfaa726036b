"""Shared test set-up: a headless matplotlib backend and the paths of bundled data."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

os.environ.setdefault("MPLBACKEND", "Agg")

# The loaders' fuzz tests (tests/test_io_fuzz.py). `make test` runs the "fuzz" profile:
# 2,000 examples per loader, derandomized (a fixed seed per test), no example database
# written. CI runs `HYPOTHESIS_PROFILE=fuzz-long`: 10,000 per loader (.ci/run).
_FUZZ = {
    "derandomize": True,
    "database": None,
    "deadline": 5000,  # ms: one input, written and loaded, within 5 s
    "print_blob": True,
    # building a DOCX or XLSX with its library takes tens of milliseconds, which Hypothesis
    # counts as slow data generation; and a "huge field" example is large by design
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large],
}
settings.register_profile("fuzz", max_examples=2000, **_FUZZ)
settings.register_profile("fuzz-long", max_examples=10000, **_FUZZ)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "fuzz"))
# Everything a test run writes to the temporary folder goes into one folder of its own,
# removed when the run ends: the embedding cache (once per run, never the user's cache, up to
# about 90 MB) and the folders that tests, doctests and the processes they start make with
# ``tempfile``. Before, every run left its cache and a few folders behind in /tmp.
# pytest's own tmp_path folders stay where pytest keeps them, for looking into after a failure.
os.environ.setdefault("PYTEST_DEBUG_TEMPROOT", tempfile.gettempdir())
_RUN_TMP = tempfile.mkdtemp(prefix="copanalysis-tests-")
atexit.register(shutil.rmtree, _RUN_TMP, ignore_errors=True)
os.environ["TMPDIR"] = tempfile.tempdir = _RUN_TMP
os.environ["COPANALYSIS_CACHE_DIR"] = os.path.join(_RUN_TMP, "cache")

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


@pytest.fixture
def coded_frames(monkeypatch) -> list[tuple[str, str]]:
    """Each ``copanalysis.coding.api.code`` call of the test, as ``(frame kind, codebook)``."""
    from copanalysis.coding import api
    from copanalysis.frames import frame_kind

    real = api.code
    asked: list[tuple[str, str]] = []

    def spy(frame, book, **kwargs):
        asked.append((frame_kind(frame), book))
        return real(frame, book, **kwargs)

    monkeypatch.setattr(api, "code", spy)
    return asked
