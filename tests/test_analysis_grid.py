"""value_grid placements with their evidence, and value_grid_summary."""

from __future__ import annotations

import pandas as pd

from copanalysis.analysis.grid import value_grid_codes, value_grid_summary
from copanalysis.coding.grid import value_grid

STORIES = pd.DataFrame(
    {
        "story_id": ["s1", "s2"],
        "activities": ["I joined the monthly call. It was fun.", None],
        "practice": [
            "I now use the checklist. My team adopted it for all clients.",
            "I tried the new intake form.",
        ],
        "development": ["I feel more confident with families.", None],
        "organization": [
            "Waiting times fell from 6 weeks to 3.",
            "The protocol is now part of our unit's policy.",
        ],
        "story": [None, "We rethought what success means. We started sharing notes."],
    }
)


def span(story: str, field: str, text: str) -> tuple[str, str, int, int]:
    whole = STORIES.set_index("story_id").loc[story, field]
    start = whole.index(text)
    return story, field, start, start + len(text)


CODES = pd.DataFrame(
    [
        (*span("s1", "activities", "joined the monthly call"), "immediate", 1),
        (*span("s1", "practice", "use the checklist"), "applied", 1),
        (*span("s1", "practice", "adopted it for all clients"), "applied", 1),
        (*span("s1", "development", "more confident"), "potential_human", 1),
        (*span("s1", "organization", "Waiting times fell"), "realized", 1),
        (*span("s2", "practice", "tried the new intake form"), "applied", 1),
        (*span("s2", "organization", "now part of our unit's policy"), "realized", 1),
        (*span("s2", "story", "rethought what success means"), "reframing", 1),
        (*span("s2", "story", "started sharing notes"), "applied", 1),
        ("s2", "practice", 0, 5, "immediate", -1),
        ("s2", "story", 0, 5, "TIME", 1),
    ],
    columns=["doc_id", "field", "start", "end", "code", "polarity"],
).assign(coder="me")


def test_placements_with_evidence():
    placed = value_grid(CODES, frame=STORIES)
    assert list(placed.columns) == [
        "doc_id", "field", "start", "end", "quote", "code", "beneficiary", "horizon", "evidence",
        "confidence",
    ]  # fmt: skip
    assert len(placed) == 9  # negative immediate and the theme code left out
    got = {
        (r.doc_id, r.quote): (r.beneficiary, r.horizon, r.evidence) for r in placed.itertuples()
    }
    assert got[("s1", "joined the monthly call")] == (
        "members", "short", "field 'activities' -> members; cycle 'immediate' -> short",
    )  # fmt: skip
    assert got[("s1", "use the checklist")] == (
        "members", "short", "cue 'i' (I/my) -> members; cycle 'applied' -> short",
    )  # fmt: skip
    assert got[("s1", "adopted it for all clients")] == (
        "organization", "short", "cue 'team', 'clients' -> organization; cycle 'applied' -> short",
    )  # fmt: skip
    assert got[("s1", "more confident")] == (
        "members", "short", "field 'development' -> members; cycle 'potential_human' -> short",
    )  # fmt: skip
    assert got[("s1", "Waiting times fell")] == (
        "organization", "short", "field 'organization' -> organization; cycle 'realized' -> short",
    )  # fmt: skip
    assert got[("s2", "tried the new intake form")][:2] == ("members", "short")
    assert got[("s2", "now part of our unit's policy")] == (
        "organization",
        "long",
        "field 'organization' -> organization; cycle 'realized' -> short; "
        "long-term cue 'now part of', 'policy' -> long",
    )
    assert got[("s2", "rethought what success means")] == (
        "organization", "long", "cue 'we' (we/our) -> organization; cycle 'reframing' -> long",
    )  # fmt: skip
    assert got[("s2", "started sharing notes")][:2] == ("organization", "short")


def test_quotes_come_from_the_frame_when_codes_have_none():
    placed = value_grid(CODES, frame=STORIES)
    row = placed[placed["code"] == "potential_human"].iloc[0]
    assert (row["start"], row["end"], row["quote"]) == (7, 21, "more confident")


