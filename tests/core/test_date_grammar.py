"""The date grammar as a table: each phrase with its RRULE and its first due moment.

Now is pinned to Wednesday 15 January 2025, 10:00 UTC (11:00 in Berlin, CET); the user
lives in Europe/Berlin. Expected moments are local wall-clock times; "23:59" is a
whole-day date (23:59:59 local). Other languages are checked against their English
meaning at the same moment.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from taskhaven.core.dates import (
    InvalidDate,
    date_string_to_rrule,
    parse_date_string,
    rrule_to_date_string,
    rule_to_rrule,
    rule_to_text,
)

DOCS = Path(__file__).parent.parent.parent / "docs"
BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2025, 1, 15, 10, 0, tzinfo=UTC)

ONE_OFF: list[tuple[str, str]] = [
    ("today", "2025-01-15 23:59"),
    ("tod", "2025-01-15 23:59"),
    ("tomorrow", "2025-01-16 23:59"),
    ("tom", "2025-01-16 23:59"),
    ("tmr", "2025-01-16 23:59"),
    ("yesterday", "2025-01-14 23:59"),
    ("day after tomorrow", "2025-01-17 23:59"),
    ("tonight", "2025-01-15 19:00"),
    ("this evening", "2025-01-15 19:00"),
    ("tomorrow morning", "2025-01-16 09:00"),
    ("tomorrow afternoon", "2025-01-16 15:00"),
    ("tomorrow evening", "2025-01-16 19:00"),
    ("tomorrow night", "2025-01-16 21:00"),
    ("today at 17:30", "2025-01-15 17:30"),
    ("tomorrow at 9am", "2025-01-16 09:00"),
    ("tomorrow @ 10", "2025-01-16 10:00"),
    ("tomorrow 2:30 pm", "2025-01-16 14:30"),
    ("tomorrow at noon", "2025-01-16 12:00"),
    ("friday", "2025-01-17 23:59"),
    ("fri", "2025-01-17 23:59"),
    ("next friday", "2025-01-17 23:59"),
    ("wednesday", "2025-01-15 23:59"),
    ("next wednesday", "2025-01-22 23:59"),
    ("monday at 9am", "2025-01-20 09:00"),
    ("this friday", "2025-01-17 23:59"),
    ("next week", "2025-01-20 23:59"),
    ("this weekend", "2025-01-18 23:59"),
    ("next weekend", "2025-01-25 23:59"),
    ("weekend", "2025-01-18 23:59"),
    ("end of week", "2025-01-17 23:59"),
    ("end of next week", "2025-01-24 23:59"),
    ("eow", "2025-01-17 23:59"),
    ("end of month", "2025-01-31 23:59"),
    ("end of the month", "2025-01-31 23:59"),
    ("eom", "2025-01-31 23:59"),
    ("end of next month", "2025-02-28 23:59"),
    ("end of year", "2025-12-31 23:59"),
    ("end of month at 17:00", "2025-01-31 17:00"),
    ("mid january", "2025-01-15 23:59"),
    ("mid february", "2025-02-15 23:59"),
    ("mid-march", "2025-03-15 23:59"),
    ("mid month", "2025-01-15 23:59"),
    ("middle of the month", "2025-01-15 23:59"),
    ("next month", "2025-02-01 23:59"),
    ("next year", "2026-01-01 23:59"),
    ("in 2 weeks", "2025-01-29 23:59"),
    ("in 3 days", "2025-01-18 23:59"),
    ("in a week", "2025-01-22 23:59"),
    ("in one month", "2025-02-15 23:59"),
    ("in 2 months", "2025-03-15 23:59"),
    ("in a year", "2026-01-15 23:59"),
    ("in 2 hours", "2025-01-15 13:00"),
    ("in 30 minutes", "2025-01-15 11:30"),
    ("15 jun", "2025-06-15 23:59"),
    ("jun 15", "2025-06-15 23:59"),
    ("15 june 2026", "2026-06-15 23:59"),
    ("june 15th", "2025-06-15 23:59"),
    ("the 3rd of march", "2025-03-03 23:59"),
    ("2025-02-10", "2025-02-10 23:59"),
    ("2025-02-10T14:00", "2025-02-10 14:00"),
    ("jan 10", "2026-01-10 23:59"),
    ("sept 9", "2025-09-09 23:59"),
    ("3 mar at 10:00", "2025-03-03 10:00"),
]

WORKDAYS = "BYDAY=MO,TU,WE,TH,FR"
RECURRING: list[tuple[str, str, str]] = [
    ("every day", "FREQ=DAILY;INTERVAL=1", "2025-01-15 23:59"),
    ("daily", "FREQ=DAILY;INTERVAL=1", "2025-01-15 23:59"),
    ("everyday", "FREQ=DAILY;INTERVAL=1", "2025-01-15 23:59"),
    ("every day at 9am", "FREQ=DAILY;INTERVAL=1", "2025-01-16 09:00"),
    ("every day at 17:30", "FREQ=DAILY;INTERVAL=1", "2025-01-15 17:30"),
    ("every day @ 10", "FREQ=DAILY;INTERVAL=1", "2025-01-16 10:00"),
    ("every morning", "FREQ=DAILY;INTERVAL=1", "2025-01-16 09:00"),
    ("every evening", "FREQ=DAILY;INTERVAL=1", "2025-01-15 19:00"),
    ("every night", "FREQ=DAILY;INTERVAL=1", "2025-01-15 21:00"),
    ("every other day", "FREQ=DAILY;INTERVAL=2", "2025-01-15 23:59"),
    ("every 3 days", "FREQ=DAILY;INTERVAL=3", "2025-01-15 23:59"),
    ("every 3rd day", "FREQ=DAILY;INTERVAL=3", "2025-01-15 23:59"),
    ("every week", "FREQ=WEEKLY;INTERVAL=1", "2025-01-15 23:59"),
    ("weekly", "FREQ=WEEKLY;INTERVAL=1", "2025-01-15 23:59"),
    ("every other week", "FREQ=WEEKLY;INTERVAL=2", "2025-01-15 23:59"),
    ("every 2 weeks", "FREQ=WEEKLY;INTERVAL=2", "2025-01-15 23:59"),
    ("every 3 weeks", "FREQ=WEEKLY;INTERVAL=3", "2025-01-15 23:59"),
    ("every month", "FREQ=MONTHLY;INTERVAL=1", "2025-01-15 23:59"),
    ("monthly", "FREQ=MONTHLY;INTERVAL=1", "2025-01-15 23:59"),
    ("monthly at 10:00", "FREQ=MONTHLY;INTERVAL=1", "2025-02-15 10:00"),
    ("every other month", "FREQ=MONTHLY;INTERVAL=2", "2025-01-15 23:59"),
    ("every 6 months", "FREQ=MONTHLY;INTERVAL=6", "2025-01-15 23:59"),
    ("every year", "FREQ=YEARLY;INTERVAL=1", "2025-01-15 23:59"),
    ("yearly", "FREQ=YEARLY;INTERVAL=1", "2025-01-15 23:59"),
    ("annually", "FREQ=YEARLY;INTERVAL=1", "2025-01-15 23:59"),
    ("every 2 years", "FREQ=YEARLY;INTERVAL=2", "2025-01-15 23:59"),
    ("every monday", "FREQ=WEEKLY;INTERVAL=1;BYDAY=MO", "2025-01-20 23:59"),
    ("every mon", "FREQ=WEEKLY;INTERVAL=1;BYDAY=MO", "2025-01-20 23:59"),
    ("every mondays", "FREQ=WEEKLY;INTERVAL=1;BYDAY=MO", "2025-01-20 23:59"),
    ("each monday", "FREQ=WEEKLY;INTERVAL=1;BYDAY=MO", "2025-01-20 23:59"),
    ("every friday at 17:00", "FREQ=WEEKLY;INTERVAL=1;BYDAY=FR", "2025-01-17 17:00"),
    ("every wednesday", "FREQ=WEEKLY;INTERVAL=1;BYDAY=WE", "2025-01-15 23:59"),
    ("every wednesday at 9am", "FREQ=WEEKLY;INTERVAL=1;BYDAY=WE", "2025-01-22 09:00"),
    ("every sat", "FREQ=WEEKLY;INTERVAL=1;BYDAY=SA", "2025-01-18 23:59"),
    ("every sunday at 20:00", "FREQ=WEEKLY;INTERVAL=1;BYDAY=SU", "2025-01-19 20:00"),
    ("every thursday 8pm", "FREQ=WEEKLY;INTERVAL=1;BYDAY=TH", "2025-01-16 20:00"),
    (
        "every monday, wednesday and friday",
        "FREQ=WEEKLY;INTERVAL=1;BYDAY=MO,WE,FR",
        "2025-01-15 23:59",
    ),
    ("every mon, fri", "FREQ=WEEKLY;INTERVAL=1;BYDAY=MO,FR", "2025-01-17 23:59"),
    ("every tue & thu", "FREQ=WEEKLY;INTERVAL=1;BYDAY=TU,TH", "2025-01-16 23:59"),
    ("every week on friday", "FREQ=WEEKLY;INTERVAL=1;BYDAY=FR", "2025-01-17 23:59"),
    ("every other monday", "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO", "2025-01-20 23:59"),
    ("every other friday", "FREQ=WEEKLY;INTERVAL=2;BYDAY=FR", "2025-01-17 23:59"),
    ("every other wednesday", "FREQ=WEEKLY;INTERVAL=2;BYDAY=WE", "2025-01-15 23:59"),
    ("every other tuesday at 7pm", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU", "2025-01-21 19:00"),
    ("every 3 weeks on monday", "FREQ=WEEKLY;INTERVAL=3;BYDAY=MO", "2025-01-20 23:59"),
    (
        "every 2 weeks on tuesday, thursday",
        "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH",
        "2025-01-16 23:59",
    ),
    ("every weekday", f"FREQ=WEEKLY;INTERVAL=1;{WORKDAYS}", "2025-01-15 23:59"),
    ("every workday", f"FREQ=WEEKLY;INTERVAL=1;{WORKDAYS}", "2025-01-15 23:59"),
    ("every work day", f"FREQ=WEEKLY;INTERVAL=1;{WORKDAYS}", "2025-01-15 23:59"),
    ("every business day", f"FREQ=WEEKLY;INTERVAL=1;{WORKDAYS}", "2025-01-15 23:59"),
    ("every workday at 9am", f"FREQ=WEEKLY;INTERVAL=1;{WORKDAYS}", "2025-01-16 09:00"),
    ("every weekday at 8:30am", f"FREQ=WEEKLY;INTERVAL=1;{WORKDAYS}", "2025-01-16 08:30"),
    ("every weekend", "FREQ=WEEKLY;INTERVAL=1;BYDAY=SA,SU", "2025-01-18 23:59"),
    ("every other weekend", "FREQ=WEEKLY;INTERVAL=2;BYDAY=SA,SU", "2025-01-18 23:59"),
    ("every 1st", "FREQ=MONTHLY;INTERVAL=1;BYMONTHDAY=1", "2025-02-01 23:59"),
    ("every 2nd", "FREQ=MONTHLY;INTERVAL=1;BYMONTHDAY=2", "2025-02-02 23:59"),
    ("every 15th", "FREQ=MONTHLY;INTERVAL=1;BYMONTHDAY=15", "2025-01-15 23:59"),
    ("every 15th at 9am", "FREQ=MONTHLY;INTERVAL=1;BYMONTHDAY=15", "2025-02-15 09:00"),
    ("every 31st", "FREQ=MONTHLY;INTERVAL=1;BYMONTHDAY=31", "2025-01-31 23:59"),
    ("every 1st and 15th", "FREQ=MONTHLY;INTERVAL=1;BYMONTHDAY=1,15", "2025-01-15 23:59"),
    ("every 1st, 15th", "FREQ=MONTHLY;INTERVAL=1;BYMONTHDAY=1,15", "2025-01-15 23:59"),
    ("every 10th and 20th at 9am", "FREQ=MONTHLY;INTERVAL=1;BYMONTHDAY=10,20", "2025-01-20 09:00"),
    ("every 1st and last day", "FREQ=MONTHLY;INTERVAL=1;BYMONTHDAY=1,-1", "2025-01-31 23:59"),
    ("every month on the 15th", "FREQ=MONTHLY;INTERVAL=1;BYMONTHDAY=15", "2025-01-15 23:59"),
    ("every last day", "FREQ=MONTHLY;INTERVAL=1;BYMONTHDAY=-1", "2025-01-31 23:59"),
    ("every last day of the month", "FREQ=MONTHLY;INTERVAL=1;BYMONTHDAY=-1", "2025-01-31 23:59"),
    ("every last workday", f"FREQ=MONTHLY;INTERVAL=1;{WORKDAYS};BYSETPOS=-1", "2025-01-31 23:59"),
    (
        "every last working day",
        f"FREQ=MONTHLY;INTERVAL=1;{WORKDAYS};BYSETPOS=-1",
        "2025-01-31 23:59",
    ),
    ("every first workday", f"FREQ=MONTHLY;INTERVAL=1;{WORKDAYS};BYSETPOS=1", "2025-02-03 23:59"),
    ("every 1st monday", "FREQ=MONTHLY;INTERVAL=1;BYDAY=1MO", "2025-02-03 23:59"),
    ("every first monday", "FREQ=MONTHLY;INTERVAL=1;BYDAY=1MO", "2025-02-03 23:59"),
    ("every 3rd friday", "FREQ=MONTHLY;INTERVAL=1;BYDAY=3FR", "2025-01-17 23:59"),
    ("every third friday", "FREQ=MONTHLY;INTERVAL=1;BYDAY=3FR", "2025-01-17 23:59"),
    ("every 2nd tuesday", "FREQ=MONTHLY;INTERVAL=1;BYDAY=2TU", "2025-02-11 23:59"),
    ("every 4th thursday", "FREQ=MONTHLY;INTERVAL=1;BYDAY=4TH", "2025-01-23 23:59"),
    ("every 5th monday", "FREQ=MONTHLY;INTERVAL=1;BYDAY=5MO", "2025-03-31 23:59"),
    ("every last friday", "FREQ=MONTHLY;INTERVAL=1;BYDAY=-1FR", "2025-01-31 23:59"),
    ("every last sunday", "FREQ=MONTHLY;INTERVAL=1;BYDAY=-1SU", "2025-01-26 23:59"),
    ("every last monday of the month", "FREQ=MONTHLY;INTERVAL=1;BYDAY=-1MO", "2025-01-27 23:59"),
    ("every 2 months on the 15th", "FREQ=MONTHLY;INTERVAL=2;BYMONTHDAY=15", "2025-01-15 23:59"),
    ("every 3 months on the 1st", "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=1", "2025-04-01 23:59"),
    ("every year on jan 3", "FREQ=YEARLY;INTERVAL=1;BYMONTH=1;BYMONTHDAY=3", "2026-01-03 23:59"),
    ("every year on Jan 3", "FREQ=YEARLY;INTERVAL=1;BYMONTH=1;BYMONTHDAY=3", "2026-01-03 23:59"),
    ("every jan 3", "FREQ=YEARLY;INTERVAL=1;BYMONTH=1;BYMONTHDAY=3", "2026-01-03 23:59"),
    ("every 3 jan", "FREQ=YEARLY;INTERVAL=1;BYMONTH=1;BYMONTHDAY=3", "2026-01-03 23:59"),
    ("every january 3rd", "FREQ=YEARLY;INTERVAL=1;BYMONTH=1;BYMONTHDAY=3", "2026-01-03 23:59"),
    ("every year on dec 25", "FREQ=YEARLY;INTERVAL=1;BYMONTH=12;BYMONTHDAY=25", "2025-12-25 23:59"),
    ("every 29 feb", "FREQ=YEARLY;INTERVAL=1;BYMONTH=2;BYMONTHDAY=29", "2028-02-29 23:59"),
    ("every last monday of may", "FREQ=YEARLY;INTERVAL=1;BYDAY=-1MO;BYMONTH=5", "2025-05-26 23:59"),
    ("every 2 years on jun 1", "FREQ=YEARLY;INTERVAL=2;BYMONTH=6;BYMONTHDAY=1", "2025-06-01 23:59"),
    ("every 2 weeks starting dec 1", "FREQ=WEEKLY;INTERVAL=2", "2025-12-01 23:59"),
    ("every monday starting feb 1", "FREQ=WEEKLY;INTERVAL=1;BYDAY=MO", "2025-02-03 23:59"),
    ("every day starting tomorrow", "FREQ=DAILY;INTERVAL=1", "2025-01-16 23:59"),
    ("every day from feb 10", "FREQ=DAILY;INTERVAL=1", "2025-02-10 23:59"),
    ("every day until jan 31", "FREQ=DAILY;INTERVAL=1;UNTIL=20250131T235959", "2025-01-15 23:59"),
    (
        "every day until feb 28 at 8am",
        "FREQ=DAILY;INTERVAL=1;UNTIL=20250228T235959",
        "2025-01-16 08:00",
    ),
    (
        "every monday for 3 weeks",
        "FREQ=WEEKLY;INTERVAL=1;BYDAY=MO;UNTIL=20250204T235959",
        "2025-01-20 23:59",
    ),
    ("every day for 2 weeks", "FREQ=DAILY;INTERVAL=1;UNTIL=20250128T235959", "2025-01-15 23:59"),
    (
        "every month for 6 months",
        "FREQ=MONTHLY;INTERVAL=1;UNTIL=20250714T235959",
        "2025-01-15 23:59",
    ),
    (
        "every 2 weeks starting dec 1 until mar 1",
        "FREQ=WEEKLY;INTERVAL=2;UNTIL=20260301T235959",
        "2025-12-01 23:59",
    ),
    ("every! day", "FREQ=DAILY;INTERVAL=1", "2025-01-15 23:59"),
    ("every! 3 days", "FREQ=DAILY;INTERVAL=3", "2025-01-15 23:59"),
    ("every! week", "FREQ=WEEKLY;INTERVAL=1", "2025-01-15 23:59"),
    ("every! monday", "FREQ=WEEKLY;INTERVAL=1;BYDAY=MO", "2025-01-20 23:59"),
    ("every! 2 weeks at 9am", "FREQ=WEEKLY;INTERVAL=2", "2025-01-29 09:00"),
]

# Other languages: each phrase means what its English twin means.
FOREIGN: list[tuple[str, str, str]] = [
    ("de", "morgen", "tomorrow"),
    ("de", "heute", "today"),
    ("de", "übermorgen", "in 2 days"),
    ("de", "morgen um 9 uhr", "tomorrow at 9"),
    ("de", "heute abend", "tonight"),
    ("de", "nächste woche", "next week"),
    ("de", "ende des monats", "end of month"),
    ("de", "nächsten monat", "next month"),
    ("de", "in 2 wochen", "in 2 weeks"),
    ("de", "mitte januar", "mid january"),
    ("de", "dieses wochenende", "this weekend"),
    ("de", "am 3. März", "3 mar"),
    ("de", "jeden tag", "every day"),
    ("de", "täglich um 8", "every day at 8"),
    ("de", "jeden Montag", "every monday"),
    ("de", "jeden zweiten montag", "every other monday"),
    ("de", "alle 3 tage", "every 3 days"),
    ("de", "jeden letzten tag", "every last day"),
    ("de", "jeden werktag", "every workday"),
    ("de", "jeden 1. und 15.", "every 1st and 15th"),
    ("de", "jeden 3. freitag", "every 3rd friday"),
    ("de", "jedes jahr am 3. januar", "every year on jan 3"),
    ("de", "jeden freitag ab 1. dezember", "every friday starting dec 1"),
    ("fr", "demain", "tomorrow"),
    ("fr", "aujourd'hui", "today"),
    ("fr", "après-demain", "in 2 days"),
    ("fr", "demain matin", "tomorrow morning"),
    ("fr", "ce soir", "tonight"),
    ("fr", "fin du mois", "end of month"),
    ("fr", "le mois prochain", "next month"),
    ("fr", "dans 2 semaines", "in 2 weeks"),
    ("fr", "mi-janvier", "mid january"),
    ("fr", "tous les jours", "every day"),
    ("fr", "tous les lundis", "every monday"),
    ("fr", "tous les deux lundis", "every other monday"),
    ("fr", "chaque dernier jour", "every last day"),
    ("fr", "chaque jour ouvrable", "every workday"),
    ("fr", "tous les jours à 9h", "every day at 9"),
    ("fr", "chaque 1er et 15", "every 1st and 15th"),
    ("fr", "chaque 3e vendredi", "every 3rd friday"),
    ("fr", "tous les ans le 3 janvier", "every year on jan 3"),
    ("es", "mañana", "tomorrow"),
    ("es", "hoy", "today"),
    ("es", "pasado mañana", "in 2 days"),
    ("es", "mañana por la mañana", "tomorrow morning"),
    ("es", "esta noche", "tonight"),
    ("es", "fin de mes", "end of month"),
    ("es", "el próximo mes", "next month"),
    ("es", "en 2 semanas", "in 2 weeks"),
    ("es", "todos los días", "every day"),
    ("es", "cada lunes", "every monday"),
    ("es", "cada dos lunes", "every other monday"),
    ("es", "cada último día", "every last day"),
    ("es", "cada día laborable", "every workday"),
    ("es", "todos los días a las 9", "every day at 9"),
    ("es", "cada 3 de enero", "every jan 3"),
    ("es", "cada 1 y 15", "every 1st and 15th"),
    ("es", "cada tercer viernes", "every 3rd friday"),
    ("it", "domani", "tomorrow"),
    ("it", "oggi", "today"),
    ("it", "dopodomani", "in 2 days"),
    ("it", "domani mattina", "tomorrow morning"),
    ("it", "stasera", "tonight"),
    ("it", "fine mese", "end of month"),
    ("it", "il mese prossimo", "next month"),
    ("it", "tra 2 settimane", "in 2 weeks"),
    ("it", "ogni giorno", "every day"),
    ("it", "ogni lunedì", "every monday"),
    ("it", "ogni due lunedì", "every other monday"),
    ("it", "ogni ultimo giorno", "every last day"),
    ("it", "ogni giorno lavorativo", "every workday"),
    ("it", "ogni giorno alle 9", "every day at 9"),
    ("it", "ogni terzo venerdì", "every 3rd friday"),
    ("it", "ogni 1 e 15", "every 1st and 15th"),
    ("pt", "amanhã", "tomorrow"),
    ("pt", "hoje", "today"),
    ("pt", "depois de amanhã", "in 2 days"),
    ("pt", "amanhã de manhã", "tomorrow morning"),
    ("pt", "esta noite", "tonight"),
    ("pt", "fim do mês", "end of month"),
    ("pt", "próximo mês", "next month"),
    ("pt", "em 2 semanas", "in 2 weeks"),
    ("pt", "todos os dias", "every day"),
    ("pt", "toda segunda", "every monday"),
    ("pt", "a cada duas semanas", "every other week"),
    ("pt", "todo último dia", "every last day"),
    ("pt", "todo dia útil", "every workday"),
    ("pt", "todos os dias às 9", "every day at 9"),
    ("pt", "toda terceira sexta", "every 3rd friday"),
    ("nl", "morgen", "tomorrow"),
    ("nl", "vandaag", "today"),
    ("nl", "overmorgen", "in 2 days"),
    ("nl", "morgenochtend", "tomorrow morning"),
    ("nl", "vanavond", "tonight"),
    ("nl", "eind van de maand", "end of month"),
    ("nl", "volgende maand", "next month"),
    ("nl", "over 2 weken", "in 2 weeks"),
    ("nl", "elke dag", "every day"),
    ("nl", "elke maandag", "every monday"),
    ("nl", "om de week", "every other week"),
    ("nl", "elke laatste dag", "every last day"),
    ("nl", "elke werkdag", "every workday"),
    ("nl", "elke dag om 9 uur", "every day at 9"),
    ("nl", "elke derde vrijdag", "every 3rd friday"),
    ("nl", "elke 1e en 15e", "every 1st and 15th"),
]

UNREADABLE = [
    "every day at 9am and 5pm",
    "every day at 9, 17",
    "every hour",
    "every 2 hours",
    "every 30 minutes",
    "every blorp",
    "every 32nd",
    "every 30 feb",
    "31 feb",
    "tomorrow at 25:00",
    "every day for 0 weeks",
    "every day until yesterday",
    "every 2 weeks starting dec 1 until nov 1 2025",
    "blah",
]


def _local(text: str, **kwargs: object) -> str:
    due = parse_date_string(text, tz=BERLIN, now=NOW, **kwargs)  # type: ignore[arg-type]
    assert due is not None
    return f"{due.moment.astimezone(BERLIN):%Y-%m-%d %H:%M}"


def test_the_table_is_large_enough() -> None:
    english = len(ONE_OFF) + len(RECURRING)
    per_language = {lang: sum(1 for row in FOREIGN if row[0] == lang) for lang, *_ in FOREIGN}
    assert english >= 150
    assert min(per_language.values()) >= 15 and len(per_language) == 6
    assert english + len(FOREIGN) >= 250


@pytest.mark.parametrize(("text", "expected"), ONE_OFF)
def test_one_off(text: str, expected: str) -> None:
    due = parse_date_string(text, tz=BERLIN, now=NOW)
    assert due is not None and not due.recurring and due.rule is None
    assert _local(text) == expected
    assert due.all_day == expected.endswith("23:59")
    assert date_string_to_rrule(text) is None


@pytest.mark.parametrize(("text", "rrule", "expected"), RECURRING)
def test_recurring(text: str, rrule: str, expected: str) -> None:
    due = parse_date_string(text, tz=BERLIN, now=NOW)
    assert due is not None and due.recurring and due.rule is not None
    assert rule_to_rrule(due.rule) == "RRULE:" + rrule
    assert date_string_to_rrule(text, today=NOW.date()) == "RRULE:" + rrule
    assert _local(text) == expected
    assert due.all_day == expected.endswith("23:59")
    # One meaning both ways: the RRULE reads back as words meaning the same rule.
    words = rrule_to_date_string("RRULE:" + rrule, from_completion=due.rule.from_completion)
    assert words is not None
    assert words == rule_to_text(due.rule)
    again = parse_date_string(words, tz=BERLIN, now=NOW)
    assert again is not None and again.rule == due.rule
    assert due.rule.from_completion == text.startswith("every!")


@pytest.mark.parametrize(("lang", "text", "english"), FOREIGN)
def test_other_languages(lang: str, text: str, english: str) -> None:
    expected = parse_date_string(english, tz=BERLIN, now=NOW)
    found = parse_date_string(text, tz=BERLIN, now=NOW, lang=lang)
    assert found == expected
    # Without date_lang the language is found.
    assert parse_date_string(text, tz=BERLIN, now=NOW, lang="en", detect=True) == expected


def test_a_chosen_language_is_not_second_guessed() -> None:
    assert _local("mañana", lang="es") == "2025-01-16 23:59"
    with pytest.raises(InvalidDate):
        parse_date_string("mañana", tz=BERLIN, now=NOW, lang="de")
    # English is always understood, whatever date_lang says.
    assert _local("tomorrow", lang="fr") == "2025-01-16 23:59"


@pytest.mark.parametrize("text", UNREADABLE)
def test_unreadable(text: str) -> None:
    with pytest.raises(InvalidDate):
        parse_date_string(text, tz=BERLIN, now=NOW, detect=True)


@pytest.mark.parametrize("text", ["every day at 9am and 5pm", "every day at 9, 17"])
def test_several_times_a_day_say_so(text: str) -> None:
    with pytest.raises(InvalidDate, match="several times a day"):
        parse_date_string(text, tz=BERLIN, now=NOW)


@pytest.mark.parametrize("text", ["every hour", "every 30 minutes"])
def test_shorter_than_a_day_says_so(text: str) -> None:
    with pytest.raises(InvalidDate, match="shorter than a day"):
        parse_date_string(text, tz=BERLIN, now=NOW)


def test_the_documented_recurrence_table_says_what_the_grammar_reads() -> None:
    text = (DOCS / "sync-api-items.md").read_text()
    table = text.split("#### Recurring forms and their RRULE", 1)[1].split("\n\n#", 1)[0]
    rows = [line for line in table.splitlines() if line.startswith("| `")]
    assert len(rows) >= 25
    for row in rows:
        phrases_cell, rule_cell = row.split("|")[1:3]
        rrule = re.findall(r"`([^`]+)`", rule_cell)[0]
        for phrase in re.findall(r"`([^`]+)`", phrases_cell):
            assert date_string_to_rrule(phrase, today=NOW.date()) == rrule, phrase
