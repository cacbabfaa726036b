"""Tests for copanalysis.codebooks.codebook: the built-ins, the Codebook value, its formats."""

from __future__ import annotations

import csv
import dataclasses
import re
import textwrap
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from copanalysis import schema
from copanalysis.codebooks import Code, Codebook, list_codebooks
from copanalysis.errors import CodebookError
from copanalysis.io.codebooks import load_codebook, read_codebook, write_codebook

COUNTS = {
    "value_cycles": 13,
    "strategic_grid": 4,
    "leadership_roles": 12,
    "member_types": 8,
    "enablers_challenges": 22,
}
OKABE_ITO = {"#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7"}
THEMES = [
    "TIME",
    "RESOURCES",
    "TECH",
    "SPACE",
    "COORD",
    "SPONSOR",
    "STRATEGY",
    "HIERARCHY",
    "MANDATE",
    "RECOG",
    "EVIDENCE",
    "CORE",
    "TIES",
    "TRUST",
    "IDENTITY",
    "MOTIV",
    "RELEVANCE",
    "FACIL",
    "BOUNDARY",
    "DOC",
    "RIGID",
    "CONTEXT",
]


# --- the built-in codebooks -------------------------------------------------------------


def test_list_codebooks_names_the_five_built_ins():
    assert list_codebooks() == list(COUNTS)


@pytest.mark.parametrize("name", list(COUNTS))
def test_built_in_loads_with_complete_codes(name):
    book = load_codebook(name)
    assert book.name == name
    assert len(book) == COUNTS[name]
    assert book.version and book.title and book.description
    assert any("Wenger" in s for s in book.sources)
    colors = [c.color for c in book]
    assert all(re.fullmatch(r"#[0-9A-F]{6}", c) for c in colors)
    assert len(set(colors)) == len(colors)  # unique within the codebook
    examples = [e for c in book for e in c.examples]
    assert len(set(examples)) == len(examples)
    for code in book:
        assert code.label and code.description and code.include and code.exclude, code.code
        assert len(code.examples) >= 8, code.code
        assert code.cues and code.fields, code.code
        assert all(cue == cue.lower() for cue in code.cues), code.code
        assert len(set(code.cues)) == len(code.cues), code.code
        low, high = (15, 40) if name == "value_cycles" else (8, 20)
        assert low <= len(code.cues) <= high, (code.code, len(code.cues))


def test_value_cycles_codes_hierarchy_and_priors():
    book = load_codebook("value_cycles")
    assert book.ident == "value_cycles@2011.3"
    assert [c.code for c in book.roots()] == [
        "immediate",
        "potential",
        "applied",
        "realized",
        "reframing",
        "orienting",
        "enabling",
        "strategic",
    ]
    assert [c.code for c in book.children("potential")] == [
        "potential_human",
        "potential_social",
        "potential_tangible",
        "potential_reputational",
        "potential_learning",
    ]
    priors = {
        "activities": {"immediate", "enabling"},
        "insights": {"potential"},
        "practice": {"applied"},
        "development": {"potential_human", "reframing"},
        "organization": {"realized", "strategic"},
    }
    for field, codes in priors.items():
        assert codes <= {c.code for c in book if field in c.fields}, field
    sources = " ".join(book.sources)
    assert "Trayner" in sources and "de Laat" in sources and "2020" in sources
    for cue in ("waste of time", "not useful", "nothing new", "no time"):
        assert cue in book.polarity["negative"]


def test_value_cycles_colours_okabe_ito_with_lighter_sub_codes():
    book = load_codebook("value_cycles")
    colors = book.colors()
    main = [colors[c.code] for c in book.roots()]
    assert set(main[:7]) == OKABE_ITO  # the eighth, strategic, is Okabe-Ito's grey variant
    assert colors["strategic"] == "#999999"

    def lightness(hex_color: str) -> int:
        return sum(int(hex_color[i : i + 2], 16) for i in (1, 3, 5))

    tints = [colors[c.code] for c in book.children("potential")]
    assert all(lightness(t) > lightness(colors["potential"]) for t in tints)
    assert lightness(tints[0]) < lightness(tints[-1])


