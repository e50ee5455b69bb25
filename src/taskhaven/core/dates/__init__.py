"""Due dates and recurrence: what a date means, whatever protocol carried it.

Everything here is a pure function of its arguments: callers pass the user's zone and the
current moment explicitly, so behaviour is reproducible in tests and the same for every
adapter. Moments leave as aware UTC datetimes. The wire spellings of a moment (the Sync
API's "Fri 26 Sep 2014 08:25:05 +0000", TickTick's "2025-05-26T17:54:36.000+0000") are the
adapters' business.

- ``timestamps``: ISO-8601 and Unix input, wall-clock time to UTC and back
- ``freetext``: the date a person wrote ("tomorrow @ 10", "every other week")
- ``languages``: other languages' date words, rewritten into the English grammar's
- ``recurrence``: a recurrence rule and its occurrences
- ``rrules``: the same recurrence as RRULE text and as a date string
- ``occurrences``: when a recurring task is due next
- ``quickadd``: a whole quick-add line (content, date, priority, project, labels, note)
"""

from __future__ import annotations

from taskhaven.core.dates.freetext import Due, is_from_completion, is_recurring, parse_date_string
from taskhaven.core.dates.occurrences import (
    next_occurrence,
    next_rrule_occurrence,
    next_rule_occurrence,
)
from taskhaven.core.dates.quickadd import QuickAdd, parse_quick_add
from taskhaven.core.dates.recurrence import Rule
from taskhaven.core.dates.rrules import (
    count_used,
    date_string_to_rrule,
    describe_rrule,
    rrule_to_date_string,
    rule_from_rrule,
    rule_to_rrule,
    rule_to_text,
)
from taskhaven.core.dates.timestamps import InvalidDate, as_utc, iso_moment, parse_iso, to_utc
from taskhaven.core.dates.vocabulary import ALL_DAY_CLOCK

__all__ = [
    "ALL_DAY_CLOCK",
    "Due",
    "InvalidDate",
    "QuickAdd",
    "Rule",
    "as_utc",
    "count_used",
    "date_string_to_rrule",
    "describe_rrule",
    "is_from_completion",
    "is_recurring",
    "iso_moment",
    "next_occurrence",
    "next_rrule_occurrence",
    "next_rule_occurrence",
    "parse_date_string",
    "parse_iso",
    "parse_quick_add",
    "rrule_to_date_string",
    "rule_from_rrule",
    "rule_to_rrule",
    "rule_to_text",
    "to_utc",
]
