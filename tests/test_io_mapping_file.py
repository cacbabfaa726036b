"""A study folder's mapping.yaml: naming the columns without Python (trial 19: 'check'
said to pass mapping= in Python, but run, report and load_corpus had none; two real
respondents were skipped because their only answer sat in an unmatched column)."""

from __future__ import annotations

import pytest

from copanalysis.cli import main
from copanalysis.errors import FileFormatError, MissingColumnError
from copanalysis.io import check_study, load_corpus
from copanalysis.io.mapping_file import read_mapping

ACTIVITY = "What network activity was most meaningful to you this season?"


def _study(tmp_path):
    study = tmp_path / "study"
    (study / "stories").mkdir(parents=True)
    (study / "stories" / "wave1.csv").write_text(
        f'Timestamp,District,"{ACTIVITY}",What specific insights did you gain?\n'
        "2024-04-04,Kisumu,The field day at Kibos on push-pull.,Push-pull keeps stemborers off.\n"
        "2024-04-05,Siaya,The WhatsApp group on fall armyworm.,\n",
        encoding="utf-8",
    )
    (study / "stories" / "wave2.csv").write_text(
        "Timestamp,District,What specific insights did you gain?\n"
        "2025-04-04,Kisumu,Drip lines need flushing every week.\n",
        encoding="utf-8",
    )
    return study


def test_the_folders_mapping_yaml_is_read_by_load_corpus_check_and_the_command_line(
    tmp_path, capsys
):
    study = _study(tmp_path)
    # without a mapping the activity column is kept, not read: the second respondent,
    # whose only answer is there, is skipped
    bare = load_corpus(study, progress=False)
    assert len(bare.stories) == 2
    (study / "mapping.yaml").write_text(
        f'stories:\n  "{ACTIVITY}": activities\n  District: community\n', encoding="utf-8"
    )
    mapped = load_corpus(study, progress=False)
    assert len(mapped.stories) == 3
    assert mapped.stories["activities"].dropna().tolist() == [
        "The field day at Kibos on push-pull.",
        "The WhatsApp group on fall armyworm.",
    ]
    assert sorted(set(mapped.stories["community"])) == ["Kisumu", "Siaya"]
    # check loads each file alone: wave2.csv has no activity column, and that is no error
    checked = check_study(study)
    assert not checked.failed
    assert main(["check", str(study)]) == 0
    out = capsys.readouterr().out
    assert f"{ACTIVITY} -> activities" in out
    # a mapping elsewhere, named on the command line, is read instead
    (study / "mapping.yaml").unlink()
    elsewhere = tmp_path / "columns.yaml"
    elsewhere.write_text(f'stories:\n  "{ACTIVITY}": activities\n', encoding="utf-8")
    assert main(["check", str(study), "--mapping", str(elsewhere)]) == 0
    assert len(load_corpus(study, progress=False, mapping=elsewhere).stories) == 3


def test_a_wrong_mapping_file_names_the_file_and_what_it_expected(tmp_path, capsys):
    study = _study(tmp_path)
    (study / "mapping.yaml").write_text("roles:\n  Role: role\n", encoding="utf-8")
    with pytest.raises(FileFormatError, match=r"mapping\.yaml: expected blocks named stories"):
        load_corpus(study, progress=False)
    assert main(["check", str(study)]) == 3
    assert "mapping.yaml: expected blocks named stories and lists" in capsys.readouterr().out
    (study / "mapping.yaml").write_text('stories:\n  "No such column": story\n')
    with pytest.raises(MissingColumnError, match="'No such column', found in no file"):
        load_corpus(study, progress=False)
    # a misspelt column: check names the mapping file and the column meant (trial 27: it
    # said "could not be read: stories/stories")
    misspelt = ACTIVITY.replace("activity", "actvity")
    (study / "mapping.yaml").write_text(f'stories:\n  "{misspelt}": activities\n')
    capsys.readouterr()
    assert main(["check", str(study)]) == 3
    out = capsys.readouterr().out
    assert (
        f"{study / 'mapping.yaml'}: stories: mapping names column(s) {misspelt!r} (did you "
        f"mean {ACTIVITY!r}?), found in no file"
    ) in out
    assert "could not be read: mapping/mapping.yaml" in out
    bad = tmp_path / "bad.yaml"
    bad.write_text("stories: [unclosed\n")
    with pytest.raises(FileFormatError, match=r"bad\.yaml, row 2: not valid YAML"):
        read_mapping(bad)
