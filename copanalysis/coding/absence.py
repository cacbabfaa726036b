"""Answers that say no value came of it: "Nothing new tbh", "No difference to my practice",
"N/A, didn't go", "the session was a waste of time for me".

A learned coder reads such an answer by its words, which are close to the cycle it denies
("Nothing new" is near potential value), and left alone codes it as value. These rules,
read in the package data ``coding/data/absence.yaml``, let the learned coders give it
polarity -1 and say why. Four kinds of answer count:

* a short answer (a dozen words at most) that opens flatly: "nothing", "none", "not much",
  "no difference", "didn't go", "not that I can see"... (not "nothing beats ...", which
  praises), or a longer one that opens so and gives its reason after a comma or dash, with
  no contrast ("Nothing much, the network is too slow"; "Not much new to be honest, the
  same messages we got in training": a filler such as "to be honest" may come between);
* an answer that is only "no" or "no, not really" (give or take "yet", "tbh");
* a sentence that holds a spoiled-value phrase ("waste of time", "pointless", "not worth
  it") with no negator in the three words before it ("far from a waste of time");
* a sentence that doubts any change came of it ("I'm not sure it made much difference",
  "I doubt we do anything differently"), unless a contrast follows ("..., but I used the
  checklist twice").

An answer that is only a hedge ("Somewhat", "Not sure", "Maybe", "Hard to say") neither
claims value nor denies it: :func:`says_nothing` finds it, and the learned coders leave it
uncoded. A sentence that tells of an insight whose content holds a negation ("I realised
that women in my group never talk when the chief's wife is there") denies no value:
:func:`insight_clause` finds it.
"""

from __future__ import annotations

import bisect
import re
from functools import cache

from copanalysis.coding.wordlists import word_lists
from copanalysis.io.transcripts import is_interviewer_label

__all__ = [
    "absent_value",
    "insight_clause",
    "is_aside",
    "is_request",
    "problem_gone",
    "says_nothing",
]


def _alternatives(phrases: tuple[str, ...]) -> str:
    words = sorted(phrases, key=len, reverse=True)  # the longest phrase wins
    # "n't" matches "nt" too: members type "havent", "didnt", "couldnt" (trial 43: "Havent
    # been able to get to any" was immediate value +1); other apostrophes stay ("we'll")
    return "|".join(
        re.escape(p).replace("'", "['’]").replace("n['’]t", "n['’]?t").replace(r"\ ", r"\s+")
        for p in words
    )


@cache
def _whole() -> re.Pattern[str]:
    lists = word_lists("absence")
    return re.compile(
        rf"^\W*({_alternatives(lists['whole_answers'])})"
        rf"(?:[\s,]+(?:{_alternatives(lists['fillers'])}))*\W*$",
        re.I,
    )


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str], int]:
    lists = word_lists("absence")
    opener = re.compile(
        rf"^\W*({_alternatives(lists['flat_openers'])})(?![\w'’/])"
        rf"(?:,?\s+(?:{_alternatives(lists['fillers'])})(?![\w'’]))*",
        re.I,
    )
    praise = re.compile(rf"^\W*({_alternatives(lists['flat_exceptions'])})\b", re.I)
    undo = _alternatives(lists["undoers"])
    spoiled = re.compile(
        rf"(?<![\w'’])(?:(?P<undo>(?:{undo})(?:\s+\S+){{0,2}}?\s+))?"
        rf"(?P<phrase>{_alternatives(lists['spoiled'])})(?![\w'’])",
        re.I,
    )
    return opener, praise, spoiled, int(lists["short_words"][0])


@cache
def _doubted() -> tuple[re.Pattern[str], re.Pattern[str]]:
    lists = word_lists("absence")
    span = int(lists["doubt_span"][0])
    doubted = re.compile(
        rf"(?<![\w'’])(?P<doubt>{_alternatives(lists['doubts'])})(?![\w'’])"
        rf"(?:\W+[\w'’]+){{0,{span}}}?\W+"
        rf"(?P<change>{_alternatives(lists['little_change'])})(?![\w'’])",
        re.I,
    )
    contrast = re.compile(rf"(?<![\w'’])(?:{_alternatives(lists['contrasts'])})(?![\w'’])", re.I)
    return doubted, contrast


