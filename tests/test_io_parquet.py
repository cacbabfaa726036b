"""save_frame / load_frame: round trips, provenance, atomic writes, data/raw refused."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from copanalysis.errors import CopanalysisError, FileFormatError
from copanalysis.io.parquet import load_frame, save_frame
from copanalysis.io.stories import load_stories
from copanalysis.schema import validate


def test_stories_round_trip_is_equal_and_keeps_attrs(tmp_path):
    raw = tmp_path / "raw.csv"
    raw.write_text(
        "Timestamp,Community,Insights,Email\n"
        "2025-03-14 10:00:00,Nurses,A  checklist 🎉,a@b.c\n"
        "not a date,Nurses,Café,\n",
        encoding="utf-8",
    )
    stories = load_stories(raw)
    path = save_frame(stories, tmp_path / "out" / "stories.parquet")
    back = load_frame(path)
    pd.testing.assert_frame_equal(back, stories)
    assert back.attrs["load_report"] == stories.attrs["load_report"]
    assert back.attrs["sources"] == stories.attrs["sources"]
    provenance = back.attrs["provenance"]
    assert provenance["frame"] == "stories"
    assert provenance["sources"][0]["sha256"] == stories.attrs["sources"][0]["sha256"]
    assert provenance["package_version"]
    assert provenance["created"].endswith("+00:00")
    again = load_frame(save_frame(back, tmp_path / "again.parquet"))
    pd.testing.assert_frame_equal(again, back)
    assert again.attrs["load_report"] == stories.attrs["load_report"]
    assert pd.isna(back["date"].iloc[1]) and back["Email"].iloc[0] == "a@b.c"


def test_categorical_dtypes_survive(tmp_path):
    grid = validate(
        pd.DataFrame(
            {
                "respondent": ["r1", "r1"],
                "beneficiary": ["members", "organization"],
                "horizon": ["short", "long"],
                "text": ["x", "y"],
            }
        ),
        "grid",
    )
    back = load_frame(save_frame(grid, tmp_path / "grid.parquet"))
    assert isinstance(back["beneficiary"].dtype, pd.CategoricalDtype)
    assert back["beneficiary"].dtype == grid["beneficiary"].dtype
    pd.testing.assert_frame_equal(back, grid)
    assert back.attrs["provenance"]["frame"] == "grid"


def test_refuses_data_raw_and_leaves_no_temporary_file(tmp_path):
    frame = pd.DataFrame({"a": [1]})
    target = tmp_path / "data" / "raw" / "x.parquet"
    with pytest.raises(CopanalysisError, match=r"refusing to write inside data/raw"):
        save_frame(frame, target)
    assert not target.exists()
    save_frame(frame, tmp_path / "x.parquet")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.parquet"]
    meta = pq.read_schema(tmp_path / "x.parquet").metadata
    assert b"copanalysis" in meta


def test_atomic_write_keeps_the_old_file_when_writing_fails(tmp_path):
    path = save_frame(pd.DataFrame({"a": [1]}), tmp_path / "x.parquet")
    bad = pd.DataFrame({"a": [1]})
    bad.attrs["oops"] = object()
    with pytest.raises(CopanalysisError, match="JSON"):
        save_frame(bad, path)
    assert load_frame(path)["a"].tolist() == [1]
    assert [p.name for p in tmp_path.iterdir()] == ["x.parquet"]


def test_load_frame_errors(tmp_path):
    with pytest.raises(FileNotFoundError):
        load_frame(tmp_path / "missing.parquet")
    (tmp_path / "bad.parquet").write_bytes(b"not parquet")
    with pytest.raises(FileFormatError, match=r"bad\.parquet"):
        load_frame(tmp_path / "bad.parquet")


def test_a_write_that_fails_halfway_keeps_the_old_file(tmp_path, monkeypatch):
    import pyarrow.parquet

    path = save_frame(pd.DataFrame({"a": [1]}), tmp_path / "x.parquet")

    def broken(table, where, **kwargs):
        Path(where).write_bytes(b"PAR1 half a file")
        raise OSError("disk full")

    monkeypatch.setattr(pyarrow.parquet, "write_table", broken)
    with pytest.raises(OSError, match="disk full"):
        save_frame(pd.DataFrame({"a": [2]}), path)
    monkeypatch.undo()
    assert load_frame(path)["a"].tolist() == [1]
    assert [p.name for p in tmp_path.iterdir()] == ["x.parquet"]


def test_write_codes_parquet_round_trips_batches(tmp_path):
    from copanalysis.codebooks.codebook import Code, Codebook
    from copanalysis.coding.api import code, iter_codes
    from copanalysis.io.parquet import write_codes_parquet

    book = Codebook("cycles", "1", (Code("potential", "P", cues=("learn",)),))
    stories = pd.DataFrame(
        {"story_id": ["a", "b", "c"], "story": ["I learnt.", "No.", "We did not learn."]}
    )
    batches = iter_codes(stories, book, coder="rules", batch_size=1, progress=False)
    path = write_codes_parquet(batches, tmp_path / "out" / "codes.parquet")
    assert path == tmp_path / "out" / "codes.parquet"
    assert pq.ParquetFile(path).metadata.num_row_groups == 3  # one per batch, empty too
    back = load_frame(path)
    expected = code(stories, book, coder="rules", progress=False)
    assert back.attrs["provenance"]["frame"] == "codes"
    back.attrs.clear()
    pd.testing.assert_frame_equal(back, expected)
    assert back["polarity"].tolist() == [1, -1]
    assert [p.name for p in path.parent.iterdir()] == ["codes.parquet"]  # no temporary left


def test_write_codes_parquet_keeps_what_selective_coding_left_uncoded(tmp_path):
    # trial 45: min_confidence and the batches' abstained were lost on disk, and the count
    # had no denominator
    from copanalysis.coding.api import code, iter_codes
    from copanalysis.io.parquet import write_codes_parquet

    stories = pd.DataFrame(
        {
            "story_id": [f"s{i}" for i in range(6)],
            "practice": ["We shared our experiences. I applied the new template."] * 6,
        }
    )
    batches = iter_codes(
        stories, "value_cycles", coder="rules", min_confidence=0.3, batch_size=2, progress=False
    )
    back = load_frame(write_codes_parquet(batches, tmp_path / "codes.parquet"))
    whole = code(stories, "value_cycles", coder="rules", min_confidence=0.3, progress=False)
    kept = {k: back.attrs[k] for k in ("min_confidence", "abstained", "coded_units")}
    assert kept == {"min_confidence": 0.3, "abstained": 6, "coded_units": 12}
    assert kept == {k: whole.attrs[k] for k in kept}


def test_write_codes_parquet_refuses_a_bad_batch_and_writes_nothing(tmp_path):
    from copanalysis.errors import SchemaError
    from copanalysis.io.parquet import write_codes_parquet
    from copanalysis.schema import empty

    target = tmp_path / "codes.parquet"
    with pytest.raises(SchemaError):
        write_codes_parquet([empty("codes"), pd.DataFrame({"code": ["x"]})], target)
    assert list(tmp_path.iterdir()) == []
    write_codes_parquet([], target)
    assert len(load_frame(target)) == 0 and list(load_frame(target).columns) == list(
        empty("codes").columns
    )
