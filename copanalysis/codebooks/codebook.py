"""The :class:`Codebook` value: codes, their guidance and cues, as plain data."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Code:
    """One code of a codebook.

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


@dataclass(frozen=True)
class Codebook:
    """A named, versioned set of codes.

    Attributes
    ----------
    name, version, title, description : str
        Metadata; ``name@version`` identifies the codebook in the ``coder`` column.
    sources : tuple of str
        What to cite.
    codes : tuple of Code
        In display order; parents before their children.
    polarity : dict
        Optional codebook-wide polarity cues: ``{"positive": (...), "negative": (...)}``.
    """

    name: str
    version: str
    codes: tuple[Code, ...]
    title: str = ""
    description: str = ""
    sources: tuple[str, ...] = ()
    polarity: dict[str, tuple[str, ...]] = field(default_factory=dict)
