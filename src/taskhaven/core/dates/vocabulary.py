"""The English words and conventions the date grammar and the recurrence texts share."""

from __future__ import annotations

from datetime import time

MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
WEEKDAY_FULL = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTH_FULL = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
RRULE_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
WORKDAYS = (0, 1, 2, 3, 4)

WEEKDAYS: dict[str, int] = {}
for _i, _name in enumerate(WEEKDAY_FULL):
    WEEKDAYS[_name] = _i
    WEEKDAYS[_name[:3]] = _i
WEEKDAYS.update({"tues": 1, "weds": 2, "thur": 3, "thurs": 3})

MONTHS: dict[str, int] = {}
for _i, _name in enumerate(MONTH_FULL, start=1):
    MONTHS[_name] = _i
    MONTHS[_name[:3]] = _i
MONTHS["sept"] = 9

WEEKDAY_RE = "|".join(sorted(WEEKDAYS, key=len, reverse=True))
MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))
ORD = r"(?:st|nd|rd|th)"

# A whole-day date is due at the end of its local day: 23:59:59 wall-clock time in the
# user's zone, stored as UTC (the Sync API's convention, which the core keeps).
ALL_DAY_CLOCK = time(23, 59, 59)

WEEKEND = (5, 6)

# The times of day a word names ("tomorrow morning", "every evening", "tonight").
PERIOD_CLOCKS = {
    "morning": time(9, 0),
    "noon": time(12, 0),
    "midday": time(12, 0),
    "afternoon": time(15, 0),
    "evening": time(19, 0),
    "tonight": time(19, 0),
    "night": time(21, 0),
}
