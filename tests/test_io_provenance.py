"""The load report's notes on columns that no field read."""

from __future__ import annotations

from copanalysis.io import load_stories


def test_a_geopoint_column_is_not_free_text(tmp_path) -> None:
    """Trial 32: Kobo's geopoint "Location" ("-3.29 40.10 12.0 5.0") was flagged as 38
    free-text answers that no prompt matched."""
    path = tmp_path / "kobo.csv"
    path.write_text(
        "ID,Insights,Location,Anything else to tell us?\n"
        "1,We learned a new handover,-3.29 40.10 12.0 5.0,The venue was too far away\n"
        "2,I learned about bar models,-3.30 40.11 11.0 5.0,More time to plan together\n",
        encoding="utf-8",
    )
    entry = load_stories(path).attrs["load_report"]["files"][0]
    assert entry["uncoded_text"] == {"Anything else to tell us?": 2}
    assert entry["kept"] == ["Location", "Anything else to tell us?"]
