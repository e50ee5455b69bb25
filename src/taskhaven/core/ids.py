"""String ids in BSON ObjectId form (24 hex), the id the TickTick protocols use."""

from __future__ import annotations

import os
import re
import secrets
import threading
import time

_OID = re.compile(r"^[0-9a-f]{24}$")
_lock = threading.Lock()
_counter = secrets.randbelow(1 << 24)
_process = os.urandom(5)


def _new_process() -> None:
    """A forked worker (a pre-forking server) is another process: its ids must not repeat
    its siblings', which would share the parent's random bytes and counter."""
    global _counter, _lock, _process
    _lock = threading.Lock()  # another thread may have held it at the fork
    _counter = secrets.randbelow(1 << 24)
    _process = os.urandom(5)


os.register_at_fork(after_in_child=_new_process)


def new_oid() -> str:
    """4-byte timestamp, 5 random bytes per process, 3-byte counter: like bson.ObjectId."""
    global _counter
    with _lock:
        _counter = (_counter + 1) & 0xFFFFFF
        count = _counter
    return (int(time.time()).to_bytes(4, "big") + _process + count.to_bytes(3, "big")).hex()


def is_oid(value: object) -> bool:
    return isinstance(value, str) and bool(_OID.match(value))


def inbox_oid(user_id: int) -> str:
    return f"inbox{user_id}"
