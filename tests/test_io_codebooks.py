"""Tests for copanalysis.io.codebooks: the CSV rows and YAML text of codebook files (the
primitives under read_codebook and write_codebook)."""

from __future__ import annotations

import pytest

from copanalysis.errors import CodebookError, CopanalysisError
from copanalysis.io.codebooks import _read_rows as read_codebook_csv
from copanalysis.io.codebooks import _read_text as read_codebook_yaml
from copanalysis.io.codebooks import _write_rows as write_codebook_csv
from copanalysis.io.codebooks import _write_text as write_codebook_yaml

COLUMNS = ["tag", "description", "cues"]
ROWS = [
    ["potential", 'Knowledge "for later", kept', "learn | realise"],
    ["potential/human", "Skills\nand confidence", "skill"],
    ["réflexion", "Über Ideen nachdenken", ""],
]


def test_csv_round_trip_keeps_quotes_commas_line_breaks_and_accents(tmp_path):
    path = write_codebook_csv(tmp_path / "codes.csv", COLUMNS, ROWS)
    assert path == tmp_path / "codes.csv"
    assert read_codebook_csv(path) == [COLUMNS, *ROWS]
    data = path.read_bytes()
    assert data.startswith(b"tag,description,cues\r\n")  # csv's standard line ends
    assert "réflexion".encode() in data  # UTF-8, no byte-order mark
    assert not data.startswith(b"\xef\xbb\xbf")
    assert list(tmp_path.iterdir()) == [path]  # no temporary file left behind


def test_csv_writer_takes_any_cells_and_iterables(tmp_path):
    path = write_codebook_csv(tmp_path / "n.csv", ("code", "count"), (r for r in [("a", 3)]))
    assert read_codebook_csv(path) == [["code", "count"], ["a", "3"]]


def test_csv_reader_drops_a_byte_order_mark_and_keeps_empty_lines(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes(b"\xef\xbb\xbftag,parent\r\nroot,\r\n\r\nroot/leaf,root\r\n")
    assert read_codebook_csv(path) == [["tag", "parent"], ["root", ""], [], ["root/leaf", "root"]]


def test_csv_reader_names_the_file_it_cannot_read(tmp_path):
    missing = tmp_path / "nowhere.csv"
    with pytest.raises(CodebookError, match=r"nowhere\.csv: no such codebook file") as info:
        read_codebook_csv(missing)
    assert info.value.path == str(missing)
    latin = tmp_path / "latin.csv"
    latin.write_bytes("tag\nréflexion\n".encode("latin-1"))
    with pytest.raises(CodebookError, match=r"latin\.csv: not a readable UTF-8 CSV file"):
        read_codebook_csv(latin)


def test_yaml_round_trip_and_parent_folders_created(tmp_path):
    text = "name: mine\nversion: '1'\ncodes:\n  - code: a\n    label: Éclairage\n"
    path = write_codebook_yaml(tmp_path / "books" / "new" / "mine.yaml", text)
    assert path.parent.is_dir()
    assert read_codebook_yaml(path) == text
    assert path.read_bytes() == text.encode("utf-8")


def test_yaml_reader_drops_a_byte_order_mark(tmp_path):
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbfname: x\n")
    assert read_codebook_yaml(path) == "name: x\n"


def test_yaml_reader_names_the_file_it_cannot_read(tmp_path):
    with pytest.raises(CodebookError, match=r"gone\.yaml: no such codebook file"):
        read_codebook_yaml(tmp_path / "gone.yaml")
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("name: réflexion\n".encode("latin-1"))
    with pytest.raises(CodebookError, match=r"latin\.yaml: not UTF-8 text"):
        read_codebook_yaml(latin)


@pytest.mark.parametrize(
    ("write", "name"),
    [
        (lambda path: write_codebook_csv(path, COLUMNS, ROWS), "codes.csv"),
        (lambda path: write_codebook_yaml(path, "name: x\n"), "codes.yaml"),
    ],
)
def test_writers_refuse_data_raw(tmp_path, write, name):
    raw = tmp_path / "study" / "data" / "raw"
    with pytest.raises(CopanalysisError, match=r"refusing to write inside data/raw") as info:
        write(raw / name)
    assert info.value.path == str(raw / name)
    assert not (tmp_path / "study").exists()  # refused before any folder is made


def test_failed_csv_write_keeps_the_old_file(tmp_path):
    class Broken:
        def __str__(self) -> str:
            raise RuntimeError("cell cannot be written")

    path = write_codebook_csv(tmp_path / "codes.csv", COLUMNS, ROWS)
    before = path.read_bytes()
    with pytest.raises(RuntimeError, match="cell cannot be written"):
        write_codebook_csv(path, COLUMNS, [["a", "b", "c"], ["d", Broken(), "f"]])
    assert path.read_bytes() == before
    assert list(tmp_path.iterdir()) == [path]
