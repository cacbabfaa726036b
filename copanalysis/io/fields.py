"""Which canonical field a survey column or a worksheet prompt holds, and cleaning its cells.

Survey exports name their columns after the question, numbered ("3. How did this influence
your practice? *"), shortened ("Impact on practice") or reworded ("How did it change your
work?"). :func:`match_columns` maps them to the canonical fields by fuzzy matching (rapidfuzz)
against the wording of Wenger's 2007 worksheets and a few common short forms. Stop words
("what", "did", "you" ...) are dropped first, so that only the words that carry meaning count.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from copanalysis.errors import MissingColumnError

__all__ = [
    "GRID_WORDING",
    "LIST_WORDING",
    "ROLE_WORDING",
    "STORY_WORDING",
    "SURVEY_METADATA",
    "ColumnMatch",
    "clean_text",
    "content_words",
    "match_columns",
    "match_label",
    "parse_date",
    "split_community_date",
    "split_member_role",
]

#: The value-creation story template (Wenger 2007) plus common short forms, per field.
#: ``community_date`` and ``member_role`` are the worksheet's combined lines; they split
#: into ``community``/``date`` and ``member``/``role``.
STORY_WORDING: dict[str, tuple[str, ...]] = {
    "story_id": ("ID", "Response ID", "Respondent ID", "Story ID", "ResponseId", "Record ID"),
    "community_date": ("Community/date", "Community / date"),
    "member_role": ("Member/role", "Member / role"),
    "community": ("Community", "Your community", "Network", "Community of practice", "Group"),
    "date": ("Date", "Timestamp", "Start time", "Start date", "Submitted", "Recorded date"),
    "member": ("Name", "Your name", "Member", "Full name", "Member name"),
    "role": ("Role", "Your role", "Job title", "Position"),
    "activities": (
        "What meaningful activities did you participate in?",
        "Activities",
        "Meaningful activities",
        "Activities participated in",
        "Took part in",
    ),
    "insights": (
        "What specific insights did you gain? What access to useful information or material?",
        "What specific insights did you gain?",
        "What access to useful information or material?",
        "Insights",
        "What did you learn",
        "Learning",
        "Useful information",
    ),
    "practice": (
        "How did this influence your practice? What difference did it make to your "
        "performance? What did it enable that would not have happened otherwise?",
        "How did this influence your practice?",
        "What difference did it make to your performance?",
        "What did it enable that would not have happened otherwise?",
        "Practice",
        "Influence on practice",
        "Impact on work",
        "Change in your work",
    ),
    "development": (
        "How did this contribute to your personal/professional development?",
        "Development",
        "Personal development",
        "Professional development",
        "Career growth",
    ),
    "organization": (
        "How did this contribute to the goal of the organization? Qualitatively? Quantitatively?",
        "How did this contribute to the goal of the organization?",
        "Qualitatively? Quantitatively?",
        "Organization",
        "Organisation",
        "Organizational goals",
        "Contribution to the goals",
    ),
    "story": (
        "Story",
        "Your story",
        "My story",
        "The story",
        "Tell us your story",
        "Tell us what happened",
        "Narrative",
        "Your narrative",
        "Free narrative",
    ),
}

#: The enablers/challenges worksheet ("In your organization ...").
LIST_WORDING: dict[str, tuple[str, ...]] = {
    "item_id": ("ID", "Item ID"),
    "kind": ("Kind", "Type", "Category", "Enabler or challenge"),
    "text": ("Text", "Item", "Description", "Statement"),
    "enabler": ("Enablers", "Enabler", "What enables", "Helps"),
    "challenge": ("Challenges", "Challenge", "Barriers", "Obstacles", "What hinders"),
    "community": ("Community", "Organization", "Organisation", "Network"),
    "respondent": ("Respondent", "Name", "Your name", "Member", "Respondent ID", "Response ID"),
}

#: The leadership-role analysis worksheet.
ROLE_WORDING: dict[str, tuple[str, ...]] = {
    "respondent": ("Respondent", "Name", "Your name", "Member", "Respondent ID", "Response ID"),
    "community": ("Community", "Organization", "Organisation", "Network"),
    "role": (
        "Role",
        "Roles",
        "Role (circle any that applies)",
        "Roles (circle any that apply)",
        "Leadership roles",
        "Leadership role",
        "Roles circled",
    ),
    "member_type": (
        "Type of member",
        "Type of member (circle any that applies)",
        "Member type",
        "Member types",
    ),
    "purpose": ("Purpose", "Why is this leadership role important?"),
    "actions": ("Typical actions", "What do/can/should they do?", "Actions"),
    "challenges": (
        "Typical challenges",
        "What makes this task difficult? What warning/advice would you have?",
        "Challenges",
    ),
    "gratification": (
        "Gratification",
        "What are the rewards of the task? Where can it lead? How to recognize it?",
        "Rewards",
    ),
    "qualification": (
        "Qualification",
        "Who should do this? What personal qualities and skills are required? What kind of "
        "legitimacy?",
        "Qualifications",
    ),
    "support": (
        "Support",
        "What kind of support, encouragement, help do these keepers require?",
        "Support needed",
    ),
}

#: The strategic-value reflection grid; the four cells are ``beneficiary/horizon``.
GRID_WORDING: dict[str, tuple[str, ...]] = {
    "respondent": ("Respondent", "Name", "Your name", "Member", "Respondent ID", "Response ID"),
    "community": ("Community", "Organization", "Organisation", "Network"),
    "beneficiary": ("Beneficiary", "Value to", "To whom"),
    "horizon": ("Horizon", "Term", "Time horizon"),
    "text": ("Text", "Value", "Answer", "Response"),
    "members/short": ("Short-term value to members", "Members short-term", "Short-term members"),
    "members/long": ("Long-term value to members", "Members long-term", "Long-term members"),
    "organization/short": (
        "Short-term value to organization",
        "Organization short-term",
        "Short-term organisation",
    ),
    "organization/long": (
        "Long-term value to organization",
        "Organization long-term",
        "Long-term organisation",
    ),
}

#: Columns that survey tools add and that are kept as they are, never matched to a field.
SURVEY_METADATA: frozenset[str] = frozenset(
    {
        "completion time",
        "end time",
        "end date",
        "email",
        "email address",
        "last modified time",
        "ip address",
        "ipaddress",
        "duration",
        "duration in seconds",
        "progress",
        "finished",
        "status",
        "language",
        "user language",
        "location latitude",
        "location longitude",
    }
)

_STOP = frozenset(
    [
        "a",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "by",
        "can",
        "did",
        "do",
        "does",
        "for",
        "from",
        "had",
        "has",
        "have",
        "how",
        "i",
        "in",
        "is",
        "it",
        "its",
        "me",
        "my",
        "not",
        "of",
        "on",
        "or",
        "our",
        "that",
        "the",
        "this",
        "to",
        "was",
        "we",
        "were",
        "what",
        "which",
        "would",
        "you",
        "your",
        "with",
    ]
)
_NUMBERING = re.compile(r"^\s*(?:q(?:uestion)?\s*)?\d+\s*[.):-]?\s+", re.IGNORECASE)
#: A trailing remark in brackets, as in "Name (farmer or officer)" or "Date (dd.mm.yyyy) *".
_REMARK = re.compile(r"^(.*\S)\s*\([^()]*\)[\s*:]*$", re.DOTALL)
#: A heading of at most this many content words names the free narrative (``story``) only
#: when it is one of the narrative forms ("Story", "Your story", "Narrative" ...): a
#: worksheet title such as "Value creation stories" is not a prompt.
_SHORT_STORY_HEADING = 3
#: Fields of the worksheet header (who, when, which) need a near-exact match; prompts less.
_EXACT_FIELDS = frozenset(
    {
        "story_id",
        "item_id",
        "community_date",
        "member_role",
        "community",
        "date",
        "member",
        "role",
        "respondent",
        "kind",
        "text",
        "member_type",
        "beneficiary",
        "horizon",
    }
)


def content_words(text: str) -> str:
    """Lower-case words of ``text`` without numbering, "*" marks and stop words.

    Examples
    --------
    >>> content_words("3. How did this influence your practice? *")
    'influence practice'
    """
    text = _NUMBERING.sub("", text.strip()).lower()
    words = re.findall(r"[^\W_]+", text)
    return " ".join(w for w in words if w not in _STOP)


def _normal(text: str) -> str:
    return " ".join(re.findall(r"[^\W_]+", _NUMBERING.sub("", text.strip()).lower()))


@dataclass(frozen=True)
class ColumnMatch:
    """The result of :func:`match_columns`: ``column -> (field, score)`` and kept columns."""

    fields: dict[str, tuple[str, float]]
    kept: list[str]

    def column_of(self, field: str) -> str | None:
        """The column mapped to ``field``, or None."""
        for column, (name, _) in self.fields.items():
            if name == field:
                return column
        return None

    def report(self) -> dict[str, dict[str, object]]:
        """``{column: {"field": ..., "score": ...}}``, JSON-serialisable."""
        return {c: {"field": f, "score": round(s, 1)} for c, (f, s) in self.fields.items()}


def _without_remark(text: str) -> str | None:
    """``text`` without a trailing bracketed remark, or None when it has none."""
    match = _REMARK.match(text.strip())
    return match.group(1) if match else None


def _is_narrative(label: str, phrases: Sequence[str]) -> bool | None:
    """For a short heading, whether it is a narrative form; None for a long heading."""
    if len(content_words(label).split()) > _SHORT_STORY_HEADING:
        return None
    forms = {_normal(p) for p in phrases}
    bare = _without_remark(label)
    return _normal(label) in forms or (bare is not None and _normal(bare) in forms)


def _score(
    header: str, wording: Sequence[str], *, exact: bool, field: str = ""
) -> tuple[float, float]:
    """``(score, tie-breaker)`` of ``header`` against the phrases of one field."""
    from rapidfuzz import fuzz

    words = content_words(header)
    if not words:
        return 0.0, 0.0
    if field == "story":
        narrative = _is_narrative(header, wording)
        if narrative is not None:
            return (100.0, 100.0) if narrative else (0.0, 0.0)
    if exact:
        bare = _without_remark(header)
        if bare is not None:
            # "Name (farmer or officer)": the remark qualifies the field, it does not name it
            score, tie = _score(bare, wording, exact=True)
            return max(score - 5.0, 0.0), tie
    best = (0.0, 0.0)
    for phrase in wording:
        target = content_words(phrase)
        if _normal(header) == _normal(phrase):
            return 100.0, 100.0
        if exact:
            # who/when/which fields: the whole header must read like the phrase
            score = fuzz.token_sort_ratio(words, target)
        else:
            score = fuzz.token_set_ratio(words, target)
        best = max(best, (score, fuzz.ratio(words, target)))
    return best


def match_columns(
    columns: Sequence[str],
    wording: Mapping[str, Sequence[str]],
    *,
    mapping: Mapping[str, str | None] | None = None,
    threshold: float = 75.0,
    path: str | None = None,
) -> ColumnMatch:
    """Map column headers to fields by fuzzy matching against ``wording``.

    Each field takes at most one column and each column at most one field, best scores
    first. Header fields (ids, names, dates, roles) need a score of 90, prompts
    ``threshold``; a trailing remark in brackets ("Name (farmer or officer)") is read
    past, at 5 points less. A short header (three content words or fewer) holds the free
    narrative (``story``) only when it is one of its forms ("Story", "Your story",
    "Narrative" ...), so a title such as "Value creation stories" is no prompt. Known
    survey metadata ("Completion time", "Email") are never matched.

    Parameters
    ----------
    columns : sequence of str
        The headers, in file order.
    wording : mapping
        ``field -> phrases`` (for example :data:`STORY_WORDING`).
    mapping : mapping, optional
        Explicit ``column -> field`` choices that override the matching (score 100);
        ``column -> None`` keeps that column unmapped.
    threshold : float
        The lowest score (0-100) at which a prompt column is mapped.
    path : str, optional
        The file, for error messages.

    Raises
    ------
    MissingColumnError
        When ``mapping`` names a column that is not there or a field that is unknown.

    Examples
    --------
    >>> found = match_columns(
    ...     ["Timestamp", "3. How did this influence your practice? *", "Email", "Impact on work"],
    ...     STORY_WORDING,
    ... )
    >>> found.fields["Timestamp"], found.fields["3. How did this influence your practice? *"]
    (('date', 100.0), ('practice', 100.0))
    >>> found.kept
    ['Email', 'Impact on work']
    """
    fields: dict[str, tuple[str, float]] = {}
    taken: set[str] = set()
    for column, field in (mapping or {}).items():
        if column not in columns:
            raise MissingColumnError(
                f"mapping names column {column!r}, which is not in the file; "
                f"columns are {', '.join(map(repr, columns))}",
                path=path,
                column=column,
            )
        if field is None:
            taken.add(f"\0{column}")
            continue
        if field not in wording:
            raise MissingColumnError(
                f"mapping sends column {column!r} to unknown field {field!r}; "
                f"fields are {', '.join(wording)}",
                path=path,
                column=column,
            )
        fields[column] = (field, 100.0)
        taken.add(field)
    candidates = []
    for column in columns:
        if column in fields or f"\0{column}" in taken or _normal(column) in SURVEY_METADATA:
            continue
        for field, phrases in wording.items():
            score, tie = _score(column, phrases, exact=field in _EXACT_FIELDS, field=field)
            needed = 90.0 if field in _EXACT_FIELDS else threshold
            if score >= needed:
                candidates.append((score, tie, -columns.index(column), column, field))
    for score, _, _, column, field in sorted(candidates, reverse=True):
        if column in fields or field in taken:
            continue
        fields[column] = (field, float(score))
        taken.add(field)
    ordered = {c: fields[c] for c in columns if c in fields}
    return ColumnMatch(ordered, [c for c in columns if c not in fields])


def match_label(
    line: str, wording: Mapping[str, Sequence[str]], *, threshold: float = 85.0
) -> tuple[str, float, str] | None:
    """Recognise a worksheet prompt line; return ``(field, score, answer on the same line)``.

    A line is a prompt when it is (close to) one of the phrases, or when it reads
    ``"Label: answer"`` with a label that is. Prompts need ``threshold``; the short
    labels (``Community/date``, ``Member/role``) must match exactly, and a short heading
    names the free narrative only in one of its forms ("Story", "Your story", "Tell us
    your story", "Narrative" ...), never as a worksheet title ("Value creation stories").

    Examples
    --------
    >>> match_label("Community/date: Teachers Network / March 2025", STORY_WORDING)
    ('community_date', 100.0, 'Teachers Network / March 2025')
    >>> match_label("How did this influence your practice?", STORY_WORDING)
    ('practice', 100.0, '')
    >>> match_label("We met every week.", STORY_WORDING) is None
    True
    >>> match_label("Value creation stories", STORY_WORDING) is None
    True
    """
    text = line.strip().strip("*_#").strip()
    options = [(text, "")]
    head, sep, rest = text.partition(":")
    if sep and head.strip():
        options.append((head, rest.strip().lstrip("*_").strip()))
    best: tuple[str, float, str] | None = None
    for label, answer in options:
        if len(label) > 300:
            continue
        for field, phrases in wording.items():
            if field in _EXACT_FIELDS:
                score = 100.0 if any(_normal(label) == _normal(p) for p in phrases) else 0.0
            elif field == "story" and _is_narrative(label, phrases) is not None:
                score = 100.0 if _is_narrative(label, phrases) else 0.0
            else:
                score = _label_score(label, phrases)
            if score >= threshold and (best is None or score > best[1]):
                best = (field, score, answer)
    return best


def _label_score(label: str, phrases: Sequence[str]) -> float:
    from rapidfuzz import fuzz

    words = content_words(label)
    if not words:
        return 0.0
    best = 0.0
    for phrase in phrases:
        if _normal(label) == _normal(phrase):
            return 100.0
        # a whole-line prompt must read like the phrase, not just share a word with it
        best = max(best, fuzz.token_sort_ratio(words, content_words(phrase)))
    return float(best)


def clean_text(value: object) -> str | None:
    """A cell's text: surrounding whitespace stripped, line endings "\\n", empty -> None.

    Inner spaces and characters stay exactly as written (codes use offsets into them).

    Examples
    --------
    >>> clean_text("  two  spaces\\r\\nkept ")
    'two  spaces\\nkept'
    >>> clean_text("   ") is None
    True
    """
    if value is None or (isinstance(value, float) and value != value):
        return None
    text = str(value).replace("\r\n", "\n").replace("\r", "\n").strip()
    return text or None


_DATE_FORMATS: tuple[str, ...] = (
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M",
    "%m/%d/%Y %I:%M:%S %p",
    "%m/%d/%Y %I:%M %p",
    "%m/%d/%Y",
    "%m/%d/%y %H:%M:%S",
    "%m/%d/%y %H:%M",
    "%m/%d/%y",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y",
    "%d.%m.%y",
    "%Y/%m/%d",
    "%Y-%m",
    "%Y/%m",
    "%B %Y",
    "%b %Y",
    "%b. %Y",
    "%d %B %Y",
    "%d %b %Y",
    "%B %d, %Y",
    "%b %d, %Y",
    "%B %d %Y",
    "%d %B, %Y",
    "%Y",
)


def parse_date(value: object) -> pd.Timestamp | None:
    """Parse a survey date; None when it is empty or in no known format.

    ISO 8601 first, then US survey exports ("3/14/2025 10:22:05"), then day-first forms
    ("14.03.2025", "14/03/2025"), then month names ("March 2025", "12 March 2025") and
    "2025-03". Time zones are converted to UTC and dropped.

    Examples
    --------
    >>> [str(parse_date(v)) for v in ("2025-03-14", "3/14/2025 10:22:05", "14.03.2025")]
    ['2025-03-14 00:00:00', '2025-03-14 10:22:05', '2025-03-14 00:00:00']
    >>> str(parse_date("March 2025")), str(parse_date("2025-03"))
    ('2025-03-01 00:00:00', '2025-03-01 00:00:00')
    >>> parse_date("sometime last spring") is None
    True
    """
    if isinstance(value, dt.datetime):
        return _timestamp(value)
    text = clean_text(value)
    if text is None:
        return None
    text = re.sub(r"\s+", " ", text)
    try:
        return _timestamp(dt.datetime.fromisoformat(text.replace("Z", "+00:00")))
    except ValueError:
        pass
    for fmt in _DATE_FORMATS:
        try:
            return _timestamp(dt.datetime.strptime(text, fmt))
        except ValueError:
            continue
    return None


def _timestamp(value: dt.datetime) -> pd.Timestamp:
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return pd.Timestamp(value)


_DATE_LIKE = re.compile(r"\b(1[89]|20)\d\d\b|\b\d{1,2}[./-]\d{1,2}\b")
_SEPARATORS = (" / ", " – ", " — ", " - ", ", ", "; ", "/", " | ")
_MEMBER_SEPARATORS = (", ", ",", " / ", " – ", " — ", " - ", "; ", "/", " | ")


def split_community_date(value: object) -> tuple[str | None, str | None]:
    """Split a "Community/date" answer into ``(community, date text)``.

    Examples
    --------
    >>> split_community_date("Nursing Practice Network / 12 March 2025")
    ('Nursing Practice Network', '12 March 2025')
    >>> split_community_date("Teachers' Network, 2025-03")
    ("Teachers' Network", '2025-03')
    >>> split_community_date("Harbour Engineers")
    ('Harbour Engineers', None)
    """
    text = clean_text(value)
    if text is None:
        return None, None
    if parse_date(text) is not None:
        return None, text
    for sep in _SEPARATORS:
        if sep not in text:
            continue
        left, right = (part.strip() for part in text.rsplit(sep, 1))
        if parse_date(right) is not None:
            return left or None, right
        first, rest = (part.strip() for part in text.split(sep, 1))
        if parse_date(first) is not None:
            return rest or None, first
    for sep in _SEPARATORS:
        if sep in text:
            left, right = (part.strip() for part in text.rsplit(sep, 1))
            if _DATE_LIKE.search(right):
                return left or None, right
    return text, None


def split_member_role(value: object) -> tuple[str | None, str | None]:
    """Split a "Member/role" answer into ``(member, role)``.

    The name comes first: the answer splits at its first separator (a comma, or " / ",
    " - ", "; " ...) outside brackets, and a trailing "(...)" stays with the role. Without
    such a separator, "Name (role)" gives the bracket's text as the role.

    Examples
    --------
    >>> split_member_role("Ana Souza, ward nurse")
    ('Ana Souza', 'ward nurse')
    >>> split_member_role("Yusuf Demir, developer at a mapping company (user)")
    ('Yusuf Demir', 'developer at a mapping company (user)')
    >>> split_member_role("Jonas Berg (site engineer, roads)")
    ('Jonas Berg', 'site engineer, roads')
    >>> split_member_role("core member")
    ('core member', None)
    """
    text = clean_text(value)
    if text is None:
        return None, None
    # separators inside brackets do not count: blank the brackets out, keeping positions
    outside = re.sub(r"\([^()]*\)", lambda m: " " * len(m.group()), text)
    hits = [(outside.find(sep), -len(sep), sep) for sep in _MEMBER_SEPARATORS if sep in outside]
    if hits:
        position, _, sep = min(hits)
        member, role = text[:position].strip(), text[position + len(sep) :].strip()
        return member or None, role or None
    bracket = re.fullmatch(r"(.+?)\s*\((.+)\)", text, flags=re.DOTALL)
    if bracket:
        return bracket.group(1).strip(), bracket.group(2).strip()
    return text, None
