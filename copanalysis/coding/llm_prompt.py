"""The prompt the language-model coder sends, and how its answers are read.

The prompt is a versioned template in package data (``templates/llm-system-<version>.md.j2``
and ``templates/llm-unit-<version>.md.j2``), rendered with jinja2 from:

* the codebook: each codable code's label, definition, include and exclude guidance, and a
  few of its examples;
* the decision rules of the framework (:data:`DECISION_RULES`, from Wenger, Trayner & de
  Laat 2011 for the value cycles; the bipolar themes for enablers and challenges);
* the researcher's own coded units, as earlier turns of the conversation (worked examples);
* the unit itself: its text, the field and the question it answers, and the list it comes
  from when that is known.

The answer is JSON in :func:`response_schema`: ``{"codes": [{"code", "quote", "polarity",
"reason"}]}``; :func:`parse_answer` reads it, from a bare JSON object or one inside text.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import jinja2

    from copanalysis.codebooks.codebook import Codebook

__all__ = [
    "DECISION_RULES",
    "PROMPT_VERSION",
    "Answer",
    "WorkedExample",
    "estimate_tokens",
    "parse_answer",
    "prompt_messages",
    "response_schema",
    "unit_message",
]

#: The version of the prompt templates: part of the ``coder`` column
#: (``llm:<model>@<version>``). A change to the templates' wording is a new version.
PROMPT_VERSION = "1"

#: Characters per token in :func:`estimate_tokens` (English prose, common tokenizers).
CHARS_PER_TOKEN = 4.0

_GENERAL_RULES: tuple[str, ...] = (
    "Code what the text says, not what it might imply; a unit may carry several codes, "
    "usually one per clause.",
    "The question a text answers is a hint, not a rule: code the words.",
)

#: The framework's decision rules, by codebook (its training corpus name, else its name).
DECISION_RULES: Mapping[str, tuple[str, ...]] = {
    "value_cycles": (
        "Got, learned or realised is potential value; used, applied or did differently is "
        "applied value.",
        "Realized value needs an effect on an outcome (results, metrics, time or money "
        "saved, benefit to clients), not just an action; numbers and percentages are "
        "strong signs.",
        "Realized value is doing better on existing goals; reframing changes the goals, the "
        "criteria of success, identities, roles or institutions.",
        "A participant's experience of an event is immediate value; someone convening, "
        "facilitating, hosting or funding the space for others is enabling value.",
        "Cycles are not a sequence: a story may start anywhere, and good stories trace a "
        "chain from an activity to an effect.",
        'Value can be absent or negative ("the meeting was a waste of time"): code the '
        "cycle it concerns with polarity -1.",
    ),
    "enablers_challenges": (
        "Each theme is bipolar: the same theme is an enabler (polarity 1) or a challenge "
        "(polarity -1).",
        '"Thanks to", "helped", "made it possible" mark an enabler; "lack of", '
        '"no", "hard to", "barrier", "needs more" mark a challenge.',
        "When the unit says which list it comes from (enablers or challenges), its polarity "
        "follows the list.",
    ),
}


@dataclass(frozen=True)
class WorkedExample:
    """A unit the researcher coded, shown to the model as an earlier turn.

    Attributes
    ----------
    text, field : str
        The unit and the field it comes from.
    codes : tuple of dict
        ``{"code", "quote", "polarity", "reason"}`` each, the answer the model should have
        given.
    kind : str
        ``enabler`` / ``challenge`` for list items, else ``""``.
    """

    text: str
    field: str
    codes: tuple[dict[str, Any], ...]
    kind: str = ""


@dataclass(frozen=True)
class Answer:
    """One code as the model gave it (before grounding)."""

    code: str
    quote: str
    polarity: int
    reason: str


@cache
def _template(part: str) -> jinja2.Template:
    import jinja2

    source = files("copanalysis").joinpath(f"templates/llm-{part}-{PROMPT_VERSION}.md.j2")
    env = jinja2.Environment(
        autoescape=False,  # plain text for a model, not HTML
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    return env.from_string(source.read_text(encoding="utf-8"))


def _question(field: str) -> str:
    """The worksheet's question behind a story field ("" for other fields)."""
    from copanalysis.io.fields import STORY_WORDING
    from copanalysis.schema import PROMPT_FIELDS

    if field in PROMPT_FIELDS and field != "story":
        return STORY_WORDING[field][0]
    return ""