def test_worksheet_codebooks_match_the_seed_labels():
    roles = load_codebook("leadership_roles")
    assert [c.label for c in roles] == list(schema.ROLES)
    assert [c.code for c in roles][:3] == ["coordination", "event_facilitation", "inquiry"]
    assert [roles.resolve(label) for label in schema.ROLES] == [c.code for c in roles]
    assert roles.resolve("Generations \u2013 newcomers/alum's") == "generations"  # as in seed
    members = load_codebook("member_types")
    assert [c.label for c in members] == list(schema.MEMBER_TYPES)
    assert members.resolve("Peripheral member") == "peripheral_member"
    grid = load_codebook("strategic_grid")
    assert [c.code for c in grid] == [
        "members_short",
        "members_long",
        "organization_short",
        "organization_long",
    ]
    assert "access to expertise" in grid["members_short"].cues
    assert "reduce cost" in grid["organization_short"].cues


def test_enablers_challenges_themes_and_polarity():
    book = load_codebook("enablers_challenges")
    assert [c.code for c in book] == THEMES
    assert "protected time" in book["TIME"].cues and "workload" in book["TIME"].cues
    for cue in ("thanks to", "help", "make it possible", "support"):
        assert cue in book.polarity["positive"]
    for cue in ("lack of", "no", "hard to", "barrier", "need more", "too few"):
        assert cue in book.polarity["negative"]
    assert any("Probst" in s for s in book.sources)


def test_cues_stay_distinct_after_lemmatizing():
    spacy = pytest.importorskip("spacy")
    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    for name in list_codebooks():
        for code in load_codebook(name):
            lemmas = Counter(" ".join(t.lemma_.lower() for t in nlp(q)) for q in code.cues)
            assert max(lemmas.values()) == 1, (name, code.code, lemmas.most_common(2))


def test_built_ins_are_cached_and_hashable():
    book = load_codebook("value_cycles")
    assert load_codebook("value_cycles") is book
    assert load_codebook(book) is book
    assert {book: 1}[load_codebook("value_cycles")] == 1
    assert hash(book) == hash(dataclasses.replace(book, polarity={}))
    assert isinstance(book.codes, tuple) and isinstance(book.codes[0].cues, tuple)


# --- look-ups and hierarchy -------------------------------------------------------------


def test_a_codebook_deep_copies_after_look_ups_so_coders_clone():
    import copy

    from sklearn.base import clone

    from copanalysis.coding import RuleCoder

    book = load_codebook("value_cycles")
    assert book["potential"].code == "potential"  # caches the look-up tables
    assert copy.deepcopy(book) is book
    assert clone(RuleCoder(book)).codebook is book


def test_resolve_accepts_ids_aliases_and_labels():
    book = load_codebook("value_cycles")
    assert book.resolve("transformative") == "reframing"
    assert book.resolve("Transformative value") == "reframing"
    assert book.resolve(" Applied ") == "applied"
    assert book.resolve("realized value") == "realized"
    assert book["transformative"].code == "reframing"
    assert "transformative" in book and "nonsense" not in book


def test_resolve_reads_british_spelling_and_a_qda_tools_code_paths():
    """Trial 34: a MAXQDA team's "Realised value" and "Potential value\\knowledge capital"
    were read as no code, and left out of every figure without a word."""
    book = load_codebook("value_cycles")
    assert book.resolve("Realised value") == "realized"
    assert book.resolve("Potential value\\Human capital") == "potential_human"  # MAXQDA
    assert book.resolve("Potential value > Social capital") == "potential_social"
    assert book.resolve("Potential value::knowledge capital") == "potential"  # the parent
    assert book.resolve("Cycles/Applied value") == "applied"
    with pytest.raises(CodebookError):
        book.resolve("Challenges\\Language")
    grid = load_codebook("strategic_grid")
    assert all(grid.resolve(c.label.replace("iz", "is")) == c.code for c in grid.codes)


