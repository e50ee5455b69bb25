"""MongoDB-style ObjectIds (24 hex digits) without depending on bson."""

from __future__ import annotations

import itertools
import os
import secrets
import threading
import time

_PROCESS = secrets.token_bytes(5)
_COUNTER = itertools.count(int.from_bytes(secrets.token_bytes(3), "big"))
_LOCK = threading.Lock()
_PID = os.getpid()


def object_id() -> str:
    """A fresh ObjectId: 4 bytes of Unix time, 5 random bytes per process, a 3-byte counter."""
    global _PROCESS, _PID
    with _LOCK:
        if os.getpid() != _PID:  # Race: a forked child must not repeat its parent's ids.
            _PID, _PROCESS = os.getpid(), secrets.token_bytes(5)
        count = next(_COUNTER) & 0xFFFFFF
    return (int(time.time()).to_bytes(4, "big") + _PROCESS + count.to_bytes(3, "big")).hex()
