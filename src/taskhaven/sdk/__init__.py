"""The client side: Settings, typed clients and the sync client. Imports nothing of the server."""