def absent_value(text: str) -> str | None:
    """The words by which ``text`` says no value came of it, or None.

    Examples
    --------
    >>> absent_value("Nothing new tbh")
    'nothing new'
    >>> absent_value("N/A really, didn't go")
    'n/a'
    >>> absent_value("Honestly, the session was a waste of time for me.")
    'waste of time'
    >>> absent_value("Far from a waste of time: I use the checklist daily.") is None
    True
    >>> absent_value("Nothing beats hearing how another ward did it.") is None
    True
    >>> absent_value("No, not really tbh"), absent_value("Not that I can see.")
    ('no, not really', 'not that i can see')
    >>> absent_value("Not sure.") is None  # a hedge: see says_nothing
    True
    >>> absent_value("Not much new to be honest, the same messages we got in training")
    'not much new'
    >>> absent_value("Not sure it changed much, but I used the checklist twice.") is None
    True
    >>> absent_value("I'm not sure it made much difference to how I teach.")
    'not sure it made much difference'
    >>> absent_value("Nice enough, though I can't point to anything I do differently.")
    "can't point to anything i do differently"
    >>> absent_value("Not sure how, but it made a difference.") is None
    True
    >>> absent_value("Nothing I learned there was new, and I have run the same clinic for "
    ...              "twenty years without any of it.") is None  # too long to be flat
    True
    >>> absent_value("Nothing much, the network is very slow in our area so I cannot "
    ...              "download the voice notes.")  # flat, then its reason
    'nothing much'
    >>> absent_value("Not really, but the visit to the other clinic showed me a new way "
    ...              "to run the triage queue.") is None  # flat, then a contrast
    True
    """
    opener, praise, spoiled, short = _patterns()
    whole = _whole().match(text)
    if whole:
        return " ".join(whole.group(1).lower().split())
    flat = opener.match(text)
    if flat and not praise.match(text):
        _, contrast = _doubted()
        # a longer answer that opens flatly and then gives its reason, with no contrast
        # ("Nothing much, the network is too slow to download the notes": trial 32)
        reason = re.match(r"\s*[,;:\u2013\u2014-]", text[flat.end() :])
        if len(text.split()) <= short or (reason and not contrast.search(text, flat.end())):
            return " ".join(flat.group(1).lower().split())
    for match in spoiled.finditer(text):
        if not match.group("undo"):
            return " ".join(match.group("phrase").lower().split())
    doubted, contrast = _doubted()
    doubt = doubted.search(text)
    if doubt and not contrast.search(text, doubt.end("doubt")):
        return " ".join(doubt.group(0).lower().split())
    return None


@cache
def _backchannel() -> re.Pattern[str]:
    lists = word_lists("absence")
    words = _alternatives(lists["backchannels"] + lists["hedges"] + lists["fillers"])
    return re.compile(rf"^[\W_]*(?:(?:{words})(?![\w'’-])[\W_]*)+$", re.I)


def says_nothing(text: str) -> bool:
    """Whether ``text`` is only assent, a filler or a hedge ("Totally.", "Yes, sure.",
    "It's fine.", "Somewhat.", "Not sure", "Maybe, I guess"), with nothing in it a code
    could stand on: in an interview, the member's answer to a question left out with the
    interviewer's turns (trial 31: "Totally." was coded potential, "It's fine." negative
    reframing); in a worksheet, an answer that neither claims value nor denies it (trial
    35: "Somewhat" was coded positive potential value, "Not sure" negative realized value).

    Examples
    --------
    >>> [says_nothing(t) for t in ["Totally.", "Yes, sure!", "It's fine.", "Mm-hm"]]
    [True, True, True, True]
    >>> [says_nothing(t) for t in ["Somewhat", "Not sure yet.", "Maybe, I guess", "Hard to say"]]
    [True, True, True, True]
    >>> [says_nothing(t) for t in ["Yes, I use it daily.", "Fine-tuning the rota.", ""]]
    [False, False, False]
    >>> [says_nothing(t) for t in ["Somewhat more confident.", "No", "Not much"]]
    [False, False, False]
    """
    return bool(text.strip()) and _backchannel().match(text) is not None


