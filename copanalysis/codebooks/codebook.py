"""The :class:`Codebook` value: codes, their guidance and cues, as plain data.

A codebook is a named, versioned, ordered set of :class:`Code` values. Five are built in
(:func:`list_codebooks`); researchers write their own in YAML and load them with
:func:`copanalysis.io.load_codebook`, or exchange them with other QDA tools as CSV
(:func:`copanalysis.io.write_codebook`, :func:`copanalysis.io.read_codebook`).

The YAML format
---------------
::

    name: my_cycles            # identifier; defaults to the file name without suffix
    version: "1.0"             # quote it, or YAML reads 1.10 as the number 1.1
    title: My value cycles     # optional
    description: ...           # optional
    sources:                   # optional: what to cite
      - Wenger, Trayner & de Laat (2011) ...
    polarity:                  # optional: codebook-wide polarity cues (lemma phrases)
      positive: [thanks to, help]
      negative: [waste of time, lack of]
    training: value_cycles     # optional: a built-in training corpus the learned coders use
    codes:                     # in display order, parents before their children
      - code: potential        # identifier: a letter, then letters, digits, "_" or "-"
        label: Potential value
        description: Knowledge capital saved for later.
        include: Skills, insights, contacts or material the member now has.
        exclude: Knowledge already used in practice (code applied).
        cues: [learn, realise, new idea]   # lemma phrases (base forms), lower case
        patterns:              # optional: spaCy Matcher token patterns, for the rest
          - [{LOWER: peer}, {LEMMA: review}]
        examples:
          - I learned how other wards run their handovers.
        fields: [insights]     # prompt fields that favour this code
        aliases: [knowledge capital]
        color: "#56B4E9"       # hex colour, quoted (YAML reads # as a comment)
      - code: potential_human
        parent: potential
        label: Human capital
        cues: [skill, confident]
        codable: true          # false for a grouping code that is never applied

``code`` and ``label`` are required. ``cues``, ``examples``, ``fields`` and ``aliases`` are
lists of strings; ``patterns`` a list of spaCy ``Matcher`` token patterns (each a list of
``{attribute: value}`` mappings, see https://spacy.io/usage/rule-based-matching); a codable
code needs at least one cue or pattern. Patterns live in the YAML file only, not in the
CSV layout or the ``codebook`` frame. Any other key, a duplicate code or
alias, a parent that does not exist or comes after its child, or a colour that is not
``#RRGGBB`` raises :class:`~copanalysis.errors.CodebookError` naming the file, the code and
the field.
"""

from __future__ import annotations

import difflib
import functools
import importlib.resources
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass, field, fields
from os import PathLike
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pandas as pd

from copanalysis import schema
from copanalysis.errors import CodebookError

__all__ = ["Code", "Codebook", "builtin_codebook", "list_codebooks", "normal_name"]

#: The built-in codebooks, in the order :func:`list_codebooks` reports them.
BUILT_IN: tuple[str, ...] = (
    "value_cycles",
    "strategic_grid",
    "leadership_roles",
    "member_types",
    "enablers_challenges",
)

#: The built-in training corpora (package data ``<name>.training.csv``), written for the
#: project in the voice of real material; see :meth:`Codebook.training_units`.
TRAINING_CORPORA: tuple[str, ...] = ("value_cycles", "enablers_challenges")

#: How list fields are joined in the ``codebook`` frame and the CSV layout.
JOIN = " | "

_LIST_FIELDS = ("cues", "examples", "fields", "aliases")
_TEXT_FIELDS = ("label", "description", "include", "exclude")
_CODE_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]*\Z")
_HEX = re.compile(r"#[0-9A-Fa-f]{6}\Z")
_TOP_LEVEL = (
    "name",
    "version",
    "title",
    "description",
    "sources",
    "polarity",
    "training",
    "codes",
)
_POLARITY_KEYS = ("positive", "negative")
#: Columns of the CSV layout: Taguette's codebook import reads ``tag`` (the code path),
#: ``description`` and ``parent`` (the parent's path); ours follow.
CSV_COLUMNS = (
    "tag",
    "description",
    "parent",
    "code",
    "label",
    "include",
    "exclude",
    "cues",
    "examples",
    "fields",
    "aliases",
    "color",
    "codable",
)


@dataclass(frozen=True)
class Code:
    """One code of a codebook.

    Lists given for the tuple fields are stored as tuples, so a ``Code`` stays hashable.

    Attributes
    ----------
    code : str
        Identifier, unique in its codebook (``applied``, ``potential_human``, ``TIME``).
    label : str
        What a report prints.
    parent : str or None
        The parent code's identifier, for sub-codes.
    description, include, exclude : str
        Definition and coding guidance (when to apply it, when not).
    cues : tuple of str
        Lemma phrases that suggest the code ("learn", "share experience").
    examples : tuple of str
        Example sentences a coder would give this code.
    fields : tuple of str
        Prompt fields that favour the code (a prior for the rule coder).
    aliases : tuple of str
        Other names for the code (``transformative`` for ``reframing``).
    color : str
        Hex colour used for this code in every chart.
    codable : bool
        False for a grouping code that is never applied to text itself.
    patterns : tuple of tuple of dict
        spaCy ``Matcher`` token patterns that suggest the code, for what a lemma phrase
        cannot say (``[{"LOWER": "peer"}, {"LEMMA": "review"}]``). Not part of the hash.

    Examples
    --------
    >>> Code("applied", "Applied value", cues=["apply", "use"]).cues
    ('apply', 'use')
    >>> Code("peer", "Peer review", patterns=[[{"LOWER": "peer"}, {"LEMMA": "review"}]]).patterns
    (({'LOWER': 'peer'}, {'LEMMA': 'review'}),)
    """

    code: str
    label: str
    parent: str | None = None
    description: str = ""
    include: str = ""
    exclude: str = ""
    cues: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()
    fields: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    color: str = "#777777"
    codable: bool = True
    patterns: tuple[tuple[dict[str, Any], ...], ...] = field(default=(), hash=False)

    def __post_init__(self) -> None:
        patterns = tuple(tuple(dict(token) for token in p) for p in self.patterns)
        object.__setattr__(self, "patterns", patterns)
        for name in _LIST_FIELDS:
            value = getattr(self, name)
            if not isinstance(value, tuple):
                if isinstance(value, str):
                    value = (value,)
                object.__setattr__(self, name, tuple(value))
        if self.parent == "":
            object.__setattr__(self, "parent", None)


