"""The Sync API's standard (non-sync) calls beside ``sync``: getters, queries, uploads …"""

from __future__ import annotations
