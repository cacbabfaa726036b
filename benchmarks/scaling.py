"""How loading and coding time grow with one huge or odd input: linear, not quadratic.

Researchers paste whole transcripts into one survey cell or one line, and exports carry
runs of spaces, question marks and numbers. Each case below times one call at ``n`` and at
``4 n`` characters in the same run and reports the ratio: about 4 when the time grows with
the text, 16 when it grows with its square. Target: at most :data:`TARGET_GROWTH`.

The cases are the inputs found slow before (CI's loader fuzz test and an audit of the
patterns that read user text): a CSV with no header row whose first cell has no question
mark, a Markdown heading, a transcript line, a header or a role cell with a run of spaces, a
line of question marks, quantity claims repeated through one sentence or cut by a run
of spaces, and one clause of denied insights. Two references: the rule coder on one long
line of words, and spaCy's own tokenizer on a run of opening brackets, which grows with the
square of the run inside spaCy (its suffix search), so the rule coder does too.

Run ``python -m benchmarks.scaling`` from the repository root (``make bench`` runs it);
results go to ``benchmarks/results/scaling-<date>.json``. Not part of ``make test``.
"""

from __future__ import annotations

import argparse
import atexit
import functools
import itertools
import json
import re
import shutil
import tempfile
import timeit
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"
README = Path(__file__).resolve().parents[1] / "README.md"
#: Time at 4x the input over time at 1x: linear growth gives about 4, quadratic 16.
TARGET_GROWTH = 8.0
WORDS = "we shared our cases and applied the new checklist on the ward "


