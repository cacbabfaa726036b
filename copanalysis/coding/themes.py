"""Inductive themes in short texts (enablers, challenges, any answers): TF-IDF then NMF.

The number of themes, when not given, is the one whose grouping of the texts comes back
most alike when the texts are subsampled (stability analysis: Ben-Hur, Elisseeff & Guyon
2002; Greene, O'Callaghan & Cunningham 2014, "How many topics?"). Each theme is matched
to the closest theme of a taxonomy codebook (``enablers_challenges`` by default), so
inductive and deductive coding can be compared.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from copanalysis.errors import MissingColumnError, SchemaError

if TYPE_CHECKING:
    from copanalysis.codebooks.codebook import Codebook

__all__ = ["MIN_ITEMS_FOR_THEMES", "MIN_TEXTS", "find_themes"]

#: The fewest non-empty texts :func:`find_themes` looks for themes in.
MIN_TEXTS = 3
#: The fewest list items a study's analysis looks for inductive themes in: on fewer, the
#: factorisation's themes are word coincidences ("tea & biscuits" as time and workload).
MIN_ITEMS_FOR_THEMES = 20

_COLUMNS = [
    "theme",
    "top_terms",
    "n_items",
    "quotes",
    "taxonomy_code",
    "taxonomy_label",
    "similarity",
]


def _stop_words() -> list[str]:
    """spaCy's English stop words and the spoken fillers of ``coding/data/themes.yaml``."""
    from spacy.lang.en.stop_words import STOP_WORDS

    from copanalysis.coding.wordlists import word_lists

    return sorted(STOP_WORDS | set(word_lists("themes")["fillers"]))