def test_resolve_unknown_lists_valid_codes():
    with pytest.raises(CodebookError) as info:
        load_codebook("value_cycles").resolve("aplied")
    message = str(info.value)
    assert "value_cycles@2011.3" in message and "'aplied'" in message
    assert "did you mean 'applied'" in message and "immediate, potential" in message


def test_hierarchy_helpers():
    book = load_codebook("value_cycles")
    assert book.parent_of("potential_social").code == "potential"
    assert book.parent_of("applied") is None
    assert book.path("potential_human") == "potential/human"
    assert book.path("applied") == "applied"
    assert book.children("applied") == ()
    assert [c.code for c in book.descendants("potential")][-1] == "potential_learning"
    assert list(book.codes_by_id)[:3] == ["immediate", "potential", "potential_human"]
    with pytest.raises(TypeError):
        book.codes_by_id["x"] = Code("x", "X")  # type: ignore[index]


def test_nested_path_and_descendants_three_levels_deep():
    book = Codebook(
        "deep",
        "1",
        (
            Code("a", "A"),
            Code("a_b", "B", parent="a"),
            Code("c", "C", parent="a_b"),
            Code("d", "D"),
        ),
    )
    assert book.path("c") == "a/b/c"
    assert [c.code for c in book.descendants("a")] == ["a_b", "c"]
    assert [c.code for c in book.roots()] == ["a", "d"]


def test_code_and_codebook_coerce_lists_to_tuples():
    code = Code("x", "X", cues=["learn", "share experience"], aliases="y")
    assert code.cues == ("learn", "share experience") and code.aliases == ("y",)
    book = Codebook("b", 2, [code], sources=["S"], polarity={"negative": ["not"]})
    assert book.version == "2" and book.codes == (code,)
    assert book.polarity == {"negative": ("not",)}


@pytest.mark.parametrize(
    ("codes", "field", "problem"),
    [
        ((Code("a", "A"), Code("a", "A again")), "code", "duplicate code 'a'"),
        ((Code("b", "B", parent="a"), Code("a", "A")), "parent", "comes after its child"),
        ((Code("b", "B", parent="zz"),), "parent", "'zz' is not a code"),
        ((Code("a", "A"), Code("b", "B", aliases=("A",))), "aliases", "already names code 'a'"),
    ],
)
def test_codebook_value_rejects_bad_structure(codes, field, problem):
    with pytest.raises(CodebookError) as info:
        Codebook("mine", "1", codes)
    message = str(info.value)
    assert "codebook 'mine'" in message and f"field {field!r}" in message and problem in message


# --- frames -----------------------------------------------------------------------------


def test_to_frame_is_a_valid_codebook_frame():
    book = load_codebook("value_cycles")
    frame = book.to_frame()
    schema.validate(frame, "codebook")
    assert list(frame.columns) == [
        *schema.FRAMES["codebook"].columns,
        "fields",
        "aliases",
        "codable",
    ]
    assert len(frame) == 13 and frame["code"].is_unique
    assert frame["parent"].isna().sum() == 8
    assert frame.set_index("code").loc["potential_tangible", "parent"] == "potential"
    applied = frame.set_index("code").loc["applied"]
    assert applied["cues"].startswith("apply | use | try")
    assert applied["examples"].split(" | ")[0] == book["applied"].examples[0]
    assert frame.set_index("code").loc["reframing", "aliases"] == (
        "transformative | transformative value"
    )


@pytest.mark.parametrize("name", list(COUNTS))
def test_frame_round_trip(name):
    book = load_codebook(name)
    again = Codebook.from_frame(
        book.to_frame(),
        name=book.name,
        version=book.version,
        title=book.title,
        description=book.description,
        sources=book.sources,
        polarity=book.polarity,
    )
    assert again == book


