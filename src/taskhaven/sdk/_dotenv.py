"""A ``.env`` shared with the server: the SDK reads only its own ``TASKHAVEN_SDK_*`` lines.

pydantic-settings hands every line of a ``.env`` to a model that forbids extras, so a file shared
with the server (``TASKHAVEN_DATABASE_URL``…) would fail the SDK's validation. Dropping the lines
without the prefix keeps the shared file working, while a misspelt ``TASKHAVEN_SDK_*`` line still
fails. (The server's settings ignore extras, so the SDK's lines never trouble it.)
"""

from __future__ import annotations

from pydantic_settings import DotEnvSettingsSource


def keep_own_lines(source: DotEnvSettingsSource) -> DotEnvSettingsSource:
    """`source` with the lines that do not start with its prefix dropped."""
    prefix = source.env_prefix if source.case_sensitive else source.env_prefix.lower()
    source.env_vars = {
        name: value for name, value in source.env_vars.items() if name.startswith(prefix)
    }
    return source
