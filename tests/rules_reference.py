"""Record what the rule coder and the segmenter give on every case the tests give them.

``tests/data/rules_reference/`` holds, for each case, the text units coded, the codebook
and the coder's parameters, and the frame that came out: every ``RuleCoder`` call and
every ``segment`` call the test suite makes (recorded while it runs), and every built-in
codebook on each frame of the bundled corpus (``data/raw``), on a synthetic corpus and on
texts built to stress the tokenizer. ``tests/test_coding_reference.py`` codes each case
again and fails on any difference, in any column.

The recorded frames were written by the rule engine that preceded spaCy tokenizing every
batch itself (the one with its own chunk cache, commit ``36ba87d``), so the test shows the
current engine gives the same codes. Run this file again only to record an intended change
to the codes::

    .venv/bin/python tests/rules_reference.py
"""

from __future__ import annotations

import hashlib
import json
import random
import sys
from pathlib import Path
from typing import Any

import pandas as pd

REPO = Path(__file__).resolve().parents[1]
FOLDER = REPO / "tests" / "data" / "rules_reference"
#: What the pieces of the stress texts are made of (spaCy's special cases among them).
PIECES = (
    "We learned a lot.",
    "I did not learn anything new.",
    "We shared our experiences  with others.",
    "tab\there",
    "line\nbreak",
    "e.g. we applied it",
    "can't learn",
    ":) we met",
    '"quoted learning."',
    "well-being",
    "$5,000 saved.",
    "café learnt",
    "🎉 we applied",
    "\u00a0nbsp",
    "Dr. Smith",
    "www.example.com",
    "—",
    "o.k.",
    "lol :-(",
    "Not only did we meet, we shared experiences; no doubt it saved time.",
    "We didn't really learn, but the platform helped (a lot).",
    "gj(: ')gA — s.A+g\"*e.g.",
    "withdrawn after publication: 1 this year, e.g. at 10a.m. in the U.S.",
    "o.O really?! 🎉🎉 we met\u00a0twice\u3000a week",
    "  ",
    "",
)


def _codebook_data(book: Any) -> dict[str, Any]:
    return json.loads(json.dumps(book.to_dict()))


def codebook_from(data: dict[str, Any]) -> Any:
    """A :class:`Codebook` from its :meth:`~Codebook.to_dict` (no cue check, as in tests)."""
    from copanalysis.codebooks import Code, Codebook

    return Codebook(
        data["name"],
        data["version"],
        tuple(Code(**c) for c in data["codes"]),
        title=data.get("title", ""),
        description=data.get("description", ""),
        sources=tuple(data.get("sources", ())),
        polarity={k: tuple(v) for k, v in data.get("polarity", {}).items()},
    )


class Cases:
    """Cases by a digest of what goes in, each with what came out."""

    def __init__(self) -> None:
        self.cases: dict[str, dict[str, Any]] = {}
        self.units: dict[str, pd.DataFrame] = {}
        self.books: dict[str, dict[str, Any]] = {}

    def add(
        self,
        kind: str,
        source: str,
        units: pd.DataFrame,
        out: pd.DataFrame,
        *,
        codebook: Any = None,
        params: dict[str, Any],
    ) -> None:
        units = units[["doc_id", "field", "text", "kind"]].astype("string")
        units = units.reset_index(drop=True)
        book = None if codebook is None else _codebook_data(codebook)
        units_id = _digest(pd.util.hash_pandas_object(units, index=True).to_numpy().tobytes())
        book_id = None if book is None else _digest(json.dumps(book, sort_keys=True).encode())
        ident = _digest(json.dumps([kind, book_id, params, units_id], sort_keys=True).encode())
        if ident in self.cases:
            if source not in self.cases[ident]["sources"]:
                self.cases[ident]["sources"].append(source)
        else:
            self.cases[ident] = {
                "kind": kind,
                "sources": [source],
                "params": params,
                "codebook": book_id,
                "units": units_id,
                "out": out.reset_index(drop=True),
            }
            self.units[units_id] = units
            if book_id is not None:
                self.books[book_id] = book

    def write(self, folder: Path = FOLDER) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        meta, codes, segments = [], [], []
        for ident, case in sorted(self.cases.items(), key=lambda kv: kv[1]["sources"]):
            meta.append({"case": ident, **{k: v for k, v in case.items() if k != "out"}})
            (codes if case["kind"] == "codes" else segments).append(case["out"].assign(case=ident))
        (folder / "cases.json").write_text(json.dumps(meta, indent=1) + "\n")
        (folder / "codebooks.json").write_text(
            json.dumps(self.books, indent=1, ensure_ascii=False) + "\n"
        )
        units = [u.assign(units=k) for k, u in self.units.items()]
        for name, parts in (("units", units), ("codes", codes), ("segments", segments)):
            frame = pd.concat(parts, ignore_index=True)
            frame.to_parquet(folder / f"{name}.parquet", compression="zstd", index=False)


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def _source() -> str:
    import os

    return os.environ.get("PYTEST_CURRENT_TEST", "").split(" ")[0] or "script"


