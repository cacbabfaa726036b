"""The language-model coder's prompt (built from the codebook) and the reading of answers."""

from __future__ import annotations

import json

import pytest

from copanalysis.codebooks.codebook import Code, Codebook
from copanalysis.coding.llm_prompt import (
    DECISION_RULES,
    Answer,
    WorkedExample,
    parse_answer,
    prompt_messages,
    prompt_sha256,
    response_schema,
    unit_message,
)
from copanalysis.io.codebooks import load_codebook

BOOK = Codebook(
    "demo",
    "0.1",
    (
        Code("potential", "Potential value", description="Knowledge for later.",
             include="Learned something.", exclude="Used it (applied).",
             cues=("learn",), examples=("I learned a lot.", "I got the slides.", "A third.")),
        Code("potential_human", "Human capital", parent="potential", cues=("confident",)),
        Code("applied", "Applied value", cues=("use",)),
        Code("grouping", "A grouping", codable=False),
    ),
)  # fmt: skip


def test_the_system_prompt_carries_the_codebook_and_the_rules() -> None:
    [system] = prompt_messages(BOOK, codebook_examples=2)
    assert system["role"] == "system"
    text = system["content"]
    assert '"demo" (demo@0.1)' in text
    assert "### potential: Potential value" in text
    assert "### potential_human: Human capital (a kind of potential)" in text
    assert "Definition: Knowledge for later." in text
    assert "Use it when: Learned something." in text
    assert "Do not use it when: Used it (applied)." in text
    assert '- "I learned a lot."\n- "I got the slides."\n' in text and "A third." not in text
    assert "grouping" not in text  # not codable
    assert "nothing else: potential, potential_human, applied." in text
    assert "earlier turns" not in text  # no worked examples


def test_the_value_cycles_prompt_has_the_frameworks_decision_rules() -> None:
    [system] = prompt_messages(load_codebook("value_cycles"))
    for rule in DECISION_RULES["value_cycles"]:
        assert f"- {rule}\n" in system["content"]
    [themes] = prompt_messages(load_codebook("enablers_challenges"))
    assert DECISION_RULES["enablers_challenges"][0] in themes["content"]
    assert DECISION_RULES["value_cycles"][0] not in themes["content"]


def test_worked_examples_are_earlier_turns() -> None:
    example = WorkedExample(
        "No time for it.",
        "text",
        ({"code": "TIME", "quote": "No time", "polarity": -1, "reason": "Time."},),
        kind="challenge",
    )
    messages = prompt_messages(BOOK, examples=[example])
    assert [m["role"] for m in messages] == ["system", "user", "assistant"]
    assert "earlier turns" in messages[0]["content"]
    assert messages[1]["content"] == (
        "Code this unit.\nField: text\nListed as: challenge\n<text>\nNo time for it.\n</text>"
    )
    assert json.loads(messages[2]["content"]) == {"codes": [dict(example.codes[0])]}
    assert prompt_sha256(messages) != prompt_sha256(messages[:1])


def test_a_story_field_brings_its_question() -> None:
    message = unit_message("We met.", field="activities")
    assert 'Field: activities (the answer to: "What meaningful activities did you' in message
    assert unit_message("We met.", field="story").startswith("Code this unit.\nField: story\n")


def test_the_schema_lists_the_codable_codes() -> None:
    schema = response_schema(BOOK)
    item = schema["properties"]["codes"]["items"]
    assert item["properties"]["code"]["enum"] == ["potential", "potential_human", "applied"]
    assert schema["required"] == ["codes"] and item["additionalProperties"] is False


@pytest.mark.parametrize(
    ("content", "answers", "bad"),
    [
        ('{"codes": []}', [], 0),
        ('{"codes": [{"code": "applied", "quote": "q", "polarity": -1, "reason": "r"}]}',
         [Answer("applied", "q", -1, "r")], 0),
        ('```json\n{"codes": [{"code": "applied", "quote": "q"}]}\n```',
         [Answer("applied", "q", 0, "")], 0),
        ('[{"code": " applied ", "quote": "q", "polarity": "1"}]',
         [Answer("applied", "q", 1, "")], 0),
        ('{"codes": [{"code": "a", "quote": "q", "polarity": 2}, {"quote": "q"}, "x"]}', [], 3),
        ('{"codes": [{"code": "a", "quote": "q", "polarity": true}]}', [], 1),
    ],
)  # fmt: skip
def test_parse_answer(content: str, answers: list[Answer], bad: int) -> None:
    assert parse_answer(content) == (answers, bad)


@pytest.mark.parametrize(
    "content", [None, "", "I cannot help with that.", '{"codes": "none"}', '{"labels": []}', "{"]
)
def test_an_answer_without_json_codes_is_malformed(content: str | None) -> None:
    assert parse_answer(content) is None