def _fill(piece: str, n: int) -> str:
    return (piece * (n // len(piece) + 1))[:n]


def _file(name: str, text: str | bytes) -> Path:
    """``text`` written to a file ``name`` of its own folder, removed when the run ends."""
    folder = tempfile.mkdtemp(prefix="scaling-")
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    path = Path(folder, name)
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def _load(load: str, path: Path) -> Any:
    import copanalysis.io as io
    from copanalysis.errors import CopanalysisError

    options = {"progress": False} if load == "load_stories" else {}
    try:
        return getattr(io, load)(path, **options)
    except CopanalysisError:
        return None  # a named error is an answer too: what is timed is reaching it


def _story(field: str, text: str) -> Any:
    import pandas as pd

    return pd.DataFrame({"story_id": ["s1"], field: [text]})


def _claims(text: str) -> Any:
    from copanalysis.coding.quantities import quantities

    return quantities(_story("organization", text), progress=False)


def _rules(text: str) -> Any:
    from copanalysis.coding import code

    return code(_story("practice", text), "value_cycles", coder="rules", progress=False)


def _insight(text: str) -> Any:
    from copanalysis.coding.absence import insight_clause

    return insight_clause(text)


@functools.cache
def _blank() -> Any:
    import spacy

    return spacy.blank("en")


def _tokens(text: str) -> Any:
    return _blank().tokenizer(text)


Case = Callable[[int], Callable[[], Any]]


def _loading(load: str, make: Callable[[int], Path]) -> Case:
    def at(n: int) -> Callable[[], Any]:
        path = make(n)
        return lambda: _load(load, path)

    return at


def _coding(run: Callable[[str], Any], make: Callable[[int], str]) -> Case:
    def at(n: int) -> Callable[[], Any]:
        text = make(n)
        return lambda: run(text)

    return at


def _uncached(run: Callable[[str], Any], make: Callable[[int], str]) -> Case:
    """As :func:`_coding`, with a text new to spaCy's tokenizer at each call: it caches the
    tokens of each piece of text between spaces, so a second call on the same text would be
    timed as a look-up."""
    calls = itertools.count()

    def at(n: int) -> Callable[[], Any]:
        text = make(n)
        return lambda: run(f"{text}{next(calls)}")

    return at


_WORDS_RULES = "reference: one line of words (rule coder)"
_BRACKETS_SPACY = "reference: '(' run, spaCy's own tokenizer"
_BRACKETS_RULES = "reference: '(' run (rule coder)"

#: Each case: ``n`` characters -> the call to time on an input of about that size.
CASES: dict[str, Case] = {
    "CSV, no header row, first cell without '?' (load_stories)": _loading(
        "load_stories", lambda n: _file("export.csv", b"\r\n" + b"x" * n + b"\r\n;")
    ),
    "Markdown heading of spaces (load_stories)": _loading(
        "load_stories", lambda n: _file("story.md", f"## Story{' ' * n}We met\n")
    ),
    "transcript line of spaces (load_stories)": _loading(
        "load_stories", lambda n: _file("story.txt", f"Story\nWe met{' ' * n}again\n")
    ),
    "line of '?' (load_stories)": _loading(
        "load_stories", lambda n: _file("story.txt", f"Story\n{'?' * n}\n")
    ),
    "header of spaces (load_stories)": _loading(
        "load_stories", lambda n: _file("export.csv", f"Story{' ' * n}told,Enablers\nWe,T\n")
    ),
    "header: 'how has ... helped your' repeated (load_stories)": _loading(
        "load_stories",
        lambda n: _file("export.csv", f"Story,how has {_fill('helped your ', n)}goal\nWe,x\n"),
    ),
    "header: 'how has' repeated (load_stories)": _loading(
        "load_stories",
        lambda n: _file("export.csv", f"Story,Enablers {_fill('how has ', n)}\nWe,x\n"),
    ),
    "role cell of spaces (load_roles)": _loading(
        "load_roles",
        lambda n: _file(
            "roles.csv",
            "Respondent,Roles,Type of member,Purpose\n"
            f"Aisha,Networking{' ' * n}Expertise,Core member,Why\n",
        ),
    ),
    "one sentence of repeated claims (quantities)": _coding(
        _claims, lambda n: _fill("Leakage fell by 20%, ", n) + " and we saved 2 ha."
    ),
    "numbers and units (quantities)": _coding(
        _claims, lambda n: _fill("12 kg 3.5% 40 km 7 hours ", n)
    ),
    "a number, spaces, its unit (quantities)": _coding(
        _claims, lambda n: f"We cut 5{' ' * n}kg of waste."
    ),
    "one clause of denied insights (insight_clause)": _coding(
        _insight, lambda n: _fill("we never realised that it mattered ", n)
    ),
    _WORDS_RULES: _uncached(_rules, lambda n: _fill(WORDS, n)),
    _BRACKETS_SPACY: _uncached(_tokens, lambda n: "(" * n),
    _BRACKETS_RULES: _uncached(_rules, lambda n: "(" * n),
}


#: Characters at 1x for each case; the rest run at :data:`SIZE`. The rule coder's fixed
#: cost (its codebook, its pipeline) would hide its time per word on less text; spaCy's
#: bracket run is quadratic in spaCy: a smaller size keeps it to seconds.
SIZE = 8_000
SIZES = {_WORDS_RULES: 64_000, _BRACKETS_SPACY: 1_000, _BRACKETS_RULES: 1_000}


def _best(call: Callable[[], Any], repeat: int) -> float:
    """The fastest of ``repeat`` calls, in seconds (``timeit``: garbage collection off)."""
    return min(timeit.repeat(call, number=1, repeat=repeat))


def measure_growth(
    names: list[str] | None = None, *, scale: float = 1.0, repeat: int = 3
) -> list[dict[str, Any]]:
    """Seconds at ``n`` and ``4 n`` characters and their ratio, for each case named."""
    rows = []
    for name, at in CASES.items():
        if names is not None and name not in names:
            continue
        n = max(int(SIZES.get(name, SIZE) * scale), 10)
        small, large = at(n), at(4 * n)
        small()  # the first call imports and loads what the case needs
        seconds = [_best(small, repeat), _best(large, repeat)]
        rows.append(
            {
                "case": name,
                "characters": [n, 4 * n],
                "seconds": seconds,
                "growth": seconds[1] / max(seconds[0], 1e-9),
            }  # fmt: skip
        )
    return rows


def markdown(rows: list[dict[str, Any]]) -> str:
    lines = [
        f"| input | characters | seconds | growth at 4x (target <= {TARGET_GROWTH:g}) |",
        "|---|---|---|---|",
    ]
    for row in rows:
        small, large = row["characters"]
        mark = "" if row["growth"] <= TARGET_GROWTH else " (above)"
        lines.append(
            f"| {row['case']} | {small:,} -> {large:,} | {row['seconds'][0]:.3f} -> "
            f"{row['seconds'][1]:.3f} | {row['growth']:.1f}x{mark} |"
        )
    return "\n".join(lines)


_BLOCK = re.compile(r"(<!-- measured:benchmark-scaling -->\n)(.*?)(<!-- /measured -->)", re.S)


def update_readme(rows: list[dict[str, Any]], readme: Path = README) -> None:
    """Rewrite the README's ``measured:benchmark-scaling`` block from ``rows``."""
    text = readme.read_text(encoding="utf-8")
    if not _BLOCK.search(text):
        raise ValueError(f"{readme}: no <!-- measured:benchmark-scaling --> block")
    readme.write_text(_BLOCK.sub(lambda m: m[1] + markdown(rows) + "\n" + m[3], text))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every size")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--update-readme", action="store_true")
    args = parser.parse_args(argv)
    rows = measure_growth(scale=args.scale, repeat=args.repeat)
    RESULTS.mkdir(exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    report = {"target_growth": TARGET_GROWTH, "cases": rows}
    (RESULTS / f"scaling-{stamp}.json").write_text(json.dumps(report, indent=2) + "\n")
    print(markdown(rows))
    if args.update_readme:
        update_readme(rows)


if __name__ == "__main__":
    main()