def find_themes(
    items_or_texts: pd.DataFrame | Sequence[str] | pd.Series,
    *,
    n_themes: int | None = None,
    text_col: str = "text",
    codebook: str | Codebook | None = "enablers_challenges",
    max_themes: int = 10,
    n_resamples: int = 10,
    n_terms: int = 8,
    n_quotes: int = 3,
    random_state: int = 0,
) -> pd.DataFrame:
    """Find themes in texts with TF-IDF and non-negative matrix factorisation (NMF).

    Parameters
    ----------
    items_or_texts : DataFrame, Series or sequence of str
        An ``items`` frame (or any frame with ``text_col``), or the texts themselves.
    n_themes : int, optional
        How many themes. Default: chosen by stability, the k in 2..``max_themes`` whose
        grouping of the texts (each text to its strongest theme) changes least when NMF
        is refitted on random 80% subsamples (mean adjusted Rand index against the fit
        on all texts; ties go to the smaller k).
    text_col : str
        The text column of a frame.
    codebook : str, Codebook or None
        The taxonomy each theme is matched to (cosine similarity between the theme's term
        weights and each code's label, description, cues and examples); ``None``: no
        matching.
    max_themes : int
        Largest k tried when choosing by stability.
    n_resamples : int
        Subsamples per k.
    n_terms, n_quotes : int
        Top terms and most representative texts listed per theme.
    random_state : int
        Seed of NMF and the resamples.

    Returns
    -------
    DataFrame
        One row per theme, largest first: ``theme`` (1, 2, ...), ``top_terms`` (comma
        separated, strongest first), ``n_items`` (texts whose strongest theme it is),
        ``quotes`` (the most representative texts, joined with `` | ``),
        ``taxonomy_code``, ``taxonomy_label``, ``similarity`` (0..1). ``attrs`` holds
        ``assignments`` (a frame ``item_id``, ``text``, ``theme``, ``weight``: one row
        per text, theme 0 for a text with no term in the vocabulary) and ``stability``
        (k -> score, when k was chosen).

    Raises
    ------
    MissingColumnError
        When a frame has no ``text_col``.
    SchemaError
        When there are fewer than three non-empty texts, or ``n_themes`` does not fit.

    Examples
    --------
    >>> texts = ["no time for meetings", "lack of time and workload", "too little time",
    ...          "funding was cut", "no budget or funding", "funding for travel"]
    >>> themes = find_themes(texts, n_themes=2, codebook=None)
    >>> themes[["theme", "n_items"]].values.tolist()
    [[1, 3], [2, 3]]
    >>> sorted(themes["top_terms"].str.split(", ").str[0])
    ['funding', 'time']
    """
    from sklearn.decomposition import NMF
    from sklearn.feature_extraction.text import TfidfVectorizer

    ids, texts = _texts(items_or_texts, text_col)
    if len(texts) < MIN_TEXTS:
        raise SchemaError(
            f"find_themes: needs at least {MIN_TEXTS} non-empty texts; got {len(texts)}"
        )
    vectorizer = TfidfVectorizer(
        stop_words=_stop_words(),
        ngram_range=(1, 2),
        min_df=2 if len(texts) >= 40 else 1,
        sublinear_tf=True,
    )
    try:
        matrix = vectorizer.fit_transform(texts)
    except ValueError as exc:  # empty vocabulary: only stop words
        raise SchemaError(f"find_themes: no usable terms in the texts ({exc})") from exc
    terms = vectorizer.get_feature_names_out()
    upper = min(max_themes, matrix.shape[0] - 1, matrix.shape[1])
    stability: dict[int, float] = {}
    if n_themes is None:
        if upper < 2:
            raise SchemaError(
                f"find_themes: too few texts or terms ({matrix.shape[0]} texts, "
                f"{matrix.shape[1]} terms) to choose a number of themes; pass n_themes"
            )
        stability = _stability(matrix, range(2, upper + 1), n_resamples, random_state)
        k = max(stability, key=lambda key: (round(stability[key], 6), -key))
    else:
        k = int(n_themes)
        if not 1 <= k <= min(matrix.shape):
            raise SchemaError(
                f"find_themes: n_themes {n_themes} does not fit {matrix.shape[0]} texts and "
                f"{matrix.shape[1]} terms; expected 1..{min(matrix.shape)}"
            )
    model = NMF(n_components=k, init="nndsvda", random_state=random_state, max_iter=1000)
    weights = model.fit_transform(matrix)
    components = model.components_
    strongest = weights.argmax(axis=1)
    has_terms = weights.max(axis=1) > 0
    sizes = np.bincount(strongest[has_terms], minlength=k)
    order = sorted(range(k), key=lambda t: (-sizes[t], t))
    renumber = {old: new + 1 for new, old in enumerate(order)}
    taxonomy = _taxonomy(codebook, vectorizer, components) if codebook is not None else None
    rows = []
    for old in order:
        top = components[old].argsort()[::-1][:n_terms]
        top_terms = ", ".join(str(terms[i]) for i in top if components[old, i] > 0)
        share = weights[:, old] / np.maximum(weights.sum(axis=1), 1e-12)
        members = np.flatnonzero((strongest == old) & has_terms)
        ranked = members[np.lexsort((-weights[members, old], -share[members]))]
        quotes = " | ".join(texts[i] for i in ranked[:n_quotes])
        match = taxonomy[old] if taxonomy is not None else (pd.NA, pd.NA, np.nan)
        rows.append(
            {
                "theme": renumber[old],
                "top_terms": top_terms,
                "n_items": int(sizes[old]),
                "quotes": quotes,
                "taxonomy_code": match[0],
                "taxonomy_label": match[1],
                "similarity": match[2],
            }
        )
    table = pd.DataFrame(rows, columns=_COLUMNS).astype(
        {**dict.fromkeys(_COLUMNS[1:-1], "string"), "n_items": int, "similarity": float}
    )
    assignments = pd.DataFrame(
        {
            "item_id": pd.array(ids, dtype="string"),
            "text": pd.array(texts, dtype="string"),
            "theme": [
                renumber[t] if ok else 0 for t, ok in zip(strongest, has_terms, strict=True)
            ],
            "weight": weights.max(axis=1),
        }
    )
    table.attrs["assignments"] = assignments
    if stability:
        table.attrs["stability"] = stability
    return table


