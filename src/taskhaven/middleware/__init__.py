"""ASGI middleware shared by every protocol."""