@cache
def _request() -> tuple[re.Pattern[str], re.Pattern[str]]:
    lists = word_lists("absence")
    asks = re.compile(
        rf"(?<![\w'’])please(?![\w'’])|^[\W_]*(?:(?:{_alternatives(lists['request_fillers'])})"
        rf"(?![\w'’])[\W_]*)*(?:{_alternatives(lists['request_openers'])})(?![\w'’])",
        re.I,
    )
    reason = re.compile(
        rf"(?<![\w'’])(?:{_alternatives(lists['request_reasons'])})(?![\w'’])", re.I
    )
    return asks, reason


def is_request(text: str) -> bool:
    """Whether ``text``, a sentence, asks for something and tells of no value got: it holds
    "please", or opens with a wish ("Would be good to have...", "Could we...", "I wish..."),
    and gives no reason or outcome ("because", "helped", "saved"...). Trial 40: "More
    meetings please" and "Would be good to have sessions after school" were coded enabling
    value. Read for the value cycles only: a request may tell of a challenge.

    Examples
    --------
    >>> [is_request(t) for t in ["More meetings please!", "Maybe could we meet termly?"]]
    [True, True]
    >>> is_request("Would be good to have sessions after school, I can't get cover.")
    True
    >>> [is_request(t) for t in ["I was pleased with it.", "More confident now."]]
    [False, False]
    >>> is_request("Would be good to have more, because the last one saved me a day.")
    False
    """
    asks, reason = _request()
    return asks.search(text) is not None and reason.search(text) is None


#: A text wholly in one pair of brackets (what :func:`is_aside` reads).
_BRACKETED = re.compile(r"\s*(?:\((?P<round>[^()]*)\)|\[(?P<square>[^\[\]]*)\])\W*")
#: Words a bracketed label has at most: "(coach)", "(faculty member, engineering)".
ASIDE_WORDS = 4


def is_aside(text: str) -> bool:
    """Whether ``text``, a sentence of an answer, is an aside in brackets rather than the
    member's account: a label ("(coach)", "(faculty member)", "[nurse, ward 3]") or the
    interviewer's words ("[Interviewer: So, there's that level of comfort...?]", named as
    :func:`~copanalysis.io.transcripts.is_interviewer_label` names them). Quotes
    in published studies end with such labels; once an opening bracket after a full stop
    began its own sentence (trial 39), "(coach)" was a sentence of its own, and the semantic
    coder gave it a code from the answer around it.

    Examples
    --------
    >>> [is_aside(t) for t in ["(coach)", "(faculty member, engineering).", "[Q: Why?]"]]
    [True, True, True]
    >>> is_aside("[Facilitator: And what did you take back to your own club after that?]")
    True
    >>> [is_aside(t) for t in ["(We met every week and I learned a lot.)", "We met (twice)."]]
    [False, False]
    """
    bracketed = _BRACKETED.fullmatch(text)
    if bracketed is None:
        return False
    inside = bracketed["round"] if bracketed["round"] is not None else bracketed["square"]
    speaker, said = inside.partition(":")[::2]
    return len(re.findall(r"\w+", inside)) <= ASIDE_WORDS or (
        bracketed["square"] is not None and bool(said) and is_interviewer_label(speaker)
    )


@cache
def _insight() -> tuple[re.Pattern[str], re.Pattern[str]]:
    lists = word_lists("absence")
    clause = re.compile(
        rf"(?<![\w'’])(?P<verb>{_alternatives(lists['insight_verbs'])})"
        rf"\s+(?P<content>{_alternatives(lists['insight_contents'])})(?!\w)(?!\s*[,.;:!?)]|\s*$)",
        re.I,
    )
    denial = re.compile(
        rf"(?<![\w'’])(?:{_alternatives(lists['insight_denials'])})(?![\w'’])|n['’]t(?![\w'’])"
        r"|(?P<passive>(?<![\w'’])(?:was|were|is|are|be|been|being)\s+(?:\w+ly\s+)?$)",
        re.I,
    )
    return clause, denial


