"""Reminders commands."""
