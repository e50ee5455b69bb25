"""A whole quick-add line: "Pay rent every 1st at 9am p1 #Home @bills //note".

Priority (``p1`` most urgent .. ``p4``, as the apps show it), project (``#Name``), labels
(``@name``) and a note (everything after ``//``) are taken out first; the longest run of
words left that reads as a date (at most ``MAX_DATE_WORDS`` of them) is the due date, and
what remains is the content. One parser for every caller: the Sync API, the command line,
the web pages. Priorities are returned in core's 1-4 scale (4 = ``p1``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from taskhaven.core.dates.freetext import Due, parse_date_string
from taskhaven.core.dates.timestamps import InvalidDate

MAX_DATE_WORDS = 10
# Single words too likely to be something else to be read as a date on their own
# ("Call Tom", "May I", "Sun cream").
_AMBIGUOUS = frozenset(
    [
        "tom",
        "tod",
        "tmr",
        "may",
        "mar",
        "jun",
        "sun",
        "sat",
        "wed",
        "thu",
        "fri",
        "mon",
        "tue",
        "jan",
        "feb",
        "apr",
        "aug",
        "sep",
        "oct",
        "nov",
        "dec",
        "daily",
        "weekly",
        "monthly",
        "yearly",
        "weekend",
        "tonight",
    ]
)
_PRIORITY_RE = re.compile(r"(?<!\S)[pP](?P<p>[1-4])(?!\S)")
_PROJECT_RE = re.compile(r"(?<!\S)#(?P<name>[^\s#@]+)")
_LABEL_RE = re.compile(r"(?<!\S)@(?P<name>[^\s#@]+)")


@dataclass(frozen=True)
class QuickAdd:
    """What a quick-add line says."""

    content: str
    date_string: str | None
    due: Due | None
    priority: int  # core's scale: 4 is the most urgent ("p1"), 1 the default
    project: str | None
    labels: tuple[str, ...]
    note: str | None


def _find_date(
    words: list[str], *, tz: ZoneInfo, now: datetime, lang: str
) -> tuple[int, int, Due] | None:
    """The longest run of words that reads as a date, the latest one among equals."""
    best: tuple[int, int, Due] | None = None
    for length in range(min(MAX_DATE_WORDS, len(words)), 0, -1):
        for start in range(len(words) - length, -1, -1):
            span = words[start : start + length]
            if length == 1 and (span[0].lower() in _AMBIGUOUS or span[0].isdigit()):
                continue
            try:
                due = parse_date_string(" ".join(span), tz=tz, now=now, lang=lang)
            except (InvalidDate, ValueError):
                continue
            if due is not None:
                best = (start, start + length, due)
                break
        if best is not None:
            return best
    return None


def parse_quick_add(line: str, *, tz: ZoneInfo, now: datetime, lang: str = "en") -> QuickAdd:
    """Split a quick-add line into its parts; the date words are read in `lang` or English."""
    text, _sep, note = line.partition("//")
    priority = 1
    if found := list(_PRIORITY_RE.finditer(text)):
        priority = 5 - int(found[-1]["p"])
        text = _PRIORITY_RE.sub(" ", text)
    project = None
    if projects := list(_PROJECT_RE.finditer(text)):
        project = projects[-1]["name"]
        text = _PROJECT_RE.sub(" ", text)
    labels = tuple(dict.fromkeys(m["name"] for m in _LABEL_RE.finditer(text)))
    text = _LABEL_RE.sub(" ", text)
    words = text.split()
    date_string: str | None = None
    due: Due | None = None
    if found_date := _find_date(words, tz=tz, now=now, lang=lang):
        start, end, due = found_date
        date_string = " ".join(words[start:end])
        words = words[:start] + words[end:]
    return QuickAdd(
        content=" ".join(words),
        date_string=date_string,
        due=due,
        priority=priority,
        project=project,
        labels=labels,
        note=note.strip() or None,
    )
