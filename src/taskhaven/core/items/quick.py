"""Quick add: one line of text ("Pay rent every 1st at 9am p1 #Home @bills //note") made
into an item, for the Sync API's ``quick/add`` and the command line alike.

The line is split by ``dates.parse_quick_add`` in the user's zone and language; the
``#Project`` and ``@label`` names are then looked up among the user's own live projects and
labels, ignoring case. Nothing is created for a name that is not found: its word stays in
the content as typed (``#Someday`` in the text, the item in the Inbox), so no typing slip
ever makes a project or label appear.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import RowMapping

from taskhaven.core import dates, labels, projects, reminders
from taskhaven.core.backend import Unit
from taskhaven.core.errors import MissingArgument
from taskhaven.core.items.due import user_reading
from taskhaven.core.items.writes import add, add_note


def quick_add(
    unit: Unit, text: str, *, note: str | None = None, reminder: str | None = None
) -> RowMapping:
    """Create the item a quick-add line describes; `note` adds a note beside any ``//``
    note of the line, `reminder` an absolute reminder at that free-text date."""
    if not text or not text.strip():
        raise MissingArgument("text")
    zone, lang = user_reading(unit)
    parsed = dates.parse_quick_add(text, tz=zone, now=unit.now, lang=lang)
    words = [parsed.content] if parsed.content else []
    project_id: int | None = None
    if parsed.project is not None:
        project = projects.by_name(unit.conn, unit.user_id, parsed.project)
        if project is None:
            words.append("#" + parsed.project)
        else:
            project_id = int(project["id"])
    label_ids: list[int] = []
    for name in parsed.labels:
        label = labels.by_name(unit.conn, unit.user_id, name)
        if label is None:
            words.append("@" + name)
        elif label["id"] not in label_ids:
            label_ids.append(int(label["id"]))
    content = " ".join(words) or parsed.date_string or text.strip()
    fields: dict[str, Any] = {"priority": parsed.priority}
    if parsed.date_string is not None:
        fields["date_string"] = parsed.date_string
    if label_ids:
        fields["labels"] = label_ids
    row = add(unit, content=content, project_id=project_id, **fields)
    for body in (parsed.note, note):
        if body is not None and body.strip():
            add_note(unit, row["id"], body.strip())
    if reminder is not None and reminder.strip():
        reminders.add(unit, item_id=row["id"], type="absolute", date_string=reminder)
    return row