class Recorder:
    """A pytest plugin: records each RuleCoder and segment call the tests make."""

    def __init__(self, cases: Cases) -> None:
        self.cases = cases

    def pytest_configure(self, config: Any) -> None:
        from copanalysis.coding import rules, segments
        from copanalysis.coding.pipeline import make_nlp
        from copanalysis.frames import text_units

        cases = self.cases
        code_units = rules.RuleCoder.code_units
        iter_code = rules.RuleCoder.iter_code
        segment = segments.segment

        def params(coder: Any) -> dict[str, Any] | None:
            if coder.nlp_ is not make_nlp() or coder.model is not None:
                return None  # another pipeline: not replayable
            return {
                "unit": coder.unit,
                "parents": coder.parents,
                "min_confidence": coder.min_confidence,
            }

        def recorded_code_units(self: Any, units: pd.DataFrame, **kwargs: Any) -> pd.DataFrame:
            out = code_units(self, units, **kwargs)
            found = params(self)
            if found is not None and "kind" in units.columns:
                cases.add("codes", _source(), units, out, codebook=self.codebook_, params=found)
            return out

        def recorded_iter_code(self: Any, frame: pd.DataFrame, **kwargs: Any) -> Any:
            batches = list(iter_code(self, frame, **kwargs))
            found = params(self)
            if found is not None and batches:
                cases.add(
                    "codes",
                    _source(),
                    text_units(frame),
                    pd.concat(batches, ignore_index=True),
                    codebook=self.codebook_,
                    params=found,
                )
            yield from batches

        def recorded_segment(frame: pd.DataFrame, **kwargs: Any) -> pd.DataFrame:
            out = segment(frame, **kwargs)
            if kwargs.get("nlp") in (None, make_nlp()):
                cases.add(
                    "segments",
                    _source(),
                    text_units(frame),
                    out,
                    params={"unit": kwargs.get("unit", "sentence")},
                )
            return out

        self.originals = (code_units, iter_code, segment)
        rules.RuleCoder.code_units = recorded_code_units  # type: ignore[method-assign]
        rules.RuleCoder.iter_code = recorded_iter_code  # type: ignore[method-assign]
        segments.segment = recorded_segment

    def pytest_unconfigure(self, config: Any) -> None:
        from copanalysis.coding import rules, segments

        code_units, iter_code, segment = self.originals
        rules.RuleCoder.code_units = code_units  # type: ignore[method-assign]
        rules.RuleCoder.iter_code = iter_code  # type: ignore[method-assign]
        segments.segment = segment


def corpus_cases(cases: Cases) -> None:
    """Every built-in codebook on every frame of the bundled corpus; synthetic and stress
    texts against the value cycles."""
    from benchmarks.corpus import make_stories
    from copanalysis.codebooks import list_codebooks
    from copanalysis.coding.rules import RuleCoder
    from copanalysis.coding.segments import segment
    from copanalysis.frames import text_units
    from copanalysis.io import load_corpus
    from copanalysis.io.codebooks import load_codebook

    corpus = load_corpus(REPO / "data" / "raw", progress=False)
    frames = {k: v for k, v in corpus.frames().items() if k != "gold"}
    rng = random.Random(12)
    seps = [" ", "", "  ", "\n", " \n ", "\t", "\n\n"]
    stress = pd.DataFrame(
        {
            "doc_id": [f"x{i}" for i in range(400)],
            "text": [
                "".join(rng.choice(PIECES) + rng.choice(seps) for _ in range(rng.randint(1, 6)))
                for _ in range(400)
            ],
        }
    )
    frames["synthetic"] = make_stories(1500, seed=21)
    frames["stress"] = stress
    variants = [
        {"unit": "sentence", "parents": True, "min_confidence": 0.0},
        {"unit": "field", "parents": True, "min_confidence": 0.0},
        {"unit": "sentence", "parents": False, "min_confidence": 0.5},
    ]
    for name, frame in frames.items():
        units = text_units(frame)
        for unit in ("sentence", "field"):
            cases.add(
                "segments",
                f"corpus:{name}",
                units,
                segment(frame, unit=unit),  # type: ignore[arg-type]
                params={"unit": unit},
            )
        for book_name in list_codebooks():
            book = load_codebook(book_name)
            for params in variants if name in ("stories", "stress") else variants[:1]:
                coder = RuleCoder(book, **params).fit()
                cases.add(
                    "codes",
                    f"corpus:{name}:{book_name}",
                    units,
                    coder.code(frame),
                    codebook=book,
                    params=params,
                )


def main(argv: list[str]) -> int:
    import pytest

    sys.path.insert(0, str(REPO))
    cases = Cases()
    status = pytest.main(
        [
            "-q",
            "-x",
            "-p",
            "no:cacheprovider",
            f"--ignore={REPO / 'tests' / 'test_coding_reference.py'}",
            str(REPO / "tests"),
            str(REPO / "copanalysis"),
            *argv,
        ],
        plugins=[Recorder(cases)],
    )
    if status != 0:
        return int(status)
    corpus_cases(cases)
    cases.write()
    kinds = pd.Series([c["kind"] for c in cases.cases.values()]).value_counts()
    print(f"recorded {len(cases.cases)} cases ({kinds.to_dict()}) in {FOLDER}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