@dataclass(frozen=True)
class Codebook:
    """A named, versioned set of codes.

    A frozen, hashable value (``polarity`` takes part in equality but not in the hash).
    Methods that take a code accept its identifier, an alias or its label, in any case.

    Attributes
    ----------
    name, version, title, description : str
        Metadata; ``name@version`` (:attr:`ident`) identifies the codebook in the
        ``coder`` column.
    sources : tuple of str
        What to cite.
    codes : tuple of Code
        In display order; parents before their children.
    polarity : dict
        Optional codebook-wide polarity cues: ``{"positive": (...), "negative": (...)}``.
    training : str
        The name of a built-in training corpus (:meth:`training_units`), or ``""``. It says
        what learned coders train on, not what the codebook is: equality ignores it.

    Examples
    --------
    >>> book = Codebook("demo", "1", (Code("potential", "Potential value"),
    ...                               Code("potential_human", "Human", parent="potential")))
    >>> book.ident, book.path("potential_human"), len(book)
    ('demo@1', 'potential/human', 2)
    >>> [c.code for c in book.children("potential")]
    ['potential_human']
    """

    name: str
    version: str
    codes: tuple[Code, ...]
    title: str = ""
    description: str = ""
    sources: tuple[str, ...] = ()
    polarity: dict[str, tuple[str, ...]] = field(default_factory=dict, hash=False)
    training: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "version", str(self.version))
        object.__setattr__(self, "codes", tuple(self.codes))
        if isinstance(self.sources, str):
            object.__setattr__(self, "sources", (self.sources,))
        object.__setattr__(self, "sources", tuple(self.sources))
        object.__setattr__(
            self, "polarity", {key: tuple(cues) for key, cues in dict(self.polarity).items()}
        )
        problem = _first_problem(self.codes)
        if problem is not None:
            index, key, message = problem
            code = getattr(self.codes[index], "code", f"#{index + 1}")
            raise CodebookError(f"codebook {self.name!r}: code {code!r}, field {key!r}: {message}")

    def __getstate__(self) -> dict[str, Any]:
        # look-up tables cached on first use are rebuilt after unpickling (a mapping proxy
        # does not pickle), so a coder holding a codebook can go to another process
        return {k: v for k, v in self.__dict__.items() if k not in ("codes_by_id", "_lookup")}

    # --- identity -------------------------------------------------------------------
    @property
    def ident(self) -> str:
        """``name@version``, as written in the ``coder`` column."""
        return f"{self.name}@{self.version}"

    def __repr__(self) -> str:
        """One line, not every code's cues and examples (those are in
        :func:`~copanalysis.codebooks.order.code_table`).

        Examples
        --------
        >>> Codebook("mini", "1", (Code("potential", "Potential"),))
        <Codebook mini@1: 1 code (potential)>
        """
        shown = ", ".join(c.code for c in self.codes[:6])
        more = f", ... {len(self.codes) - 6} more" if len(self.codes) > 6 else ""
        return (
            f"<Codebook {self.ident}: {len(self.codes)} code{'s' if len(self.codes) != 1 else ''}"
            f" ({shown}{more})>"
        )

    def __len__(self) -> int:
        return len(self.codes)

    def __iter__(self) -> Iterator[Code]:
        return iter(self.codes)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and normal_name(name) in self._lookup

    def __getitem__(self, name: str) -> Code:
        return self.codes_by_id[self.resolve(name)]

    def __deepcopy__(self, memo: dict[int, Any]) -> Codebook:
        # a frozen value: a copy is itself (its cached look-ups cannot be deep-copied, and
        # scikit-learn's clone deep-copies a coder's codebook parameter)
        return self

    # --- look-ups -------------------------------------------------------------------
    @functools.cached_property
    def codes_by_id(self) -> Mapping[str, Code]:
        """Read-only mapping from code identifier to :class:`Code`, in display order."""
        return MappingProxyType({c.code: c for c in self.codes})

    @functools.cached_property
    def _lookup(self) -> dict[str, str]:
        table: dict[str, str] = {}
        for c in self.codes:  # labels first, so identifiers and aliases win on a clash
            table.setdefault(normal_name(c.label), c.code)
        for c in self.codes:
            for alias in c.aliases:
                table[normal_name(alias)] = c.code
        for c in self.codes:
            table[normal_name(c.code)] = c.code
        return table

    def resolve(self, name: str) -> str:
        """The identifier of the code called ``name`` (identifier, alias or label).

        Case, surrounding spaces, the dash style and British spelling ("Realised value") do
        not matter. A name written as a QDA tool writes a code under its parent
        (``"Potential value\\Human capital"`` in MAXQDA and NVivo, ``"A > B"``, ``"A::B"``)
        is the code its last part names, or else its nearest part that names one (trial
        34: "Potential value\\knowledge capital" is potential value); so is a name whose
        parts a spaced dash or a colon parts (trial 43: "Potential - knowledge capital").

        Raises
        ------
        CodebookError
            When no code has that name; the message lists the valid codes.

        Examples
        --------
        >>> book = builtin_codebook("value_cycles")
        >>> book.resolve("transformative"), book.resolve("Applied value")
        ('reframing', 'applied')
        >>> book.resolve("Realised value"), book.resolve("Potential value\\\\knowledge capital")
        ('realized', 'potential')
        >>> book.resolve("Potential - knowledge capital"), book.resolve("Knowledge capital")
        ('potential', 'potential')
        """
        found = self._lookup.get(normal_name(name)) if isinstance(name, str) else None
        if found is None and isinstance(name, str):
            parts = [p for p in _PATH.split(name) if p.strip()]
            found = next(
                (self._lookup[k] for p in parts[::-1] if (k := normal_name(p)) in self._lookup),
                None,
            )
        if found is None:
            valid = ", ".join(c.code for c in self.codes)
            close = difflib.get_close_matches(str(name), list(self.codes_by_id), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise CodebookError(
                f"codebook {self.ident}: no code {name!r}{hint}; expected one of {valid}"
            )
        return found

    def parent_of(self, code: str) -> Code | None:
        """The parent :class:`Code` of ``code``, or None for a top-level code."""
        parent = self[code].parent
        return None if parent is None else self.codes_by_id[parent]

    def lineage(self, code: str) -> tuple[str, ...]:
        """``code`` and every code above it, nearest first; empty for a code not in the book.

        Examples
        --------
        >>> builtin_codebook("value_cycles").lineage("potential_human")
        ('potential_human', 'potential')
        >>> builtin_codebook("value_cycles").lineage("nowhere")
        ()
        """
        chain: list[str] = []
        current = self.codes_by_id.get(code)
        while current is not None:
            chain.append(current.code)
            current = None if current.parent is None else self.codes_by_id.get(current.parent)
        return tuple(chain)

    def with_parents(self, codes: pd.DataFrame) -> pd.DataFrame:
        """``codes`` with every parent of each of this codebook's codes on the same span.

        The machine coders write a sub-code's parents beside it; a person coding in a QDA
        tool usually applies only the most specific code. Comparing the two as they are
        counts each parent as a disagreement, so agreement and evaluation read both sides
        rolled up: a row is added for each parent a coder did not apply on that span
        themselves (it keeps the sub-code's ``doc_id``, ``field``, ``start``, ``end``, coder
        and polarity; ``evidence`` says which sub-code it comes from). Rows of other
        codebooks, and codes this codebook does not have, are left as they are.

        Examples
        --------
        >>> book = builtin_codebook("value_cycles")
        >>> codes = pd.DataFrame({"doc_id": ["s1"], "field": ["story"], "start": [0],
        ...     "end": [9], "codebook": ["value_cycles"], "code": ["potential_human"],
        ...     "coder": ["Ana"], "evidence": [""]})
        >>> book.with_parents(codes)[["code", "evidence"]].values.tolist()
        [['potential_human', ''], ['potential', '(via potential_human)']]
        """
        if "code" not in codes.columns or not len(codes):
            return codes
        ours = codes
        if "codebook" in codes.columns:
            ours = codes[codes["codebook"].isna() | codes["codebook"].eq(self.name)]
        added = []
        for row in ours.to_dict("records"):
            code = str(row["code"])
            for parent in self.lineage(code)[1:]:
                added.append({**row, "code": parent, "evidence": f"(via {code})"})
        if not added:
            return codes
        key = [c for c in ("doc_id", "field", "start", "end", "coder", "code") if c in codes]
        both = pd.concat([codes, pd.DataFrame(added, columns=codes.columns)], ignore_index=True)
        both = both.drop_duplicates(subset=key, keep="first").reset_index(drop=True)
        return both.astype({c: t for c, t in codes.dtypes.items() if c != "evidence"})

    def unknown_codes(self, codes: pd.DataFrame) -> list[str]:
        """The codes of ``codes`` that claim this codebook (or no codebook) but are none of its
        identifiers, each with its row count and the nearest code: ``"'peer_advise' x7 (did
        you mean 'peer_advice'?)"``, or the code a label names.

        Examples
        --------
        >>> codes = pd.DataFrame({"code": ["aplied", "applied", "aplied"],
        ...                       "codebook": ["value_cycles"] * 3})
        >>> builtin_codebook("value_cycles").unknown_codes(codes)
        ["'aplied' x2 (did you mean 'applied'?)"]
        """
        if "code" not in codes.columns:
            return []
        mine = codes
        if "codebook" in codes.columns:
            mine = codes[codes["codebook"].isna() | codes["codebook"].eq(self.name)]
        counts = Counter(mine["code"].astype(str))
        found = []
        for code, n in counts.items():
            if code in self.codes_by_id:
                continue
            if code in self:
                hint = f" (the name of {self.resolve(code)!r}: read it with copanalysis.io.recode)"
            else:
                hint = _did_you_mean(code, list(self.codes_by_id))
            found.append(f"{code!r} x{n}{hint}")
        return found

    def children(self, code: str) -> tuple[Code, ...]:
        """The direct sub-codes of ``code``, in display order."""
        ident = self.resolve(code)
        return tuple(c for c in self.codes if c.parent == ident)

    def descendants(self, code: str) -> tuple[Code, ...]:
        """All codes below ``code`` (children, their children, ...), in display order.

        Examples
        --------
        >>> len(builtin_codebook("value_cycles").descendants("potential"))
        5
        """
        ident = self.resolve(code)
        below: set[str] = {ident}
        found = []
        for c in self.codes:  # parents come before children, so one pass suffices
            if c.parent in below:
                below.add(c.code)
                found.append(c)
        return tuple(found)

    def roots(self) -> tuple[Code, ...]:
        """The top-level codes, in display order."""
        return tuple(c for c in self.codes if c.parent is None)

    def path(self, code: str) -> str:
        """The code's path from the root, as QDA tools write it (``potential/human``).

        A child's segment drops its parent's identifier prefix when it has one
        (``potential_human`` under ``potential`` is ``human``).

        Examples
        --------
        >>> builtin_codebook("value_cycles").path("potential_social")
        'potential/social'
        """
        segments = [_segment(self.codes_by_id[c]) for c in self.lineage(self.resolve(code))]
        return "/".join(reversed(segments))

    def colors(self) -> dict[str, str]:
        """Code identifier -> hex colour, in display order.

        Examples
        --------
        >>> builtin_codebook("value_cycles").colors()["immediate"]
        '#E69F00'
        """
        return {c.code: c.color for c in self.codes}

    # --- frames ---------------------------------------------------------------------
    def to_frame(self) -> pd.DataFrame:
        """The ``codebook`` frame: one row per code, in display order.

        Returns
        -------
        pandas.DataFrame
            The columns of :data:`copanalysis.schema.FRAMES` ``["codebook"]`` (``code``,
            ``parent`` (missing for top-level codes), ``label``, ``description``,
            ``include``, ``exclude``, ``examples`` and ``cues`` (joined with ``" | "``),
            ``color``), then ``fields``, ``aliases`` (joined) and ``codable`` (bool).

        Examples
        --------
        >>> frame = builtin_codebook("value_cycles").to_frame()
        >>> frame.loc[1, ["code", "parent"]].tolist()
        ['potential', <NA>]
        >>> frame.loc[2, ["code", "parent"]].tolist()
        ['potential_human', 'potential']
        """
        rows = [
            {
                "code": c.code,
                "parent": c.parent,
                "label": c.label,
                "description": c.description,
                "include": c.include,
                "exclude": c.exclude,
                "examples": JOIN.join(c.examples),
                "cues": JOIN.join(c.cues),
                "color": c.color,
                "fields": JOIN.join(c.fields),
                "aliases": JOIN.join(c.aliases),
                "codable": c.codable,
            }
            for c in self.codes
        ]
        frame = pd.DataFrame(rows, columns=[*schema.FRAMES["codebook"].columns, *_EXTRA])
        frame = schema.validate(frame, "codebook")
        for col in ("fields", "aliases"):
            frame[col] = frame[col].astype("string")
        frame["codable"] = frame["codable"].astype(bool)
        return frame

    def training_units(self) -> pd.DataFrame:
        """The codebook's training corpus: units written for the project, with their codes.

        The built-in ``value_cycles`` and ``enablers_challenges`` codebooks name a corpus
        (``training``) written in the voice of real evaluation material: member quotes,
        evaluators' statements and survey comments across ten sectors, with the hard cases
        of the decision rules. It is kept apart from the development set in ``data/dev/``
        (a test checks that no unit is a near-duplicate of a development unit). Units with
        a code this codebook does not have are left out (counted in
        ``attrs["dropped"]``), so an edited copy of a built-in codebook trains only on
        what still fits it.

        Returns
        -------
        DataFrame
            ``unit_id``, ``text``, ``codes`` (a tuple of code names, main code first;
            empty for a unit that carries no code), ``polarity`` (+1, 0 or -1),
            ``kind`` (``enabler``/``challenge`` for enabler/challenge statements, else
            missing), ``sector``, ``voice`` (``member``, ``evaluator``, ``survey``,
            ``list``), ``hard_case`` (the decision rule a unit tests, or missing) and
            ``after_dev`` (``written`` or ``recoded from <codes>`` for a unit written or
            recoded after the coders' errors on the development set were read, else
            missing: the README reports the semantic coder trained without them too).
            Empty when the codebook names no corpus.

        Examples
        --------
        >>> units = builtin_codebook("value_cycles").training_units()
        >>> units.columns.tolist()[:4]
        ['unit_id', 'text', 'codes', 'polarity']
        >>> bool((units["codes"].str.len() > 0).mean() > 0.8)
        True
        """
        return self._fitting(_training_corpus(self.training) if self.training else None)

    def published_units(self) -> pd.DataFrame:
        """Real units coded by their own authors, for the learned coders to learn from.

        The development set's value-cycle quotes and statements, and its enabler/challenge
        statements (``data/dev/`` in the repository, whose README gives every source and
        licence), shipped as package data beside the training corpus. The semantic coder
        learns from them too (``SemanticCoder(published=True)``, the default), since
        real text codes real text better; the README's figures on the development set come
        from coders that did not see the units they code (trained on the corpus alone, or
        cross-validated).

        Returns
        -------
        DataFrame
            The columns of :meth:`training_units`; empty when the codebook names no corpus.

        Examples
        --------
        >>> units = builtin_codebook("value_cycles").published_units()
        >>> len(units) > 20, units["unit_id"].iloc[0]
        (True, 'vc-001')
        """
        return self._fitting(
            _training_corpus(self.training, "published") if self.training else None
        )

    def _fitting(self, units: pd.DataFrame | None) -> pd.DataFrame:
        """The units whose codes this codebook has (the others counted in attrs)."""
        if units is None:
            return _empty_training()
        known = {c.code for c in self.codes if c.codable}
        fits = units["codes"].map(lambda codes: set(codes) <= known)
        kept = units[fits].reset_index(drop=True)
        kept.attrs["dropped"] = int((~fits).sum())
        return kept

    @classmethod
    def from_frame(
        cls,
        frame: pd.DataFrame,
        *,
        name: str,
        version: str,
        title: str = "",
        description: str = "",
        sources: Iterable[str] = (),
        polarity: Mapping[str, Iterable[str]] | None = None,
        training: str = "",
    ) -> Codebook:
        """Build a codebook from a ``codebook`` frame (the inverse of :meth:`to_frame`).

        ``examples``, ``cues``, ``fields`` and ``aliases`` are split on ``" | "``; only
        ``code`` and ``label`` are required.

        Raises
        ------
        CodebookError
            Naming the row and the column of the first problem.

        Examples
        --------
        >>> book = builtin_codebook("value_cycles")
        >>> Codebook.from_frame(book.to_frame(), name=book.name, version=book.version,
        ...                     title=book.title, description=book.description,
        ...                     sources=book.sources, polarity=book.polarity) == book
        True
        """
        where = f"codebook frame for {name!r}"
        try:
            frame = schema.validate(frame, "codebook")
        except CodebookError:
            raise
        except ValueError as exc:
            raise CodebookError(f"{where}: {exc}") from exc
        records = [
            (int(i), _record_from_cells(row))
            for i, row in zip(frame.index, _rows(frame), strict=True)
        ]
        codes = _build_codes(records, source=where, path=None, by_row=True)
        return cls(
            name=name,
            version=str(version),
            codes=codes,
            title=title,
            description=description,
            sources=tuple(sources),
            polarity={k: tuple(v) for k, v in (polarity or {}).items()},
            training=training,
        )

    # --- files ----------------------------------------------------------------------
    def to_rows(self) -> list[list[str]]:
        """The codes as CSV rows, header first, in the layout other QDA tools import.

        The columns are ``tag`` (the code path, ``potential/human``), ``description`` and
        ``parent`` (the parent's path), which Taguette's codebook import reads, then
        ``code``, ``label``, ``include``, ``exclude``, ``cues``, ``examples``, ``fields``,
        ``aliases`` (joined with ``" | "``), ``color`` and ``codable``. Codebook metadata
        (title, sources, polarity) lives in the YAML file, not the CSV.
        :func:`copanalysis.io.write_codebook` writes them to a file.

        Examples
        --------
        >>> book = builtin_codebook("value_cycles")
        >>> book.to_rows()[0][:3]
        ['tag', 'description', 'parent']
        >>> Codebook.from_rows(book.to_rows(), name=book.name).codes == book.codes
        True
        """
        rows = [
            [
                self.path(c.code),
                c.description,
                "" if c.parent is None else self.path(c.parent),
                c.code,
                c.label,
                c.include,
                c.exclude,
                JOIN.join(c.cues),
                JOIN.join(c.examples),
                JOIN.join(c.fields),
                JOIN.join(c.aliases),
                c.color,
                "true" if c.codable else "false",
            ]
            for c in self.codes
        ]
        return [list(CSV_COLUMNS), *rows]

    @classmethod
    def from_rows(
        cls,
        rows: list[list[str]],
        *,
        source: str | PathLike[str] = "<rows>",
        name: str | None = None,
        version: str = "1",
        title: str = "",
        description: str = "",
        sources: Iterable[str] = (),
        polarity: Mapping[str, Iterable[str]] | None = None,
    ) -> Codebook:
        """A codebook from CSV rows (header first) as :meth:`to_rows`, Taguette or a
        spreadsheet write them; :func:`copanalysis.io.read_codebook` reads them from a file.

        The code path comes from the ``tag``, ``name`` or ``path`` column (one of them),
        as in Taguette. Without a ``code`` column the identifier is the path with ``/``
        replaced by ``_``; without ``label`` the label is the path's last segment;
        without ``parent`` the parent is the path minus its last segment.

        Parameters
        ----------
        rows : list of list of str
            The header row, then one row per code.
        source : path-like
            Where the rows come from, for error messages.
        name : str, optional
            Defaults to the source's file name without its suffix.
        version, title, description, sources, polarity
            Codebook metadata, which the CSV does not hold.

        Raises
        ------
        CodebookError
            Naming the source, the row and the column of the first problem.

        Examples
        --------
        >>> Codebook.from_rows([["tag"], ["a"], ["a/b"]], name="mine").path("a_b")
        'a/b'
        """
        source = Path(source)
        if not rows or not any(rows[0]):
            raise CodebookError("empty file; expected a header row", path=source)
        header = [cell.strip().lower() for cell in rows[0]]
        path_cols = [c for c in ("tag", "name", "path") if c in header]
        if len(path_cols) != 1:
            raise CodebookError(
                f"expected exactly one of the columns 'tag', 'name', 'path' for the code "
                f"path; found {path_cols or 'none'} in {header}",
                path=source,
                row=1,
            )
        path_col = path_cols[0]
        header = [_CSV_SYNONYMS.get(col, col) for col in header]
        for col in header:
            if col not in CSV_COLUMNS and col not in _CSV_IGNORED and col not in ("name", "path"):
                raise CodebookError(
                    f"unknown column {col!r}{_did_you_mean(col, CSV_COLUMNS)}; expected some "
                    f"of {', '.join(CSV_COLUMNS)}",
                    path=source,
                    row=1,
                    column=col,
                )
        records: list[tuple[int, dict[str, Any]]] = []
        paths: dict[str, str] = {}
        for number, cells in enumerate(rows[1:], start=2):
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) > len(header):
                raise CodebookError(
                    f"{len(cells)} cells but the header has {len(header)} columns",
                    path=source,
                    row=number,
                )
            raw = dict.fromkeys(header, "")  # short rows: missing cells are empty
            raw.update(zip(header, (cell.strip() for cell in cells), strict=False))
            tag = raw.pop(path_col, "")
            if not tag:
                raise CodebookError("empty code path", path=source, row=number, column=path_col)
            record: dict[str, Any] = {}
            record["code"] = raw.pop("code", "") or _identifier(tag)
            record["label"] = raw.pop("label", "") or tag.rsplit("/", 1)[-1]
            parent_path = raw.pop("parent", None)
            if parent_path is None:
                parent_path = tag.rsplit("/", 1)[0] if "/" in tag else ""
            record["parent"] = parent_path
            for key, value in raw.items():
                if key in _LIST_FIELDS:
                    record[key] = _split(value)
                elif key == "codable":
                    record[key] = _read_bool(value, path=source, row=number)
                elif key in ("description", "include", "exclude") or (key == "color" and value):
                    record[key] = value
            paths[tag] = record["code"]
            records.append((number, record))
        if not records:
            raise CodebookError("no codes: the file has a header but no rows", path=source)
        for _, record in records:  # the parent column holds paths (or identifiers)
            parent = record["parent"]
            record["parent"] = paths.get(parent, parent) if parent else None
        codes = _build_codes(records, source=str(source), path=source, by_row=True)
        return cls(
            name=name if name is not None else source.stem,
            version=str(version),
            codes=codes,
            title=title,
            description=description,
            sources=tuple(sources),
            polarity={k: tuple(v) for k, v in (polarity or {}).items()},
        )

    def to_dict(self) -> dict[str, Any]:
        """The codebook as plain data, in the YAML layout (lists, not tuples).

        Fields at their default value are left out of each code.

        Examples
        --------
        >>> data = builtin_codebook("value_cycles").to_dict()
        >>> data["name"], data["codes"][0]["code"]
        ('value_cycles', 'immediate')
        """
        defaults = {f.name: f.default for f in fields(Code)}
        codes = []
        for c in self.codes:
            entry = {}
            for key, value in asdict(c).items():
                if key in ("code", "label") or value != defaults[key]:
                    entry[key] = list(value) if isinstance(value, tuple) else value
            if c.patterns:
                entry["patterns"] = [list(p) for p in c.patterns]
            codes.append(entry)
        data: dict[str, Any] = {"name": self.name, "version": self.version}
        if self.title:
            data["title"] = self.title
        if self.description:
            data["description"] = self.description
        if self.sources:
            data["sources"] = list(self.sources)
        if self.polarity:
            data["polarity"] = {k: list(v) for k, v in self.polarity.items()}
        if self.training:
            data["training"] = self.training
        data["codes"] = codes
        return data

    def to_yaml_text(self) -> str:
        """The codebook as the YAML text that :meth:`from_yaml_text` reads
        (:func:`copanalysis.io.write_codebook` writes it to a file).

        Examples
        --------
        >>> book = builtin_codebook("value_cycles")
        >>> Codebook.from_yaml_text(book.to_yaml_text()) == book
        True
        """
        import yaml

        return str(yaml.safe_dump(self.to_dict(), sort_keys=False, allow_unicode=True, width=92))

    @classmethod
    def from_yaml_text(
        cls, text: str, *, source: str | PathLike[str] = "<text>", name: str | None = None
    ) -> Codebook:
        """A codebook from its YAML text (the format is in the module docs).

        Parameters
        ----------
        text : str
        source : path-like
            Where the text comes from, for error messages.
        name : str, optional
            The name when the YAML gives none (default: the source's stem).

        Raises
        ------
        CodebookError
            Naming the source, the code and the field of the first problem.
        """
        default = name if name is not None else Path(str(source)).stem
        return _from_yaml_text(text, source=str(source), default_name=default)