def test_from_frame_names_row_and_column():
    frame = pd.DataFrame({"code": ["a", "b"], "label": ["A", "B"], "color": ["#112233", "red"]})
    with pytest.raises(CodebookError, match=r"row 1, code 'b', field 'color': bad colour 'red'"):
        Codebook.from_frame(frame, name="mine", version="1")
    minimal = Codebook.from_frame(frame.iloc[:1], name="mine", version="1")
    assert minimal.codes == (Code("a", "A", color="#112233"),)


# --- CSV --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(COUNTS))
def test_csv_round_trip(tmp_path, name):
    book = load_codebook(name)
    path = write_codebook(book, tmp_path / f"{name}.csv")
    again = read_codebook(path, name=book.name, version=book.version)
    assert again.codes == book.codes
    assert (
        dataclasses.replace(
            again,
            title=book.title,
            description=book.description,
            sources=book.sources,
            polarity=book.polarity,
        )
        == book
    )
    assert load_codebook(path).codes == book.codes  # load_codebook reads .csv too


def test_csv_layout_starts_with_taguette_columns(tmp_path):
    path = write_codebook(load_codebook("value_cycles"), tmp_path / "cycles.csv")
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0])[:3] == ["tag", "description", "parent"]
    by_code = {row["code"]: row for row in rows}
    assert by_code["potential_human"]["tag"] == "potential/human"
    assert by_code["potential_human"]["parent"] == "potential"
    assert by_code["immediate"]["parent"] == ""
    assert by_code["reframing"]["aliases"] == "transformative | transformative value"


def test_csv_from_taguette_export(tmp_path):
    path = tmp_path / "taguette.csv"
    path.write_text(
        "tag,parent,description,number of highlights\n"
        "Potential value,,Knowledge for later,12\n"
        "Potential value/Human capital,Potential value,Skills and confidence,3\n"
        "applied,,Put to use,7\n",
        encoding="utf-8",
    )
    book = read_codebook(path)
    assert book.name == "taguette" and book.version == "1"
    assert [(c.code, c.label, c.parent) for c in book] == [
        ("potential_value", "Potential value", None),
        ("potential_value_human_capital", "Human capital", "potential_value"),
        ("applied", "applied", None),
    ]
    assert book["applied"].description == "Put to use"
    assert book.path("potential_value_human_capital") == "potential_value/human_capital"


def test_csv_path_column_without_parent_infers_hierarchy(tmp_path):
    path = tmp_path / "paths.csv"
    path.write_text("path,description\nroot,R\nroot/leaf,L\n", encoding="utf-8")
    book = read_codebook(path, name="p", version="2")
    assert [(c.code, c.parent) for c in book] == [("root", None), ("root_leaf", "root")]


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("tag,name\na,b\n", "exactly one of the columns 'tag', 'name', 'path'"),
        ("description\nx\n", "exactly one of the columns"),
        ("tag,colur\na,#000000\n", "row 1, column 'colur': unknown column 'colur'"),
        ("tag,color\na,blue\n", "row 2: code 'a', field 'color': bad colour 'blue'"),
        ("tag,description\n,x\n", "row 2, column 'tag': empty code path"),
        ("tag,parent\nb,zz\n", "row 2: code 'b', field 'parent': parent 'zz' is not a code"),
        ("tag\na\na\n", "row 3: code 'a', field 'code': duplicate code 'a'"),
        ("tag\n", "no codes"),
    ],
)
def test_bad_csv_names_file_row_and_column(tmp_path, text, where):
    path = tmp_path / "bad.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CodebookError) as info:
        read_codebook(path)
    assert str(path) in str(info.value) and where in str(info.value)


# --- YAML -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(COUNTS))
def test_yaml_round_trip(tmp_path, name):
    book = load_codebook(name)
    path = write_codebook(book, tmp_path / f"{name}.yaml")
    assert load_codebook(path) == book
    assert load_codebook(str(path)) == book