def test_free_story_without_cues_follows_the_cycle_and_grid_codes_place_directly():
    codes = pd.DataFrame(
        [
            ("d1", "story", 0, 10, "potential_learning", 1, "Reflection as a habit."),
            ("d1", "story", 20, 30, "realized", 1, "Fewer errors."),
            ("d2", "text", 0, 10, "organization_long", 1, "Retention of talent."),
            ("d3", "organization_short", 0, 14, "potential", 1, "Quick answers."),
        ],
        columns=["doc_id", "field", "start", "end", "code", "polarity", "quote"],
    ).assign(coder="me")
    grid = pd.DataFrame(
        {
            "respondent": ["d3"],
            "beneficiary": ["organization"],
            "horizon": ["short"],
            "text": ["Quick answers."],
        }
    )
    placed = value_grid(codes, frame=grid).set_index("code")
    assert tuple(placed.loc["potential_learning", ["beneficiary", "horizon"]]) == (
        "members",
        "long",
    )
    assert placed.loc["potential_learning", "evidence"] == (
        "cycle 'potential' -> members; cycle 'potential_learning' -> long"
    )
    assert tuple(placed.loc["realized", ["beneficiary", "horizon"]]) == ("organization", "short")
    assert placed.loc["organization_long", "evidence"] == (
        "strategic_grid code 'organization_long' -> organization, long"
    )
    assert placed.loc["potential", "evidence"] == (
        "grid worksheet cell 'organization_short' -> organization, short"
    )


def test_summary_has_four_cells_counts_top_codes_and_a_trimmed_exemplar():
    long_quote = "word " * 40
    placements = pd.DataFrame(
        {
            "doc_id": ["s1", "s1", "s2", "s3"],
            "quote": ["Fewer errors.", "We use it.", "Costs fell by a third.", long_quote],
            "code": ["realized", "applied", "realized", "reframing"],
            "beneficiary": ["organization", "organization", "organization", "organization"],
            "horizon": ["short", "short", "short", "long"],
        }
    )
    summary = value_grid_summary(placements)
    assert summary[["beneficiary", "horizon"]].astype(str).values.tolist() == [
        ["members", "short"],
        ["members", "long"],
        ["organization", "short"],
        ["organization", "long"],
    ]
    assert summary["n"].tolist() == [0, 0, 3, 1]
    assert summary["n_docs"].tolist() == [0, 0, 2, 1]
    assert summary.loc[2, "top_codes"] == "realized (2), applied (1)"
    assert summary.loc[2, "exemplar"] == "Costs fell by a third."
    assert summary.loc[0, "exemplar"] == ""
    exemplar = summary.loc[3, "exemplar"]
    assert len(exemplar) <= 140
    assert exemplar.endswith("…")
    assert exemplar.startswith("word word")


def test_summary_of_real_placements():
    summary = value_grid_summary(value_grid(CODES, frame=STORIES))
    assert summary["n"].sum() == 9
    assert (
        summary.loc[0, "top_codes"] == "applied (2), immediate (1), potential (1)"
    )  # the sub-code counts as its cycle


def test_a_cycle_beside_its_sub_code_on_the_same_span_is_placed_once():
    codes = pd.DataFrame(
        [
            ("s1", "development", 7, 21, "potential", 1),
            ("s1", "development", 7, 21, "potential_human", 1),
            ("s1", "practice", 2, 5, "potential", 1),
        ],
        columns=["doc_id", "field", "start", "end", "code", "polarity"],
    ).assign(coder="rules")
    placed = value_grid(codes, frame=STORIES)
    assert placed[["field", "code"]].values.tolist() == [
        ["development", "potential_human"],
        ["practice", "potential"],
    ]


def test_we_in_the_activities_answer_are_the_members():
    stories = pd.DataFrame(
        {
            "story_id": ["s1"],
            "activities": ["We shared our experiences."],
            "story": ["We met every month. We introduced the new form."],
        }
    )
    codes = pd.DataFrame(
        [
            ("s1", "activities", 0, 26, "immediate", 1),
            ("s1", "story", 0, 19, "immediate", 1),
            ("s1", "story", 20, 47, "applied", 1),
        ],
        columns=["doc_id", "field", "start", "end", "code", "polarity"],
    ).assign(coder="me")
    placed = value_grid(codes, frame=stories)
    assert placed["evidence"].tolist() == [
        "field 'activities' -> members; cycle 'immediate' -> short",
        "cycle 'immediate' -> members; cycle 'immediate' -> short",
        "cue 'we' (we/our) -> organization; cycle 'applied' -> short",
    ]