def insight_clause(text: str) -> str | None:
    """The words by which ``text`` tells of an insight gained and opens what was learnt
    ("realised that", "learnt how", "saw they"), or None: a negation in what was learnt
    ("never", "no") denies no value of the learning itself.

    The verb must not be denied, nor made passive by a form of "be" just before it, in
    its clause (from the last comma, semicolon, colon, "but" or "though" before it).

    Examples
    --------
    >>> insight_clause("I realised that women in my group never talk when the chief's "
    ...                "wife is there.")
    'realised that'
    >>> insight_clause("From the growers I found out there's a subsidy nobody mentioned.")
    'found out there'
    >>> insight_clause("I never realised that it mattered.") is None
    True
    >>> insight_clause("We didn't really learn why the plots failed.") is None
    True
    >>> insight_clause("It was widely understood that the goal was not met.") is None
    True
    >>> insight_clause("We'll see whether it lasts.") is None  # no insight yet
    True
    >>> insight_clause("My employer saw that, and listed it.") is None  # "that" the object
    True
    """
    clause, denial = _insight()
    # Each clause is read once, not again from its start for each verb in it: one long
    # clause of many denied verbs ("we never realised that ... realised that ...") took
    # seconds (quadratic). The verb's lookbehind puts no word character just before it, so
    # no clause mark ends there and the marks of the whole text are those of the text
    # before the verb; a denial word stays in the clause for every later verb of it, and a
    # passive "was" (which must end the text before its verb) is the first denial a later
    # verb of the clause can have.
    ends = [m.end() for m in re.finditer(r"[,;:]|\b(?:but|though)\b", text)]
    denied: set[int] = set()  # the starts of clauses with a denial word
    unread: dict[int, int] = {}  # clause start -> where a denial may still be
    for match in clause.finditer(text):
        marks = bisect.bisect_right(ends, match.start())  # the clause marks before the verb
        start = ends[marks - 1] if marks else 0
        if start in denied:
            continue
        found = denial.search(text, unread.get(start, start), match.start())
        if found is None:
            return " ".join(match.group(0).lower().split())
        if found.group("passive") is None:
            denied.add(start)
        else:
            unread[start] = found.start()
    return None


@cache
def _gone() -> re.Pattern[str]:
    lists = word_lists("absence")
    span = int(lists["problem_span"][0])
    problems = _alternatives(lists["problems"])
    return re.compile(
        rf"(?<![\w'’])(?P<gone>{_alternatives(lists['gone'])})(?![\w'’])(?!(?:\s+more)?\s+than\b)"
        rf"(?:\s+[\w'’-]+){{0,{span - 1}}}?\s+(?P<problem>(?:{problems})(?:e?s)?)(?![\w'’])",
        re.I,
    )


def problem_gone(text: str) -> str | None:
    """The words by which ``text`` says a problem went away ("zero stockout days", "not a
    single child died"), or None: value, though its "zero" or "no" reads like a denial.

    Examples
    --------
    >>> problem_gone("We had zero stockout days in March compared to 35 days in January.")
    'zero stockout'
    >>> problem_gone("Not a single referral was lost since we started the new form.")
    'not a single referral was lost'
    >>> problem_gone("Fewer complaints from parents this term.")
    'fewer complaints'
    >>> problem_gone("No evidence yet that the network lowered costs.") is None
    True
    >>> problem_gone("There was no time to finish.") is None  # "time" is no problem
    True
    >>> problem_gone("No, we lost the grant."), problem_gone("No more than 3 deaths.")
    (None, None)
    """
    found = _gone().search(text)
    return None if found is None else " ".join(found.group(0).lower().split())
