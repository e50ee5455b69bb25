"""The Todoist protocol family: the Sync API (v6)."""
