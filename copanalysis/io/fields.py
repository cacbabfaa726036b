"""Which canonical field a survey column or a worksheet prompt holds, and cleaning its cells.

Survey exports name their columns after the question, numbered ("3. How did this influence
your practice? *"), shortened ("Impact on practice") or reworded ("How did it change your
work?"). :func:`match_columns` maps them to the canonical fields by fuzzy matching (rapidfuzz)
against the wording of Wenger's 2007 worksheets and a few common short forms. Stop words
("what", "did", "you" ...) are dropped first, so that only the words that carry meaning count.

Who, which community and when are recognised by meaning too: a short header whose head word
names a community ("Which network are you part of?", "Name of your community / network"),
a role ("Your role in the community", "Job title"), a person ("Your full name") or a date
("Date of the activity (dd/mm/yyyy)", "When did this happen?") maps to that field. Columns
that survey tools add (respondent ids, IP addresses, start and end times, consent, REDCap's
"Complete?") are survey metadata: kept as they are, never matched to a prompt. The time a
response was submitted ("Timestamp", "Completion time", "Submit Date (UTC)") is the
``submitted`` field, apart from ``date``, the date of what the story tells.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from dataclasses import field as _field
from typing import Literal

from dateutil import parser as dateutil_parser

from copanalysis.errors import MappingError, MissingColumnError, quoted
from copanalysis.io.dates import parse_date
from copanalysis.io.places import SHOWN, first_places
from copanalysis.schema import PROMPT_FIELDS

__all__ = [
    "CHALLENGE_WORDS",
    "ENABLER_WORDS",
    "GRID_WORDING",
    "LIST_WORDING",
    "ROLE_WORDING",
    "STORY_WORDING",
    "SURVEY_METADATA",
    "ColumnMatch",
    "clean_text",
    "content_words",
    "header_label",
    "is_no_answer",
    "is_no_item",
    "is_personal_metadata",
    "is_survey_metadata",
    "kinds_asked",
    "match_columns",
    "match_heading",
    "match_label",
    "names_a_place",
    "names_a_workplace",
    "parse_date",
    "split_community_date",
    "split_member_role",
]

#: The value-creation story template (Wenger 2007) plus common short forms, per field.
#: ``community_date`` and ``member_role`` are the worksheet's combined lines; they split
#: into ``community``/``date`` and ``member``/``role``.
STORY_WORDING: dict[str, tuple[str, ...]] = {
    "story_id": (
        "ID",
        "Response ID",
        "Respondent ID",
        "Story ID",
        "ResponseId",
        "Record ID",
        "#",
    ),
    "community_date": ("Community/date", "Community / date"),
    "member_role": ("Member/role", "Member / role"),
    "community": ("Community", "Your community", "Network", "Community of practice", "Group"),
    "date": ("Date", "Date of the activity", "Activity date", "Event date", "When"),
    # the time the response was sent, best first: survey tools' own names for it
    "submitted": (
        "Timestamp",
        "Submitted",
        "Date submitted",
        "Submit date",
        "Submission date",
        "Submitted at",
        "Completion time",
        "Recorded date",
        "RecordedDate",
        "Survey timestamp",
        "Submission time",
        "End date",
        "End time",
    ),
    "member": ("Name", "Your name", "Member", "Full name", "Member name"),
    "role": (
        "Role",
        "Your role",
        "Job title",
        "Position",
        "Which best describes you?",
        "Which of the following best describes you?",
        "Member type",
        "Type of member",
    ),
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
        "Insights gained",
        "Key insights",
        "What did you learn",
        "What I learned",
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
        "What changed in practice",
        "Changes in practice",
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
    # a question that asks for both ("What helps or hinders?"): found by its two kinds
    "mixed": (),
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
    "beneficiary": ("Beneficiary", "Value to", "To whom", "Who benefits", "For whom"),
    "horizon": ("Horizon", "Term", "Time horizon", "Time frame", "Timeframe", "When"),
    "text": ("Text", "Value", "Answer", "Response", "What value", "What value?"),
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

#: Survey tools' columns that identify or locate a respondent: left out of what is handed
#: to others (a REFI-QDA project) unless asked for.
PERSONAL_METADATA: frozenset[str] = frozenset(
    {
        "email",
        "email address",
        "ipaddress",
        "ip address",
        "ipaddr",
        "recipientlastname",
        "recipient last name",
        "recipientfirstname",
        "recipient first name",
        "recipientemail",
        "recipient email",
        "locationlatitude",
        "location latitude",
        "locationlongitude",
        "location longitude",
        "first name",
        "last name",
        "token",
        "access code",
    }
)


#: Columns that survey tools add and that are kept as they are, never matched to a field
#: (compared after :func:`content_words`-style normalisation: lower case, words only).
SURVEY_METADATA: frozenset[str] = PERSONAL_METADATA | frozenset(
    {
        # Google Forms, Microsoft Forms
        "score",
        "start time",
        "last modified time",
        "total points",
        "quiz feedback",
        # Qualtrics (short names and labels)
        "startdate",
        "enddate",
        "status",
        "response type",
        "progress",
        "duration",
        "duration in seconds",
        "finished",
        "externalreference",
        "external data reference",
        "distributionchannel",
        "distribution channel",
        "userlanguage",
        "user language",
        "language",
        # SurveyMonkey
        "collector id",
        # LimeSurvey (full headings and question codes)
        "last page",
        "lastpage",
        "start language",
        "startlanguage",
        "seed",
        "date started",
        "date last action",
        "datestamp",
        "referrer url",
        "refurl",
        "total time",
        "interviewtime",
        # Typeform
        "network id",
        "tags",
        "ending",
        # REDCap
        "survey identifier",
        "complete",
    }
)

#: KoboToolbox's own columns, by their exact header: the account that sent the form
#: ("_submitted_by", a user name, not a date), its ids and states, and the parts it splits a
#: geopoint question into ("_Location_latitude" ... "_Location_precision"). ``_id`` is the
#: response's id and ``_submission_time`` its ``submitted`` time, so neither is here.
_KOBO_METADATA = re.compile(
    r"_(?:submitted_by|uuid|validation_status|status|notes|tags|index|_version__|version_"
    r"|xform_id_string|attachments|geolocation|duration|parent_table_name|parent_index"
    r"|submission__id|submission__uuid)"
    r"|_.+_(?:latitude|longitude|altitude|precision)|meta/instanceid|formhub/uuid",
    re.IGNORECASE,
)
#: KoboToolbox's (ODK's) metadata questions, named exactly so in every export: the form's
#: own clock ("start", "end", "today") and the device.
_KOBO_META_QUESTIONS = frozenset(
    {"start", "end", "today", "deviceid", "username", "phonenumber", "simserial", "audit"}
)
#: The parts of a KoboToolbox geopoint that locate a respondent.
_KOBO_PLACE = re.compile(r"_.+_(?:latitude|longitude)", re.IGNORECASE)

#: Words of a survey's own clock: a header with a date/time word and one of these is the
#: tool's record of the response ("Date started", "Stage Date (UTC)"), never the story's date.
_SURVEY_CLOCK = frozenset(
    {
        "start",
        "started",
        "end",
        "ended",
        "last",
        "modified",
        "stage",
        "action",
        "recorded",
        "submit",
        "submitted",
        "submission",
        "completion",
        "completed",
        "finished",
        "utc",
        "gmt",
    }
)
_TIME_WORDS = frozenset({"date", "time", "timestamp", "datestamp", "datetime"})
#: Consent questions ("Do you consent to take part?", "I agree to participate in this study").
_CONSENT = re.compile(
    r"\bconsent|\bagree\w*\b.*\b(?:participat\w*|take part|study|research|survey|terms)\b",
    re.IGNORECASE | re.DOTALL,
)


def is_personal_metadata(header: str) -> bool:
    """Whether a column is a survey tool's record of who or where a respondent is.

    Examples
    --------
    >>> [is_personal_metadata(h) for h in ("IP Address", "RecipientEmail", "Email Address")]
    [True, True, True]
    >>> [is_personal_metadata(h) for h in ("Your name", "Collector ID", "Progress")]
    [False, False, False]
    >>> is_personal_metadata("_gps_latitude"), is_personal_metadata("_gps_precision")
    (True, False)
    """
    return _normal(header) in PERSONAL_METADATA or bool(_KOBO_PLACE.fullmatch(header.strip()))


def is_survey_metadata(header: str) -> bool:
    """Whether a column is one that survey tools add rather than a question about the story.

    Known tool columns (:data:`SURVEY_METADATA`), the tool's clock ("Date started",
    "Start Date (UTC)"), REDCap's own fields (``redcap_...``, "... Complete?"), custom
    data, ids other than the response's (``Collector ID``), and consent questions.

    Examples
    --------
    >>> [is_survey_metadata(h) for h in ("IP Address", "Start Date (UTC)", "Collector ID",
    ...  "Do you consent to take part in this study?", "story_survey_complete")]
    [True, True, True, True, True]
    >>> [is_survey_metadata(h) for h in ("Which network are you part of?", "Date", "Timestamp")]
    [False, False, False]

    KoboToolbox's columns: who sent the form is metadata, when it was sent is not (it is
    the ``submitted`` field), nor is the response's ``_id``:

    >>> [is_survey_metadata(h) for h in ("_submitted_by", "_uuid", "__version__",
    ...  "_Location_altitude", "_gps_precision", "start", "_submission_time", "_id")]
    [True, True, True, True, True, True, False, False]
    """
    if _KOBO_METADATA.fullmatch(header.strip()) or header.strip() in _KOBO_META_QUESTIONS:
        return True
    normal = _normal(header)
    if normal in SURVEY_METADATA or normal.startswith(("redcap ", "q recaptcha", "q relevantid")):
        return True
    words = normal.split()
    if not words:
        return False
    if words[-1] == "complete" or (words[0] == "custom" and "data" in words):
        return True
    if words[-1] == "id" and normal not in {_normal(p) for p in STORY_WORDING["story_id"]}:
        return True
    if _TIME_WORDS & set(words) and _SURVEY_CLOCK & set(words):
        return not _is_submission(normal)
    return bool(_CONSENT.search(header))


def _is_submission(normal: str) -> bool:
    """A survey clock column that tells when the response was sent (a ``submitted`` phrase)."""
    bare = re.sub(r"\s*\b(?:utc|gmt)\b", "", normal).strip()
    return bare in {_normal(p) for p in STORY_WORDING["submitted"]} or bare.endswith(" timestamp")


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
# "3. ", "Q3) ", "Question 3: ", and LimeSurvey's question codes "G01Q01. ", "Q00_SQ001. ",
# "G01Q03[SQ001]. ", and the codes of its own columns in its "Question code & question text"
# headings ("id. Response ID", "submitdate. Date submitted": trial 38)
_NUMBERING = re.compile(
    r"^\s*(?:(?:q(?:uestion)?\s*)?\d+\s*[.):-]?|(?:g\d+)?q\d+(?:_?sq\d+|\[\w+\])?\s*[.):-]"
    r"|(?:id|submitdate|lastpage|startlanguage|seed|token|startdate|datestamp|ipaddr|refurl)\.)"
    r"\s+",
    re.IGNORECASE,
)
#: A header the survey tool cut short: "How did this contribute to your persona..."
_CUT = re.compile(r"^(.*\S)\s*(?:\.\.\.|…)\s*$", re.DOTALL)
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
        "submitted",
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


@functools.lru_cache(maxsize=8192)
def content_words(text: str) -> str:
    """Lower-case words of ``text`` without numbering, "*" marks and stop words.

    Examples
    --------
    >>> content_words("3. How did this influence your practice? *")
    'influence practice'
    """
    text = _NUMBERING.sub("", question_of(text)).lower()
    words = re.findall(r"[^\W_]+", text)
    return " ".join(w for w in words if w not in _STOP)


#: The start of a pattern that begins with spaces (``\s*`` or ``\s+``): not inside a run of
#: spaces, where a match would have started at the run's first space anyway. Without it the
#: pattern is tried from each space of the run and rescans the run to its end each time:
#: quadratic in a line or header of spaces (10,000 spaces took seconds, 30,000 minutes).
NOT_INSIDE_SPACES = r"(?!(?<=\s)\s)"
#: Qualtrics names a choice question's column "<question> - Selected Choice".
_SELECTED_CHOICE = re.compile(rf"{NOT_INSIDE_SPACES}\s*-\s*selected choice\s*$", re.IGNORECASE)


def question_of(header: str) -> str:
    """The question a column header asks, without Qualtrics's " - Selected Choice".

    Examples
    --------
    >>> question_of("Which best describes you? - Selected Choice")
    'Which best describes you?'
    """
    return _SELECTED_CHOICE.sub("", header).strip()


#: A question's path in a KoboToolbox (ODK) export with XML names: "group_profile/district".
_GROUP_PATH = re.compile(r"(?:[A-Za-z_][\w.-]*/)+([A-Za-z_][\w.-]*)")


def question_name(header: str) -> str:
    """The question of a KoboToolbox header that is a group path: its last part.

    A path's parts are XML names (no spaces) and one of them has an underscore, or all are
    lower case; the worksheet's "Community/date" is no path.

    Examples
    --------
    >>> question_name("group_story/activity_date"), question_name("profile/district")
    ('activity_date', 'district')
    >>> question_name("Community/date"), question_name("What is your role?/Other")
    ('Community/date', 'What is your role?/Other')
    """
    match = _GROUP_PATH.fullmatch(header.strip())
    if match is None or not ("_" in header or header == header.lower()):
        return header
    return match.group(1)


@functools.lru_cache(maxsize=8192)
def _normal(text: str) -> str:
    text = _NUMBERING.sub("", question_of(text)).lower()
    return " ".join(re.findall(r"[^\W_]+", text))


@dataclass(frozen=True)
class ColumnMatch:
    """The result of :func:`match_columns`: ``column -> (field, score)`` and kept columns.

    ``kept`` lists every column matched to no field, in file order; ``metadata`` those of
    them that survey tools add (:func:`is_survey_metadata`, or a survey clock column that
    tells when a response was sent, which another column took the ``submitted`` field from
    or which the frame has no field for: a list's "Timestamp").
    """

    fields: dict[str, tuple[str, float]]
    kept: list[str]
    metadata: list[str] = _field(default_factory=list)
    #: The kept columns the user's mapping sent to no field (``column: null``): left out on
    #: purpose, so never reported as free text nothing codes.
    left_out: list[str] = _field(default_factory=list)

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

    if header.strip() in wording and not content_words(header):
        return 100.0, 100.0  # a header of no words, such as Typeform's "#"
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
    cut = _CUT.match(header)
    if cut and not exact and len(_normal(cut.group(1)).split()) >= 4:
        start = _normal(cut.group(1))  # the header as far as the tool kept it
        if any(_normal(phrase).startswith(start) for phrase in wording):
            return _CUT_SCORE, 100.0
    best = (0.0, 0.0)
    for phrase in wording:
        target = content_words(phrase)
        if _normal(header) == _normal(phrase):
            return (_WEAK_PHRASE_SCORE, 100.0) if target in _WEAK_PHRASES else (100.0, 100.0)
        if exact:
            # who/when/which fields: the whole header must read like the phrase
            score = fuzz.token_sort_ratio(words, target)
        else:
            score = fuzz.token_set_ratio(words, target)
        best = max(best, (score, fuzz.ratio(words, target)))
    questions = [] if exact else _questions(header)
    if len(questions) > 1:
        # "Has it changed how you do your work? What difference did it make?": two of the
        # worksheet's questions, each of which matches, score as their best (trial 37: the
        # pair scored 71 as one text, below the threshold, and the answers went uncoded)
        best = max(best, *(_score(q, wording, exact=False, field=field) for q in questions))
    return best


def _questions(header: str) -> list[str]:
    """The questions a header asks, each of two content words or more.

    Examples
    --------
    >>> _questions("Has it changed how you do your work? What difference did it make?")
    ['Has it changed how you do your work?', 'What difference did it make?']
    >>> _questions("Why? Any other comments?")
    ['Any other comments?']
    """
    # split, not re.findall(r"[^?]*\?"): that pattern rescans the rest of the header from
    # every position, and a 40,000-character header with no question mark took 5 s (CI's
    # fuzz test of the loaders, a CSV with no header row and a huge first cell)
    asked = (f"{part}?".strip() for part in header.split("?")[:-1])
    return [question for question in asked if len(content_words(question).split()) >= 2]


#: A header cut short ("...") that begins one of a prompt's phrases word for word.
_CUT_SCORE = 95.0

#: Exact phrases that are weaker evidence than the rest of their field's: a survey's end time
#: is its submission time only when the tool records nothing better ("Recorded Date").
_WEAK_PHRASES = frozenset({"end date", "end time"})
_WEAK_PHRASE_SCORE = 91.0

#: Head words that say what a short header asks for (:func:`_meaning`).
_CONCEPTS: dict[str, frozenset[str]] = {
    "community": frozenset(
        {"community", "communities", "network", "networks", "cop", "group", "circle", "chapter"}
    ),
    "role": frozenset(
        {"role", "roles", "position", "job", "occupation", "profession", "function"}
    ),
    "date": frozenset({"date", "when", "day"}),
}
#: Words that may stand before the head word ("Your *main* network", "*Full* name").
_QUALIFIERS = frozenset({"main", "primary", "current", "home", "own", "full", "local"})
_PERSON = frozenset({"respondent", "member", "participant", "person", "author", "storyteller"})
#: Words for the people a survey asks, before "name" ("Staff name", "Nurse's name").
_PEOPLE = frozenset(
    {
        *_PERSON, "interviewee", "staff", "employee", "volunteer", "student", "teacher",
        "nurse", "coach", "farmer", "engineer", "contributor", "attendee", "delegate",
    }
)  # fmt: skip
#: A question after the place a member works ("Which practice do you work at?", "Where do
#: you work?"): the site, read as the member's community (trial 28).
_PLACES = (
    r"school|practice|ward|hospital|clinic|surgery|site|unit|team|organi[sz]ation|company|"
    r"department|trust|institution|university|college|farm|municipality|council|agency|"
    r"office|branch|centre|center|campus|workplace|setting|employer|club|library|lab|"
    # a council's or utility's works depot, where its engineers are based (trial 42)
    r"depot"
)
#: The areas a programme's members work in, asked by "which ..." (trial 35).
_AREAS = r"district|region|county|sub-?county|province|village"
#: One place or two ("Which hospital or team are you based in?", trial 43).
_PLACE_OR = rf"(?:{_PLACES})(?:\s*(?:/|or|and)\s*(?:{_PLACES}))?"
_WORKPLACE = re.compile(
    r"(?:which|what|where)\b[\w\s'’/-]{0,40}?\b(?:do|did)\s+you\s+(?:currently\s+)?"
    r"(?:work|teach|practi[cs]e)(?:\s+(?:at|in|for|from))?\s*\??"
    # "Which school are you at?", "Where are you based?": a place, not "which sessions
    # were you at?" (the activities prompt)
    rf"|(?:which|what)\s+{_PLACE_OR}\s+(?:are|were)\s+you\s+(?:currently\s+)?"
    r"(?:based\s+)?(?:at|in|from|with)\s*\??"
    r"|where\s+are\s+you\s+(?:currently\s+)?based\s*\??"
    # "Which club do you coach at?", "Which club do you belong to?": a place asked after
    # by name, whatever the member does there ("What age group do you coach?" is no place)
    rf"|(?:which|what)\s+{_PLACE_OR}\s+(?:do|did)\s+you\s+(?:currently\s+)?"
    r"(?:coach|volunteer|play|train|serve|nurse|study|belong)"
    r"(?:\s+(?:at|in|for|from|with|to|on))?\s*\??"
    # "Which district do you facilitate farmer field schools in?": a question that asks
    # which district (region, county ...) the member does anything in (trial 35)
    rf"|(?:in\s+)?(?:which|what)\s+(?:{_AREAS})\s+(?:do|did|are|were)\s+you\b[^?]*\??",
    re.IGNORECASE,
)
#: The people a member's work serves: a difference made for them is the organization's goal
#: (Wenger 2007: "How did this contribute to the goal of the organization?").
_SERVED = (
    r"households?|famil(?:y|ies)|patients?|clients?|customers?|pupils?|students?|learners?|"
    r"children|mothers|parents|farmers?|beneficiar(?:y|ies)|residents?|citizens?|"
    r"(?:service\s+)?users?|people|villagers|caregivers|members\s+of\s+the\s+public"
)
#: The organization a member works for, as a prompt names it ("What difference has it made
#: to the Council / the service?", trial 42): its goal is the organization prompt's.
_EMPLOYERS = (
    r"council|(?:public\s+)?services?|organi[sz]ations?|department|company|business|employer"
    r"|authority|agency|trust|institution|firm"
)
#: Common wordings of a story prompt that fuzzy matching misses, by meaning (trial 32):
#: "What did you do differently afterwards?" asks for applied value (practice), "What
#: difference did it make for the households you serve?" for the organization's goal.
_PROMPTS_BY_MEANING: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(
            r"(?:(?:what|how)\b.*\b(?:did|do|have)\s+you\s+(?:done\s+|do\s+)?"
            # "Have you done anything differently in your library as a result?" (trial 40)
            r"|(?:have|did)\s+you\s+(?:done\s+|do\s+)?(?:anything|something|things)\s+)"
            r"differently\b.*",
            re.IGNORECASE | re.DOTALL,
        ),
        "practice",
    ),
    # "What did you get out of it? (ideas, skills, contacts ...)", "What did you take away
    # from it?": what the member got, the insights prompt (trial 40: kept as is)
    (
        re.compile(
            r"what\s+(?:did|have|do)\s+you\s+(?:get|got|gotten|gain(?:ed)?|take(?:n)?\s+away)"
            r"\s+(?:out\s+of|from)\b.*",
            re.IGNORECASE | re.DOTALL,
        ),
        "insights",
    ),
    # "What network activity or conversation stood out for you this year?": the activity
    # that meant most, the activities prompt (trial 40: kept as is)
    (
        re.compile(
            # "Tell us about a case review, WhatsApp conversation or guideline ... that
            # stuck with you" (trial 43: not read, and its 1,477-character story skipped)
            r"(?:what|which|tell\s+(?:us|me)\s+about)\b.{0,80}\b(?:activit(?:y|ies)|events?"
            r"|sessions?|meetings?|conversations?|interactions?|discussions?|case\s+reviews?)"
            r"\b.{0,80}\b(?:(?:stood|stands?)\s+out|stuck\s+with\s+you)\b.*",
            re.IGNORECASE | re.DOTALL,
        ),
        "activities",
    ),
    (
        re.compile(
            # "Has it made a difference for patients ...?" too (trial 43)
            r"(?:what|how|has|have|did|does)\b.*\b(?:difference|change[sd]?|impact|benefits?)"
            r"\b.*?\b(?:for|to|on)"
            rf"\s+(?:the\s+|your\s+|our\s+|their\s+)?(?:{_SERVED})\b.*",
            re.IGNORECASE | re.DOTALL,
        ),
        "organization",
    ),
    # "Has it changed how you coach?", "How has the network changed the way you teach?":
    # a change in what the member does (trial 39: kept as is, its answers went uncoded)
    (
        re.compile(
            r"(?:how\s+)?(?:has|have|did|does)\s+(?:it|this|that|(?:the|your|our)\s+[\w'’-]+"
            r"(?:\s+[\w'’-]+)?)\s+chang\w*\s+(?:how|the\s+way|what)\s+you\b"
            # "... changed how you or your managers think about ...?" asks for reframing, a
            # change of mind, which no prompt of the template asks for (trial 43)
            r"(?!(?:\s+[\w'’-]+){0,4}?\s+(?:think|see|view|feel|understand|value)\b).*",
            re.IGNORECASE | re.DOTALL,
        ),
        "practice",
    ),
    # "What did you take part in? (meeting, site visit ...)", "What have you attended?": the
    # activities prompt in a council's form (trial 42: no prompt found in 30 Word forms).
    # "What" right before the verb: "Which network activities did you take part in? (tick
    # all that apply)" is a question of choices (trial 39), not this prompt
    (
        re.compile(
            r"what\s+(?:else\s+)?(?:did|have|do)\s+you\s+(?:(?:take|taken|took)\s+part\s+in"
            r"|participated?\s+in|attend(?:ed)?|been\s+(?:part\s+of|involved\s+in)"
            r"|get\s+involved\s+in|got\s+involved\s+in)\b.*",
            re.IGNORECASE | re.DOTALL,
        ),
        "activities",
    ),
    # "What difference has it made to the Council / the service?": the organization's goal
    # (trial 42), as a difference made for the people it serves is
    (
        re.compile(
            r"(?:what|how)\b[^?]{0,60}?\b(?:difference|change[sd]?|impact|benefits?)\b[^?]{0,40}?"
            rf"\b(?:for|to|on)\s+(?:the\s+|your\s+|our\s+|their\s+)?(?:{_EMPLOYERS})\b.*",
            re.IGNORECASE | re.DOTALL,
        ),
        "organization",
    ),
    # "How has it helped you develop as a coach?", "How did the network help your career?"
    (
        re.compile(
            r"(?:how|in\s+what\s+ways?)\s+(?:has|have|did|does|do)\b.*?\bhelp(?:ed|s)?\s+"
            r"(?:you\s+(?:to\s+)?(?:develop|grow|progress)|your\s+(?:own\s+)?(?:personal\s+|"
            r"professional\s+)*(?:development|growth|career|progression))\b.*",
            re.IGNORECASE | re.DOTALL,
        ),
        "development",
    ),
    # "How has it helped your club or the County FA's goals?": the worksheet's "How did this
    # contribute to the goal of the organization?" (trial 39: read as "what helps")
    (
        re.compile(
            r"(?:how|in\s+what\s+ways?)\s+(?:has|have|did|does|do)\b.*?\b(?:help(?:ed|s)?|"
            r"contribut\w*\s+to)\s+(?!you\b|(?:your|my)\s+(?:own|personal|career)\b)"
            r".*\b(?:goals?|aims?|objectives?|targets?|mission)\b.*",
            re.IGNORECASE | re.DOTALL,
        ),
        "organization",
    ),
)


def _prompt_by_meaning(header: str) -> str | None:
    """The story prompt a question asks for in a common wording fuzzy matching misses.

    Examples
    --------
    >>> _prompt_by_meaning("3. What did you do differently afterwards? *")
    'practice'
    >>> _prompt_by_meaning("What difference did it make for the households you serve?")
    'organization'
    >>> _prompt_by_meaning("What difference did it make to your work?") is None
    True
    >>> [_prompt_by_meaning(h) for h in (
    ...     "Have you done anything differently in your library as a result?",
    ...     "What did you get out of it? (ideas, skills, contacts, resources...)",
    ...     "What network activity or conversation stood out for you this year?")]
    ['practice', 'insights', 'activities']
    >>> _prompt_by_meaning("Has it changed how you or your managers think about it?") is None
    True
    >>> [_prompt_by_meaning(h) for h in (
    ...     "Tell us about a case review or WhatsApp conversation that stuck with you",
    ...     "Has it made a difference for patients, audit results or your team?")]
    ['activities', 'organization']
    >>> [_prompt_by_meaning(h) for h in (
    ...     "Has it changed how you coach? What difference has it made on the pitch?",
    ...     "How has it helped you develop as a coach (badges, confidence, etc)?",
    ...     "How has it helped your club or the County FA's goals? Any numbers?")]
    ['practice', 'development', 'organization']
    """
    text = _NUMBERING.sub("", question_of(header)).strip().rstrip("*: ").strip()
    # a common wording is in the question's first words; the patterns' pairs of ".*" would
    # take time with the square of a whole long header
    text = text[:_LONGEST_LABEL]
    for pattern, field in _PROMPTS_BY_MEANING:
        if pattern.fullmatch(text):
            return field
    return None


#: A header names its field by meaning only when it has at most this many content words.
_SHORT_HEADER = 6
#: The score of a match by meaning: above the 90 header fields need, below exact wording.
MEANING_SCORE = 92.0
#: Places a survey groups its respondents by ("District", "Health facility", "Sub-county"):
#: the community when nothing names one (trial 32), so below a community by meaning.
_PLACE_WORDS = frozenset(
    {
        "district", "districts", "region", "county", "subcounty", "province", "site",
        "facility", "depot",
    }
)  # fmt: skip
_PLACE_QUALIFIERS = frozenset({"sub", "health", "your", "name"})
PLACE_SCORE = 90.0


def _is_place(words: Sequence[str]) -> bool:
    """Whether a short header's content words only name a place ("sub county", "site name").

    Examples
    --------
    >>> _is_place(["district"]), _is_place(["sub", "county"]), _is_place(["site", "visits"])
    (True, True, False)
    """
    rest = [w for w in words if w not in _PLACE_QUALIFIERS]
    return len(rest) == 1 and rest[0] in _PLACE_WORDS


def _meaning(header: str) -> str | None:
    """The field a short header asks for by its head word: community, role, member, date.

    "Name of your community / network" -> community; "Your role in the community" -> role;
    "Which network are you part of?" -> community; "Your full name", "Respondent name",
    "Staff name" and "Participant" -> member; "Date of the activity (dd/mm/yyyy)" -> date.
    A header that only names a place ("District", "Which county are you in?", "Health
    facility") -> place (:data:`PLACE_SCORE`). A survey tool's own column never has a meaning.

    Examples
    --------
    >>> [_meaning(h) for h in ("Your role in the community", "District", "Site visits")]
    ['role', 'place', None]
    """
    if is_survey_metadata(header):
        return None
    words = content_words(_without_remark(header) or header).split()
    if not words or len(words) > _SHORT_HEADER:
        return None
    while words and words[0] in _QUALIFIERS:
        words = words[1:]
    if not words:
        return None
    if _is_place(words):
        return "place"
    if len(words) == 1 and words[0] in _PERSON:
        return "member"  # "Participant", "Respondent"
    if words[-1] in ("name", "names") and 1 < len(words) <= 4:
        people = [w for w in words[:-1] if w != "s"]  # "participant's" reads "participant s"
        if people and all(w in _PEOPLE for w in people):
            return "member"  # "Respondent name", "Staff name", "Participant's name"
    if words[0] in ("name", "names"):
        rest = [w for w in words[1:] if w not in _QUALIFIERS]
        if rest and rest[0] in _CONCEPTS["community"]:
            return "community"
        if not rest or rest[0] in _PERSON:
            return "member"
        return None
    for concept, heads in _CONCEPTS.items():
        if words[0] in heads:
            return concept
    return None


#: A header line's label of the member besides the survey's ("Participant", "Name").
_MEMBER_LABELS = frozenset({"interviewee", "informant", "narrator"})
#: A place read as the community (:data:`_PLACES`, :data:`_AREAS`), except the practice
#: prompt's own word.
_PLACE_LABEL = re.compile(rf"(?:{_PLACES}|{_AREAS})", re.IGNORECASE)


def names_a_place(word: str) -> bool:
    """Whether ``word`` is a place members are based at, as a label of the community is
    (:func:`header_label`): "Depot", "School", "Site", "Team", "District"; never the
    practice prompt's own word.

    Examples
    --------
    >>> [names_a_place(w) for w in ("Depot", "school", "Team", "Group", "Practice", "Ty")]
    [True, True, True, False, False, False]
    """
    folded = word.casefold()
    return folded != "practice" and (
        bool(_PLACE_LABEL.fullmatch(folded)) or folded in _PLACE_WORDS
    )


#: The last word of a school's or a hospital's own name ("Greenacres Primary", "Westfield
#: High", "Royal Infirmary"), besides the place words (:func:`names_a_place`).
_NAME_ENDINGS = frozenset(
    {
        "primary", "secondary", "academy", "juniors", "infants", "nursery", "high",
        "grammar", "comprehensive", "infirmary", "general",
    }
)  # fmt: skip
#: Words of a role that names its place ("Head of School", "Ward Manager").
_ROLE_WORDS = frozenset(
    {
        "head", "deputy", "lead", "leader", "manager", "director", "coordinator",
        "teacher", "nurse", "officer", "principal", "chair", "member", "staff",
    }
)  # fmt: skip


def names_a_workplace(text: str) -> bool:
    """Whether ``text`` is the name of a workplace, not a role: capitalised words whose
    last names a school, a hospital or a place members are based at, and no role word
    (trial 40: "Member: Rachel Dunn, Greenacres Primary" gave the role "Greenacres
    Primary").

    Examples
    --------
    >>> [names_a_workplace(t) for t in ("Greenacres Primary", "Royal Infirmary",
    ...  "Leg Ulcer Team", "Head of School", "ward nurse", "Primary")]
    [True, True, True, False, False, False]
    """
    words = re.findall(r"[\w'’]+", text.casefold())
    return (
        len(words) > 1
        and text[:1].isupper()
        and (words[-1] in _NAME_ENDINGS or names_a_place(words[-1]))
        and not _ROLE_WORDS.intersection(words)
    )


def header_label(label: str) -> Literal["community", "member"] | None:
    """The field a label in a document's header line names, apart from the worksheet's own
    labels (:func:`match_label`): the member ("Participant", "Interviewee") or the
    community, which a place stands for as it does in a survey ("Campus", "Site",
    "Hospital", "School", "District", "Organisation").

    Examples
    --------
    >>> [header_label(h) for h in ("Campus", "Health facility", "Network", "Participant")]
    ['community', 'community', 'community', 'member']
    >>> [header_label(h) for h in ("Interviewer", "Practice", "Duration", "Date")]
    [None, None, None, None]
    """
    meant = _meaning(label)
    if meant in ("community", "place"):
        return "community"
    if meant == "member":
        return "member"
    words = [w for w in content_words(label).split() if w not in _QUALIFIERS | _PLACE_QUALIFIERS]
    if len(words) != 1:
        return None
    if words[0] in _MEMBER_LABELS:
        return "member"
    if words[0] != "practice" and _PLACE_LABEL.fullmatch(words[0]):
        return "community"
    return None


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
    "Narrative" ...), so a title such as "Value creation stories" is no prompt. "End
    date" and "End time" are weaker evidence of submission (score 91), so Qualtrics'
    "Recorded Date" wins over its "End Date".

    Survey metadata (:func:`is_survey_metadata`: "Email", "IP Address", "Start Date",
    consent) is never matched, unless its header is exactly one of the field's phrases.
    A short header also maps to community, role, member (or respondent) or date by its
    head word (:func:`_meaning`, score 92): "Name of your community / network" is the
    community, "Your role in the community" the role. A question after where the member
    works ("Which practice do you work at?", "Where do you work?", and Qualtrics' "Which
    hospital do you work at? - Selected Choice") or after the area of their work ("Which
    district do you facilitate farmer field schools in?") is the community (score 92) and
    never a prompt. Common wordings of a prompt are read by meaning too (score 92):
    "What did you do differently afterwards?" and "Has it changed how you coach?" are
    practice, "How has it helped you develop?" is development, "What difference did it make
    for the households you serve?" (or patients, clients, pupils ...) and "How has it helped
    your club's goals?" are organization, "Have you done anything differently?" practice,
    "What did you get out of it?" insights, "What activity stood out for you?" and "What did
    you take part in?" activities, "What difference has it made to the Council / the
    service?" organization; where the field's own wording scores higher, that score stands.

    Parameters
    ----------
    columns : sequence of str
        The headers, in file order.
    wording : mapping
        ``field -> phrases`` (for example :data:`STORY_WORDING`).
    mapping : mapping, optional
        Explicit ``column -> field`` choices that override the matching (score 100);
        ``column -> None`` keeps that column unmapped (listed in ``left_out``).
    threshold : float
        The lowest score (0-100) at which a prompt column is mapped.
    path : str, optional
        The file, for error messages.

    Raises
    ------
    MissingColumnError
        When ``mapping`` names a column that is not there or a field that is unknown.
    MappingError
        When ``mapping`` sends two columns to the same field: a field holds one column,
        and the other's answers would be lost.

    Examples
    --------
    >>> found = match_columns(
    ...     ["Timestamp", "3. How did this influence your practice? *", "Email", "Impact on work"],
    ...     STORY_WORDING,
    ... )
    >>> found.fields["Timestamp"], found.fields["3. How did this influence your practice? *"]
    (('submitted', 100.0), ('practice', 100.0))
    >>> found.kept, found.metadata
    (['Email', 'Impact on work'], ['Email'])
    >>> match_columns(["Name of your community / network", "Your role in the community"],
    ...               STORY_WORDING).fields
    {'Name of your community / network': ('community', 92.0),
     'Your role in the community': ('role', 92.0)}
    """
    fields: dict[str, tuple[str, float]] = {}
    taken: set[str] = set()
    clashes: list[tuple[str, str]] = []  # a second column the mapping sends to a field
    for column, field in (mapping or {}).items():
        if column not in columns:
            raise MissingColumnError(
                f"mapping names column {column!r}, which is not in the file; "
                f"columns are {quoted(columns)}",
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
        if field in taken:
            clashes.append((column, field))
            continue
        fields[column] = (field, 100.0)
        taken.add(field)
    candidates = []
    for position, column in enumerate(columns):
        if column in fields or f"\0{column}" in taken:
            continue
        label = column if _is_phrase(column, wording) else question_name(column)
        if is_survey_metadata(label) and not _is_phrase(label, wording):
            continue
        # the site, never the practice prompt; Qualtrics names a choice question's column
        # "<question> - Selected Choice" (trial 33)
        if _WORKPLACE.fullmatch(question_of(label)):
            if "community" in wording:
                candidates.append((MEANING_SCORE, 0.0, -position, column, "community"))
            continue
        asked = _prompt_by_meaning(label)
        if asked is not None and asked in wording:
            # the field's own wording may match better ("Has it changed how you do your
            # work? What difference did it make?" is practice at 100)
            score, tie = _score(column, wording[asked], exact=False, field=asked)
            best = (score, tie) if score > MEANING_SCORE else (MEANING_SCORE, 0.0)
            candidates.append((*best, -position, column, asked))
            continue
        for field, phrases in wording.items():
            # a group path's prompt is read whole: its group names do not lower a score,
            # and a short question name alone ("hh_difference") would match too loosely
            exact = field in _EXACT_FIELDS
            score, tie = _score(label if exact else column, phrases, exact=exact, field=field)
            if not exact and label != column and not _shares_word(label, phrases):
                # the group's name alone is no prompt: "group_story/q_group" is not the
                # story (trial 44: a Kobo form's group "group_story" made its last
                # question the story at 100, and the organization answers went uncoded)
                score, tie = min((score, tie), _score(label, phrases, exact=False, field=field))
            needed = 90.0 if field in _EXACT_FIELDS else threshold
            if score >= needed:
                candidates.append((score, tie, -position, column, field))
        meant = _meant_field(label, wording)
        if meant is not None:
            candidates.append((meant[1], 0.0, -position, column, meant[0]))
    for score, _, _, column, field in sorted(candidates, reverse=True):
        if column in fields or field in taken:
            continue
        fields[column] = (field, float(score))
        taken.add(field)
    for column, field in clashes:
        first = next(c for c, (f, _) in fields.items() if f == field)
        alike = [f for f in wording if (f in PROMPT_FIELDS) == (field in PROMPT_FIELDS)]
        free = ", ".join(f for f in alike if f not in taken) or "none"
        raise MappingError(
            f"mapping sends both {first!r} and {column!r} to {field!r}, and a field holds "
            f"one column (the other's answers would be lost); send each to its own field "
            f"(free: {free}) or leave one out with null",
            path=path,
            column=column,
        )
    ordered = {c: fields[c] for c in columns if c in fields}
    kept = [c for c in columns if c not in fields]
    metadata = [
        c
        for c in kept
        if is_survey_metadata(question_name(c)) or _is_submission(_normal(question_name(c)))
    ]
    left_out = [c for c in kept if f"\0{c}" in taken]
    return ColumnMatch(ordered, kept, metadata, left_out)


def _shares_word(label: str, phrases: Sequence[str]) -> bool:
    """Whether ``label`` has a content word of one of ``phrases``.

    Examples
    --------
    >>> _shares_word("story_text", ["Your story"]), _shares_word("q_group", ["Your story"])
    (True, False)
    """
    words = set(content_words(label).split())
    return any(words & set(content_words(phrase).split()) for phrase in phrases)


def _is_phrase(column: str, wording: Mapping[str, Sequence[str]]) -> bool:
    """Whether ``column`` is, word for word, one of the phrases of ``wording``."""
    normal = _normal(column)
    return any(normal == _normal(p) for phrases in wording.values() for p in phrases)


def _meant_field(column: str, wording: Mapping[str, Sequence[str]]) -> tuple[str, float] | None:
    """The field of ``wording`` that ``column`` names by meaning (:func:`_meaning`), and
    the score: :data:`MEANING_SCORE`, or :data:`PLACE_SCORE` for a place as the community.

    Examples
    --------
    >>> _meant_field("Which network are you part of?", STORY_WORDING)
    ('community', 92.0)
    >>> _meant_field("County", STORY_WORDING)
    ('community', 90.0)
    """
    meant = _meaning(column)
    score = MEANING_SCORE
    if meant == "place":
        meant, score = "community", PLACE_SCORE
    if meant is None and _normal(column).endswith(" timestamp"):
        meant = "submitted"  # REDCap's raw "<instrument>_timestamp"
    if meant == "member" and "member" not in wording:
        meant = "respondent"
    return (meant, score) if meant is not None and meant in wording else None


#: The longest line :func:`match_label` reads as a prompt, and the most of a header
#: :func:`_prompt_by_meaning` reads, in characters.
_LONGEST_LABEL = 300


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
    >>> match_label("What meaningful activities did you participate in? A ward visit.",
    ...             STORY_WORDING)
    ('activities', 100.0, 'A ward visit.')
    >>> match_label("How did this influence your practice? What difference did it make "
    ...             "to your performance?", STORY_WORDING)
    ('practice', 100.0, '')
    >>> match_label("We met every week.", STORY_WORDING) is None
    True
    >>> match_label("Value creation stories", STORY_WORDING) is None
    True
    >>> match_label("-", STORY_WORDING) is None  # an answer of "-" (trial 42: a story id)
    True
    """
    text = line.strip().strip("*_#").strip()
    if not any(char.isalnum() for char in text[:_LONGEST_LABEL]):  # "-", "–", "...": no label
        return None
    # (label, answer, rank on a tie): "Label: answer" first, the whole line, then a
    # question followed by its answer on the same line ("What ... in? Peer visits.")
    options = [(text, "", 1)]
    head, sep, rest = text.partition(":")
    if sep and head.strip():
        options.append((head, rest.strip().lstrip("*_").strip(), 2))
    # what follows a question is its answer, unless it is more questions: a prompt of
    # several questions on one line ("How did this influence your practice? What
    # difference did it make?") has no answer on the line. Only the question marks of a
    # label short enough to be a prompt: each one copies the rest of the line, and a
    # pasted transcript of question marks took minutes (quadratic)
    options += [
        (text[: m.end()], "" if rest.endswith("?") else rest, 0)
        for m in re.finditer(r"\?", text[:_LONGEST_LABEL])
        if (rest := text[m.end() :].strip())
    ]
    best: tuple[str, float, str] | None = None
    best_key = (0.0, -1, 0)  # the longest label on a tie: a prompt of several questions
    for label, answer, rank in options:
        if len(label) > _LONGEST_LABEL:
            continue
        for field, phrases in wording.items():
            if field in _EXACT_FIELDS:
                score = 100.0 if any(_normal(label) == _normal(p) for p in phrases) else 0.0
            elif field == "story" and _is_narrative(label, phrases) is not None:
                score = 100.0 if _is_narrative(label, phrases) else 0.0
            else:
                score = _label_score(label, phrases)
            if score >= threshold and (score, rank, len(label)) > best_key:
                best, best_key = (field, score, answer), (score, rank, len(label))
    return best


def match_heading(
    label: str, wording: Mapping[str, Sequence[str]]
) -> tuple[str, float, str] | None:
    """A form's prompt that its layout sets apart (a heading, or the first cell of a table's
    row), read as a survey's column header is read (:func:`match_columns`: by its wording,
    with the column scores, and common wordings by meaning); ``(field, score, "")`` as
    :func:`match_label` returns it, for the prompt fields only (never the free story).

    A heading is a label by its place in the form, so it may ask a prompt in a council's
    own words, which :func:`match_label` (any line, a whole line reading like a phrase)
    leaves alone (trial 42). Only a question is read so: a section title ("Changes") or
    the first cell of a table inside an answer ("Learning lunch | 3 May") shares a word
    with a prompt's phrase, and a column header's looser score would take it for one.

    Examples
    --------
    >>> [match_heading(h, STORY_WORDING) for h in (
    ...     "What did you take part in? (meeting, site visit, Teams channel etc.)",
    ...     "What did you learn or get access to?",
    ...     "Have you done anything differently because of it?",
    ...     "How has it helped your own development?",
    ...     "What difference has it made to the Council / the service? Give numbers.")]
    [('activities', 92.0, ''), ('insights', 100.0, ''), ('practice', 92.0, ''),
     ('development', 100.0, ''), ('organization', 92.0, '')]
    >>> [match_heading(h, STORY_WORDING) for h in ("VCS 01 Gareth Pryce", "Learning lunch")]
    [None, None]
    """
    text = " ".join(label.split()).strip("*_#: ")
    if "?" not in text or len(text) > _LONGEST_LABEL:
        return None
    prompts = {f: p for f, p in wording.items() if f in PROMPT_FIELDS and f != "story"}
    found = match_columns([text], prompts).fields.get(text)
    return None if found is None else (found[0], found[1], "")


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


#: Answers that only mark a question as unanswered: survey exports' placeholders ("N/A",
#: "-", "n.a.", SPSS's -99), a refusal to comment ("No comment.", trial 41: coded as
#: value denied in 802 answers), and pointers to another answer ("See above.", "Ditto"),
#: which carry nothing to code of their own. "None" and "nothing" are answers (no value),
#: so they stay. So is the grey hint of a Word form's content control, left where nobody
#: typed ("Click or tap here to enter text.", "Choose an item.": trial 46, read as 7
#: answers of 4 teachers' forms, and kept as grey text by a Google Docs export).
_NO_ANSWER = re.compile(
    r"\(?(n\s*/\s*a|n\.?\s?a\.?|not applicable|no answer|no response|[-–—.?]+|-99|999)\)?"
    r"|no\s+(further\s+)?comments?[.!]*"
    r"|(please\s+)?(see|as|same\s+as)\s+(above|before|(my\s+)?(previous|last|first)\s+"
    r"(answer|question|one))[.!]*|ditto[.!]*"
    r"|click\s+(or\s+tap\s+)?(here\s+)?to\s+enter\s+(text|a\s+date)\.?|choose\s+an\s+item\.?",
    re.IGNORECASE,
)


def is_no_answer(text: str | None) -> bool:
    """Whether an answer is missing or only a placeholder for no answer.

    Examples
    --------
    >>> [is_no_answer(t) for t in ("N/A", " n.a. ", "-", "—", "(n/a)", None)]
    [True, True, True, True, True, True]
    >>> [is_no_answer(t) for t in ("See above.", "as my last answer", "Ditto", "See above: ok")]
    [True, True, True, False]
    >>> [is_no_answer(t) for t in ("None", "Nothing new", "NASA visit", "x-ray review")]
    [False, False, False, False]
    >>> [is_no_answer(t) for t in ("No comment", "no further comments.", "No comment: it helped")]
    [True, True, False]
    >>> [is_no_answer(t) for t in ("Click or tap here to enter text.", "Choose an item.",
    ...     "Click here to enter text: we met twice")]
    [True, True, False]
    """
    return text is None or _NO_ANSWER.fullmatch(text.strip()) is not None


#: The content words (:func:`content_words`) of a heading or cell
#: that names enablers ("What helps", "Success factors", "Helps us") or challenges ("What
#: gets in the way", "Key barriers", "Holds us back": trial 42's kind column).
ENABLER_WORDS = re.compile(
    r"(?:(?:key|main|major|top)\s+)?(?:enabl\w*|(?:things\s+)?help(?:s|ed|ing)?(?:\s+us)?|works"
    r"|work(?:s|ed)?\s+well|worked|went\s+well|strengths?|positives?|facilitat\w*"
    r"|success(?:\s+factors?)?|supporting(?:\s+factors?)?|drivers?)(?:\s+factors?)?"
)
CHALLENGE_WORDS = re.compile(
    r"(?:(?:key|main|major|top)\s+)?(?:challeng\w*|barriers?|obstacles?|hinders?(?:\s+us)?"
    r"|hindrances?|hinder(?:ing|ed)|(?:things\s+)?(?:gets?|got|getting)\s+way"
    r"|(?:holds?|holding|held)\s+(?:us\s+|you\s+|me\s+)?back"
    r"|difficult\w*|problems?|hurdles?|constraints?|weakness\w*|negatives?|blockers?"
    r"|didn\s*t\s+work|did\s+not\s+work|limitations?|could\s+better"
    # "What makes it hard?", "What was the hardest part?" (trial 32)
    r"|(?:(?:makes?|made|making)\s+)?(?:hard(?:er|est)?|tough(?:er|est)?)(?:\s+parts?)?)"
    r"(?:\s+(?:factors?|faced|we\s+face))?"
)


#: "How has it helped you", "how did the network help our club": a question after what
#: helping did for someone (:func:`kinds_asked`), as far as its question mark (the help at
#: most 200 characters after the "how", so that a long header is read in linear time).
_HELPED_SOMEONE = re.compile(
    r"\bhow\s+(?:has|have|did|does|do)\b[^?]{0,200}?\bhelp(?:ed|s)?\s+"
    r"(?:you|your|us|our|me|my)\b[^?]*",
    re.IGNORECASE,
)
#: "What you count as success", "how you measure success", "what success looks like": a
#: question after what success is (:func:`kinds_asked`), not after what brought it.
_SUCCESS_MEANT = re.compile(
    r"\b(?:(?:count(?:s|ed)?|see[sn]?|measur(?:e[sd]?|ing)|defin(?:e[sd]?|ing)|judg(?:e[sd]?|ing))"
    r"\s+(?:as\s+|it\s+as\s+)?success\b|\bsuccess\s+(?:means|looks\s+like|is)\b)",
    re.IGNORECASE,
)
#: The same words anywhere in a survey question (:func:`kinds_asked`).
_ENABLER_ASKED = re.compile(rf"\b(?:{ENABLER_WORDS.pattern})\b")
_CHALLENGE_ASKED = re.compile(rf"\b(?:{CHALLENGE_WORDS.pattern})\b")


def kinds_asked(header: str) -> set[str]:
    """The kinds of item a column's question asks for: one, both (a mixed column), or none.

    Examples
    --------
    >>> [sorted(kinds_asked(h)) for h in ("What has helped the network work well?",
    ...     "What has got in the way?", "Anything else about what helps or hinders?",
    ...     "Which school are you based at?", "What makes it hard?")]
    [['enabler'], ['challenge'], ['challenge', 'enabler'], [], ['challenge']]
    >>> [sorted(kinds_asked(h)) for h in ("How has it helped you develop as a coach?",
    ...     "How has the network helped your club? What got in the way?",
    ...     "Has it changed what you count as success?", "What made it a success?")]
    [[], ['challenge'], [], ['enabler']]
    """
    # "How has it helped you develop?", "How did the network help your club?": what came
    # of it for someone, a story prompt, not what helps (trial 39); "what you count as
    # success" asks what success is, not what led to it (trial 40)
    question = _SUCCESS_MEANT.sub(" ", _HELPED_SOMEONE.sub(" ", question_of(header)))
    words = content_words(question)
    return {
        kind
        for kind, asked in (("enabler", _ENABLER_ASKED), ("challenge", _CHALLENGE_ASKED))
        if asked.search(words)
    }


#: In a list, or a worksheet answer that lists (challenges, support), these say there is no
#: item ("Challenges: none"); in a story they are answers.
_NOTHING = frozenset(
    {
        "none", "nothing", "nil", "no", "nope", "none really", "none so far",
        "nothing in particular", "nothing really", "nothing much", "nothing specific",
        "not really", "not much", "none that i can think of", "nothing to add",
        # the same in the languages CoP surveys are often answered in, as whole answers only
        # (trial 32: Swahili "Hakuna" was coded as a challenge, "None" beside it was not)
        "hakuna", "hamna", "rien", "aucun", "aucune", "nada", "ninguno", "ninguna",
        "nenhum", "nenhuma", "nichts", "keine", "keiner", "niets", "geen",
    }
)  # fmt: skip


def is_no_item(text: str | None) -> bool:
    """Whether a list cell or line holds no item: a placeholder ("N/A", "-") or "none".

    Examples
    --------
    >>> [is_no_item(t) for t in ("N/A", "None.", "nothing", "No budget", "None of the managers")]
    [True, True, True, False, False]
    >>> is_no_item("Nothing in particular."), is_no_item("Not much time to meet")
    (True, False)
    >>> [is_no_item(t) for t in ("Hakuna", "Rien.", "nada", "Geen", "Hakuna muda wa kukutana")]
    [True, True, True, True, False]
    """
    return is_no_answer(text) or str(text).strip(" .!").casefold() in _NOTHING


def drop_placeholders(
    values: dict[str, str | None],
    fields: Iterable[str],
    *,
    where: str,
    listed: Iterable[str] = (),
) -> list[str]:
    """Empty the answers of ``fields`` that are only a placeholder ("N/A", "-"), or in the
    fields that list things (``listed``) a "none" (:func:`is_no_item`); say which.

    Examples
    --------
    >>> values = {"purpose": "N/A", "support": "None.", "actions": "None"}
    >>> drop_placeholders(values, values, where="row 3", listed=["support"])
    ["row 3 purpose 'N/A'", "row 3 support 'None.'"]
    >>> values
    {'purpose': None, 'support': None, 'actions': 'None'}
    """
    listed = set(listed)
    dropped = []
    for field in fields:
        text = values.get(field)
        empty = is_no_item if field in listed else is_no_answer
        if text is not None and empty(text):
            values[field] = None
            dropped.append(f"{where} {field} {text!r}")
    return dropped


def placeholder_notes(dropped: list[str]) -> list[str]:
    """The load report's note on answers read as no answer (each ``"<where> <text>"``, the
    text as :func:`repr` writes it): the first few (:func:`~copanalysis.io.places.first_places`)
    and, when there are more, how many of each placeholder (trial 41: 4,850 listed on one
    line). The loader keeps them all in the report's ``listed``.

    Examples
    --------
    >>> placeholder_notes(["row 3 challenge 'N/A'"])
    ["1 answer read as no answer, being only a placeholder: row 3 challenge 'N/A'"]
    >>> print(placeholder_notes([f"row {n} practice {t!r}" for n in range(2, 1302)
    ...                          for t in ("N/A", "-", "N/A")])[0])
    3,900 answers read as no answer, being only a placeholder ('N/A' 2,600, '-' 1,300): \
row 2 practice 'N/A'; row 2 practice '-'; row 2 practice 'N/A'; row 3 practice 'N/A'; \
row 3 practice '-'; and 3,895 more, all listed by copanalysis check --all
    """
    if not dropped:
        return []
    n = len(dropped)
    forms = ""
    if n > SHOWN:
        tally = Counter(_placeholder_text(said) for said in dropped).most_common()
        counted = ", ".join(f"{text} {k:,}" for text, k in tally[:_FORMS_SHOWN])
        rest = sum(k for _, k in tally[_FORMS_SHOWN:])
        other = len(tally) - _FORMS_SHOWN
        counted += f", {other:,} other form{'s' if other > 1 else ''} {rest:,}" if rest else ""
        forms = f" ({counted})"
    return [
        f"{n:,} answer{'s' if n > 1 else ''} read as no answer, being only a placeholder"
        f"{forms}: {first_places(dropped)}"
    ]


#: The placeholders a note on many counts one by one, the most common first.
_FORMS_SHOWN = 8


def _placeholder_text(said: str) -> str:
    """The placeholder of ``"<where> <field> <text>"``, as written there (where and field
    hold no quote).

    Examples
    --------
    >>> _placeholder_text("table 1 members/long 'n/a'")
    "'n/a'"
    >>> print(_placeholder_text(f"row 2 story {chr(39)!r}"))
    "'"
    """
    quotes = [i for i in (said.find("'"), said.find('"')) if i >= 0]
    return said[min(quotes) :] if quotes else said


_DATE_LIKE = re.compile(r"\b(1[89]|20)\d\d\b|\b\d{1,2}[./-]\d{1,2}\b")
_SEPARATORS = (" / ", " – ", " — ", " - ", ", ", "; ", "/", " | ")
#: What may stand between a community and its date, or around the date.
_EDGES = " ,;:/|-–—()[]"
_MEMBER_SEPARATORS = (", ", ",", " / ", " – ", " — ", " - ", "; ", "/", " | ")


def _splits_a_date(text: str, sep: str) -> bool:
    """Whether the last ``sep`` in ``text`` is inside a date ("11/04/2026"), not after a name."""
    left, right = text.rsplit(sep, 1)
    return sep == "/" and left[-1:].isdigit() and right[:1].isdigit()


def _date_after_name(text: str) -> tuple[str | None, str] | None:
    """``(community, date text)`` when ``text`` is a name followed by a date, however they
    are separated ("Mchinji 11/04/2026", "Dedza (12/03/2026)"), as dateutil's fuzzy parser
    finds the date; None when the date is not the whole end of the text ("Ward 7 Nurses")
    or is only a number or a year ("Unit 4", "Class of 2025").

    Only where the date is comes from dateutil: the date text is read later, with the
    file's day/month order, and listed in the load report when it cannot be read whole.
    """
    try:
        _, skipped = dateutil_parser.parse(text, fuzzy_with_tokens=True)
    except (ValueError, OverflowError):
        return None
    name = skipped[0] if skipped else ""
    if not text.startswith(name) or any(part.strip(_EDGES) for part in skipped[1:]):
        return None
    date_text = text[len(name) :].strip(_EDGES)
    if not _DATE_LIKE.search(date_text) or date_text.isdigit():
        return None
    return name.strip(_EDGES) or None, date_text


def split_community_date(value: object) -> tuple[str | None, str | None]:
    """Split a "Community/date" answer into ``(community, date text)``.

    The date may follow the community after a separator (" / ", ", ", " - "), a space or
    in brackets; the date text is returned whole, to be read (or reported as unreadable)
    with the file's day/month order. A bare year after a space stays in the name.

    Examples
    --------
    >>> split_community_date("Nursing Practice Network / 12 March 2025")
    ('Nursing Practice Network', '12 March 2025')
    >>> split_community_date("Teachers' Network, 2025-03")
    ("Teachers' Network", '2025-03')
    >>> split_community_date("Mchinji 11/04/2026")
    ('Mchinji', '11/04/2026')
    >>> split_community_date("Dedza (12/03/2026)")
    ('Dedza', '12/03/2026')
    >>> split_community_date("Harbour Engineers")
    ('Harbour Engineers', None)
    """
    text = clean_text(value)
    if text is None:
        return None, None
    if parse_date(text) is not None:
        return None, text
    for sep in _SEPARATORS:
        if sep not in text or _splits_a_date(text, sep):
            continue
        left, right = (part.strip() for part in text.rsplit(sep, 1))
        if parse_date(right) is not None:
            return left or None, right
        first, rest = (part.strip() for part in text.split(sep, 1))
        if parse_date(first) is not None:
            return rest or None, first
    for sep in _SEPARATORS:
        if sep in text and not _splits_a_date(text, sep):
            left, right = (part.strip() for part in text.rsplit(sep, 1))
            if _DATE_LIKE.search(right):
                return left or None, right
    found = _date_after_name(text)
    if found is not None:
        return found
    name, _, last = text.rpartition(" ")
    last = last.strip(_EDGES)
    if name and _DATE_LIKE.search(last) and not last.isdigit():  # "Mchinji 31/02/2026"
        return name.strip(_EDGES) or None, last
    return text, None


def split_member_role(
    value: object, *, role_in_brackets: bool = True
) -> tuple[str | None, str | None]:
    """Split a "Member/role" answer into ``(member, role)``.

    The name comes first: the answer splits at its first separator (a comma, or " / ",
    " - ", "; " ...) outside brackets, and a trailing "(...)" stays with the role. Without
    such a separator, "Name (role)" gives the bracket's text as the role, unless
    ``role_in_brackets`` is false (a "Member:" answer: "Kwabena Osei (@kosei)" is a name).

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
    >>> split_member_role("Kwabena Osei (@kosei)", role_in_brackets=False)
    ('Kwabena Osei (@kosei)', None)
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
    if bracket and role_in_brackets:
        return bracket.group(1).strip(), bracket.group(2).strip()
    return text, None
