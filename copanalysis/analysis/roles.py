"""Leadership roles by member type, from the leadership-role worksheet."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from copanalysis.codebooks.order import CodebookLike, code_table, codebook_name
from copanalysis.errors import SchemaError
from copanalysis.schema import MEMBER_TYPES, ROLE_ASPECTS, ROLES, validate

__all__ = ["role_matrix", "role_themes"]


def _canonical(values: pd.Series, standard: tuple[str, ...]) -> pd.Series:
    """Map case and spacing variants of the worksheet's names onto them."""
    known = {" ".join(s.lower().split()): s for s in standard}
    return values.map(
        lambda v: v if pd.isna(v) else known.get(" ".join(str(v).lower().split()), str(v).strip())
    )


#: The role or member type of a respondent who marked none.
NOT_GIVEN = "(not given)"


def role_matrix(roles: pd.DataFrame) -> pd.DataFrame:
    """Count the respondents who took each leadership role as each member type.

    Parameters
    ----------
    roles : DataFrame
        A ``roles`` frame (one row per respondent x role x member type x aspect). Role and
        member-type names are matched to the worksheet's regardless of case and spacing.

    Returns
    -------
    DataFrame
        Long: ``role, member_type, n_respondents`` (distinct respondents). All 12 x 8 pairs
        of the worksheet are present (0 where none), in its order, followed by pairs with
        other names found in the data, then :data:`NOT_GIVEN` for respondents who marked a
        role but no member type (or a member type but no role), when there are any;
        ``role`` and ``member_type`` are ordered categoricals in that order.

    Examples
    --------
    >>> roles = pd.DataFrame({"respondent": ["r1", "r1", "r2"],
    ...     "role": ["Coordination", "Coordination", "networking"],
    ...     "member_type": ["Core member", "Core member", "Expert"],
    ...     "aspect": ["purpose", "actions", "purpose"]})
    >>> matrix = role_matrix(roles)
    >>> len(matrix)
    96
    >>> matrix[matrix["n_respondents"] > 0]
                role  member_type  n_respondents
    2   Coordination  Core member              1
    33    Networking       Expert              1
    """
    missing = [c for c in ("role", "member_type") if c not in roles.columns]
    if missing and len(roles):
        raise SchemaError(
            f"role_matrix: the roles frame has no {' and no '.join(map(repr, missing))} "
            f"column; it has {', '.join(map(str, roles.columns))} (a worksheet that did not "
            "ask for one: add it empty)"
        )
    roles = validate(roles, "roles")
    role = _canonical(roles["role"], ROLES)
    member_type = _canonical(roles["member_type"], MEMBER_TYPES)
    pairs = pd.DataFrame(
        {"respondent": roles["respondent"], "role": role, "member_type": member_type}
    )
    pairs = pairs[pairs["role"].notna() | pairs["member_type"].notna()]
    # a respondent who marked a role but no member type (or the other way) is counted
    # under "(not given)", not left out of the chart
    pairs = pairs.astype({"role": object, "member_type": object}).fillna(
        {"role": NOT_GIVEN, "member_type": NOT_GIVEN}
    )
    named_roles = sorted(set(pairs["role"]) - {NOT_GIVEN})
    named_types = sorted(set(pairs["member_type"]) - {NOT_GIVEN})
    role_order = list(dict.fromkeys([*ROLES, *named_roles]))
    type_order = list(dict.fromkeys([*MEMBER_TYPES, *named_types]))
    role_order += [NOT_GIVEN] if (pairs["role"] == NOT_GIVEN).any() else []
    type_order += [NOT_GIVEN] if (pairs["member_type"] == NOT_GIVEN).any() else []
    counts = pairs.groupby(["role", "member_type"])["respondent"].nunique()
    index = pd.MultiIndex.from_product([role_order, type_order], names=["role", "member_type"])
    matrix = counts.reindex(index, fill_value=0).rename("n_respondents").reset_index()
    matrix["role"] = pd.Categorical(matrix["role"], categories=role_order, ordered=True)
    matrix["member_type"] = pd.Categorical(
        matrix["member_type"], categories=type_order, ordered=True
    )
    matrix["n_respondents"] = matrix["n_respondents"].astype("int64")
    return matrix


