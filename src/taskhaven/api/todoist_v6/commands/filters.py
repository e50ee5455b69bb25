"""Filters commands."""
