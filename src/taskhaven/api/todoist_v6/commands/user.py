"""User commands."""
