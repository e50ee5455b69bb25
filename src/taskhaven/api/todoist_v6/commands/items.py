"""Items commands."""
