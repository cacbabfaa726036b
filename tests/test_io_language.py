"""Answers in another language than English are noted where they were loaded."""

from __future__ import annotations

import pytest

from copanalysis.io import check_study, load_roles, load_stories
from copanalysis.io.language import other_language


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("J'ai appris beaucoup sur les escarres.", "French"),
        ("Le manque de temps.", "French"),
        ("Aprendí mucho sobre las úlceras por presión con el grupo.", "Spanish"),
        ("Wir haben viel über die Wundversorgung gelernt.", "German"),
        ("We learned a lot about pressure sores from the other wards.", None),
        ("Le Mans trip, de-escalation training and a café meet-up.", None),  # English names
        ("Merci beaucoup", None),  # too short to tell
        # most letters in a script the English coders cannot read (was not noted at all)
        ("أشعر بثقة أكبر في عملي", "Arabic script"),
        ("Мы многому научились у коллег", "Cyrillic script"),
        ("We met at the café for a naïve coöperative chat.", None),  # Latin with accents
        # trial 42: Welsh, named Spanish by "ni", "un" and "mis" (4 of its 15 words)
        ("Rydym ni wedi dechrau defnyddio'r un ap ar ein harolygon ni ers mis Chwefror.", None),
    ],
)
def test_other_language_tells_a_text_by_its_function_words(text, language):
    assert other_language(text) == language


def test_the_script_of_an_english_answer_is_read_without_naming_its_letters(monkeypatch):
    # trial 41: naming every letter of 82,216 answers was half the language note's time; an
    # ASCII letter is Latin, so only the others are named
    import unicodedata

    named = []
    real = unicodedata.name

    def name(char, default=None):
        named.append(char)
        return real(char, default)

    monkeypatch.setattr(unicodedata, "name", name)
    assert other_language("We learned a lot about pressure sores from the other wards.") is None
    assert named == []
    assert other_language("We met at the café for a naïve coöperative chat.") is None
    assert named == ["é", "ï", "ö"]
    assert other_language("Мы многому научились у коллег") == "Cyrillic script"


def test_answers_in_another_language_are_noted_and_check_asks_for_a_look(tmp_path):
    study = tmp_path / "study"
    (study / "stories").mkdir(parents=True)
    (study / "stories" / "survey.csv").write_text(
        "Name,Insights,Practice\n"
        "Ana,We learned a lot about pressure sores.,We turn patients every two hours.\n"
        "Luc,J'ai appris beaucoup sur les escarres.,Nous utilisons la nouvelle grille.\n",
        encoding="utf-8",
    )
    stories = load_stories(study / "stories")
    (entry,) = stories.attrs["load_report"]["files"]
    assert entry["other_language"] == {"French": ["row 3 insights", "row 3 practice"]}
    assert entry["notes"][-1] == (
        "2 answers look written in French (row 3 insights; row 3 practice): the coders read "
        "English, so check their codes by hand"
    )
    (checked,) = check_study(study).files
    assert "2 answer(s) in French (listed above)" in checked.attention


def test_a_role_worksheets_answer_is_noted_once_under_its_aspect(tmp_path):
    (tmp_path / "roles.csv").write_text(
        "Respondent,Roles,Typical challenges\nLuc,Coordination; Networking,Le manque de temps.\n",
        encoding="utf-8",
    )
    roles = load_roles(tmp_path / "roles.csv")
    assert len(roles) == 2  # one row per role
    assert roles.attrs["load_report"]["files"][0]["other_language"] == {
        "French": ["row 2 challenges"]
    }


@pytest.mark.parametrize(
    ("text", "language"),
    [
        (
            "Tulikutana Hola kwa training ya CoP. Tulijadili mambo mengi kuhusu afya ya mama.",
            "Swahili",
        ),
        ("Nimejifunza mengi kuhusu lishe ya watoto.", "Swahili"),
        ("Motisha kutoka kwa wenzetu", "Swahili"),
        # a mix, mostly English, is read as English, as for the other languages
        ("Mkutano wa mwezi was very good, we discussed stockouts. Tulizungumza a lot.", None),
        ("We went to Kwale and Kilifi to meet the CHWs.", None),
        ("Ya no tengo tiempo para la reunión.", "Spanish"),  # Spanish's "ya" and "la"
    ],
)
def test_swahili_is_told_by_its_function_words(text, language):
    # trial 32: an all-Swahili story passed as English
    assert other_language(text) == language


