# The two commands a fresh clone needs: `make demo` and `make test` (`make test-fast` while
# you work).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test test-fast test-min lint typecheck pytest notebooks bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# The CPU build of torch first (on these machines pip finds it on disk; a bare `torch`
# would fetch a CUDA build of several GB), then the package with every optional extra.
TORCH ?= torch==2.13.0
EXTRAS ?= dev,semantic,llm,dask

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet '$(TORCH)'
	$(BIN)/python -m pip install --quiet -e '.[$(EXTRAS)]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/copanalysis demo --raw data/raw --out data/processed

test: lint typecheck pytest

# the inner loop: lint, types and every test but the slow ones (README figures, benchmarks,
# the CLI demo, the notebooks); `make test` and CI run everything
test-fast: lint typecheck $(STAMP)
	$(BIN)/python -m pytest -q -m "not slow"

# the dependency floors: a separate venv with every required dependency at the lowest version
# pyproject.toml allows (.ci/min-versions.txt), the dev tools at their newest and no optional
# extra (tests that need one skip), then the fast tests
MIN_VENV  := .venv-min
MIN_STAMP := $(MIN_VENV)/.installed

$(MIN_STAMP): pyproject.toml .ci/min-versions.txt
	rm -rf $(MIN_VENV)
	$(PYTHON) -m venv $(MIN_VENV)
	$(MIN_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(MIN_VENV)/bin/python -m pip install --quiet -c .ci/min-versions.txt -r .ci/min-versions.txt -e '.[dev]'
	touch $(MIN_STAMP)

test-min: $(MIN_STAMP)
	$(MIN_VENV)/bin/python -m pip check
	$(MIN_VENV)/bin/python -m pytest -q -m "not slow"

lint: $(STAMP)
	$(BIN)/ruff check copanalysis tests benchmarks notebooks conftest.py
	$(BIN)/ruff format --check copanalysis tests benchmarks notebooks conftest.py

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/python -m pytest -q --nbmake

# `make bench BENCH_ARGS=--update-readme` also rewrites the README's benchmark table
BENCH_SIZES ?= 1000 10000 100000
# larger corpora whose streaming memory alone is measured
BENCH_STREAM_SIZES ?= 300000
bench: $(STAMP)
	$(BIN)/python -m benchmarks.run --sizes $(BENCH_SIZES) --stream-sizes $(BENCH_STREAM_SIZES) $(BENCH_ARGS)
	$(BIN)/python -m benchmarks.semantic $(BENCH_ARGS)
	$(BIN)/python -m benchmarks.distributed $(BENCH_ARGS)
	$(BIN)/python -m benchmarks.scaling $(BENCH_ARGS)

clean:
	rm -rf $(VENV) $(MIN_VENV) .pytest_cache .mypy_cache .ruff_cache