def _texts(
    items_or_texts: pd.DataFrame | Sequence[str] | pd.Series, text_col: str
) -> tuple[list[str], list[str]]:
    """Ids and non-empty texts."""
    if isinstance(items_or_texts, pd.DataFrame):
        if text_col not in items_or_texts.columns:
            raise MissingColumnError(
                f"find_themes: no column {text_col!r}; has "
                f"{', '.join(map(str, items_or_texts.columns))}",
                column=text_col,
            )
        id_column = next(
            (c for c in ("item_id", "doc_id", "story_id") if c in items_or_texts.columns), None
        )
        values = items_or_texts[text_col].tolist()
        keys: Iterable[object] = items_or_texts[id_column] if id_column else items_or_texts.index
    else:
        values = list(items_or_texts)
        keys = (
            items_or_texts.index if isinstance(items_or_texts, pd.Series) else range(len(values))
        )
    pairs = [
        (str(key), value.strip())
        for key, value in zip(keys, values, strict=True)
        if isinstance(value, str) and value.strip()
    ]
    return [p[0] for p in pairs], [p[1] for p in pairs]


def _stability(matrix: object, ks: range, n_resamples: int, random_state: int) -> dict[int, float]:
    """Per k: mean adjusted Rand index between the themes of all texts and of 80% subsamples.

    Each text's theme is its strongest NMF component; a k whose partition of the texts
    survives subsampling is a stable one (Ben-Hur, Elisseeff & Guyon 2002; for topic
    models Greene et al. 2014).
    """
    import warnings

    from sklearn.exceptions import ConvergenceWarning

    rng = np.random.default_rng(random_state)
    n = matrix.shape[0]  # type: ignore[attr-defined]
    size = max(2, int(round(0.8 * n)))
    samples = [np.sort(rng.choice(n, size, replace=False)) for _ in range(n_resamples)]
    with warnings.catch_warnings():
        # the fits only rank k; one stopping at max_iter still partitions the texts
        warnings.simplefilter("ignore", ConvergenceWarning)
        return {k: _stability_of(matrix, k, samples, random_state) for k in ks}


def _stability_of(matrix: object, k: int, samples: list[np.ndarray], random_state: int) -> float:
    from sklearn.decomposition import NMF
    from sklearn.metrics import adjusted_rand_score

    reference = NMF(n_components=k, init="nndsvda", random_state=random_state, max_iter=500)
    themes = reference.fit_transform(matrix).argmax(axis=1)
    agreement = []
    for sample in samples:
        fit = NMF(n_components=k, init="nndsvda", random_state=random_state, max_iter=500)
        again = fit.fit_transform(matrix[sample]).argmax(axis=1)  # type: ignore[index]
        agreement.append(adjusted_rand_score(themes[sample], again))
    return float(np.mean(agreement))


def _taxonomy(
    codebook: str | Codebook, vectorizer: object, components: np.ndarray
) -> list[tuple[str, str, float]]:
    """For each theme: the closest codebook code, its label and the cosine similarity."""
    from sklearn.preprocessing import normalize

    from copanalysis.io.codebooks import load_codebook

    book = load_codebook(codebook)
    codes = [c for c in book.codes if c.codable]
    if not codes:
        raise SchemaError(f"find_themes: codebook {book.name!r} has no codes to match")
    documents = [
        " ".join([c.label, c.description, c.include, *c.cues, *c.examples]) for c in codes
    ]
    code_vectors = normalize(vectorizer.transform(documents))  # type: ignore[attr-defined]
    theme_vectors = normalize(components)
    similarity = np.asarray(code_vectors @ theme_vectors.T).T  # themes x codes
    best = similarity.argmax(axis=1)
    return [(codes[j].code, codes[j].label, float(similarity[t, j])) for t, j in enumerate(best)]