def test_a_swahili_answer_is_noted_in_the_load_report(tmp_path):
    (tmp_path / "s.csv").write_text(
        "story_id,story,insights\n"
        "sw,Tulikutana Hola kwa training ya CoP.,Nimejifunza mengi kuhusu lishe ya watoto.\n",
        encoding="utf-8",
    )
    (entry,) = load_stories(tmp_path / "s.csv").attrs["load_report"]["files"]
    assert entry["other_language"] == {"Swahili": ["row 2 insights", "row 2 story"]}


def test_a_story_in_a_language_without_a_word_list_is_not_read_as_english(tmp_path):
    # trial 35: a story in Chichewa was coded and counted as English, with nothing said;
    # its row holds 34 words, 2 of them English function words ("a")
    (tmp_path / "s.csv").write_text(
        "story_id,activities,insights,practice,development\n"
        "en,We met at the district office and learned to make bokashi compost.,"
        "Bokashi needs only maize bran and local manure.,My farmers now make their own.,"
        "I can teach it myself now.\n"
        "ny,Mwezi uno tinakumana ku Kanyama ndipo tinaphunzira za manyowa a bokashi.,"
        "Ndaphunzira kupanga manyowa a bokashi pogwiritsa ntchito zinthu za m'mudzi.,"
        "Alimi anga ayamba kupanga manyowa awo.,Ndikudziwa zambiri tsopano.\n"
        "ny2,Ndaphunzira kupanga manyowa a bokashi.,,,\n",  # too short to tell
        encoding="utf-8",
    )
    (entry,) = load_stories(tmp_path / "s.csv").attrs["load_report"]["files"]
    where = ["row 3 activities", "row 3 insights", "row 3 practice", "row 3 development"]
    assert entry["other_language"] == {"a language other than English": where}
    assert entry["notes"][-1] == (
        "4 answers not read as English (row 3 activities; row 3 insights; row 3 practice; "
        "row 3 development): fewer than 10% of the words of their row are common English words, "
        "and the coders read English, so check their codes by hand"
    )
    (checked,) = check_study_of(tmp_path, "s.csv").files
    assert "4 answer(s) in a language other than English (listed above)" in checked.attention


def check_study_of(tmp_path, name):
    study = tmp_path / "study"
    (study / "stories").mkdir(parents=True)
    (study / "stories" / name).write_bytes((tmp_path / name).read_bytes())
    return check_study(study)


def test_a_list_of_english_nouns_is_read_as_english():
    # few function words, but some: the fewest in the bundled, development and training
    # corpora at 20 words or more is 0.19 of the words
    from copanalysis.io.language import not_english

    nouns = (
        "Soil fertility, bokashi composting, pit planting, mulching, ripper tillage, fall "
        "armyworm scouting, seed multiplication and post-harvest storage demonstrations"
    )
    assert not not_english(nouns)
    assert not_english(nouns.replace(" and ", " ").replace(",", " ") + " ndi zina")


def test_the_stop_word_lists_are_read_without_building_other_languages_tokenizers() -> None:
    # trial 41: loading went silent for 9 of its 20 s while `spacy.lang.fr` built its
    # tokenizer exceptions, only for its list of stop words
    import subprocess
    import sys

    script = (
        "import sys, importlib\n"
        "from copanalysis.io.language import _stop_words, other_language\n"
        "assert other_language('J ai appris beaucoup sur les escarres avec eux') == 'French'\n"
        "print(sorted(m for m in sys.modules if m.startswith('spacy.lang.')))\n"
        "words = _stop_words()\n"
        "for code in ('en', 'fr', 'es', 'de', 'nl', 'pt', 'it'):\n"
        "    module = importlib.import_module(f'spacy.lang.{code}.stop_words')\n"
        "    assert words[code] == {w.casefold() for w in module.STOP_WORDS}, code\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