def test_user_yaml_minimal_defaults(tmp_path):
    path = tmp_path / "my_codes.yml"
    path.write_text(
        textwrap.dedent(
            """
            codes:
              - code: trust
                label: Trust
                cues: [trust, rely on]
              - code: trust_peers
                parent: trust
                label: Trust in peers
                cues: [trust colleague]
                color: "#aabbcc"
              - code: group
                label: A grouping code
                codable: false
            """
        ),
        encoding="utf-8",
    )
    book = load_codebook(path)
    assert book.ident == "my_codes@1"
    assert book["trust_peers"].color == "#AABBCC" and book["trust"].color == "#777777"
    assert book["group"].codable is False and book["group"].cues == ()


def test_yaml_token_patterns_load_hash_and_round_trip(tmp_path):
    path = tmp_path / "peer.yaml"
    path.write_text(
        textwrap.dedent(
            """
            name: peer
            version: "1"
            codes:
              - code: review
                label: Peer review
                patterns:
                  - [{LOWER: peer}, {LEMMA: review}]
                  - [{LOWER: {IN: [critical, candid]}}, {LOWER: friend}]
              - code: learn
                label: Learning
                cues: [learn]
            """
        ),
        encoding="utf-8",
    )
    book = load_codebook(path)
    assert book["review"].cues == ()  # a pattern is enough for a codable code
    assert book["review"].patterns == (
        ({"LOWER": "peer"}, {"LEMMA": "review"}),
        ({"LOWER": {"IN": ["critical", "candid"]}}, {"LOWER": "friend"}),
    )
    assert hash(book) == hash(load_codebook(path))
    assert load_codebook(write_codebook(book, tmp_path / "copy.yaml")) == book
    assert "patterns" not in book.to_dict()["codes"][1]


GOOD_CODE = "  - code: learn\n    label: Learning\n    cues: [learn]\n"