def test_summary_leads_with_cycles_not_the_cells_own_codes() -> None:
    placements = pd.DataFrame(
        {
            "doc_id": ["s1", "s2", "s3", "s4", "s5", "s6"],
            "quote": ["a", "b", "c", "d", "e", "f"],
            "code": [
                "members_long",
                "members_long",
                "members_long",
                "orienting",
                "potential_learning",
                "organization_long",
            ],
            "beneficiary": ["members"] * 5 + ["organization"],
            "horizon": "long",
        }
    )
    summary = value_grid_summary(placements).set_index(["beneficiary", "horizon"])
    # the cell's own code (3 placements) restates the cell: the cycles lead
    assert summary.loc[("members", "long"), "top_codes"] == "orienting (1), potential (1)"
    assert summary.loc[("members", "long"), "n"] == 5
    # with nothing else placed there, the cell's own code is named
    assert summary.loc[("organization", "long"), "top_codes"] == "organization_long (1)"


def test_grid_codes_are_one_row_per_cell_and_code() -> None:
    placements = pd.DataFrame(
        {
            "doc_id": ["s1", "s1", "s2", "s3", "s4", "s4"],
            "quote": ["Fewer errors.", "We use it.", "Costs fell.", "a", "b", "c"],
            "code": ["realized", "applied", "realized", "organization_short", "organization_short",
                     "reframing"],
            "beneficiary": "organization",
            "horizon": ["short", "short", "short", "short", "short", "long"],
        }
    )  # fmt: skip
    cells = value_grid_codes(placements)
    assert cells[["horizon", "code", "rank", "n", "n_docs", "cell_docs"]].astype(
        {"horizon": str}
    ).values.tolist() == [
        ["short", "realized", 1, 2, 2, 4],
        ["short", "applied", 2, 1, 1, 4],
        # the cell's own code restates it: after every cycle, however frequent
        ["short", "organization_short", 3, 2, 2, 4],
        ["long", "reframing", 1, 1, 1, 1],
    ]
    assert cells["share"].round(2).tolist() == [0.4, 0.2, 0.4, 1.0]
    assert cells.loc[0, "exemplar"] == "Fewer errors."
    assert set(cells["beneficiary"].astype(str)) == {"organization"}  # no rows for empty cells
    # the four-row summary says the same
    summary = value_grid_summary(placements).set_index(["beneficiary", "horizon"])
    assert summary.loc[("organization", "short"), "top_codes"] == "realized (2), applied (1)"
    assert summary.loc[("organization", "short"), "n"] == cells["n"].iloc[:3].sum()
    assert summary.loc[("organization", "short"), "n_docs"] == 4


def test_worksheet_answers_stay_in_the_cells_their_respondents_wrote_them_in() -> None:
    from copanalysis.coding.grid import worksheet_placements

    grid = pd.DataFrame(
        {
            "respondent": ["Bridget", "Bridget", "Bridget", "Tom", "Tom"],
            "beneficiary": ["members", "members", "organization", "members", "organization"],
            "horizon": ["short", "long", "short", "short", "long"],
            "text": [
                "Quick advice from other nurses.",
                "A recognised specialist role.",
                "Pressure ulcers down 40 % on the pilot ward.",
                "Not much this term.",
                "The sessions were a waste of time.",
            ],
        }
    )
    codes = pd.DataFrame(
        [
            ("Bridget", "members_short", 0, 31, "potential", 1),
            ("Bridget", "organization_short", 0, 44, "realized", 1),
            ("Tom", "organization_long", 0, 34, "immediate", -1),
            ("Bridget", "story", 0, 31, "applied", 1),  # not a worksheet answer
        ],
        columns=["doc_id", "field", "start", "end", "code", "polarity"],
    ).assign(codebook="value_cycles", coder="me")
    placed = worksheet_placements(grid, codes)
    assert placed[["doc_id", "field", "code", "beneficiary", "horizon"]].values.tolist() == [
        ["Bridget", "members_short", "potential", "members", "short"],
        # no cycle coded: the answer keeps its cell's own code
        ["Bridget", "members_long", "members_long", "members", "long"],
        ["Bridget", "organization_short", "realized", "organization", "short"],
        # "Not much this term." (uncoded, flat) and the -1 code tell of no value
    ]
    assert placed["evidence"].tolist()[:2] == [
        "grid worksheet cell 'members_short' -> members, short",
        "grid worksheet cell 'members_long' -> members, long; no value cycle coded",
    ]
    assert placed["quote"].iloc[1] == "A recognised specialist role."
    summary = value_grid_summary(placed).set_index(["beneficiary", "horizon"])
    assert summary["n_docs"].tolist() == [1, 1, 1, 0]
    assert summary.loc[("members", "long"), "top_codes"] == "members_long (1)"


