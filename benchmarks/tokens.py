"""Check the tokenizer shortcuts against spaCy on every letters-only English word.

``copanalysis.coding.segments`` takes a chunk of ASCII letters as one token and a chunk of
letters and one mark (``,`` ``.`` ``!`` ``?``) as the word and the mark, without spaCy,
when :func:`~copanalysis.coding.chunking.cut_words` classes it so. This script runs that
classification on every letters-only word of spaCy's English lexeme table
(``spacy-lookups-data``) and on seeded random strings of letters, each alone and with each
mark of ``MARKS`` after it, and checks every chunk the shortcut takes against spaCy's own
tokenizer (``nlp.make_doc``): the same tokens and the same ``LOWER`` ids.

Run ``python -m benchmarks.tokens`` from the repository root (a few minutes; not part of
``make test``, whose tests check a sample). It prints the counts and exits non-zero on any
difference.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import string
import sys
from importlib.resources import files

import numpy as np


def words(randoms: int, *, seed: int = 0) -> list[str]:
    """The letters-only words of spaCy's English lexeme table, then ``randoms`` random ones."""
    data = files("spacy_lookups_data") / "data" / "en_lexeme_prob.json.gz"
    table = json.loads(gzip.decompress(data.read_bytes()))
    found = sorted(w for w in table if re.fullmatch(r"[A-Za-z]+", w))
    rng = random.Random(seed)
    letters = [string.ascii_letters, string.ascii_lowercase]
    found += [
        "".join(rng.choice(letters[i % 2]) for _ in range(rng.randint(1, 14)))
        for i in range(randoms)
    ]
    return found


def check(chunks: list[str]) -> dict[str, int]:
    """Counts of the chunks the shortcut takes (``words``, ``with_mark``) and ``differ``."""
    from copanalysis.coding import make_nlp
    from copanalysis.coding.chunking import cut_words
    from copanalysis.coding.segments import _SPACE, _chunk_cache

    nlp = make_nlp()
    cache = _chunk_cache(nlp)
    assert cache is not None and cache.words_alone
    text = " ".join(chunks)
    points = np.frombuffer(text.encode("ascii"), dtype=np.uint8)
    start, end, _, lower, tail = cut_words(points, _SPACE, cache.words, cache.tails)
    assert len(start) == len(chunks)
    counts = {"chunks": len(chunks), "words": 0, "with_mark": 0, "differ": 0}
    taken = np.flatnonzero(lower != 0).tolist()
    for k, doc in zip(taken, nlp.tokenizer.pipe(chunks[k] for k in taken), strict=True):
        chunk = chunks[k]
        if tail[k] < 0:
            expected = [(chunk, int(lower[k]))]
            counts["words"] += 1
        else:
            mark = cache.marks[int(tail[k])]
            expected = [(chunk[:-1], int(lower[k])), (mark, int(nlp.vocab.strings[mark]))]
            counts["with_mark"] += 1
        if [(t.text, t.lower) for t in doc] != expected:
            counts["differ"] += 1
            if counts["differ"] <= 10:
                print(f"differs: {chunk!r} -> {[t.text for t in doc]}", file=sys.stderr)
    return counts


def main(argv: list[str] | None = None) -> None:
    from copanalysis.coding.segments import MARKS

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--random", type=int, default=150_000, help="random strings")
    args = parser.parse_args(argv)
    base = words(args.random)
    lexemes = len(base) - args.random
    print(f"{lexemes:,} lexeme words and {args.random:,} random strings of letters")
    differ = 0
    for mark in ("", *MARKS):
        counts = check([w + mark for w in base])
        differ += counts["differ"]
        print(
            f"mark {mark or '(none)'!r}: {counts['chunks']:,} chunks, taken as one word "
            f"{counts['words']:,}, as word and mark {counts['with_mark']:,}, "
            f"differ from spaCy {counts['differ']:,}"
        )
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
