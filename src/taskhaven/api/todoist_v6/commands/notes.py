"""Notes commands."""