_EXTRA = ("fields", "aliases", "codable")
_CSV_SYNONYMS = {"colour": "color"}
#: Columns other tools write that carry nothing a codebook needs (Taguette's counts).
_CSV_IGNORED = ("number of highlights", "count", "number")
_BOOL_HINT = " (YAML reads no, yes, on, off as true/false: quote the word)"


def list_codebooks() -> list[str]:
    """The names of the built-in codebooks.

    Examples
    --------
    >>> list_codebooks()
    ['value_cycles', 'strategic_grid', 'leadership_roles', 'member_types', 'enablers_challenges']
    """
    return list(BUILT_IN)


def builtin_codebook(name: str) -> Codebook:
    """A built-in codebook by name (:func:`list_codebooks`), read once and cached.

    A user's codebook file is read by :func:`copanalysis.io.load_codebook`, which takes
    built-in names too.

    Raises
    ------
    CodebookError
        For an unknown name, suggesting the closest built-in one.

    Examples
    --------
    >>> book = builtin_codebook("value_cycles")
    >>> book.ident, len(book)
    ('value_cycles@2011.3', 13)
    >>> builtin_codebook("value_cycles") is book
    True
    """
    if name not in BUILT_IN:
        close = difflib.get_close_matches(name, BUILT_IN, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise CodebookError(
            f"no built-in codebook {name!r}{hint}; expected one of "
            f"{', '.join(BUILT_IN)}, a path to a codebook file, or a codebook of your own "
            "as loaded (copanalysis.load_codebook(path))"
        )
    return _load_built_in(name)


@functools.lru_cache(maxsize=16)
def _load_built_in(name: str) -> Codebook:
    # Package data, not a user's file: it ships inside copanalysis, is read-only and has no
    # path argument, so it is read here (like report.py's templates) rather than in io.
    resource = importlib.resources.files("copanalysis.codebooks") / "data" / f"{name}.yaml"
    text = resource.read_text(encoding="utf-8")
    return _from_yaml_text(text, source=f"{name}.yaml", default_name=name)


_TRAINING_COLUMNS = (
    "unit_id",
    "text",
    "codes",
    "polarity",
    "kind",
    "sector",
    "voice",
    "hard_case",
    "after_dev",
)


def _empty_training() -> pd.DataFrame:
    frame = pd.DataFrame({column: pd.Series(dtype=object) for column in _TRAINING_COLUMNS})
    frame["polarity"] = frame["polarity"].astype("Int8")
    frame.attrs["dropped"] = 0
    return frame


@functools.lru_cache(maxsize=8)
def _training_corpus(name: str, part: str = "training") -> pd.DataFrame:
    """A built-in corpus (``<name>.training.csv``) or its published units (``.published``)."""
    # package data, read like the built-in YAML (see _load_built_in)
    resource = importlib.resources.files("copanalysis.codebooks") / "data" / f"{name}.{part}.csv"
    with resource.open("r", encoding="utf-8") as handle:
        raw = pd.read_csv(handle, dtype=str, keep_default_na=False)
    units = pd.DataFrame(
        {
            "unit_id": raw["unit_id"],
            "text": raw["text"],
            "codes": [tuple(c for c in value.split(";") if c) for value in raw["codes"]],
            "polarity": pd.array([int(v) for v in raw["polarity"]], dtype="Int8"),
            "kind": raw["kind"].replace("", None),
            "sector": raw["sector"],
            "voice": raw["voice"],
            "hard_case": raw["hard_case"].replace("", None),
            "after_dev": raw.get("after_dev", pd.Series("", index=raw.index)).replace("", None),
        }
    )
    return units


# --- reading and checking ---------------------------------------------------------------


def _from_yaml_text(text: str, *, source: str, default_name: str) -> Codebook:
    import yaml

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise CodebookError(f"not valid YAML{where}: {problem}", path=source) from exc
    if not isinstance(data, dict):
        raise CodebookError(
            f"expected a mapping with 'name', 'version' and 'codes', got {type(data).__name__}",
            path=source,
        )
    unknown = [key for key in data if key not in _TOP_LEVEL]
    if unknown:
        raise CodebookError(
            f"unknown top-level field {unknown[0]!r}{_did_you_mean(unknown[0], _TOP_LEVEL)}; "
            f"expected some of {', '.join(_TOP_LEVEL)}",
            path=source,
        )
    name = data.get("name", default_name)
    if not isinstance(name, str) or not name.strip():
        raise CodebookError(
            f"field 'name': expected a non-empty string, got {name!r}", path=source
        )
    version = data.get("version", "1")
    if isinstance(version, float):
        raise CodebookError(
            f"field 'version': YAML read {version!r} as a number; quote it (version: \"1.10\")",
            path=source,
        )
    if not isinstance(version, str | int) or isinstance(version, bool):
        raise CodebookError(f"field 'version': expected a string, got {version!r}", path=source)
    meta: dict[str, str] = {}
    for key in ("title", "description"):
        value = data.get(key, "")
        if value is None:
            value = ""
        if not isinstance(value, str):
            raise CodebookError(f"field {key!r}: expected a string, got {value!r}", path=source)
        meta[key] = value.strip()
    sources = _string_list(data.get("sources", []), where="field 'sources'", path=source)
    polarity_raw = data.get("polarity") or {}
    if not isinstance(polarity_raw, dict):
        raise CodebookError(
            f"field 'polarity': expected a mapping with 'positive' and 'negative' lists, "
            f"got {polarity_raw!r}",
            path=source,
        )
    polarity: dict[str, tuple[str, ...]] = {}
    for key, cues in polarity_raw.items():
        if key not in _POLARITY_KEYS:
            raise CodebookError(
                f"field 'polarity': unknown key {key!r}; expected 'positive' or 'negative'",
                path=source,
            )
        polarity[key] = _string_list(cues, where=f"field 'polarity.{key}'", path=source)
    raw_codes = data.get("codes")
    if not isinstance(raw_codes, list) or not raw_codes:
        raise CodebookError(
            f"field 'codes': expected a non-empty list of codes, got {raw_codes!r}", path=source
        )
    records: list[tuple[int, dict[str, Any]]] = []
    for number, entry in enumerate(raw_codes, start=1):
        if not isinstance(entry, dict):
            raise CodebookError(
                f"code #{number}: expected a mapping with 'code' and 'label', got {entry!r}",
                path=source,
            )
        records.append((number, dict(entry)))
    codes = _build_codes(records, source=source, path=source, by_row=False, need_cues=True)
    training = data.get("training") or ""
    if training and training not in TRAINING_CORPORA:
        raise CodebookError(
            f"field 'training': no built-in training corpus {training!r}; expected one of "
            f"{', '.join(TRAINING_CORPORA)}",
            path=source,
        )
    return Codebook(
        name=name.strip(),
        version=str(version),
        codes=codes,
        title=meta["title"],
        description=meta["description"],
        sources=sources,
        polarity=polarity,
        training=training,
    )


def _build_codes(
    records: list[tuple[int, dict[str, Any]]],
    *,
    source: str,
    path: str | PathLike[str] | None,
    by_row: bool,
    need_cues: bool = False,
) -> tuple[Code, ...]:
    """Check raw code mappings (from YAML, CSV or a frame) and build the codes."""
    known = [f.name for f in fields(Code)]
    codes: list[Code] = []
    numbers: list[int] = []

    def _fail(
        message: str, *, number: int, code: object = None, key: str | None = None
    ) -> CodebookError:
        what = f"code {code!r}" if code not in (None, "") else f"code #{number}"
        where = f"{what}, field {key!r}" if key else what
        if path is None:
            where = f"{source}, row {number}, {where}" if by_row else f"{source}, {where}"
            return CodebookError(f"{where}: {message}")
        return CodebookError(f"{where}: {message}", path=path, row=number if by_row else None)

    for number, record in records:
        fail = functools.partial(_fail, number=number)

        ident = record.get("code")
        if ident is None or ident == "":
            raise fail("missing identifier; every code needs one", key="code")
        if not isinstance(ident, str) or not _CODE_ID.match(ident):
            raise fail(
                f"bad identifier {ident!r}; expected a letter, then letters, digits, '_' or '-'",
                code=ident,
                key="code",
            )
        for key in record:
            if key not in known:
                raise fail(
                    f"unknown field{_did_you_mean(key, known)}; expected some of "
                    f"{', '.join(known)}",
                    code=ident,
                    key=key,
                )
        values: dict[str, Any] = {"code": ident}
        for key in _TEXT_FIELDS:
            value = record.get(key)
            if value is None or (isinstance(value, float) and pd.isna(value)):
                value = ""
            if not isinstance(value, str):
                raise fail(f"expected a string, got {value!r}", code=ident, key=key)
            values[key] = value.strip()
        if not values["label"]:
            raise fail("missing label; every code needs one", code=ident, key="label")
        parent = record.get("parent")
        if parent is not None and parent != "" and not isinstance(parent, str):
            raise fail(f"expected a code identifier, got {parent!r}", code=ident, key="parent")
        values["parent"] = parent or None
        for key in _LIST_FIELDS:
            value = record.get(key, [])
            if value is None:
                value = []
            if not isinstance(value, list | tuple):
                raise fail(
                    f"expected a list of strings, got {value!r}"
                    + (" (write [..] or one '- item' per line)" if isinstance(value, str) else ""),
                    code=ident,
                    key=key,
                )
            items = []
            for index, item in enumerate(value):
                if not isinstance(item, str):
                    raise fail(
                        f"item {index} is {item!r} ({type(item).__name__}); expected a string"
                        + _BOOL_HINT * isinstance(item, bool),
                        code=ident,
                        key=key,
                    )
                if not item.strip():
                    raise fail(f"item {index} is empty", code=ident, key=key)
                if "|" in item:
                    raise fail(
                        f"item {index} {item!r} contains '|', which separates items",
                        code=ident,
                        key=key,
                    )
                items.append(" ".join(item.split()) if key != "examples" else item.strip())
            values[key] = tuple(items)
        values["patterns"] = _patterns(record.get("patterns"), fail=fail, code=ident)
        color = record.get("color", "#777777")
        if not isinstance(color, str) or not _HEX.match(color):
            raise fail(
                f"bad colour {color!r}; expected a hex colour '#RRGGBB' (quote it in YAML)",
                code=ident,
                key="color",
            )
        values["color"] = color.upper()
        codable = record.get("codable", True)
        if not isinstance(codable, bool):
            raise fail(f"expected true or false, got {codable!r}", code=ident, key="codable")
        values["codable"] = codable
        if need_cues and codable and not values["cues"] and not values["patterns"]:
            raise fail(
                "a codable code needs at least one cue or pattern (or set codable: false)",
                code=ident,
                key="cues",
            )
        codes.append(Code(**values))
        numbers.append(number)
    problem = _first_problem(tuple(codes))
    if problem is not None:
        index, key, message = problem
        number = numbers[index]
        raise _fail(message, code=codes[index].code, key=key, number=number)
    return tuple(codes)


def _patterns(value: object, *, fail: Any, code: str) -> tuple[tuple[dict[str, Any], ...], ...]:
    """A code's token patterns, checked for shape (spaCy checks the attributes at fit)."""
    if value is None:
        return ()
    expected = "expected a list of spaCy token patterns, each a list of {ATTRIBUTE: value}"
    if not isinstance(value, list | tuple):
        raise fail(f"{expected}, got {value!r}", code=code, key="patterns")
    for index, pattern in enumerate(value):
        if (
            not isinstance(pattern, list | tuple)
            or not pattern
            or not all(isinstance(token, dict) for token in pattern)
        ):
            raise fail(f"pattern {index} is {pattern!r}; {expected}", code=code, key="patterns")
    return tuple(tuple(dict(token) for token in pattern) for pattern in value)


def _first_problem(codes: tuple[Code, ...]) -> tuple[int, str, str] | None:
    """The first structural problem as (index of the code, field, message), or None."""
    names: dict[str, str] = {}  # normalised code or alias -> code
    ids: set[str] = set()
    every = {c.code for c in codes if isinstance(c, Code)}
    for index, c in enumerate(codes):
        if not isinstance(c, Code):
            return index, "code", f"expected a Code value, got {type(c).__name__}"
        if c.code in ids:
            return index, "code", f"duplicate code {c.code!r}; identifiers must be unique"
        for alias in c.aliases:
            owner = names.get(normal_name(alias))
            if owner is not None and owner != c.code:
                return index, "aliases", f"alias {alias!r} already names code {owner!r}"
        if c.parent is not None:
            if c.parent == c.code:
                return index, "parent", "a code cannot be its own parent"
            if c.parent not in ids:
                if c.parent in every:
                    return (
                        index,
                        "parent",
                        (f"parent {c.parent!r} comes after its child; list parents first"),
                    )
                return (
                    index,
                    "parent",
                    (
                        f"parent {c.parent!r} is not a code of this codebook"
                        f"{_did_you_mean(c.parent, every)}"
                    ),
                )
        for name in c.fields:
            near = difflib.get_close_matches(name, _FRAME_FIELDS, n=1, cutoff=0.8)
            if name not in _FRAME_FIELDS and near:
                return index, "fields", f"no text field {name!r} (did you mean {near[0]!r}?)"
        ids.add(c.code)
        names[normal_name(c.code)] = c.code
        for alias in c.aliases:
            names[normal_name(alias)] = c.code
    return None


#: The text fields of the package's frames (a hand-built frame may add its own, so a field
#: is refused only when it is a near miss of one of these: "insigths").
_FRAME_FIELDS = [
    *schema.PROMPT_FIELDS,
    "text",
    *schema.ROLE_ASPECTS,
    *(f"{who}_{when}" for who in schema.BENEFICIARIES for when in schema.HORIZONS),
]


# --- small readers ----------------------------------------------------------------------


#: What stands between a parent code and its child in a QDA tool's code path, or in a name
#: a person gave a code in a flat list ("Potential - knowledge capital", "Applied: tools").
_PATH = re.compile(r"\s*(?:\\|::|\s>\s|/|\s[-\u2013\u2014]\s|:\s)\s*")


def normal_name(name: str) -> str:
    """Case-, space-, dash- and spelling-insensitive key for looking codes up by name
    (the -ise spelling read as -ize: "Realised", "organisational").

    Examples
    --------
    >>> normal_name("Knowledge capital") == normal_name("knowledge_capital")
    True
    >>> normal_name("Realised value")
    'realized value'
    """
    text = name.replace("\u2013", "-").replace("\u2014", "-").casefold()
    text = " ".join(text.replace("_", " ").replace("-", " ").split())
    return re.sub(r"(?<=[a-z]{2})is(e|ed|es|ing|ation|ational)\b", r"iz\1", text)


def _segment(code: Code) -> str:
    if code.parent and code.code.startswith(code.parent + "_"):
        return code.code[len(code.parent) + 1 :]
    return code.code


def _identifier(tag: str) -> str:
    """An identifier for a code path from another tool (``Potential value/Human`` ->
    ``potential_value_human``)."""
    slug = "_".join(
        "_".join(re.findall(r"[0-9a-z]+", segment.casefold())) for segment in tag.split("/")
    )
    slug = re.sub(r"_+", "_", slug).strip("_") or "code"
    return slug if slug[0].isalpha() else f"c_{slug}"


def _did_you_mean(word: str, options: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(options), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _string_list(value: object, *, where: str, path: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise CodebookError(f"{where}: expected a list of strings, got {value!r}", path=path)
    for index, item in enumerate(value):
        if not isinstance(item, str) or not item.strip():
            raise CodebookError(
                f"{where}: item {index} is {item!r}; expected a non-empty string"
                + _BOOL_HINT * isinstance(item, bool),
                path=path,
            )
    return tuple(" ".join(item.split()) for item in value)


def _split(value: object) -> list[str]:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return []
    return [part.strip() for part in str(value).split("|") if part.strip()]


def _read_bool(value: object, *, path: str | PathLike[str] | None, row: int) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("", "true", "yes", "1"):
        return True
    if text in ("false", "no", "0"):
        return False
    raise CodebookError(
        f"expected true or false, got {value!r}", path=path, row=row, column="codable"
    )


def _rows(frame: pd.DataFrame) -> Iterator[dict[str, Any]]:
    for record in frame.to_dict(orient="records"):
        yield {str(k): (None if _missing(v) else v) for k, v in record.items()}


def _missing(value: object) -> bool:
    try:
        return bool(pd.isna(value))  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return False


def _record_from_cells(row: dict[str, Any]) -> dict[str, Any]:
    record: dict[str, Any] = {}
    for key, value in row.items():
        if key in _LIST_FIELDS:
            record[key] = _split(value)
        elif key == "codable":
            record[key] = True if value is None else _read_bool(value, path=None, row=0)
        elif value is not None:
            record[key] = value
    return record