def unit_message(text: str, *, field: str, kind: str = "") -> str:
    """The user message that asks for one unit's codes.

    Examples
    --------
    >>> print(unit_message("I now plan sessions in threes.", field="practice"))
    Code this unit.
    Field: practice (the answer to: "How did this influence your practice? What difference did it make to your performance? What did it enable that would not have happened otherwise?")
    <text>
    I now plan sessions in threes.
    </text>
    """  # noqa: E501
    kind = "" if kind in (None, "") or kind != kind else str(kind)
    return _template("unit").render(text=text, field=field, question=_question(field), kind=kind)


def rules_for(book: Codebook) -> tuple[str, ...]:
    """The decision rules the prompt gives for ``book``: the framework's, then general ones."""
    specific = DECISION_RULES.get(book.training) or DECISION_RULES.get(book.name) or ()
    return (*specific, *_GENERAL_RULES)


def prompt_messages(
    book: Codebook,
    *,
    examples: Sequence[WorkedExample] = (),
    codebook_examples: int = 3,
) -> list[dict[str, str]]:
    """The messages before the unit: the system prompt, then each worked example as a user
    turn and the answer as an assistant turn.

    Parameters
    ----------
    book : Codebook
    examples : sequence of WorkedExample
        The researcher's coded units.
    codebook_examples : int
        How many of each code's codebook examples the system prompt quotes.

    Returns
    -------
    list of dict
        ``{"role": ..., "content": ...}`` messages, as the chat-completions API takes them.

    Examples
    --------
    >>> from copanalysis.io.codebooks import load_codebook
    >>> messages = prompt_messages(load_codebook("value_cycles"), codebook_examples=1)
    >>> [m["role"] for m in messages]
    ['system']
    >>> system = messages[0]["content"]
    >>> "### applied: Applied value" in system, "realized value needs an effect" in system.lower()
    (True, True)
    """
    codes = [c for c in book.codes if c.codable]
    system = _template("system").render(
        title=book.title or book.name,
        ident=book.ident,
        description=book.description,
        codes=[
            {
                "code": c.code,
                "label": c.label,
                "parent": c.parent or "",
                "description": c.description,
                "include": c.include,
                "exclude": c.exclude,
                "examples": list(c.examples[: max(codebook_examples, 0)]),
            }
            for c in codes
        ],
        rules=rules_for(book),
        identifiers=", ".join(c.code for c in codes),
        worked_examples=bool(examples),
    )
    messages = [{"role": "system", "content": system}]
    for example in examples:
        messages.append(
            {
                "role": "user",
                "content": unit_message(example.text, field=example.field, kind=example.kind),
            }
        )
        answer = {"codes": [dict(c) for c in example.codes]}
        messages.append({"role": "assistant", "content": json.dumps(answer, ensure_ascii=False)})
    return messages


def response_schema(book: Codebook) -> dict[str, Any]:
    """The JSON schema of an answer: ``{"codes": [{"code", "quote", "polarity", "reason"}]}``,
    ``code`` one of the codebook's codable codes, ``polarity`` -1, 0 or 1.

    Examples
    --------
    >>> from copanalysis.io.codebooks import load_codebook
    >>> schema = response_schema(load_codebook("value_cycles"))
    >>> item = schema["properties"]["codes"]["items"]
    >>> item["required"], item["properties"]["polarity"]["enum"]
    (['code', 'quote', 'polarity', 'reason'], [-1, 0, 1])
    """
    codes = [c.code for c in book.codes if c.codable]
    return {
        "type": "object",
        "properties": {
            "codes": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "code": {"type": "string", "enum": codes},
                        "quote": {"type": "string"},
                        "polarity": {"type": "integer", "enum": [-1, 0, 1]},
                        "reason": {"type": "string"},
                    },
                    "required": ["code", "quote", "polarity", "reason"],
                    "additionalProperties": False,
                },
            }
        },
        "required": ["codes"],
        "additionalProperties": False,
    }