def role_themes(
    codes: pd.DataFrame,
    *,
    frame: pd.DataFrame,
    aspect: str | Sequence[str] = ("challenges", "support"),
    codebook: CodebookLike = "enablers_challenges",
) -> pd.DataFrame:
    """Count, for each leadership role, the respondents whose answers about an ``aspect``
    of the role (its challenges, the support it needs) touch each theme.

    The worksheet's answers are coded like any text (``copanalysis.code(roles,
    "enablers_challenges")``): ``codes`` then has the respondent as ``doc_id`` and the
    aspect as ``field``. A respondent's answer about an aspect counts for every role
    they answered that aspect for (the worksheet has one answer per respondent and
    question, for all the roles they tick).

    Parameters
    ----------
    codes : DataFrame
        A ``codes`` frame of the role worksheet; only the rows of ``codebook`` (and rows
        with no codebook, for hand-made codes) in the fields of ``aspect`` are read.
    frame : DataFrame
        The ``roles`` frame that was coded. Role names are matched to the worksheet's
        regardless of case and spacing.
    aspect : str or sequence of str
        The worksheet questions to read, from :data:`copanalysis.schema.ROLE_ASPECTS`.
    codebook : Codebook, codebook frame, name or None
        The theme codebook: its name selects the rows, its labels label them and its
        order orders them. ``None`` reads every code, labelled by its id.

    Returns
    -------
    DataFrame
        Long: ``role, code, label, aspect, n`` (distinct respondents), every role of the
        worksheet and of ``roles`` x every theme of the codebook and of ``codes`` x every
        aspect, 0 where none; ``role`` and ``aspect`` are ordered categoricals (worksheet
        order, then other role names alphabetically; aspects as asked), rows in that order
        with themes in codebook order.

    Raises
    ------
    SchemaError
        When an aspect is not one of the worksheet's.

    Examples
    --------
    >>> roles = pd.DataFrame({"respondent": ["r1", "r1", "r2"],
    ...     "role": ["Coordination", "Networking", "Coordination"],
    ...     "member_type": "Core member", "aspect": "challenges"})
    >>> codes = pd.DataFrame({"doc_id": ["r1", "r2", "r2"], "field": "challenges",
    ...     "start": 0, "end": 5, "code": ["TIME", "TIME", "TECH"], "coder": "rules",
    ...     "codebook": "enablers_challenges"})
    >>> table = role_themes(codes, frame=roles, aspect="challenges")
    >>> table[table["n"] > 0]
                role  code              label      aspect  n
    0   Coordination  TIME  Time and workload  challenges  2
    2   Coordination  TECH         Technology  challenges  1
    88    Networking  TIME  Time and workload  challenges  1
    """
    aspects = [aspect] if isinstance(aspect, str) else list(dict.fromkeys(aspect))
    unknown = [a for a in aspects if a not in ROLE_ASPECTS]
    if unknown or not aspects:
        raise SchemaError(
            f"role_themes: aspect {unknown[0] if unknown else aspect!r} is not a question "
            f"of the role worksheet; expected one or more of {', '.join(ROLE_ASPECTS)}"
        )
    codes = validate(codes, "codes")
    roles = validate(frame, "roles")
    name = codebook_name(codebook)
    if codebook is not None:
        book = codes["codebook"].fillna("").astype(str)
        codes = codes[book.isin([name or "enablers_challenges", ""])]
    codes = codes[codes["field"].astype(str).isin(aspects)]
    table = code_table(codebook, strict=False)

    holders = pd.DataFrame(
        {
            "respondent": roles["respondent"],
            "role": _canonical(roles["role"], ROLES),
            "aspect": roles["aspect"].astype("string"),
        }
    ).dropna()
    holders = holders.assign(
        respondent=holders["respondent"].astype(str), aspect=holders["aspect"].astype(str)
    ).drop_duplicates()
    mentions = pd.DataFrame(
        {
            "respondent": codes["doc_id"].astype(str).to_numpy(),
            "code": codes["code"].astype(str).to_numpy(),
            "aspect": codes["field"].astype(str).to_numpy(),
        }
    ).drop_duplicates()
    joined = mentions.merge(holders, on=["respondent", "aspect"], how="inner")
    counts = joined.groupby(["role", "code", "aspect"])["respondent"].nunique()

    role_order = list(dict.fromkeys([*ROLES, *sorted(holders["role"].unique())]))
    themes = list(dict.fromkeys([*table["code"], *sorted(mentions["code"].unique())]))
    index = pd.MultiIndex.from_product(
        [role_order, themes, aspects], names=["role", "code", "aspect"]
    )
    long = counts.reindex(index, fill_value=0).rename("n").reset_index()
    labels = dict(zip(table["code"], table["label"], strict=True))
    long.insert(2, "label", long["code"].map(lambda c: labels.get(c, c)).astype("string"))
    long["code"] = long["code"].astype("string")
    long["role"] = pd.Categorical(long["role"], categories=role_order, ordered=True)
    long["aspect"] = pd.Categorical(long["aspect"], categories=aspects, ordered=True)
    long["n"] = long["n"].astype("int64")
    return long
