"""The notebooks on a study folder that lacks the optional sub-folders (trial 33).

The README says any sub-folder but ``stories/`` may be missing; notebooks 01 and 04 stopped
on ``load_lists(DATA / "lists")``. Each notebook runs here with ``DATA`` pointed at a study
of stories only, and says what is missing instead of stopping.
"""

from __future__ import annotations

import pytest

SURVEY = (
    "Timestamp,Name of your community / network,Your name,"
    "What meaningful activities did you participate in?,What specific insights did you gain?\n"
    "2025/01/10 10:10:00,Harbour Engineers,Ana,We met every month and shared our experience,"
    "I learned how to read a drainage survey and now I use the checklist on every site\n"
)


def _run(repo_root, notebook: str, data, paths=None, *, shown: bool = False) -> list[str]:
    """Run ``notebook`` with ``DATA`` set to ``data`` (and each of ``paths``, the source of a
    parameter's path, to its path); the text each code cell printed (or, ``shown``, the
    plain text of the value it showed)."""
    import nbformat
    from nbclient import NotebookClient

    path = repo_root / "notebooks" / notebook
    book = nbformat.read(path, as_version=4)
    first = next(c for c in book.cells if c.cell_type == "code" and "DATA = " in c.source)
    for said, meant in {'Path("../data/raw")': data, **(paths or {})}.items():
        assert said in first.source, said
        first.source = first.source.replace(said, f"Path({str(meant)!r})")
    NotebookClient(book, timeout=600, resources={"metadata": {"path": str(path.parent)}}).execute()
    if shown:
        return [
            "".join(
                o.data.get("text/plain", "")
                for o in cell.get("outputs", [])
                if o.output_type == "execute_result"
            )
            for cell in book.cells
            if cell.cell_type == "code"
        ]
    return [
        "".join(o.get("text", "") for o in cell.get("outputs", []) if o.output_type == "stream")
        for cell in book.cells
        if cell.cell_type == "code"
    ]


@pytest.fixture
def stories_only(tmp_path):
    study = tmp_path / "ward-study"
    (study / "stories").mkdir(parents=True)
    (study / "stories" / "survey.csv").write_text(SURVEY, encoding="utf-8")
    return study


#: A practice question no prompt matches by its wording.
PRACTICE = "Back at the depot, what is different now?"


@pytest.fixture
def mapped_study(stories_only):
    """A survey whose practice question no prompt matches, mapped in the study folder's
    ``mapping.yaml`` as ``copanalysis check`` asks (trial 37)."""
    survey = stories_only / "stories" / "survey.csv"
    survey.write_text(
        SURVEY.replace("\n", f',"{PRACTICE}"\n', 1).replace(
            "on every site\n", "on every site,We now check every drain before the rains\n"
        ),
        encoding="utf-8",
    )
    (stories_only / "mapping.yaml").write_text(
        f'stories:\n  "{PRACTICE}": practice\n', encoding="utf-8"
    )
    return stories_only


@pytest.mark.slow
def test_notebooks_read_the_study_folders_mapping(repo_root, mapped_study):
    """Notebooks 01-05 loaded each sub-folder on its own and left ``mapping.yaml`` unread:
    a column `check` and `run` read as the practice prompt was empty in every chart."""
    printed = _run(repo_root, "01-load-stories.ipynb", mapped_study)
    assert f"    {PRACTICE} -> practice (100)\n" in printed[4]
    shown = _run(repo_root, "01-load-stories.ipynb", mapped_study, shown=True)
    answered = dict(line.split() for line in shown[3].splitlines()[:-1])
    assert (answered["activities"], answered["insights"], answered["practice"]) == ("1", "1", "1")
    codes = _run(repo_root, "02-code-stories.ipynb", mapped_study, shown=True)[1]
    assert "practice" in codes


@pytest.mark.slow
def test_notebook_01_names_the_missing_folders(repo_root, stories_only):
    printed = _run(repo_root, "01-load-stories.ipynb", stories_only)
    assert printed[-1] == "".join(
        f"No {folder}/ in {stories_only}: nothing to load from it.\n"
        for folder in ("lists", "roles", "grid")
    )


@pytest.mark.slow
def test_notebook_04_without_lists_counts_the_stories_and_says_so(repo_root, stories_only):
    printed = _run(repo_root, "04-theme-frequencies.ipynb", stories_only)
    assert printed[-2:] == [
        f"No lists/ in {stories_only}: no enablers or challenges to code.\n",
        f"No lists/ in {stories_only}: no themes to find.\n",
    ]
    # trial 46: tqdm.auto's pink "IProgress not found" warning, with ipywidgets missing
    assert not [text for text in printed if "TqdmWarning" in text]


@pytest.mark.slow
def test_notebook_05_without_roles_says_so(repo_root, stories_only):
    printed = _run(repo_root, "05-leadership-roles.ipynb", stories_only)
    assert printed[1:] == [
        f"No roles/ in {stories_only}: no leadership-role worksheets to chart.\n",
        f"No roles/ in {stories_only}: no answers on roles to code.\n",
        "",
    ]


@pytest.mark.slow
def test_notebook_06_without_human_codes_says_so(repo_root, stories_only):
    printed = _run(repo_root, "06-agreement-and-training.ipynb", stories_only)
    assert printed[1] == (
        f"No human codes of the value cycles in {stories_only / 'gold'}: the cells below "
        "measure agreement with them and train on them, so they say so and do nothing.\n"
    )
    assert printed[2].startswith("0 person(s) coded these stories")
    assert (
        printed[6]
        == f"No human codes in {stories_only / 'gold'} for the semantic coder to learn from.\n"
    )


@pytest.mark.slow
def test_notebook_07_without_human_codes_codes_every_story_and_says_so(
    repo_root, stories_only, tmp_path, monkeypatch
):
    """Notebook 07 stopped on ``value_counts().index[0]`` without gold/ (IndexError)."""
    from llm_chat_server import ChatServer, rule_answers

    server = ChatServer(rule_answers("value_cycles")).start()
    try:
        monkeypatch.setenv("COPANALYSIS_LLM_BASE_URL", server.url)
        monkeypatch.setenv("COPANALYSIS_LLM_MODEL", "scripted-rules")
        out = tmp_path / "processed"
        out.mkdir()
        paths = {'Path("../data/dev")': tmp_path / "no-dev", 'Path("../data/processed")': out}
        printed = _run(repo_root, "07-llm-coding.ipynb", stories_only, paths)
    finally:
        server.stop()
    missing = f"No human codes of the value cycles in {stories_only / 'gold'}"
    assert printed[1] == (
        f"{missing}: the model codes without worked examples, and the cells that measure it "
        "against a person say so and do nothing. Code a sample of the stories (gold/) to "
        "measure it.\n"
    )
    assert printed[3:6] == [
        f"{missing}: no worked examples, and no sample to code and compare.\n",
        f"{missing}: no agreement with a person to measure.\n",
        f"{missing}: no scores against a person to give.\n",
    ]
    assert printed[6].startswith(f"No development set at {tmp_path / 'no-dev'}")
    assert printed[7] == f"{missing}: no disagreements with a person to read.\n"
    assert len(server.requests) == 2  # the one story's two answers, coded once
    appendix = (out / "llm-appendix.md").read_text(encoding="utf-8")
    assert appendix.count("## survey-") == 2
