"""One colour-blind-safe palette for every chart.

Categorical colours are the Okabe-Ito set (Okabe & Ito 2008) followed by Paul Tol's *muted*
scheme; counts are shaded with Tol's *YlOrBr* sequential scheme. A code keeps the colour its
codebook gives it (the ``color`` field) in every chart; a code with no colour gets one from
the categorical palette, by its position in the codebook, or by a stable hash of its id when
no codebook knows it.

References: https://jfly.uni-koeln.de/color/ and https://personal.sron.nl/~pault/
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from copanalysis.codebooks.order import CodebookLike, code_table

if TYPE_CHECKING:
    from matplotlib.colors import LinearSegmentedColormap

__all__ = [
    "CATEGORICAL",
    "CHALLENGE",
    "ENABLER",
    "GREY",
    "INK",
    "OKABE_ITO",
    "TOL_MUTED",
    "TOL_YLORBR",
    "code_colors",
    "count_colormap",
    "text_color_on",
]

#: Okabe-Ito, by name.
OKABE_ITO: dict[str, str] = {
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "black": "#000000",
}
#: Paul Tol's muted qualitative scheme (without its pale grey "bad data" colour).
TOL_MUTED: tuple[str, ...] = (
    "#332288",
    "#88CCEE",
    "#44AA99",
    "#117733",
    "#999933",
    "#DDCC77",
    "#CC6677",
    "#882255",
    "#AA4499",
)
#: Paul Tol's YlOrBr sequential scheme, light to dark.
TOL_YLORBR: tuple[str, ...] = (
    "#FFFFE5",
    "#FFF7BC",
    "#FEE391",
    "#FEC44F",
    "#FB9A29",
    "#EC7014",
    "#CC4C02",
    "#993404",
    "#662506",
)
#: Sixteen distinguishable colours: Okabe-Ito without black, then Tol muted; the light
#: yellow, weakest on white, comes last.
CATEGORICAL: tuple[str, ...] = (
    OKABE_ITO["blue"],
    OKABE_ITO["orange"],
    OKABE_ITO["bluish_green"],
    OKABE_ITO["reddish_purple"],
    OKABE_ITO["sky_blue"],
    OKABE_ITO["vermillion"],
    *TOL_MUTED,
    OKABE_ITO["yellow"],
)
#: Enablers (the positive side of a theme) and challenges (the negative side).
ENABLER: str = OKABE_ITO["blue"]
CHALLENGE: str = OKABE_ITO["vermillion"]
#: Missing, "none" or "other" categories.
GREY: str = "#BBBBBB"
#: Text and lines.
INK: str = "#222222"


def code_colors(codebook: CodebookLike = None, codes: Iterable[str] = ()) -> dict[str, str]:
    """The colour of each code, the same in every chart.

    Parameters
    ----------
    codebook : Codebook, codebook frame, name, list of these, or None
        Codes with a ``color`` keep it; the others take, in codebook order, the
        :data:`CATEGORICAL` colours no code of the codebook already has. None: the built-in
        codebooks' colours for the ``codes`` they hold (as in the report's charts), so
        ``realized`` and ``reframing`` never share one; only ``codes`` are returned.
    codes : iterable of str
        More code ids to colour (those in a table but not in the codebook): each gets a
        :data:`CATEGORICAL` colour chosen by a stable hash (CRC-32) of its id, so the same
        id gets the same colour in every chart and every session.

    Returns
    -------
    dict
        Code id -> hex colour, codebook codes first.

    Examples
    --------
    >>> import pandas as pd
    >>> book = pd.DataFrame({"code": ["immediate", "potential"], "color": ["#E69F00", ""]})
    >>> code_colors(book)
    {'immediate': '#E69F00', 'potential': '#0072B2'}
    >>> code_colors(None, ["realized", "reframing"])
    {'realized': '#0072B2', 'reframing': '#CC79A7'}
    >>> code_colors(None, ["TIME"]) == code_colors(None, ["TIME"])
    True
    """
    if codebook is None:  # the colours of the built-in codebooks, for the codes they know
        from copanalysis.plots.labels import BUILT_IN_CODEBOOKS

        built_in = code_colors(list(BUILT_IN_CODEBOOKS))
        return {str(c): built_in.get(str(c)) or _hashed(c) for c in dict.fromkeys(codes)}
    table = code_table(codebook)
    given = {color.upper() for color in table["color"] if color}
    free = [c for c in CATEGORICAL if c.upper() not in given] or list(CATEGORICAL)
    colors: dict[str, str] = {}
    uncoloured = 0
    for code, color in zip(table["code"], table["color"], strict=True):
        if color:
            colors[code] = color
        else:
            colors[code] = free[uncoloured % len(free)]
            uncoloured += 1
    for code in codes:
        if code not in colors:
            colors[code] = _hashed(code)
    return colors


def _hashed(code: object) -> str:
    """A colour of :data:`CATEGORICAL` for a code no codebook colours: the same in every
    session (CRC-32 of its id)."""
    return CATEGORICAL[zlib.crc32(str(code).encode("utf-8")) % len(CATEGORICAL)]


def count_colormap() -> LinearSegmentedColormap:
    """The colormap that shades counts (heat maps, the value grid): Tol's YlOrBr.

    Examples
    --------
    >>> count_colormap().name
    'tol_ylorbr'
    """
    from matplotlib.colors import LinearSegmentedColormap

    return LinearSegmentedColormap.from_list("tol_ylorbr", list(TOL_YLORBR))


def text_color_on(background: Any) -> str:
    """Black or white, whichever reads better on ``background`` (WCAG relative luminance).

    Examples
    --------
    >>> text_color_on("#FFFFE5"), text_color_on("#662506")
    ('#222222', 'white')
    """
    from matplotlib.colors import to_rgb

    r, g, b = (
        c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in to_rgb(background)
    )
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return INK if luminance > 0.22 else "white"
