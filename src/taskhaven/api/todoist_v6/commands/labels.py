"""Labels commands."""