def prompt_sha256(messages: Sequence[Mapping[str, str]], **settings: Any) -> str:
    """The hash of everything but the unit that shapes an answer: the messages before the
    unit and the request's settings (temperature, seed ...).

    Examples
    --------
    >>> a = prompt_sha256([{"role": "system", "content": "Code it."}], temperature=0.0)
    >>> a == prompt_sha256([{"role": "system", "content": "Code it."}], temperature=0.5)
    False
    """
    blob = json.dumps([list(map(dict, messages)), settings], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


_FENCE = re.compile(r"```(?:json)?\s*(.*?)```", re.DOTALL | re.IGNORECASE)


def parse_answer(content: str | None) -> tuple[list[Answer], int] | None:
    """The codes in a model's answer, and how many of its entries could not be read.

    The answer is a JSON object ``{"codes": [...]}`` (or a bare list of entries), on its
    own, in a fenced code block, or as the outermost ``{...}`` of the text. An entry needs a
    string ``code`` and ``quote``; ``polarity`` is -1, 0 or 1 (written as a number or a
    string such as ``"+1"``; missing is 0); ``reason`` is optional.

    Returns
    -------
    (list of Answer, int) or None
        None when no JSON answer can be found: the answer is malformed.

    Examples
    --------
    >>> answers, bad = parse_answer('Sure! {"codes": [{"code": "applied", "quote": "I use it",'
    ...                             ' "polarity": "+1", "reason": "used"}, {"code": 3}]}')
    >>> answers, bad
    ([Answer(code='applied', quote='I use it', polarity=1, reason='used')], 1)
    >>> parse_answer('{"codes": [') is None
    True
    """
    if content is None:
        return None
    value = _json_in(content)
    if isinstance(value, dict) and isinstance(value.get("codes"), list):
        entries = value["codes"]
    elif isinstance(value, list):
        entries = value
    else:
        return None
    answers: list[Answer] = []
    bad = 0
    for entry in entries:
        answer = _answer(entry)
        if answer is None:
            bad += 1
        else:
            answers.append(answer)
    return answers, bad


def _json_in(content: str) -> Any:
    candidates = [content.strip()]
    candidates += [m.strip() for m in _FENCE.findall(content)]
    first, last = content.find("{"), content.rfind("}")
    if 0 <= first < last:
        candidates.append(content[first : last + 1])
    for candidate in candidates:
        try:
            return json.loads(candidate)
        except (json.JSONDecodeError, ValueError):
            continue
    return None


def _answer(entry: object) -> Answer | None:
    if not isinstance(entry, dict):
        return None
    code, quote = entry.get("code"), entry.get("quote")
    if not isinstance(code, str) or not isinstance(quote, str) or not code.strip():
        return None
    polarity = _polarity(entry.get("polarity", 0))
    if polarity is None:
        return None
    reason = entry.get("reason", "")
    return Answer(code.strip(), quote, polarity, reason if isinstance(reason, str) else "")


def _polarity(value: object) -> int | None:
    if value is None:
        return 0
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float) and value in (-1, 0, 1):
        return int(value)
    if isinstance(value, str) and value.strip() in ("-1", "0", "1", "+1"):
        return int(value.strip())
    return None


def estimate_tokens(text: str) -> int:
    """A rough count of the tokens in ``text`` (:data:`CHARS_PER_TOKEN` characters each).

    Examples
    --------
    >>> estimate_tokens("We shared our experiences.")
    7
    """
    return math.ceil(len(text) / CHARS_PER_TOKEN)
