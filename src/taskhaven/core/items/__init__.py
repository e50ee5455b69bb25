"""Items (TickTick: tasks): the one set of rules every protocol's task commands go through.

Invariants:

* Every changed row gets ``seq = unit.stamp()`` and ``modified_at = unit.now``.
* ``status`` is the one truth about completion (core/status.py ``Status``: open, done,
  won't do).
  ``in_history`` says whether a closed item has left the active list (the Sync API leaves
  such items out of a full sync); an open item is never in history.
* The due date is ``due_at``/``all_day`` (a whole-day date is 23:59:59 local time, as in
  Todoist v6). ``date_string`` is its label and ``repeat_flag`` its recurrence as an RRULE;
  every write keeps the three consistent, so a change made through one protocol reads
  the same through the other.

Race: several functions compute "one past the highest ``item_order``" and then write it.
Every write unit holds the change-counter lock until it commits (store/counter.py), so two
such read-then-write sequences can never interleave, on SQLite or on PostgreSQL.

The package follows the sections of those rules: ``lookups``, ``fields`` (the value checks both
protocols share), ``due`` (the date fields), ``writing`` (the stamp and list places every
write shares), ``writes`` (add and update), ``moves`` (delete, move, places) and
``completion``; ``upsert`` and ``checklist`` serve clients that send whole task
objects (TickTick). Callers use the names re-exported here: ``from taskhaven.core import items``.
"""

from taskhaven.core.items.checklist import EntryBuilder, merge_checklist
from taskhaven.core.items.completion import (
    close,
    complete,
    set_status,
    uncomplete,
    update_date_complete,
)
from taskhaven.core.items.due import parse_date_string
from taskhaven.core.items.fields import (
    FIELDS,
    KINDS,
    MAX_CONTENT,
    MAX_DATE_STRING,
    MAX_RULE,
    check_priority,
    check_text,
)
from taskhaven.core.items.lookups import by_oid, get, is_recurring
from taskhaven.core.items.moves import delete, move, set_day_order, set_order_indent
from taskhaven.core.items.quick import quick_add
from taskhaven.core.items.upsert import find_by_oid, upsert_by_oid
from taskhaven.core.items.writes import add, add_note, create, update_item
from taskhaven.core.items.writing import parents_from_indents, stamp, touch_day_orders
from taskhaven.core.rows import Row

__all__ = [
    "FIELDS",
    "KINDS",
    "MAX_CONTENT",
    "MAX_DATE_STRING",
    "MAX_RULE",
    "EntryBuilder",
    "Row",
    "add",
    "add_note",
    "by_oid",
    "check_priority",
    "check_text",
    "close",
    "complete",
    "create",
    "delete",
    "find_by_oid",
    "get",
    "is_recurring",
    "merge_checklist",
    "move",
    "parents_from_indents",
    "parse_date_string",
    "quick_add",
    "set_day_order",
    "set_order_indent",
    "set_status",
    "stamp",
    "touch_day_orders",
    "uncomplete",
    "update_date_complete",
    "update_item",
    "upsert_by_oid",
]
