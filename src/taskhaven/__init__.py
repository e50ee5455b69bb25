"""taskhaven: one task-sync server, every task client."""

__version__ = "0.1.0"