def test_a_cells_exemplar_is_its_codes_most_confident_quote() -> None:
    """Trial 27: the longest quote stood for the cell, a miscode at confidence 0.31."""
    placements = pd.DataFrame(
        {
            "doc_id": ["s1", "s2", "s3"],
            "quote": [
                "After the storms, the streets with rain gardens had no flooded basements.",
                "I learned how Ghent maps heat islands.",
                "Free satellite data.",
            ],
            "code": "potential",
            "beneficiary": "members",
            "horizon": "short",
            "confidence": [0.31, 0.82, 0.82],
        }
    )
    assert value_grid_codes(placements).loc[0, "exemplar"] == (
        "I learned how Ghent maps heat islands."  # the longer of the two most confident
    )
    people = placements.drop(columns="confidence")  # a person's codes: the longest
    assert value_grid_codes(people).loc[0, "exemplar"] == placements["quote"].iloc[0]


def test_exemplars_have_their_quotation_marks_mended() -> None:
    placements = pd.DataFrame(
        {
            "doc_id": ["s1", "s1"],
            "quote": [
                'Feedback differs a lot between our schools. "',
                'We stopped writing comments," said Mr Patel, "and they read it now."',
            ],
            "code": ["potential", "applied"],
            "beneficiary": "organization",
            "horizon": "short",
        }
    )
    exemplars = value_grid_codes(placements).set_index("code")["exemplar"].to_dict()
    assert exemplars == {
        "applied": '"We stopped writing comments," said Mr Patel, "and they read it now."',
        "potential": "Feedback differs a lot between our schools.",
    }


def test_a_grid_whose_every_answer_is_coded_is_placed() -> None:
    # every answer coded left no bare answer, and selecting with an empty list of flags
    # selected no columns (KeyError: 'doc_id', so `run` wrote no report)
    from copanalysis.coding.grid import worksheet_placements

    grid = pd.DataFrame(
        {"respondent": ["r1"], "beneficiary": "members", "horizon": ["short"], "text": ["Tips."]}
    )
    codes = pd.DataFrame(
        {"doc_id": ["r1"], "field": ["members_short"], "start": [0], "end": [5]}
    ).assign(codebook="value_cycles", code="potential", coder="me")
    placed = worksheet_placements(grid, codes)
    assert placed[["doc_id", "code", "beneficiary", "horizon"]].values.tolist() == [
        ["r1", "potential", "members", "short"]
    ]


def test_a_passage_is_placed_once_and_a_passage_of_no_value_not_at_all() -> None:
    stories = pd.DataFrame(
        {
            "story_id": ["s1", "s2", "s3"],
            "practice": [
                "I attend the network's annual meeting and read the summaries.",
                "My mentor disappeared after two calls.",
                "Hard to say.",
            ],
        }
    )
    codes = pd.DataFrame(
        [
            ("s1", "practice", 0, 61, "value_cycles", "applied", 1),
            ("s1", "practice", 0, 61, "strategic_grid", "members_long", 1),  # cue "network"
            ("s2", "practice", 0, 38, "value_cycles", "immediate", -1),
            ("s2", "practice", 0, 38, "strategic_grid", "members_short", 1),
            ("s3", "practice", 0, 12, "value_cycles", "realized", 0),
        ],
        columns=["doc_id", "field", "start", "end", "codebook", "code", "polarity"],
    ).assign(coder="rules")
    placed = value_grid(codes, frame=stories)
    # s1: its cycle places it, not a second time in the cell "network" named; s2: denied
    # value is no placement, and neither is its grid cue; s3: says no value came of it
    assert placed[["doc_id", "code"]].values.tolist() == [["s1", "applied"]]


def test_the_grid_cues_do_not_fire_on_the_communitys_own_name_or_back_home() -> None:
    from copanalysis.coding.api import code

    stories = pd.DataFrame(
        {
            "story_id": ["s1", "s2"],
            "practice": [
                "I attend the network's annual meeting and read the quarterly summaries.",
                "Back home we started testing milk before it leaves the farm.",
            ],
        }
    )
    cells = code(stories, "strategic_grid", coder="rules", progress=False)
    assert cells.empty, cells[["doc_id", "code", "evidence"]].values.tolist()