@pytest.mark.parametrize(
    ("codes", "code", "field", "problem"),
    [
        (
            "  - code: a\n    label: A\n    cues: [x]\n    colour: '#000000'\n",
            "a",
            "colour",
            "unknown field (did you mean 'color'?)",
        ),
        ("  - code: a\n    cues: [x]\n", "a", "label", "missing label"),
        (GOOD_CODE + GOOD_CODE, "learn", "code", "duplicate code 'learn'"),
        (
            "  - code: b\n    label: B\n    parent: nope\n    cues: [x]\n",
            "b",
            "parent",
            "parent 'nope' is not a code",
        ),
        (
            "  - code: b\n    label: B\n    parent: learn\n    cues: [x]\n" + GOOD_CODE,
            "b",
            "parent",
            "comes after its child",
        ),
        (
            "  - code: a\n    label: A\n    cues: [x]\n    color: '#12345'\n",
            "a",
            "color",
            "bad colour '#12345'",
        ),
        (
            "  - code: a\n    label: A\n    cues: [x]\n    color: blue\n",
            "a",
            "color",
            "bad colour 'blue'",
        ),
        (
            "  - code: a\n    label: A\n    cues: [learn, 3]\n",
            "a",
            "cues",
            "item 1 is 3 (int); expected a string",
        ),
        ("  - code: a\n    label: A\n    cues: [learn, no]\n", "a", "cues", "quote the word"),
        (
            "  - code: a\n    label: A\n    cues: []\n",
            "a",
            "cues",
            "a codable code needs at least one cue",
        ),
        ("  - code: a\n    label: A\n", "a", "cues", "a codable code needs at least one cue"),
        (
            "  - code: a\n    label: A\n    cues: learn\n",
            "a",
            "cues",
            "expected a list of strings",
        ),
        ("  - code: a\n    label: A\n    cues: ['learn | use']\n", "a", "cues", "contains '|'"),
        (
            "  - code: a\n    label: A\n    cues: [x]\n    codable: maybe\n",
            "a",
            "codable",
            "expected true or false",
        ),
        ("  - code: 2a\n    label: A\n    cues: [x]\n", "2a", "code", "bad identifier"),
        ("  - label: A\n    cues: [x]\n", "#1", "code", "missing identifier"),
        (
            "  - code: a\n    label: A\n    patterns: [{LOWER: peer}]\n",
            "a",
            "patterns",
            "pattern 0 is {'LOWER': 'peer'}; expected a list of spaCy token patterns",
        ),
        (
            "  - code: a\n    label: A\n    patterns: [[]]\n",
            "a",
            "patterns",
            "pattern 0 is []",
        ),
        (
            GOOD_CODE + "  - code: b\n    label: B\n    cues: [x]\n    aliases: [Learn]\n",
            "b",
            "aliases",
            "alias 'Learn' already names code 'learn'",
        ),
    ],
)
def test_bad_yaml_names_file_code_and_field(tmp_path, codes, code, field, problem):
    path = tmp_path / "broken.yaml"
    path.write_text(f"name: broken\nversion: '1'\ncodes:\n{codes}", encoding="utf-8")
    with pytest.raises(CodebookError) as info:
        load_codebook(path)
    message = str(info.value)
    assert message.startswith(str(path)), message
    code_part = f"code {code}" if code.startswith("#") else f"code {code!r}"
    assert f"{code_part}, field {field!r}" in message, message
    assert problem in message, message


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("name: x\ncodes: [\n", "not valid YAML at line"),
        ("- just\n- a list\n", "expected a mapping"),
        (
            "name: x\ncode:\n  - code: a\n",
            "unknown top-level field 'code' (did you mean 'codes'?)",
        ),
        ("name: x\nversion: 1.10\ncodes: []\n", "quote it"),
        ("name: x\ncodes: []\n", "field 'codes': expected a non-empty list"),
        (
            "name: x\nsources: Wenger\ncodes: [{code: a, label: A, cues: [x]}]\n",
            "field 'sources': expected a list",
        ),
        (
            "name: x\npolarity: {plus: [a]}\ncodes: [{code: a, label: A, cues: [x]}]\n",
            "unknown key 'plus'",
        ),
        ("name: x\ncodes: [just-a-string]\n", "code #1: expected a mapping"),
    ],
)
def test_bad_yaml_document_names_file(tmp_path, text, problem):
    path = tmp_path / "doc.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CodebookError) as info:
        load_codebook(path)
    assert str(path) in str(info.value) and problem in str(info.value)


def test_unknown_name_missing_file_and_wrong_type(tmp_path):
    with pytest.raises(CodebookError, match="did you mean 'value_cycles'.*leadership_roles"):
        load_codebook("value_cycle")
    missing = tmp_path / "nowhere.yaml"
    with pytest.raises(CodebookError, match="nowhere.yaml: no such codebook file"):
        load_codebook(missing)
    other = tmp_path / "codes.txt"
    other.write_text("x", encoding="utf-8")
    with pytest.raises(CodebookError, match=r"codes.txt: unsupported codebook file type '.txt'"):
        load_codebook(other)
    with pytest.raises(CodebookError, match="expected a codebook name"):
        load_codebook(42)  # type: ignore[arg-type]


def test_missing_files_and_bad_suffixes_are_named(tmp_path):
    with pytest.raises(CodebookError, match=r"gone\.csv: no such codebook file"):
        load_codebook(tmp_path / "gone.csv")
    with pytest.raises(CodebookError, match=r"gone\.csv: no such codebook file"):
        read_codebook(tmp_path / "gone.csv")
    # the file type is checked before the disk is: a .txt is refused, present or not
    with pytest.raises(CodebookError, match=r"gone\.txt: unsupported codebook file type"):
        load_codebook(tmp_path / "gone.txt")
    with pytest.raises(CodebookError, match=r"folder: unsupported codebook file type ''"):
        load_codebook(tmp_path / "folder")
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("name: réflexion\n".encode("latin-1"))
    with pytest.raises(CodebookError, match=r"latin\.yaml: not UTF-8 text"):
        load_codebook(latin)


