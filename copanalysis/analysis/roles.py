"""Leadership roles by member type, from the leadership-role worksheet."""

from __future__ import annotations

import pandas as pd

from copanalysis.schema import MEMBER_TYPES, ROLES, validate

__all__ = ["role_matrix"]


def _canonical(values: pd.Series, standard: tuple[str, ...]) -> pd.Series:
    """Map case and spacing variants of the worksheet's names onto them."""
    known = {" ".join(s.lower().split()): s for s in standard}
    return values.map(
        lambda v: v if pd.isna(v) else known.get(" ".join(str(v).lower().split()), str(v).strip())
    )


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
        other names found in the data; ``role`` and ``member_type`` are ordered
        categoricals in that order. Rows without a role or member type are left out.

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
    roles = validate(roles, "roles")
    role = _canonical(roles["role"], ROLES)
    member_type = _canonical(roles["member_type"], MEMBER_TYPES)
    pairs = pd.DataFrame(
        {"respondent": roles["respondent"], "role": role, "member_type": member_type}
    ).dropna()
    role_order = list(dict.fromkeys([*ROLES, *sorted(pairs["role"].unique())]))
    type_order = list(dict.fromkeys([*MEMBER_TYPES, *sorted(pairs["member_type"].unique())]))
    counts = pairs.groupby(["role", "member_type"])["respondent"].nunique()
    index = pd.MultiIndex.from_product([role_order, type_order], names=["role", "member_type"])
    matrix = counts.reindex(index, fill_value=0).rename("n_respondents").reset_index()
    matrix["role"] = pd.Categorical(matrix["role"], categories=role_order, ordered=True)
    matrix["member_type"] = pd.Categorical(
        matrix["member_type"], categories=type_order, ordered=True
    )
    matrix["n_respondents"] = matrix["n_respondents"].astype("int64")
    return matrix