# --- files go through copanalysis.io ----------------------------------------------------


def test_files_are_read_and_written_by_io_codebooks(tmp_path, monkeypatch):
    import copanalysis.io.codebooks as io_codebooks

    calls: list[tuple[str, str]] = []
    for name in ("_read_rows", "_read_text", "_write_rows", "_write_text"):
        real = getattr(io_codebooks, name)
        monkeypatch.setattr(
            io_codebooks,
            name,
            lambda path, *data, _real=real, _name=name: (
                calls.append((_name, Path(path).name)) or _real(path, *data)
            ),
        )
    book = load_codebook("value_cycles")
    assert load_codebook(write_codebook(book, tmp_path / "c.yaml")) == book
    again = read_codebook(write_codebook(book, tmp_path / "c.csv"), version=book.version)
    assert again.codes == book.codes
    assert load_codebook(tmp_path / "c.csv").codes == book.codes
    assert calls == [
        ("_write_text", "c.yaml"),
        ("_read_text", "c.yaml"),
        ("_write_rows", "c.csv"),
        ("_read_rows", "c.csv"),
        ("_read_rows", "c.csv"),
    ]


@pytest.mark.parametrize("suffix", ["csv", "yaml"])
def test_writing_a_codebook_into_data_raw_is_refused(tmp_path, suffix):
    from copanalysis.errors import CopanalysisError

    raw = tmp_path / "study" / "data" / "raw"
    raw.mkdir(parents=True)
    target = raw / f"cycles.{suffix}"
    with pytest.raises(CopanalysisError, match=r"cycles\.\w+: refusing to write inside data/raw"):
        write_codebook(load_codebook("value_cycles"), target)
    assert list(raw.iterdir()) == []


def test_writers_replace_an_old_file_and_create_folders(tmp_path):
    book = load_codebook("value_cycles")
    path = tmp_path / "out" / "codebooks" / "cycles.yaml"
    path.parent.mkdir(parents=True)
    path.write_text("old", encoding="utf-8")
    assert write_codebook(book, path) == path
    assert load_codebook(path) == book
    csv_path = write_codebook(book, tmp_path / "new" / "cycles.csv")
    assert csv_path.read_text(encoding="utf-8").startswith("tag,description,parent,code,")
    assert sorted(p.name for p in path.parent.iterdir()) == ["cycles.yaml"]


def test_codebook_module_leaves_the_disk_to_io():
    import ast

    import copanalysis.codebooks.codebook as module

    disk = {"open", "read_text", "write_text", "read_bytes", "write_bytes", "exists", "mkdir"}
    found = []
    for function in ast.walk(ast.parse(Path(module.__file__).read_text(encoding="utf-8"))):
        if not isinstance(function, ast.FunctionDef):
            continue
        for node in ast.walk(function):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "attr", getattr(node.func, "id", None))
                if name in disk:
                    found.append((function.name, name))
    # the reads left are package data, not a user's file: the built-in YAML and the
    # built-in training corpora
    assert found == [("_load_built_in", "read_text"), ("_training_corpus", "open")]


def test_import_does_not_load_yaml_or_spacy():
    import subprocess
    import sys

    code = (
        "import sys, copanalysis.codebooks.codebook; "
        "print(sorted(m for m in ('yaml', 'spacy', 'sklearn', 'matplotlib') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=Path.cwd()
    )
    assert out.stdout.strip() == "[]"


def test_a_near_miss_of_a_text_field_is_refused_and_a_field_of_ones_own_is_kept():
    with pytest.raises(
        CodebookError, match=r"code 'a', field 'fields': no text field 'insigths' "
    ):
        Codebook("x", "1", (Code("a", "A", cues=("x",), fields=("insigths",)),))
    book = Codebook("x", "1", (Code("a", "A", cues=("x",), fields=("my_column", "insights")),))
    assert book["a"].fields == ("my_column", "insights")
